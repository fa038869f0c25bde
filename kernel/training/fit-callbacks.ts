/**
 * `gaissa.train.callbacks(model, options)`: the same per-epoch energy, early stopping with best
 * weights restored, forecast and live display, for a plain `model.fit(x, y, { callbacks })`.
 *
 * Freezing is not offered here: tfjs builds its training function once per `fit` call, so a layer
 * frozen mid-call would still train. Freeze before calling fit (`gaissa.train.freeze`) or use
 * `gaissa.train.fit`, which can freeze from a given epoch.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { FieldError } from '../../core/field-error';
import { loadTfjs } from './tfjs-runtime';
import { trainingEnvironment, type TrainingEnvironment } from './training-meter';
import {
  checkEpochs,
  resolveEarlyStopping,
  resolveForecastAfter,
  type TrainingOptions
} from './training-options';
import type { TrainableModel } from './tfjs-shapes';
import { TrainingRecorder } from './training-recorder';
import { TrainingRun } from './training-run';
import type { LiveDisplay } from './training-view';

export type CallbackOptions = Omit<
  TrainingOptions,
  'epochs' | 'freeze' | 'shuffle' | 'seed' | 'batchSize'
> & {
  /** The epochs passed to model.fit, for the forecast and the progress (optional). */
  epochs?: number;
};

/** tfjs's CustomCallbackArgs, plus the run once training has ended. */
export interface TrainingCallbacks {
  onTrainBegin(logs?: unknown): Promise<void>;
  onEpochBegin(epoch: number, logs?: unknown): Promise<void>;
  onBatchEnd(batch: number, logs?: unknown): Promise<void>;
  onEpochEnd(epoch: number, logs?: unknown): Promise<void>;
  onTrainEnd(logs?: unknown): Promise<void>;
  /** Resolves with the measured run when model.fit has finished (rejects if it failed). */
  result(): Promise<TrainingRun>;
}

/** Takes the API's structural model type, so that this file's declarations name no tfjs type. */
export function trainingCallbacks(
  trained: TrainableModel,
  options: CallbackOptions = {},
  openLive: () => LiveDisplay | null = () => null
): TrainingCallbacks {
  if (!trained || typeof trained.fit !== 'function') {
    throw new FieldError('model', 'must be the tfjs LayersModel that model.fit will train');
  }
  const model = trained as LayersModel;
  const planned = options.epochs === undefined ? null : checkEpochs(options.epochs);
  // Validation data is only known once fit logs val_ metrics: check the monitor then.
  const earlyStopping = resolveEarlyStopping(options.earlyStopping, true);
  const forecastAfter =
    planned === null ? null : resolveForecastAfter(options.forecastAfter, planned);
  let recorder: TrainingRecorder | null = null;
  let env: TrainingEnvironment | null = null;
  let settle: { resolve: (run: TrainingRun) => void; reject: (e: Error) => void };
  const finished = new Promise<TrainingRun>((resolve, reject) => (settle = { resolve, reject }));
  finished.catch(() => undefined);
  let failed = false;

  const guard =
    <A extends unknown[]>(step: (...args: A) => Promise<void>) =>
    async (...args: A) => {
      if (failed) return;
      try {
        await step(...args);
      } catch (e) {
        failed = true;
        model.stopTraining = true;
        await recorder?.abort();
        settle.reject(e as Error);
        throw e;
      }
    };

  return {
    onTrainBegin: guard(async () => {
      await loadTfjs();
      env = await trainingEnvironment(options);
      recorder = new TrainingRecorder(model, env, {
        name: options.name ?? 'training',
        plannedEpochs: planned,
        earlyStopping: earlyStopping ? { ...earlyStopping } : null,
        monitorDefaulted:
          typeof options.earlyStopping !== 'object' || options.earlyStopping.monitor === undefined,
        freeze: null,
        forecastAfter,
        live: options.display === false ? null : openLive()
      });
      recorder.start();
    }),
    onEpochBegin: guard(async epoch => recorder?.beginEpoch(epoch + 1)),
    onBatchEnd: guard(async batch => recorder?.batchEnd(batch, null)),
    onEpochEnd: guard(async (_epoch, logs) => {
      if (!recorder) return;
      const stop = await recorder.endEpoch({ ...(logs as Record<string, number>) });
      if (stop) model.stopTraining = true;
      await options.onEpochEnd?.(recorder.lastEpoch!, model);
    }),
    onTrainEnd: guard(async () => {
      if (!recorder || !env) return;
      const result = await recorder.finish();
      const logged = env.log(result.record);
      const run = new TrainingRun({ ...result, test: null, logged });
      recorder.collapseLive();
      settle.resolve(run);
    }),
    result: () => finished
  };
}
