/**
 * `gaissa.train`: TensorFlow.js training with energy per epoch, early stopping that restores the
 * best weights, layer freezing, a forecast of the whole run, and side-by-side comparisons of
 * training tactics (kernel/training/). TensorFlow.js loads on first use, not with the kernel.
 */
import type { LayersModel, Sequential } from '@tensorflow/tfjs';
import type { OnnxExport, OnnxExportOptions } from '../onnx-export/tfjs-to-onnx';
import type {
  BaselineSpec,
  CompareOptions,
  TrainingComparison,
  VariantSpec
} from '../training/compare-training';
import type { TrainingData } from '../training/fit';
import type { CallbackOptions, TrainingCallbacks } from '../training/fit-callbacks';
import type { FreezeResult, LayerSelection } from '../training/layer-freezing';
import type { Tfjs } from '../training/tfjs-runtime';
import type { LiveDisplay } from '../training/training-recorder';
import type { TrainingOptions } from '../training/training-options';
import type { TrainingRun } from '../training/training-run';
import type { MnistMlpOptions, MnistSplit, MnistSplitOptions } from '../workloads/mnist';
import type { MimeBundle } from '../display';

export type { TrainingData, LabelledData } from '../training/fit';
export type {
  TrainingOptions,
  EarlyStoppingOptions,
  FreezeOptions
} from '../training/training-options';
export type { TrainingRun, EpochRecord } from '../training/training-run';
export type {
  TrainingComparison,
  BaselineSpec,
  VariantSpec,
  CompareOptions
} from '../training/compare-training';
export type { TrainingCallbacks, CallbackOptions } from '../training/fit-callbacks';
export type { FreezeResult, LayerSelection } from '../training/layer-freezing';
export type { Tfjs } from '../training/tfjs-runtime';
export type { MnistSplit, MnistSplitOptions, MnistMlpOptions } from '../workloads/mnist';
export type { OnnxExport, OnnxExportOptions } from '../onnx-export/tfjs-to-onnx';

/** The reference MLP's type under a name of this package (see Tfjs for why). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MnistModel extends Sequential {}

/** The reference MNIST workload, ready to train. */
export interface MnistWorkload {
  /** Train / validation / test tensors (one-hot targets). */
  data: Required<TrainingData>;
  split: MnistSplit;
  /** A fresh 784-128-64-10 MLP, compiled; the same seed gives the same initial weights. */
  createModel(options?: MnistMlpOptions): MnistModel;
}

export interface TrainApi {
  /** The `@tensorflow/tfjs` module the kernel trains with, on the wasm backend. */
  tfjs(): Promise<Tfjs>;
  /**
   * Trains `model` for `options.epochs` with energy per epoch and a live display; options add
   * early stopping (`earlyStopping: { monitor, patience, minDelta, minGainPerKJ }`), freezing
   * (`freeze: { layers: 2 | 'all-but-head', fromEpoch, untilEpoch }`) and the forecast.
   */
  fit(model: LayersModel, data: TrainingData, options: TrainingOptions): Promise<TrainingRun>;
  /** The same recording for a plain `model.fit(x, y, { callbacks })`; `.result()` gives the run. */
  callbacks(model: LayersModel, options?: CallbackOptions): TrainingCallbacks;
  /** Freezes layers (first k, 'all-but-head' or names) and recompiles, keeping optimizer state. */
  freeze(model: LayersModel, layers: LayerSelection): Promise<FreezeResult>;
  /** Trains frozen layers again (all by default), recompiling correctly. */
  unfreeze(model: LayersModel, layers?: LayerSelection): Promise<FreezeResult>;
  /**
   * Runs the baseline training and each variant (options that differ: earlyStopping, freeze...)
   * on the same data and seed; shows energy, time and accuracy with deltas as a tactics
   * comparison, which `gaissa.roi.from` takes (N = training runs) and `.labelRequest()` labels.
   */
  compare(
    baseline: BaselineSpec,
    variants: VariantSpec[],
    options?: CompareOptions
  ): Promise<TrainingComparison>;
  /** The reference MNIST workload: deterministic split of the `mnist` package, seeded MLP. */
  mnist(options?: MnistSplitOptions): Promise<MnistWorkload>;
  /** Writes a Dense/activation tfjs model as ONNX (atomically); see kernel/onnx-export. */
  exportOnnx(model: LayersModel, path: string, options?: OnnxExportOptions): Promise<OnnxExport>;
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
  /* eslint-disable @typescript-eslint/no-require-imports -- tfjs and friends load on first use */
  return {
    tfjs: () =>
      (require('../training/tfjs-runtime') as typeof import('../training/tfjs-runtime')).loadTfjs(),
    fit: (model, data, options) =>
      (require('../training/fit') as typeof import('../training/fit')).fitWithEnergy(
        model,
        data,
        options,
        {
          openLive
        }
      ),
    callbacks: (model, options) =>
      (
        require('../training/fit-callbacks') as typeof import('../training/fit-callbacks')
      ).trainingCallbacks(model, options, openLive),
    freeze: (model, layers) =>
      (
        require('../training/layer-freezing') as typeof import('../training/layer-freezing')
      ).freezeLayers(model, layers),
    unfreeze: (model, layers) =>
      (
        require('../training/layer-freezing') as typeof import('../training/layer-freezing')
      ).unfreezeLayers(model, layers),
    compare: (baseline, variants, options) =>
      (
        require('../training/compare-training') as typeof import('../training/compare-training')
      ).compareTraining(baseline, variants, options, openLive),
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
    exportOnnx: (model, path, options) =>
      (
        require('../onnx-export/tfjs-to-onnx') as typeof import('../onnx-export/tfjs-to-onnx')
      ).writeOnnx(model, path, options)
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}
