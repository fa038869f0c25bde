/**
 * gaissa.train.compare: baseline and variants from the same initial weights and seed, deltas
 * against the baseline, a payload the ROI and label features accept.
 */
import Ajv from 'ajv';
import type { Sequential } from '@tensorflow/tfjs';
import schema from '../../../../schema/tactics.schema.json';
import { roiFrom } from '../../../../kernel/api/roi';
import { checkComparison } from '../../../../kernel/api/tactics-comparison';
import { parseLabelRequest } from '../../../../core/label/record';
import { energiesDistinguishable } from '../../../../core/tactics';
import { compareTraining } from '../../../../kernel/training/compare-training';
import type { TrainingData } from '../../../../kernel/training/fit';
import { loadTfjs, type Tfjs } from '../../../../kernel/training/tfjs-runtime';
import { fakeReading, testEnvironment } from './fixtures/fake-meter';
import { TACTICS_MIME } from '../../../../core/mime-types';

const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

function expectSchemaValid(payload: unknown): void {
  if (!validate(payload)) throw new Error(JSON.stringify(validate.errors, null, 2));
}

let tf: Tfjs;
let data: TrainingData;

beforeAll(async () => {
  tf = await loadTfjs();
  const rows = 48;
  const x = Array.from({ length: rows * 4 }, (_, i) => Math.sin(i * 1.7) + (Math.floor(i / 4) % 2));
  const y = Array.from({ length: rows }, (_, r) => [r % 2, 1 - (r % 2)]).flat();
  const pair = (from: number, to: number) => ({
    x: tf.tensor2d(x.slice(from * 4, to * 4), [to - from, 4]),
    y: tf.tensor2d(y.slice(from * 2, to * 2), [to - from, 2])
  });
  data = { train: pair(0, 32), validation: pair(32, 40), test: pair(40, 48) };
});

function createModel(): Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      name: 'hidden',
      units: 8,
      activation: 'relu',
      inputShape: [4],
      kernelInitializer: tf.initializers.glorotUniform({ seed: 5 })
    })
  );
  model.add(
    tf.layers.dense({
      name: 'head',
      units: 2,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 6 })
    })
  );
  model.compile({
    optimizer: tf.train.adam(0.02),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy']
  });
  return model;
}

// 100 J per epoch window; the run windows (ending last) report 100 J x epochs as well.
function perEpochMeter() {
  let epochs = 0;
  const env = testEnvironment();
  return {
    ...env,
    meter: {
      begin() {
        const startEpochs = epochs;
        return {
          end: async () => {
            const { fakeReading } = await import('./fixtures/fake-meter');
            const ran = epochs - startEpochs;
            if (ran === 0) epochs += 1; // an epoch window (no epoch ended inside it)
            return fakeReading(ran === 0 ? 100 : 100 * ran);
          }
        };
      }
    }
  };
}

