/**
 * Options of `gaissa.train.fit` / `compare` / `callbacks`, and their checking: every bad value is
 * refused before any training starts, with the field named.
 */
import { FieldError, describe, isPlainObject, requireNumber } from '../../core/field-error';
import { defaultMode, type EarlyStoppingRule } from '../../core/training-early-stopping';
import type { LayerSelection } from './layer-selection';
import type { TrainableModel } from './tfjs-shapes';
import type { EpochRecord } from './training-run';
import type { TrainingEnvironmentOptions } from './training-meter';

export interface EarlyStoppingOptions {
  /** Metric to watch, as tfjs logs it: "val_loss" (default with validation data), "val_acc"... */
  monitor?: string;
  /** "auto" (default): max for accuracy-like metrics, min for losses. */
  mode?: 'min' | 'max' | 'auto';
  /** Epochs without improvement before stopping; default 3. */
  patience?: number;
  /** Smallest change that counts as an improvement; default 0. */
  minDelta?: number;
  /**
   * Energy-aware rule: stop when the monitored metric gained less than this per kJ over the
   * last `gainWindow` epochs (e.g. 0.01 = one accuracy point per kJ). Off unless set.
   */
  minGainPerKJ?: number;
  /** Epochs the energy-aware rule looks back over; default 2. */
  gainWindow?: number;
  /** Never stop before this many epochs; default 0. */
  startFromEpoch?: number;
  /** Put the best epoch's weights back at the end (tfjs's own early stopping cannot); default true. */
  restoreBestWeights?: boolean;
}

export interface FreezeOptions {
  /** First k layers, 'all-but-head' (every layer before the last one with weights), or names. */
  layers: LayerSelection;
  /** First epoch (1-based) that trains with the layers frozen; default 1, from the start. */
  fromEpoch?: number;
  /** First epoch that trains them again (unfrozen); default: they stay frozen. */
  untilEpoch?: number;
  /**
   * Compute the frozen first layers' outputs once and train the layers above on them, instead of
   * running the frozen layers forward on every batch (same updates, less work). Default true;
   * it applies when the frozen layers are the first ones and do nothing random in training.
   */
  cacheOutputs?: boolean;
}

/** The prediction before the first epoch (kernel/predict/training-prediction.ts). */
export interface PredictionOptions {
  /** Training calibration folder (default the user's cache dir). */
  cacheDir?: string;
  /** `auto` (default): measure the calibration (under 30 s) when missing; `never`: no prediction then. */
  calibrate?: 'auto' | 'never';
}

export interface TrainingOptions extends TrainingEnvironmentOptions {
  /** Epochs planned (early stopping may run fewer). */
  epochs: number;
  /** Default 32, as tfjs. */
  batchSize?: number;
  /** Reorder the training set every epoch with a seeded permutation (default true). */
  shuffle?: boolean;
  /** Seed of those permutations; default 42. Same seed, same data order, run after run. */
  seed?: number;
  earlyStopping?: boolean | EarlyStoppingOptions;
  freeze?: LayerSelection | FreezeOptions;
  /**
   * Predict the whole run's energy and time before the first epoch, from the model's work and
   * this machine's training calibration. Default: on with the kernel's meter, off with a meter
   * of your own (a stand-in would calibrate nothing real).
   */
  predict?: boolean | PredictionOptions;
  /** Epochs measured before forecasting the whole run; default 1; false for no forecast. */
  forecastAfter?: number | false;
  /** Shown in displays and records; default "training". */
  name?: string;
  /** Live progress display in the notebook (default true inside a kernel). */
  display?: boolean;
  /** Called after each epoch with its record (energy, time, metrics) and the model. */
  onEpochEnd?: (epoch: EpochRecord, model: TrainableModel) => void | Promise<void>;
}

export type ResolvedEarlyStopping = EarlyStoppingRule & { restoreBestWeights: boolean };

export interface ResolvedFreeze {
  layers: LayerSelection;
  fromEpoch: number;
  untilEpoch: number | null;
  cacheOutputs: boolean;
}

function integer(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new FieldError(field, `must be an integer >= ${min}, got ${describe(value)}`);
  }
  return value;
}

export function checkEpochs(value: unknown): number {
  return integer(value, 'epochs', 1);
}

