/**
 * gaissa.train.fit with a prediction: a tiny real tfjs model, a stand-in meter (every window reads
 * 3 J), and a calibration measured beforehand into a scratch folder. The prediction is on the live
 * display before the first epoch ends, and the run ends with it beside the measured epochs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sequential } from '@tensorflow/tfjs';
import { resolveCarbonSettings } from '../../../../core/carbon';
import { ensureTrainingCalibration } from '../../../../kernel/predict/training-calibration';
import { fitWithEnergy, type TrainingData } from '../../../../kernel/training/fit';
import { loadTfjs, type Tfjs } from '../../../../kernel/training/tfjs-runtime';
import type { MimeBundle } from '../../../../kernel/display';
import { TINY_WORKLOAD } from '../predict/fixtures/tiny-training-workload';
import { fakeMeter } from './fixtures/fake-meter';

let tf: Tfjs;
let dir: string;
let data: TrainingData;

beforeAll(async () => {
  tf = await loadTfjs();
  dir = mkdtempSync(join(tmpdir(), 'gaissa-fit-prediction-'));
  await ensureTrainingCalibration(
    tf,
    fakeMeter(() => 3),
    { cacheDir: dir, workload: TINY_WORKLOAD }
  );
  data = {
    train: {
      x: tf.randomNormal([40, 6], 0, 1, 'float32', 1),
      y: tf
        .oneHot(
          tf.tensor1d(
            Array.from({ length: 40 }, (_, i) => i % 2),
            'int32'
          ),
          2
        )
        .toFloat()
    }
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function model(): Sequential {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 5, activation: 'relu', inputShape: [6] }));
  m.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  return m;
}

/** A live display that keeps every text it was shown, and the epochs done at that moment. */
function recordingDisplay() {
  const shown: string[] = [];
  return {
    shown,
    live: { update: (bundle: MimeBundle) => shown.push(String(bundle['text/plain'])) }
  };
}

const environment = (extra: object = {}) => ({
  meter: fakeMeter(() => 3),
  carbon: resolveCarbonSettings({ region: 'FR' }),
  log: false as const,
  predict: { cacheDir: dir, calibrate: 'never' as const },
  ...extra
});

describe('gaissa.train.fit prediction', () => {
  test('PRE is shown before the first epoch ends and set against the measured epochs at the end', async () => {
    const { shown, live } = recordingDisplay();
    const shownAtFirstEpochEnd: string[] = [];
    const run = await fitWithEnergy(
      model(),
      data,
      {
        epochs: 3,
        batchSize: 8,
        ...environment(),
        onEpochEnd: epoch => {
          if (epoch.epoch === 1) shownAtFirstEpochEnd.push(...shown);
        }
      },
      { live }
    );
    const pre = run.data.prediction!;
    expect(pre.method).toBe('predicted');
    expect(pre).toMatchObject({ epochs: 3, samples: 40, batchSize: 8, validationSamples: 0 });
    expect(pre.energyJ).toBeGreaterThan(0);
    expect(pre.low).toBeLessThan(pre.energyJ);
    expect(pre.high).toBeGreaterThan(pre.energyJ);
    // Shown before epoch 1's record: the first display already carries it, with no epoch done.
    const beforeTraining = shownAtFirstEpochEnd.filter(
      t => t.includes('0/3 epochs done') || t.includes('epoch 1/3')
    );
    expect(beforeTraining.length).toBeGreaterThan(0);
    expect(beforeTraining[0]).toContain('predicted before training (not measured) for 3 epochs');

    const check = run.data.predictionCheck!;
    // Each epoch window of the stand-in meter read 3 J.
    expect(check.actual).toMatchObject({ epochs: 3, energyJ: 9 });
    expect(check.pre.energyJ).toBeCloseTo(pre.energyJ, 12);
    expect(check.pre.energyErrorPercent).toBeCloseTo(((pre.energyJ - 9) / 9) * 100, 9);
    expect(check.step).toMatchObject({ afterEpochs: 1, energyJ: 9, energyErrorPercent: 0 });
    const text = String(run.toMimeBundle()['text/plain']);
    expect(text).toContain('predicted before training (not measured)');
    expect(text).toMatch(
      /predicted vs actual for the 3 epochs run: before training .* actual 9 J \(measured\)/
    );
  });

  test('a model it cannot read trains anyway, with the reason shown', async () => {
    const m = tf.sequential();
    m.add(tf.layers.simpleRNN({ units: 2, inputShape: [3, 2] }));
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const rnnData = { train: { x: tf.zeros([4, 3, 2]), y: tf.zeros([4, 2]) } } as TrainingData;
    const run = await fitWithEnergy(m, rnnData, { epochs: 2, batchSize: 2, ...environment() });
    expect(run.epochs).toHaveLength(2);
    expect(run.data.prediction).toBeNull();
    expect(run.data.noPrediction).toMatch(/^no prediction: .*SimpleRNN/);
    expect(String(run.toMimeBundle()['text/plain'])).toContain('no prediction:');
  });

  test('with a meter of its own and no predict option, nothing is predicted (as before)', async () => {
    const { predict: _, ...own } = environment();
    const run = await fitWithEnergy(model(), data, { epochs: 2, batchSize: 8, ...own });
    expect(run.data.prediction ?? null).toBeNull();
    expect(run.data.noPrediction ?? null).toBeNull();
    expect(String(run.toMimeBundle()['text/plain'])).not.toContain('predicted');
  });

  test('a bad predict option is refused before training', async () => {
    await expect(
      fitWithEnergy(model(), data, {
        epochs: 1,
        ...environment({ predict: { calibrate: 'sometimes' } })
      })
    ).rejects.toThrow(/predict.calibrate/);
  });
});
