/** gaissa.train.callbacks with a plain model.fit: same stop, same restored weights, same records. */
import type { Sequential, Tensor } from '@tensorflow/tfjs';
import { trainingCallbacks } from '../../../../kernel/training/fit-callbacks';
import { loadTfjs, type Tfjs } from '../../../../kernel/training/tfjs-runtime';
import { testEnvironment } from './fixtures/fake-meter';

let tf: Tfjs;
let x: Tensor;
let y: Tensor;
let validation: [Tensor, Tensor];

beforeAll(async () => {
  tf = await loadTfjs();
  const values = [1, -1, 1, -1];
  x = tf.tensor2d(values, [4, 1]);
  y = tf.tensor2d(values, [4, 1]);
  validation = [
    x,
    tf.tensor2d(
      values.map(v => v / 2),
      [4, 1]
    )
  ];
});

function oneWeight(): Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({ units: 1, useBias: false, inputShape: [1], kernelInitializer: 'zeros' })
  );
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  return model;
}

describe('gaissa.train.callbacks', () => {
  test('early stopping ends model.fit at epoch 5 and restores epoch 3 (w = 1 - 0.8^3)', async () => {
    const model = oneWeight();
    const callbacks = trainingCallbacks(model, {
      epochs: 10,
      earlyStopping: { patience: 2 },
      ...testEnvironment()
    });
    const history = await model.fit(x, y, {
      epochs: 10,
      batchSize: 4,
      shuffle: false,
      verbose: 0,
      validationData: validation,
      callbacks
    });
    expect(history.epoch).toHaveLength(5);
    const run = await callbacks.result();
    expect(run.data.stopped).toMatchObject({ epoch: 5, reason: 'patience' });
    expect(run.data.bestEpoch).toBe(3);
    expect(model.getWeights()[0].dataSync()[0]).toBeCloseTo(1 - 0.8 ** 3, 5);
    expect(run.epochs.map(e => e.energyJ)).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(run.data.forecast?.energyJ).toBe(10000);
  });

  test('without validation data the default monitor falls back to loss', async () => {
    const model = oneWeight();
    const callbacks = trainingCallbacks(model, { earlyStopping: true, ...testEnvironment() });
    await model.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0, callbacks });
    const run = await callbacks.result();
    expect(run.data.earlyStopping?.monitor).toBe('loss');
    expect(run.epochs).toHaveLength(3);
    expect(run.data.plannedEpochs).toBeNull();
  });

  test('an error in a callback fails fit and the result', async () => {
    const model = oneWeight();
    const callbacks = trainingCallbacks(model, {
      earlyStopping: { monitor: 'val_acc' },
      ...testEnvironment()
    });
    await expect(
      model.fit(x, y, {
        epochs: 2,
        batchSize: 4,
        verbose: 0,
        validationData: validation,
        callbacks
      })
    ).rejects.toThrow(/val_acc/);
    await expect(callbacks.result()).rejects.toThrow(/val_acc/);
  });
});
