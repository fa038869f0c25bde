/**
 * A TensorFlow.js training run predicted before its first epoch (the PRE idea: architecture and
 * environment, no epoch measured yet) and, at the end, PRE and the forecast made after the first
 * epoch (the STEP idea, core/training-forecast.ts) set against what the run's meter read. The
 * work of one epoch (training-work.ts) is priced by this machine's training calibration
 * (training-calibration.ts) with the cost model of ONNX inference (cost-model.ts). Every figure
 * here is marked `predicted`; this file names no tfjs type, so the API's declarations can.
 */
import { predictionErrorPercent } from '../../core/cell-prediction';
import type { EpochCost, ForecastCheck } from '../../core/training-forecast';
import { evaluate, INTERVAL_QUANTILE, type Fit, type FitPoint } from './cost-model';
import { NoPredictionError } from './onnx-work';
import { epochFeatures, type RunShape, type SampleWork } from './training-work';

export const TRAINING_CALIBRATION_VERSION = 1;

export interface TrainingMachineKey {
  cpuModel: string;
  logicalCpus: number;
  /** The CPU meter's method: `rapl` (a counter) or `estimate`. */
  meterMethod: string;
  tfjsVersion: string;
  backend: string;
}

export interface TrainingCalibrationPoint extends FitPoint {
  model: string;
  samples: number;
  batchSize: number;
  validationSamples: number;
  /** Share of the joules a hardware counter measured, 0..1. */
  coverage: number;
}

export interface TrainingCalibration {
  version: number;
  key: TrainingMachineKey;
  createdAt: string;
  points: TrainingCalibrationPoint[];
}

/** A prediction of a whole training run, made before its first epoch. */
export interface TrainingPrediction {
  method: 'predicted';
  /** The whole planned run: every epoch, at the calibration's price. */
  energyJ: number;
  low: number;
  high: number;
  durationS: number;
  durationLowS: number;
  durationHighS: number;
  perEpoch: { energyJ: number; durationS: number };
  epochs: number;
  samples: number;
  batchSize: number;
  validationSamples: number;
  /** FLOPs of one training sample (forward and backward) and of one validation sample. */
  trainingFlopsPerSample: number;
  forwardFlopsPerSample: number;
  trainableParams: number;
  basis: TrainingPredictionBasis;
}

export interface TrainingPredictionBasis {
  calibration: string;
  machine: { cpuModel: string; logicalCpus: number; tfjsVersion: string; backend: string };
  meter: { method: string; coverage: number };
  calibratedAt: string;
  points: number;
  interval: string;
}

/** Predicted (before training and after the first epochs) against the run's measured epochs. */
export interface PredictionCheck {
  /** Epochs that ran and what the meter read for them (the sum of the epochs' windows). */
  actual: { epochs: number; energyJ: number; durationS: number };
  /** PRE restated for the epochs that ran (early stopping may run fewer than planned). */
  pre: {
    energyJ: number;
    durationS: number;
    /** null where the actual is 0: there is no relative error to give. */
    energyErrorPercent: number | null;
    durationErrorPercent: number | null;
    /** The actual energy lies inside the predicted interval. */
    inInterval: boolean;
  };
  /** STEP: the forecast after the first epoch(s), for the same epochs; null without one. */
  step: { afterEpochs: number; energyJ: number; energyErrorPercent: number | null } | null;
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

/** The whole run's prediction from the work of a sample and a fitted calibration (no I/O). */
export function predictRun(
  work: SampleWork,
  run: RunShape & { epochs: number },
  fit: Fit,
  calibration: TrainingCalibration,
  path: string
): TrainingPrediction {
  const features = epochFeatures(work, run);
  const perEpochJ = evaluate(fit.energy, features);
  const perEpochS = evaluate(fit.seconds, features);
  if (!(perEpochJ > 0 && perEpochS > 0))
    throw new NoPredictionError('the training calibration prices this run at nothing');
  const e = Math.exp(fit.energySpread);
  const s = Math.exp(fit.secondsSpread);
  const energyJ = perEpochJ * run.epochs;
  const durationS = perEpochS * run.epochs;
  const points = calibration.points;
  return {
    method: 'predicted',
    energyJ,
    low: energyJ / e,
    high: energyJ * e,
    durationS,
    durationLowS: durationS / s,
    durationHighS: durationS * s,
    perEpoch: { energyJ: perEpochJ, durationS: perEpochS },
    epochs: run.epochs,
    samples: run.samples,
    batchSize: run.batchSize,
    validationSamples: run.validationSamples,
    trainingFlopsPerSample: sum(work.training),
    forwardFlopsPerSample: sum(work.forward),
    trainableParams: work.trainableParams,
    basis: {
      calibration: path,
      machine: {
        cpuModel: calibration.key.cpuModel,
        logicalCpus: calibration.key.logicalCpus,
        tfjsVersion: calibration.key.tfjsVersion,
        backend: calibration.key.backend
      },
      meter: {
        method: calibration.key.meterMethod,
        coverage: points.reduce((a, p) => a + p.coverage, 0) / points.length
      },
      calibratedAt: calibration.createdAt,
      points: points.length,
      interval: `${Math.round(100 * INTERVAL_QUANTILE)} % of leave-one-out calibration errors per epoch`
    }
  };
}

/** PRE and STEP against the measured epochs, restated for the epochs that ran. */
export function checkPrediction(
  prediction: TrainingPrediction,
  epochs: readonly EpochCost[],
  forecastCheck: ForecastCheck | null
): PredictionCheck {
  const energyJ = epochs.reduce((a, e) => a + e.energyJ, 0);
  const durationS = epochs.reduce((a, e) => a + e.durationS, 0);
  const share = epochs.length / prediction.epochs;
  const pre = {
    energyJ: prediction.energyJ * share,
    durationS: prediction.durationS * share
  };
  return {
    actual: { epochs: epochs.length, energyJ, durationS },
    pre: {
      ...pre,
      energyErrorPercent: predictionErrorPercent(pre.energyJ, energyJ),
      durationErrorPercent: predictionErrorPercent(pre.durationS, durationS),
      inInterval: energyJ >= prediction.low * share && energyJ <= prediction.high * share
    },
    step: forecastCheck
      ? {
          afterEpochs: forecastCheck.forecast.basedOnEpochs,
          energyJ: forecastCheck.forecastForActualEpochs.energyJ,
          // The forecast's own check gives Infinity against an actual of 0.
          energyErrorPercent: Number.isFinite(forecastCheck.energyErrorPercent)
            ? forecastCheck.energyErrorPercent
            : null
        }
      : null
  };
}
