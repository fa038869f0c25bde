/**
 * `gaissa.train.fit(model, data, options)`: trains a tfjs model epoch by epoch with the energy of
 * each epoch measured, early stopping that restores the best weights, layer freezing at a chosen
 * epoch (recompiled correctly), a forecast of the whole run after the first epoch(s) and a live
 * progress display.
 *
 * Each epoch is one `model.fit` call of one epoch: that is what lets a freeze take effect between
 * epochs (tfjs builds its training function once per `fit` call). The training set is reordered
 * every epoch with a seeded permutation, so a run repeats exactly; tfjs's own shuffle would use
 * Math.random.
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { FieldError } from '../../core/field-error';
import { seededPermutation, seededRandom } from '../../core/seeded-random';
import { buildPrefixCache, cachablePrefix, type FrozenPrefixCache } from './frozen-prefix-cache';
import { freezeLayers, recompile, selectLayers, unfreezeLayers } from './layer-freezing';
import type { TrainingPrediction } from '../predict/training-prediction';
import { loadTfjs, type Tfjs } from './tfjs-runtime';
import { trainingEnvironment, type TrainingEnvironment } from './training-meter';
import {
  checkEpochs,
  resolveEarlyStopping,
  resolveForecastAfter,
  resolveFreeze,
  resolvePredict,
  type PredictionOptions,
  type TrainingOptions
} from './training-options';
import { TrainingRecorder, type LiveDisplay } from './training-recorder';
import type { LabelledData as TensorPair, TrainingData as TensorData } from './training-data';
import { TrainingRun } from './training-run';

/** The data types of training-data.ts with tfjs's own tensors, as the implementation uses them. */
export type LabelledData = TensorPair<Tensor>;
export type TrainingData = TensorData<Tensor>;

/** How the API layer reaches the notebook: a live display, or none outside a kernel. */
export interface DisplayHooks {
  openLive?: () => LiveDisplay | null;
  /** A display to reuse (a comparison shows all its runs in one place). */
  live?: LiveDisplay | null;
  header?: string;
}

function checkPair(pair: unknown, field: string): LabelledData {
  const p = pair as Partial<LabelledData> | undefined;
  const isTensor = (t: unknown) =>
    typeof t === 'object' && t !== null && Array.isArray((t as Tensor).shape);
  if (!p || !isTensor(p.x) || !isTensor(p.y)) {
    throw new FieldError(field, 'must be { x, y } with tfjs tensors');
  }
  if (p.x!.shape[0] !== p.y!.shape[0]) {
    throw new FieldError(field, `x has ${p.x!.shape[0]} rows but y has ${p.y!.shape[0]}`);
  }
  return p as LabelledData;
}

export function checkData(data: TrainingData): void {
  if (typeof data !== 'object' || data === null) {
    throw new FieldError('data', 'must be { train: { x, y }, validation?, test? }');
  }
  checkPair(data.train, 'data.train');
  if (data.validation !== undefined) checkPair(data.validation, 'data.validation');
  if (data.test !== undefined) checkPair(data.test, 'data.test');
}

/** Test accuracy (classes: arg-max, or a 0.5 threshold for one output) and loss. */
export async function evaluateOn(
  tf: Tfjs,
  model: LayersModel,
  data: LabelledData,
  batchSize: number
): Promise<{ accuracy: number | null; loss: number | null }> {
  const lossTensor = tf.tidy(() => {
    const out = model.evaluate(data.x, data.y, { batchSize });
    return Array.isArray(out) ? out[0] : out;
  });
  const loss = (await lossTensor.data())[0];
  lossTensor.dispose();
  const columns = data.y.shape[data.y.shape.length - 1] ?? 1;
  let accuracy: number | null = null;
  if (data.y.rank === 2) {
    const rate = tf.tidy(() => {
      const predicted = model.predict(data.x, { batchSize }) as Tensor;
      const hits =
        columns > 1
          ? tf.equal(tf.argMax(predicted, -1), tf.argMax(data.y, -1))
          : tf.equal(tf.greater(predicted, 0.5), tf.greater(data.y, 0.5));
      return tf.mean(tf.cast(hits, 'float32'));
    });
    accuracy = (await rate.data())[0];
    rate.dispose();
  }
  return { accuracy, loss: Number.isFinite(loss) ? loss : null };
}

/**
 * The prediction of the whole run before its first epoch (PRE), or why there is none. Never
 * stops the training: a predictor failure becomes the reason. The calibration, when measured
 * now, runs before the run's energy window opens.
 */
async function predictBeforeTraining(
  tf: Tfjs,
  model: LayersModel,
  data: TrainingData,
  run: { epochs: number; batchSize: number },
  predict: PredictionOptions,
  options: TrainingOptions,
  env: TrainingEnvironment,
  live: LiveDisplay | null
): Promise<TrainingPrediction | string> {
  if (options.freeze !== undefined)
    return 'no prediction: a freeze changes the work between epochs (the forecast after the first epoch still applies)';
  /* eslint-disable @typescript-eslint/no-require-imports -- the predictor loads only when asked for */
  const { predictTraining } =
    require('../predict/training-calibration') as typeof import('../predict/training-calibration');
  /* eslint-enable @typescript-eslint/no-require-imports */
  try {
    return await predictTraining(
      tf,
      model,
      {
        epochs: run.epochs,
        samples: data.train.x.shape[0],
        batchSize: run.batchSize,
        validationSamples: data.validation?.x.shape[0] ?? 0
      },
      env.meter,
      {
        ...predict,
        onProgress: message =>
          live?.update({ 'text/plain': `${message} (once per machine, under 30 s)` })
      }
    );
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    return message.startsWith('no prediction') ? message : `no prediction: ${message}`;
  }
}