export function resolveEarlyStopping(
  option: boolean | EarlyStoppingOptions | undefined,
  hasValidation: boolean
): ResolvedEarlyStopping | null {
  if (option === undefined || option === false) return null;
  if (option !== true && !isPlainObject(option)) {
    throw new FieldError('earlyStopping', `must be true or an object, got ${describe(option)}`);
  }
  const o: EarlyStoppingOptions = option === true ? {} : option;
  const monitor = o.monitor ?? (hasValidation ? 'val_loss' : 'loss');
  if (typeof monitor !== 'string' || monitor === '') {
    throw new FieldError(
      'earlyStopping.monitor',
      `must be a metric name, got ${describe(monitor)}`
    );
  }
  if (monitor.startsWith('val_') && !hasValidation) {
    throw new FieldError(
      'earlyStopping.monitor',
      `'${monitor}' needs validation data (data.validation)`
    );
  }
  const mode = o.mode ?? 'auto';
  if (!['min', 'max', 'auto'].includes(mode)) {
    throw new FieldError('earlyStopping.mode', `must be min, max or auto, got ${describe(mode)}`);
  }
  return {
    monitor,
    mode: mode === 'auto' ? defaultMode(monitor) : mode,
    patience: o.patience === undefined ? 3 : integer(o.patience, 'earlyStopping.patience', 0),
    minDelta: o.minDelta === undefined ? 0 : requireNumber(o.minDelta, 'earlyStopping.minDelta'),
    ...(o.minGainPerKJ === undefined
      ? {}
      : { minGainPerKJ: requireNumber(o.minGainPerKJ, 'earlyStopping.minGainPerKJ') }),
    gainWindow:
      o.gainWindow === undefined ? 2 : integer(o.gainWindow, 'earlyStopping.gainWindow', 1),
    startFromEpoch:
      o.startFromEpoch === undefined
        ? 0
        : integer(o.startFromEpoch, 'earlyStopping.startFromEpoch', 0),
    restoreBestWeights: o.restoreBestWeights ?? true
  };
}

export function resolveFreeze(
  option: LayerSelection | FreezeOptions | undefined,
  epochs: number
): ResolvedFreeze | null {
  if (option === undefined) return null;
  const o: FreezeOptions =
    isPlainObject(option) && !Array.isArray(option)
      ? (option as FreezeOptions)
      : { layers: option as LayerSelection };
  if (o.layers === undefined) {
    throw new FieldError('freeze.layers', "is required: a count, 'all-but-head' or layer names");
  }
  const fromEpoch = o.fromEpoch === undefined ? 1 : integer(o.fromEpoch, 'freeze.fromEpoch', 1);
  const untilEpoch =
    o.untilEpoch === undefined ? null : integer(o.untilEpoch, 'freeze.untilEpoch', 2);
  if (untilEpoch !== null && untilEpoch <= fromEpoch) {
    throw new FieldError('freeze.untilEpoch', `must come after fromEpoch (${fromEpoch})`);
  }
  if (fromEpoch > epochs) {
    throw new FieldError('freeze.fromEpoch', `is after the last epoch (${epochs})`);
  }
  if (o.cacheOutputs !== undefined && typeof o.cacheOutputs !== 'boolean') {
    throw new FieldError(
      'freeze.cacheOutputs',
      `must be true or false, got ${describe(o.cacheOutputs)}`
    );
  }
  return { layers: o.layers, fromEpoch, untilEpoch, cacheOutputs: o.cacheOutputs ?? true };
}

/** The predict option checked: false, true or { cacheDir, calibrate }. */
export function resolvePredict(
  option: boolean | PredictionOptions | undefined,
  ownMeter: boolean
): PredictionOptions | null {
  if (option === undefined) return ownMeter ? null : {};
  if (typeof option === 'boolean') return option ? {} : null;
  if (!isPlainObject(option)) {
    throw new FieldError('predict', `must be true, false or an object, got ${describe(option)}`);
  }
  const o = option as PredictionOptions;
  if (o.cacheDir !== undefined && typeof o.cacheDir !== 'string') {
    throw new FieldError('predict.cacheDir', `must be a folder path, got ${describe(o.cacheDir)}`);
  }
  if (o.calibrate !== undefined && !['auto', 'never'].includes(o.calibrate)) {
    throw new FieldError(
      'predict.calibrate',
      `must be auto or never, got ${describe(o.calibrate)}`
    );
  }
  return { cacheDir: o.cacheDir, calibrate: o.calibrate };
}

export function resolveForecastAfter(value: number | false | undefined, epochs: number) {
  if (value === false) return null;
  const after = value === undefined ? 1 : integer(value, 'forecastAfter', 1);
  // A forecast needs epochs left to forecast.
  return after < epochs ? after : null;
}
