/// <reference types="node" preserve="true" />
/**
 * The in-notebook API: the global `gaissa` object, also `import { gaissa } from 'gaissa'`, and the
 * package's entry: the types and classes of every feature area.
 */
import { gaissa } from './gaissa';

export { gaissa, connectHelp, connectOutput } from './gaissa';
export type { DisplayOptions, DisplayHandle, Versions, GaissaApi } from './gaissa';
export type { MimeBundle } from '../display';
export type { TimeResult } from './time';
export { RoiAnalysis } from './roi';
export { Measurement } from './measure';
export type { MeasureOptions, ManualMeter, ConfigView, MeasuredError } from './measure';
export type { RoiApi, RoiFromOptions, RoiSource, MeasurementPair } from './roi';
export { LabelView, LabelBelowMinimumError } from './label';
export type { LabelOptions, LabelSource } from './label';
export type { TacticsComparisonLike, ComparedVariant } from './tactics-comparison';
export { OnnxModel, Variant, TacticsComparison } from './tactics';
export type { ModelApi, TacticsApi, NotebookCompareOptions, TacticOptions } from './tactics';
export type { MeasurementLike } from './measurement-source';
export { HfMining } from './hf';
export type { HfApi, HfMineOptions } from './hf';
export type { Profile, ProfileOptions } from './profile';
export type {
  TrainApi,
  TrainingData,
  TrainingOptions,
  TrainingRun,
  TrainingComparison,
  TrainableModel,
  TensorLike,
  TfjsModule,
  MnistModel,
  MnistWorkload
} from './train';

export default gaissa;
