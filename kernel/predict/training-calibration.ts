/**
 * This machine's price of TensorFlow.js training: short synthetic tfjs fits (MLPs, frozen-base
 * conv nets, with and without validation, two batch sizes each) measured epoch by epoch with the
 * meter the training itself uses, then fitted per epoch with the non-negative cost model of ONNX
 * inference (cost-model.ts) on the features of training-work.ts. Its own calibration, not the
 * inference one: training runs on tfjs's wasm backend, not ONNX Runtime, and pays per-batch
 * costs (gradients, the optimizer, callbacks) that inference never does. Cached per machine,
 * meter, tfjs version and backend, next to the inference calibration; measured automatically
 * when missing (14 to 27 s on a loaded 2-core VM).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { readingEnergyJ, recordCoverage, type MeterReading } from '../../core/measurement';
import { combinedCoverage } from '../../core/provenance';
import { seededPermutation, seededRandom } from '../../core/seeded-random';
import { writeFileAtomic } from '../atomic-write';
import { probeMeters } from '../meters/probe';
import type { Tfjs } from '../training/tfjs-runtime';
import type { EnergyMeter } from '../training/training-meter';
import { cacheDir } from './calibration';
import { fitCostModel } from './cost-model';
import { NoPredictionError } from './onnx-work';
import {
  predictRun,
  TRAINING_CALIBRATION_VERSION,
  type TrainingCalibration,
  type TrainingCalibrationPoint,
  type TrainingMachineKey,
  type TrainingPrediction
} from './training-prediction';
import { epochFeatures, sampleWork, type RunShape } from './training-work';

export interface TrainingPredictOptions {
  /** Calibration folder (default the user's cache dir, as the inference calibration). */
  cacheDir?: string;
  /** `auto` (default): measure the calibration when missing; `never`: no prediction instead. */
  calibrate?: 'auto' | 'never';
  /** The CPU meter's method the cache is keyed on (default: probed). */
  meterMethod?: string;
  onProgress?: (message: string) => void;
  /** A smaller calibration than the default (tests). */
  workload?: TrainingCalibrationModel[];
}

export async function trainingMachine(
  tf: Pick<Tfjs, 'version' | 'getBackend'>,
  options: Pick<TrainingPredictOptions, 'cacheDir' | 'meterMethod'> = {}
): Promise<{ key: TrainingMachineKey; path: string }> {
  const meterMethod =
    options.meterMethod ?? (await probeMeters({ nvidia: false })).cpu.method ?? 'estimate';
  const key: TrainingMachineKey = {
    cpuModel: cpus()[0]?.model?.trim() || 'unknown',
    logicalCpus: cpus().length,
    meterMethod,
    tfjsVersion: tf.version.tfjs,
    backend: tf.getBackend()
  };
  const hash = createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 16);
  return { key, path: join(options.cacheDir ?? cacheDir(), `training-calibration-${hash}.json`) };
}

const isPoint = (p: unknown): p is TrainingCalibrationPoint => {
  const q = p as Partial<TrainingCalibrationPoint> | null;
  return (
    typeof q === 'object' &&
    q !== null &&
    typeof q.energyJ === 'number' &&
    typeof q.seconds === 'number' &&
    q.energyJ > 0 &&
    q.seconds > 0 &&
    Number.isFinite(q.energyJ + q.seconds) &&
    typeof q.features === 'object' &&
    q.features !== null &&
    Object.values(q.features).every(v => typeof v === 'number' && Number.isFinite(v))
  );
};

/** The cached calibration for `key`, or undefined (absent, unreadable, another key, too few points). */
export function loadTrainingCalibration(
  path: string,
  key: TrainingMachineKey
): TrainingCalibration | undefined {
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as TrainingCalibration;
    if (c?.version !== TRAINING_CALIBRATION_VERSION) return undefined;
    if (JSON.stringify(c.key) !== JSON.stringify(key) || !Array.isArray(c.points)) return undefined;
    c.points = (c.points as unknown[]).filter(isPoint);
    return c.points.length >= 3 ? c : undefined;
  } catch {
    return undefined;
  }
}

export async function saveTrainingCalibration(
  path: string,
  calibration: TrainingCalibration
): Promise<void> {
  mkdirSync(join(path, '..'), { recursive: true });
  await writeFileAtomic(path, JSON.stringify(calibration, null, 1) + '\n');
}

