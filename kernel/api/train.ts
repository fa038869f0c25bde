/**
 * `gaissa.train`: TensorFlow.js training with energy per epoch, early stopping that restores the
 * best weights, layer freezing, a forecast of the whole run, and side-by-side comparisons of
 * training tactics (kernel/training/). TensorFlow.js loads on first use, not with the kernel.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { FieldError } from '../../core/field-error';
import type { MimeBundle } from '../display';
import { measureSession } from '../measure/current';
import type { OnnxExport, OnnxExportOptions } from '../onnx-export/onnx-export-types';
import type {
  BaselineSpec,
  CompareOptions,
  TrainingComparison,
  VariantSpec
} from '../training/compare-training';
import type { TrainingData as TensorData } from '../training/fit';
import type { CallbackOptions, TrainingCallbacks } from '../training/fit-callbacks';
import type { FreezeResult, LayerSelection } from '../training/layer-selection';
import type { TfjsModule, TrainableModel } from '../training/tfjs-shapes';
import type { TrainingData } from '../training/training-data';
import type { TrainingOptions } from '../training/training-options';
import type { TrainingRun } from '../training/training-run';
import type { LiveDisplay } from '../training/training-view';
import type { MnistMlpOptions, MnistSplit, MnistSplitOptions } from '../workloads/mnist-types';

// Declarations here and in what they export must not name tfjs (kernel/training/tfjs-shapes.ts
// says why; tests/unit/kernel/api/index-type-graph.test.ts checks it). tfjs types are fine in
// bodies.
export type { TrainingData, LabelledData } from '../training/training-data';
export type {
  TensorLike,
  TensorsLike,
  LayerLike,
  FitArgsLike,
  TrainableModel,
  TfjsModule
} from '../training/tfjs-shapes';
export type {
  TrainingOptions,
  PredictionOptions,
  EarlyStoppingOptions,
  FreezeOptions
} from '../training/training-options';
export type { TrainingRun, EpochRecord } from '../training/training-run';
export type {
  TrainingPrediction,
  TrainingPredictionBasis,
  PredictionCheck
} from '../predict/training-prediction';
export type {
  TrainingComparison,
  BaselineSpec,
  VariantSpec,
  CompareOptions
} from '../training/compare-training';
export type { TrainingCallbacks, CallbackOptions } from '../training/fit-callbacks';
export type { FreezeResult, LayerSelection } from '../training/layer-selection';
export type { MnistSplit, MnistSplitOptions, MnistMlpOptions } from '../workloads/mnist-types';
export type { OnnxExport, OnnxExportOptions } from '../onnx-export/onnx-export-types';

/** The reference MLP (a tfjs Sequential at run time), under a name of this package. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MnistModel extends TrainableModel {}

/** The reference MNIST workload, ready to train. */
export interface MnistWorkload {
  /** Train / validation / test tensors (one-hot targets). */
  data: Required<TrainingData>;
  split: MnistSplit;
  /** A fresh 784-128-64-10 MLP, compiled; the same seed gives the same initial weights. */
  createModel(options?: MnistMlpOptions): MnistModel;
}