export async function fitWithEnergy(
  model: LayersModel,
  data: TrainingData,
  options: TrainingOptions,
  hooks: DisplayHooks = {}
): Promise<TrainingRun> {
  if (!model || typeof (model as LayersModel).fit !== 'function') {
    throw new FieldError(
      'model',
      'must be a compiled tfjs LayersModel (tf.sequential() or tf.model())'
    );
  }
  checkData(data);
  const epochs = checkEpochs(options.epochs);
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new FieldError('batchSize', `must be a positive integer, got ${batchSize}`);
  }
  const earlyStopping = resolveEarlyStopping(options.earlyStopping, data.validation !== undefined);
  const freeze = resolveFreeze(options.freeze, epochs);
  // Checked before anything trains; kept to see whether the frozen layers can be cached.
  const frozenSelection = freeze ? selectLayers(model, freeze.layers) : [];
  const forecastAfter = resolveForecastAfter(options.forecastAfter, epochs);
  const predict = resolvePredict(options.predict, options.meter !== undefined);
  const tf = await loadTfjs();
  const env = await trainingEnvironment(options);
  const name = options.name ?? 'training';
  const live =
    hooks.live !== undefined
      ? hooks.live
      : options.display === false
        ? null
        : (hooks.openLive?.() ?? null);
  const recorder = new TrainingRecorder(model, env, {
    name,
    plannedEpochs: epochs,
    earlyStopping,
    freeze,
    forecastAfter,
    live,
    header: hooks.header
  });
  const random = seededRandom(options.seed ?? 42);
  const rows = data.train.x.shape[0];
  const batches = Math.ceil(rows / batchSize);

  if (predict) {
    const prediction = await predictBeforeTraining(
      tf,
      model,
      data,
      { epochs, batchSize },
      predict,
      options,
      env,
      live
    );
    recorder.predicted(prediction);
  }
  recorder.start();
  let cache: FrozenPrefixCache | null = null;
  /** Hands the head's optimizer state back to the model and drops the cached outputs. */
  const dropCache = async () => {
    if (!cache) return;
    const done = cache;
    cache = null;
    try {
      await recompile(model, { stateFrom: done.head.optimizer });
    } finally {
      done.dispose();
    }
  };
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      // Freezing work (recompiling, caching outputs) happens inside the epoch's energy window.
      recorder.beginEpoch(epoch);
      if (freeze && epoch === freeze.fromEpoch) {
        const status = await freezeLayers(model, freeze.layers);
        recorder.event(`froze ${status.frozen.join(', ')}`);
        recorder.note(
          `from epoch ${epoch}: ${status.frozen.join(', ')} frozen, ` +
            `${status.trainableParams} of ${status.trainableParams + status.frozenParams} parameters trained`
        );
        if (forecastAfter !== null && forecastAfter < epoch) {
          recorder.note(
            'the forecast was made before the freeze: it assumed unfrozen epochs throughout'
          );
        }
        if (freeze.cacheOutputs) {
          const prefix = cachablePrefix(model, frozenSelection);
          if ('length' in prefix) {
            cache = await buildPrefixCache(
              tf,
              model,
              prefix.length,
              data.train.x,
              data.validation?.x ?? null
            );
            recorder.note(
              `outputs of the frozen ${cache.prefix.join(', ')} computed once and reused while frozen`
            );
          } else {
            recorder.note(`frozen layers run forward every batch: ${prefix.reason}`);
          }
        }
      }
      if (freeze && epoch === freeze.untilEpoch) {
        await dropCache();
        await unfreezeLayers(model, freeze.layers);
        recorder.event('unfroze');
      }
      const trainer: LayersModel = cache ? cache.head : model;
      const inputs = cache ? cache.train : data.train.x;
      const validationInputs = cache ? cache.validation : (data.validation?.x ?? null);
      let x = inputs;
      let y = data.train.y;
      if (options.shuffle !== false) {
        const order = tf.tensor1d(seededPermutation(rows, random), 'int32');
        x = tf.gather(inputs, order);
        y = tf.gather(data.train.y, order);
        order.dispose();
      }
      let logs: Record<string, number> = {};
      try {
        await trainer.fit(x, y, {
          epochs: 1,
          batchSize,
          shuffle: false,
          verbose: 0,
          validationData:
            validationInputs && data.validation ? [validationInputs, data.validation.y] : undefined,
          callbacks: {
            onBatchEnd: async batch => recorder.batchEnd(batch, batches),
            onEpochEnd: async (_epoch, epochLogs) => {
              logs = { ...(epochLogs as Record<string, number>) };
            }
          }
        });
      } finally {
        if (x !== inputs) tf.dispose([x, y]);
      }
      const stop = await recorder.endEpoch(logs);
      await options.onEpochEnd?.(recorder.lastEpoch!, model);
      if (stop) break;
    }
    await dropCache();
  } catch (e) {
    (cache as FrozenPrefixCache | null)?.dispose();
    await recorder.abort();
    throw e;
  }
  const result = await recorder.finish();
  const test = data.test ? await evaluateOn(tf, model, data.test, Math.max(batchSize, 256)) : null;
  const logged = env.log(result.record);
  const run = new TrainingRun({ ...result, test, logged });
  recorder.collapseLive();
  return run;
}