/** One synthetic model of the calibration, trained at each batch size. */
export interface TrainingCalibrationModel {
  name: string;
  build(tf: Tfjs): LayersModel;
  samples: number;
  batchSizes: number[];
  /** Validation samples, at the first batch size only (so batches and validation vary apart). */
  validationSamples: number;
}

const compiled = (tf: Tfjs, model: LayersModel) => {
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
};

function mlp(sizes: number[], activation: 'relu' | 'tanh' = 'relu', dropout = 0) {
  return (tf: Tfjs) => {
    const model = tf.sequential();
    sizes.slice(1).forEach((units, i) => {
      const last = i === sizes.length - 2;
      model.add(
        tf.layers.dense({
          units,
          activation: last ? 'softmax' : activation,
          ...(i === 0 ? { inputShape: [sizes[0]] } : {})
        })
      );
      if (!last && dropout > 0) model.add(tf.layers.dropout({ rate: dropout }));
    });
    return compiled(tf, model);
  };
}

/**
 * A conv net with a frozen convolutional base and a trained head: tfjs's wasm backend has no
 * kernel for the filter gradient of Conv2D, so on it a conv net trains only this way.
 */
export function frozenConvNet(side: number, channels: number, filters: number, hidden = 0) {
  return (tf: Tfjs) => {
    const model = tf.sequential();
    model.add(
      tf.layers.conv2d({
        inputShape: [side, side, channels],
        filters,
        kernelSize: 3,
        activation: 'relu',
        trainable: false
      })
    );
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.flatten());
    if (hidden > 0) model.add(tf.layers.dense({ units: hidden, activation: 'relu' }));
    model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
    return compiled(tf, model);
  };
}

export { mlp as mlpBuilder };

/** Sizes the accuracy benchmark's held-out models never take. */
export const CALIBRATION_MODELS: TrainingCalibrationModel[] = [
  {
    name: 'mlp-16-10',
    build: mlp([16, 10]),
    samples: 2048,
    batchSizes: [16, 512],
    validationSamples: 0
  },
  {
    name: 'mlp-32-64-10',
    build: mlp([32, 64, 10]),
    samples: 512,
    batchSizes: [16, 128],
    validationSamples: 0
  },
  {
    name: 'mlp-128-256-10',
    build: mlp([128, 256, 10]),
    samples: 512,
    batchSizes: [32, 128],
    validationSamples: 128
  },
  {
    name: 'mlp-784-64-10',
    build: mlp([784, 64, 10]),
    samples: 512,
    batchSizes: [32, 128],
    validationSamples: 0
  },
  {
    name: 'mlp-512-512-10',
    build: mlp([512, 512, 10]),
    samples: 384,
    batchSizes: [64, 16],
    validationSamples: 128
  },
  {
    name: 'mlp-300-200-100-10',
    build: mlp([300, 200, 100, 10], 'tanh', 0.2),
    samples: 512,
    batchSizes: [32, 256],
    validationSamples: 0
  },
  {
    name: 'conv-12x1x8',
    build: frozenConvNet(12, 1, 8),
    samples: 512,
    batchSizes: [32, 128],
    validationSamples: 128
  },
  {
    name: 'conv-20x3x16',
    build: frozenConvNet(20, 3, 16, 32),
    samples: 256,
    batchSizes: [32, 64],
    validationSamples: 0
  }
];

/** Random inputs and one-hot targets for `model`'s input and output shapes. */
export function syntheticData(tf: Tfjs, model: LayersModel, samples: number, seed = 1) {
  const inShape = model.inputs[0].shape.slice(1) as number[];
  const classes = model.outputs[0].shape[1] as number;
  return tf.tidy(() => ({
    x: tf.randomNormal([samples, ...inShape], 0, 1, 'float32', seed),
    y: tf
      .oneHot(tf.randomUniform([samples], 0, classes, 'int32', seed + 1) as Tensor, classes)
      .toFloat()
  }));
}

/**
 * Trains `model` one epoch the way gaissa.train.fit does (seeded reorder, a one-epoch `fit` with
 * a batch callback), repeated inside one meter window until it lasts `windowS`: per-epoch joules
 * and seconds.
 */