describe('gaissa.train.compare', () => {
  test('runs each variant from the same start and reports deltas against the baseline', async () => {
    const comparison = await compareTraining(
      { model: createModel, data, epochs: 6, batchSize: 8, ...perEpochMeter() },
      [
        { name: 'early-stopping', earlyStopping: { monitor: 'val_loss', patience: 1 } },
        { name: 'freeze', freeze: { layers: 1, fromEpoch: 3 } }
      ]
    );
    const p = comparison.payload;
    expectSchemaValid(p);
    expect(p.phase).toBe('training');
    expect(p.functionalUnit).toBe('training run');
    expect(p.variants.map(v => v.name)).toEqual(['baseline', 'early-stopping', 'freeze']);
    const [base, es, frozen] = p.variants;
    expect(base.baseline && !es.baseline).toBe(true);
    expect(comparison.training.baseline.epochs).toBe(6);
    expect(base.energyJ).toBe(600);
    expect(base.energyPerInferenceJ).toBe(600);
    expect(es.tactics).toEqual(['early-stopping(val_loss, patience 1)']);
    expect(frozen.tactics).toEqual(['freeze(1 from epoch 3)']);
    expect(comparison.training.freeze.frozenLayers).toEqual(['hidden']);
    expect(frozen.deltas?.energyPct).toBeCloseTo(0, 10);
    expect(frozen.notes.join(' ')).toMatch(/did not pay off/);
    const esEpochs = comparison.training['early-stopping'].epochs;
    expect(es.deltas?.energyPct).toBeCloseTo(((esEpochs - 6) / 6) * 100, 8);
    // Same seed and start: the first epochs of every run are identical.
    const firstLoss = Object.values(comparison.runs).map(r => r.epochs[0].metrics.loss);
    expect(new Set(firstLoss).size).toBe(1);
    expect(base.quality).toBe(comparison.runs.baseline.testAccuracy);
    expect(comparison.toMimeBundle()[TACTICS_MIME]).toBe(p);
    expect(comparison.toMimeBundle()['text/plain']).toMatch(/Recommended: /);
  });

  test('a shared model starts every run from its initial weights', async () => {
    const model = createModel();
    const comparison = await compareTraining(
      { model, data, epochs: 2, batchSize: 8, ...testEnvironment() },
      [{ name: 'again' }, { name: 'frozen', freeze: { layers: 'all-but-head', fromEpoch: 2 } }]
    );
    const losses = Object.values(comparison.runs).map(r => r.epochs.map(e => e.metrics.loss));
    expect(losses[1]).toEqual(losses[0]);
    expect(losses[2][0]).toBe(losses[0][0]);
    expect(comparison.models.frozen).toBe(model);
  });

  test('fits the tactics comparison contract: roi.from and a training label request', async () => {
    const comparison = await compareTraining(
      { model: createModel, data, epochs: 4, batchSize: 8, ...perEpochMeter() },
      [{ name: 'short', epochs: 2 }],
      { maxAccuracyDrop: 0.99, repeat: 2 }
    );
    expectSchemaValid(comparison.payload);
    expect(() => checkComparison(comparison)).not.toThrow();
    expect(comparison.recommended).toBe('short');
    const roi = roiFrom(comparison, {
      inferences: 100,
      pricePerKWh: 0.2,
      implementationCost: 0,
      carbonIntensity: 50
    });
    expect(roi.scenario.baselineEnergyJ).toBe(400);
    expect(roi.scenario.optimizedEnergyJ).toBe(200);
    const request = parseLabelRequest(comparison.labelRequest());
    expect(request.phase).toBe('training');
    expect(request.metrics.trainingEnergyKWh).toBeCloseTo(200 / 3.6e6, 15);
    expect(request.reference?.trainingEnergyKWh).toBeCloseTo(400 / 3.6e6, 15);
  });

  test('bad input is refused before anything trains', async () => {
    const one = [{ name: 'a' }];
    for (const repeat of [0, 1.5, 101, '2']) {
      await expect(
        compareTraining({ model: createModel, data, epochs: 2, ...testEnvironment() }, one, {
          repeat: repeat as number
        })
      ).rejects.toThrow(/repeat/);
    }
    await expect(
      compareTraining({ model: createModel, data, epochs: 2, ...testEnvironment() }, one, {
        warmup: -1
      })
    ).rejects.toThrow(/warmup/);
    const base = { model: createModel, data, epochs: 2, ...testEnvironment() };
    await expect(compareTraining(base, [])).rejects.toThrow(/non-empty array/);
    await expect(compareTraining(base, [{ name: 'a' }, { name: 'a' }])).rejects.toThrow(/twice/);
    await expect(compareTraining(base, [{ name: 'baseline' }])).rejects.toThrow(/baseline's name/);
    await expect(compareTraining(base, [{ name: 'x', data } as never])).rejects.toThrow(
      /variants\[0\]\.data/
    );
  });
});

/**
 * A meter whose whole-run windows report scripted energies in the order the runs end (epoch
 * windows report 1 J): what a noisy machine would show, under the test's control.
 */
function scriptedRuns(runEnergies: number[]) {
  const env = testEnvironment();
  const ended: number[] = [];
  let open = 0;
  return {
    ended,
    options: {
      ...env,
      meter: {
        begin() {
          // A run window opens before its epochs' windows and ends after them.
          const isRun = open === 0;
          open++;
          return {
            end: async () => {
              open--;
              if (!isRun) return fakeReading(1);
              const energy = runEnergies[ended.length];
              if (energy === undefined) throw new Error('more runs than scripted');
              ended.push(energy);
              return fakeReading(energy);
            }
          };
        }
      }
    }
  };
}

describe('gaissa.train.compare: repeats, order, warm-up and noise', () => {
  const budget = { maxAccuracyDrop: 0.99 };
  const stats = (xs: number[]) => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
    return { mean, sd, n: xs.length };
  };

  test('a warm-up first, then the runs in alternating order; means and spreads per variant', async () => {
    // warm-up, then round 1: baseline, lean; round 2: lean, baseline; round 3: baseline, lean.
    const meter = scriptedRuns([5000, 100, 50, 51, 102, 98, 49]);
    const comparison = await compareTraining(
      { model: createModel, data, epochs: 2, batchSize: 8, ...meter.options },
      [{ name: 'lean', epochs: 1 }],
      { ...budget, repeat: 3 }
    );
    const p = comparison.payload;
    expectSchemaValid(p);
    expect(meter.ended).toHaveLength(7);
    expect(comparison.allRuns.baseline.map(r => r.energyJ)).toEqual([100, 102, 98]);
    expect(comparison.allRuns.lean.map(r => r.energyJ)).toEqual([50, 51, 49]);
    expect(comparison.allRuns.baseline[0].data.epochs).toHaveLength(2);
    // The warm-up's start-up cost is nobody's figure.
    expect(p.variants.map(v => v.energyJ)).toEqual([100, 50]);
    expect(p.variants[0].energyPerInferenceSdJ).toBeCloseTo(2, 12);
    expect(p.variants[1].energyPerInferenceSdJ).toBeCloseTo(1, 12);
    expect(p.setup).toMatchObject({ repeat: 3, warmup: 1 });
    expect(p.recommended).toBe('lean');
    expect(p.recommendation).toMatch(/beyond the run-to-run noise \(3 runs each\): -50 % energy/);
    expect(comparison.toMimeBundle()['text/plain']).toMatch(/100 J ± 2(\.0+)? J/);
  });

  test("a saving within the noise is not recommended, by the ONNX comparison's rule", async () => {
    const base = [100, 60, 140];
    const lean = [90, 130, 50];
    // Run order: warm-up, baseline, lean, lean, baseline, baseline, lean.
    const meter = scriptedRuns([1, base[0], lean[0], lean[1], base[1], base[2], lean[2]]);
    const comparison = await compareTraining(
      { model: createModel, data, epochs: 2, batchSize: 8, ...meter.options },
      [{ name: 'lean', epochs: 1 }],
      { ...budget, repeat: 3 }
    );
    expect(energiesDistinguishable(stats(lean), stats(base))).toBe(false);
    const p = comparison.payload;
    expect(p.variants[1].deltas?.energyPct).toBeCloseTo(-10, 10);
    expect(p.recommended).toBe('baseline');
    expect(p.recommendation).toMatch(/No variant saves energy beyond the run-to-run noise/);
    expect(p.variants[1].notes).toContain('energy within the measurement noise of the baseline');
    expect(p.variants[1].recommended).toBe(false);
  });

  test('single runs have no noise to test against: no recommendation, and it says why', async () => {
    const meter = scriptedRuns([1, 100, 10]);
    const comparison = await compareTraining(
      { model: createModel, data, epochs: 2, batchSize: 8, ...meter.options },
      [{ name: 'lean', epochs: 1 }],
      budget
    );
    const p = comparison.payload;
    expect(p.setup.repeat).toBe(1);
    expect(p.variants[1].energyPerInferenceSdJ).toBeNull();
    expect(p.recommended).toBe('baseline');
    expect(p.recommendation).toMatch(
      /single runs: lean: -90 % energy, but the run-to-run noise is unknown.*repeat: 2 or more/
    );
  });

  test('warmup: 0 measures the first training as it comes', async () => {
    const meter = scriptedRuns([100, 50]);
    const comparison = await compareTraining(
      { model: createModel, data, epochs: 2, batchSize: 8, ...meter.options },
      [{ name: 'lean', epochs: 1 }],
      { ...budget, warmup: 0 }
    );
    expect(comparison.payload.variants.map(v => v.energyJ)).toEqual([100, 50]);
    expect(comparison.payload.setup.warmup).toBe(0);
  });
});
