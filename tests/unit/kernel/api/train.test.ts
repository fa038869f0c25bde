// gaissa.train.compare hands its comparison to the session's team servers, as gaissa.compare
// does: with MLflow set, each variant's energy, time, accuracy and loss land as metrics at the
// comparison's number and the table as artifacts; `log: false` keeps it out, as it keeps the runs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCarbonSettings } from '../../../../core/carbon';
import { gaissa } from '../../../../kernel/api';
import type { TrainableModel } from '../../../../kernel/api/train';
import { measureSession } from '../../../../kernel/measure/current';
import { EMISSIONS_JSONL } from '../../../../kernel/records/record-sink';
import { inTemporarySessionFolder } from '../../fixtures/measure-session';
import { startFakeMlflow, type FakeMlflowServer } from '../fixtures/mlflow-server';
import { fakeMeter } from '../training/fixtures/fake-meter';

const session = inTemporarySessionFolder('gaissa-train-compare-mlflow-');
let mlflow: FakeMlflowServer;
beforeEach(async () => (mlflow = await startFakeMlflow()));
afterEach(() => mlflow.close());

/** A seeded 4-8-2 classifier and 24 rows of two classes (tiny: the test is about delivery). */
async function workload() {
  const tf = (await gaissa.train.tfjs()) as typeof import('@tensorflow/tfjs');
  const rows = 24;
  const x = Array.from({ length: rows * 4 }, (_, i) => Math.sin(i * 1.7) + (Math.floor(i / 4) % 2));
  const y = Array.from({ length: rows }, (_, r) => [r % 2, 1 - (r % 2)]).flat();
  const pair = (from: number, to: number) => ({
    x: tf.tensor2d(x.slice(from * 4, to * 4), [to - from, 4]),
    y: tf.tensor2d(y.slice(from * 2, to * 2), [to - from, 2])
  });
  const model = (): TrainableModel => {
    const m = tf.sequential();
    m.add(
      tf.layers.dense({
        units: 8,
        activation: 'relu',
        inputShape: [4],
        kernelInitializer: tf.initializers.glorotUniform({ seed: 5 })
      })
    );
    m.add(
      tf.layers.dense({
        units: 2,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 6 })
      })
    );
    m.compile({
      optimizer: tf.train.adam(0.02),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy']
    });
    return m as unknown as TrainableModel;
  };
  return { model, data: { train: pair(0, 16), validation: pair(16, 20), test: pair(20, 24) } };
}

const options = { repeat: 1, warmup: 0, display: false };

test('a training comparison goes to MLflow: per-variant metrics and the table', async () => {
  process.env.MLFLOW_TRACKING_URI = mlflow.url;
  const { model, data } = await workload();
  const comparison = await gaissa.train.compare(
    {
      model,
      data,
      epochs: 2,
      meter: fakeMeter(),
      carbon: resolveCarbonSettings({ region: 'FR' }),
      display: false
    },
    [{ name: 'frozen head?', freeze: 1 }],
    options
  );
  const [status] = await measureSession().sink.flush(10_000);
  // Each training run's record, and the comparison.
  expect(status).toMatchObject({ delivered: 3, pending: 0, undelivered: [] });
  expect(existsSync(join(session.dir, EMISSIONS_JSONL))).toBe(true);
  const [base, frozen] = comparison.variants;
  const metric = (key: string) => mlflow.metrics.get(`gaissa.train_compare.${key}`);
  expect(metric('frozen_head.energy_J')).toEqual([
    expect.objectContaining({ value: frozen.energyJ, step: 1 })
  ]);
  expect(metric('baseline.duration_s')![0].value).toBe(base.durationS);
  expect(metric('baseline.accuracy')![0].value).toBe(base.accuracy);
  const loss = comparison.training.baseline.loss;
  expect(loss).toEqual(expect.any(Number));
  expect(metric('baseline.loss')![0].value).toBe(loss);
  expect(mlflow.tags.get('gaissa.train_compare.1.baseline')).toBe('baseline');
  expect(JSON.parse(mlflow.artifacts.get('gaissa/TRAINING-COMPARISON.json')!)).toEqual(
    JSON.parse(JSON.stringify(comparison.payload))
  );
  expect(mlflow.artifacts.get('gaissa/TRAINING-COMPARISON.csv')).toContain(
    'frozen head?,frozen_head,freeze(1),'
  );
});

test('log: false keeps a training comparison from the team servers, as its runs', async () => {
  process.env.MLFLOW_TRACKING_URI = mlflow.url;
  const { model, data } = await workload();
  await gaissa.train.compare(
    {
      model,
      data,
      epochs: 1,
      meter: fakeMeter(),
      carbon: resolveCarbonSettings({ region: 'FR' }),
      log: false,
      display: false
    },
    [{ name: 'frozen', freeze: 1 }],
    options
  );
  expect(measureSession().sink.status()).toEqual([]);
  expect(mlflow.metrics.size).toBe(0);
  expect(existsSync(join(session.dir, EMISSIONS_JSONL))).toBe(false);
});
