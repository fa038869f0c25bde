/**
 * The training recorder claims no more than its readings show (issue #15): it does not start as
 * "measured", a run whose counter stopped mid-way is partly measured, and a run is judged by its
 * own record. The meter is a fake one (fixed joules per window); the recorder and model are real.
 */
import type { Sequential, Tensor } from '@tensorflow/tfjs';
import { trainingCallbacks } from '../../../../kernel/training/fit-callbacks';
import { loadTfjs, type Tfjs } from '../../../../kernel/training/tfjs-runtime';
import { progressText } from '../../../../kernel/training/training-view';
import { resolveCarbonSettings } from '../../../../core/carbon';
import { fakeMeter } from './fixtures/fake-meter';

let tf: Tfjs;
let x: Tensor;
let y: Tensor;

beforeAll(async () => {
  tf = await loadTfjs();
  x = tf.tensor2d([1, -1, 1, -1], [4, 1]);
  y = tf.tensor2d([1, -1, 1, -1], [4, 1]);
});

function oneWeight(): Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 1, useBias: false, inputShape: [1] }));
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  return model;
}

async function train(
  epochs: number,
  method: (index: number) => 'rapl' | 'estimate',
  updates: string[] = []
) {
  const model = oneWeight();
  const callbacks = trainingCallbacks(
    model,
    {
      epochs,
      meter: fakeMeter(() => 100, method),
      carbon: resolveCarbonSettings({ region: 'FR' }),
      log: false
    },
    () => ({ update: bundle => updates.push(String(bundle['text/plain'])) })
  );
  await model.fit(x, y, { epochs, batchSize: 4, verbose: 0, callbacks });
  return callbacks.result();
}

describe('training provenance', () => {
  test('does not call a run measured before anything was read', () => {
    const text = progressText({
      name: 'run',
      plannedEpochs: 3,
      epochs: [],
      current: null,
      forecast: null,
      stopped: null,
      method: null,
      coverage: null
    });
    expect(text).toContain('energy so far: 0 J (no reading yet)');
  });

  test('a run read by RAPL throughout is measured', async () => {
    const run = await train(2, () => 'rapl');
    expect(run.data.method).toBe('measured');
    expect(run.data.coverage).toBe(1);
  });

  test('a run whose counter stops after the first epoch is partly measured', async () => {
    const updates: string[] = [];
    // Windows end in order: epoch 1 (RAPL), epoch 2 and 3 (estimated), then the run's own.
    const run = await train(3, i => (i === 0 ? 'rapl' : 'estimate'), updates);
    expect(run.data.method).toBe('estimated'); // the run window itself was estimated
    expect(updates.some(u => /energy so far: .*\(partly measured \(33 % counter\)\)/.test(u))).toBe(
      true
    );
    // Before the first epoch ended, nothing claimed to be measured.
    expect(updates[0]).toContain('(no reading yet)');
  });

  test('a run judges itself by its own record, not by its epochs', async () => {
    // Epochs read by RAPL, the run's window (the last to end) estimated: not "measured".
    const run = await train(2, i => (i < 2 ? 'rapl' : 'estimate'));
    expect(run.data.method).toBe('estimated');
    expect(run.data.coverage).toBe(0);
  });
});