export async function measureEpochs(
  tf: Tfjs,
  meter: EnergyMeter,
  model: LayersModel,
  data: { x: Tensor; y: Tensor; validation?: { x: Tensor; y: Tensor } },
  batchSize: number,
  windowS = 0.4
): Promise<{ energyJ: number; seconds: number; reading: MeterReading }> {
  const random = seededRandom(7);
  const rows = data.x.shape[0];
  const epoch = async () => {
    const order = tf.tensor1d(seededPermutation(rows, random), 'int32');
    const x = tf.gather(data.x, order);
    const y = tf.gather(data.y, order);
    order.dispose();
    try {
      await model.fit(x, y, {
        epochs: 1,
        batchSize,
        shuffle: false,
        verbose: 0,
        validationData: data.validation ? [data.validation.x, data.validation.y] : undefined,
        callbacks: { onBatchEnd: async () => undefined }
      });
    } finally {
      tf.dispose([x, y]);
    }
  };
  const window = meter.begin();
  const t0 = performance.now();
  let epochs = 0;
  do {
    await epoch();
    epochs++;
  } while ((performance.now() - t0) / 1000 < windowS);
  const seconds = (performance.now() - t0) / 1000;
  const reading = await window.end();
  return { energyJ: readingEnergyJ(reading) / epochs, seconds: seconds / epochs, reading };
}

/** Measures the calibration workload: each model warmed up, then one point per batch size. */
export async function runTrainingCalibration(
  tf: Tfjs,
  meter: EnergyMeter,
  workload: TrainingCalibrationModel[] = CALIBRATION_MODELS,
  onProgress?: (message: string) => void
): Promise<TrainingCalibrationPoint[]> {
  const points: TrainingCalibrationPoint[] = [];
  for (const spec of workload) {
    const model = spec.build(tf);
    const work = sampleWork(model);
    const train = syntheticData(tf, model, spec.samples);
    const validation = spec.validationSamples
      ? syntheticData(tf, model, spec.validationSamples, 9)
      : undefined;
    try {
      // The first fit of a model builds its training function and optimizer state: not an epoch's price.
      await measureEpochs(tf, meter, model, train, spec.batchSizes[0], 0);
      for (const [i, batchSize] of spec.batchSizes.entries()) {
        const withValidation = i === 0 ? validation : undefined;
        onProgress?.(`calibrating training: ${spec.name}, batch ${batchSize}`);
        const m = await measureEpochs(
          tf,
          meter,
          model,
          { ...train, validation: withValidation },
          batchSize
        );
        const run: RunShape = {
          samples: spec.samples,
          batchSize,
          validationSamples: withValidation ? spec.validationSamples : 0
        };
        points.push({
          features: epochFeatures(work, run),
          energyJ: m.energyJ,
          seconds: m.seconds,
          model: spec.name,
          ...run,
          coverage: combinedCoverage([
            { energyJ: readingEnergyJ(m.reading), coverage: recordCoverage(m.reading.components) }
          ])
        });
      }
    } finally {
      tf.dispose([train.x, train.y, ...(validation ? [validation.x, validation.y] : [])]);
      model.dispose();
    }
  }
  return points;
}

/** The cached training calibration, measured now with `meter` (and cached) when missing. */
export async function ensureTrainingCalibration(
  tf: Tfjs,
  meter: EnergyMeter,
  options: TrainingPredictOptions = {}
): Promise<{ calibration: TrainingCalibration; path: string }> {
  const { key, path } = await trainingMachine(tf, options);
  const cached = loadTrainingCalibration(path, key);
  if (cached) return { calibration: cached, path };
  if (options.calibrate === 'never')
    throw new NoPredictionError('this machine has no training calibration yet');
  const points = await runTrainingCalibration(tf, meter, options.workload, options.onProgress);
  const calibration: TrainingCalibration = {
    version: TRAINING_CALIBRATION_VERSION,
    key,
    createdAt: new Date().toISOString(),
    points
  };
  await saveTrainingCalibration(path, calibration);
  return { calibration, path };
}

/**
 * PRE for `model` trained on `run`: the work of a sample first (an unknown layer needs no
 * calibration to say so), then the calibration, measured with `meter` when missing.
 */
export async function predictTraining(
  tf: Tfjs,
  model: LayersModel,
  run: RunShape & { epochs: number },
  meter: EnergyMeter,
  options: TrainingPredictOptions = {}
): Promise<TrainingPrediction> {
  const work = sampleWork(model);
  const { calibration, path } = await ensureTrainingCalibration(tf, meter, options);
  return predictRun(work, run, fitCostModel(calibration.points), calibration, path);
}