export interface TrainApi {
  /**
   * The `@tensorflow/tfjs` module the kernel trains with, on the wasm backend. Typed loosely by
   * default (its members are `any`); for tfjs's full types, which every later cell then loads:
   * `const tf = await gaissa.train.tfjs<typeof import('gaissa/tfjs')>()`.
   */
  tfjs<Module extends object = TfjsModule>(): Promise<Module>;
  /**
   * Trains `model` for `options.epochs` with energy per epoch and a live display; options add
   * early stopping (`earlyStopping: { monitor, patience, minDelta, minGainPerKJ }`), freezing
   * (`freeze: { layers: 2 | 'all-but-head', fromEpoch, untilEpoch }`) and the forecast.
   */
  fit(model: TrainableModel, data: TrainingData, options: TrainingOptions): Promise<TrainingRun>;
  /** The same recording for a plain `model.fit(x, y, { callbacks })`; `.result()` gives the run. */
  callbacks(model: TrainableModel, options?: CallbackOptions): TrainingCallbacks;
  /** Freezes layers (first k, 'all-but-head' or names) and recompiles, keeping optimizer state. */
  freeze(model: TrainableModel, layers: LayerSelection): Promise<FreezeResult>;
  /** Trains frozen layers again (all by default), recompiling correctly. */
  unfreeze(model: TrainableModel, layers?: LayerSelection): Promise<FreezeResult>;
  /**
   * Runs the baseline training and each variant (options that differ: earlyStopping, freeze...)
   * on the same data and seed; shows energy, time and accuracy with deltas as a tactics
   * comparison, which `gaissa.roi.from` takes (N = training runs) and `.labelRequest()` labels.
   */
  compare<M extends TrainableModel>(
    baseline: BaselineSpec<M>,
    variants: VariantSpec[],
    options?: CompareOptions
  ): Promise<TrainingComparison<M>>;
  /** The reference MNIST workload: deterministic split of the `mnist` package, seeded MLP. */
  mnist(options?: MnistSplitOptions): Promise<MnistWorkload>;
  /** Writes a Dense/activation tfjs model as ONNX (atomically); see kernel/onnx-export. */
  exportOnnx(model: TrainableModel, path: string, options?: OnnxExportOptions): Promise<OnnxExport>;
}

/** Builds `gaissa.train` around the kernel's display function (no display outside a kernel). */
export function createTrainApi(
  display: (bundle: MimeBundle) => { update(bundle: MimeBundle): void }
): TrainApi {
  const openLive = (): LiveDisplay | null => {
    try {
      return display({ 'text/plain': 'training...' });
    } catch {
      return null;
    }
  };
  // The caller's models are tfjs's own at run time (typed structurally here): one gate for every
  // entry, so that a wrong argument names the field instead of failing deep inside tfjs.
  const tfjsModel = (model: TrainableModel): LayersModel => {
    if (!model || typeof model !== 'object' || !Array.isArray((model as LayersModel).layers)) {
      throw new FieldError('model', 'must be a tfjs LayersModel (tf.sequential() or tf.model())');
    }
    return model as LayersModel;
  };
  /* eslint-disable @typescript-eslint/no-require-imports -- tfjs and friends load on first use */
  return {
    tfjs: <Module extends object>() =>
      (
        require('../training/tfjs-runtime') as typeof import('../training/tfjs-runtime')
      ).loadTfjs() as Promise<object> as Promise<Module>,
    fit: async (model, data, options) =>
      (require('../training/fit') as typeof import('../training/fit')).fitWithEnergy(
        tfjsModel(model),
        data as TensorData,
        options,
        { openLive }
      ),
    callbacks: (model, options) =>
      (
        require('../training/fit-callbacks') as typeof import('../training/fit-callbacks')
      ).trainingCallbacks(model, options, openLive),
    freeze: async (model, layers) =>
      (
        require('../training/layer-freezing') as typeof import('../training/layer-freezing')
      ).freezeLayers(tfjsModel(model), layers),
    unfreeze: async (model, layers) =>
      (
        require('../training/layer-freezing') as typeof import('../training/layer-freezing')
      ).unfreezeLayers(tfjsModel(model), layers),
    compare: async (baseline, variants, options) => {
      const comparison = await (
        require('../training/compare-training') as typeof import('../training/compare-training')
      ).compareTraining(baseline, variants, options, openLive);
      // Team servers that keep comparisons (MLflow) get it in the background, as tactics
      // comparisons; `log: false` keeps the runs out of every record, and so the comparison.
      if (baseline.log !== false) {
        measureSession().sink.writeTrainingComparison(comparison.payload, comparison.training);
      }
      return comparison;
    },
    mnist: async options => {
      const { loadTfjs } =
        require('../training/tfjs-runtime') as typeof import('../training/tfjs-runtime');
      const workload = require('../workloads/mnist') as typeof import('../workloads/mnist');
      const tf = await loadTfjs();
      const split = workload.loadMnist(options);
      return {
        data: workload.mnistTensors(tf, split),
        split,
        createModel: modelOptions => workload.createMnistMlp(tf, modelOptions)
      };
    },
    exportOnnx: async (model, path, options) =>
      (
        require('../onnx-export/tfjs-to-onnx') as typeof import('../onnx-export/tfjs-to-onnx')
      ).writeOnnx(tfjsModel(model), path, options)
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}
