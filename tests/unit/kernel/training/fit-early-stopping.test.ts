/**
 * Early stopping in gaissa.train.fit on a training whose every number is known in advance:
 * one weight w, inputs x = +-1, targets y = x, validation targets 0.5 x, plain SGD (lr 0.1) on the
 * full batch, no shuffle. Each epoch is one step w <- w + 0.2 (1 - w), so w_k = 1 - 0.8^k and
 * val_loss_k = (w_k - 0.5)^2: 0.09, 0.0196, 0.000144, 0.00817, 0.0295... best at epoch 3.
 */
import type { Sequential } from '@tensorflow/tfjs';
import { fitWithEnergy, type TrainingData } from '../../../../kernel/training/fit';
import { loadTfjs, type Tfjs } from '../../../../kernel/training/tfjs-runtime';
import { testEnvironment } from './fixtures/fake-meter';

let tf: Tfjs;
let data: TrainingData;

beforeAll(async () => {
  tf = await loadTfjs();
  const x = [1, -1, 1, -1];
  data = {
    train: { x: tf.tensor2d(x, [4, 1]), y: tf.tensor2d(x, [4, 1]) },
    validation: {
      x: tf.tensor2d(x, [4, 1]),
      y: tf.tensor2d(
        x.map(v => v / 2),
        [4, 1]
      )
    }
  };
});

function oneWeight(): Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({ units: 1, useBias: false, inputShape: [1], kernelInitializer: 'zeros' })
  );
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  return model;
}

const weight = (model: Sequential) => model.getWeights()[0].dataSync()[0];
const expectedWeight = (epoch: number) => 1 - 0.8 ** epoch;

const run = (model: Sequential, earlyStopping: object | undefined, epochs = 10) =>
  fitWithEnergy(model, data, {
    epochs,
    batchSize: 4,
    shuffle: false,
    earlyStopping,
    ...testEnvironment()
  });

describe('gaissa.train.fit early stopping', () => {
  test('without early stopping the weights follow w_k = 1 - 0.8^k', async () => {
    const model = oneWeight();
    const result = await run(model, undefined, 5);
    expect(result.epochs).toHaveLength(5);
    expect(weight(model)).toBeCloseTo(expectedWeight(5), 5);
    expect(result.epochs[2].metrics.val_loss).toBeCloseTo((expectedWeight(3) - 0.5) ** 2, 6);
  });

  test('patience 2 stops after epoch 5 and restores the weights of epoch 3', async () => {
    const model = oneWeight();
    const result = await run(model, { patience: 2 });
    expect(result.epochs).toHaveLength(5);
    expect(result.data.stopped).toMatchObject({ epoch: 5, reason: 'patience' });
    expect(result.data.bestEpoch).toBe(3);
    expect(result.data.restoredBestWeights).toBe(true);
    expect(weight(model)).toBeCloseTo(expectedWeight(3), 5);
    expect(result.data.finalMetrics.val_loss).toBeCloseTo(result.epochs[2].metrics.val_loss, 8);
  });

  test('patience 0 stops at the first epoch without improvement (epoch 4)', async () => {
    const model = oneWeight();
    const result = await run(model, { patience: 0 });
    expect(result.data.stopped?.epoch).toBe(4);
    expect(weight(model)).toBeCloseTo(expectedWeight(3), 5);
  });

  test('restoreBestWeights: false keeps the last weights', async () => {
    const model = oneWeight();
    const result = await run(model, { patience: 2, restoreBestWeights: false });
    expect(result.data.restoredBestWeights).toBe(false);
    expect(weight(model)).toBeCloseTo(expectedWeight(5), 5);
  });

  test('minDelta larger than the epoch-3 gain makes epoch 2 the best', async () => {
    // Epoch 3 improves val_loss by 0.0195 only: below a 0.02 min-delta.
    const model = oneWeight();
    const result = await run(model, { patience: 1, minDelta: 0.02 });
    expect(result.data.bestEpoch).toBe(2);
    expect(result.data.stopped?.epoch).toBe(3);
    expect(weight(model)).toBeCloseTo(expectedWeight(2), 5);
  });

  test('the energy-aware rule stops when the gain per kJ falls below the threshold', async () => {
    // 1 kJ per epoch: the gain of epoch 3 over epoch 2 is 0.0195 per kJ, below 0.05.
    const model = oneWeight();
    const result = await run(model, { patience: 10, minGainPerKJ: 0.05, gainWindow: 1 });
    expect(result.data.stopped).toMatchObject({ epoch: 3, reason: 'energy' });
    expect(result.data.stopped?.detail).toMatch(/per kJ/);
    expect(weight(model)).toBeCloseTo(expectedWeight(3), 5);
  });

  test('earlyStopping: {} uses the defaults: val_loss, patience 3', async () => {
    const model = oneWeight();
    const result = await run(model, {});
    expect(result.data.earlyStopping).toMatchObject({
      monitor: 'val_loss',
      mode: 'min',
      patience: 3
    });
    expect(result.data.stopped?.epoch).toBe(6);
  });

  test('a monitored metric the logs lack is a clear error', async () => {
    const model = oneWeight();
    await expect(run(model, { monitor: 'val_acc' })).rejects.toThrow(/val_acc.*not among/);
  });

  test('energy per epoch, forecast and forecast vs actual come with the run', async () => {
    const model = oneWeight();
    const result = await fitWithEnergy(model, data, {
      epochs: 4,
      batchSize: 4,
      shuffle: false,
      ...testEnvironment(i => 100 * (i + 1))
    });
    expect(result.epochs.map(e => e.energyJ)).toEqual([100, 200, 300, 400]);
    expect(result.data.forecast).toMatchObject({ basedOnEpochs: 1, energyJ: 400 });
    expect(result.data.forecastCheck?.actual.energyJ).toBe(1000);
    expect(result.data.forecastCheck?.energyErrorPercent).toBeCloseTo(-60, 6);
    expect(result.record.energyJ).toBe(500); // the fifth window: the whole run
  });
});
