/**
 * PRE and its check, with a cost model whose prices are set by hand: the prediction is the
 * epoch's features times their prices times the epochs, the interval e^spread either side, and
 * at the end PRE and STEP are restated for the epochs that really ran.
 */
import { resolveCarbonSettings } from '../../../../core/carbon';
import { checkForecast, forecastTraining } from '../../../../core/training-forecast';
import type { Fit } from '../../../../kernel/predict/cost-model';
import {
  checkPrediction,
  predictRun,
  type TrainingCalibration
} from '../../../../kernel/predict/training-prediction';
import type { SampleWork } from '../../../../kernel/predict/training-work';
import { predictionCheckLine } from '../../../../kernel/training/training-view';

const work: SampleWork = {
  layers: [],
  forward: { dense: 100, conv: 0, elementwise: 0 },
  training: { dense: 300, conv: 0, elementwise: 0 },
  inputElements: 0,
  outputElements: 0,
  trainableParams: 50,
  batchOps: 6
};

const fit: Fit = {
  // 0.5 J per epoch, 0.01 J per batch, 1 nJ per dense FLOP.
  energy: { call: 0.5, batches: 0.01, 'flops:dense': 1e-9 },
  seconds: { call: 0.1, batches: 0.002 },
  energySpread: Math.log(1.25),
  secondsSpread: Math.log(1.5),
  points: 12
};

const calibration: TrainingCalibration = {
  version: 1,
  key: { cpuModel: 'cpu', logicalCpus: 2, meterMethod: 'rapl', tfjsVersion: '4', backend: 'wasm' },
  createdAt: '2026-01-01T00:00:00.000Z',
  points: Array.from({ length: 12 }, () => ({
    features: { call: 1 },
    energyJ: 1,
    seconds: 1,
    model: 'm',
    samples: 1,
    batchSize: 1,
    validationSamples: 0,
    coverage: 1
  }))
};

// 1000 samples at batch 100: 10 batches, 300 kFLOP per epoch (no validation).
const run = { samples: 1000, batchSize: 100, validationSamples: 0, epochs: 4 };
const perEpochJ = 0.5 + 10 * 0.01 + 300_000 * 1e-9;

describe('predictRun', () => {
  test('the whole run is the epoch price times the epochs, marked predicted', () => {
    const p = predictRun(work, run, fit, calibration, '/cache/x.json');
    expect(p.method).toBe('predicted');
    expect(p.perEpoch.energyJ).toBeCloseTo(perEpochJ, 12);
    expect(p.energyJ).toBeCloseTo(4 * perEpochJ, 12);
    expect(p.low).toBeCloseTo((4 * perEpochJ) / 1.25, 12);
    expect(p.high).toBeCloseTo(4 * perEpochJ * 1.25, 12);
    expect(p.durationS).toBeCloseTo(4 * (0.1 + 10 * 0.002), 12);
    expect(p.durationHighS).toBeCloseTo(p.durationS * 1.5, 12);
    expect(p.trainingFlopsPerSample).toBe(300);
    expect(p.basis).toMatchObject({ calibration: '/cache/x.json', points: 12 });
    expect(p.basis.meter).toEqual({ method: 'rapl', coverage: 1 });
  });

  test('a calibration that prices the run at nothing gives no prediction', () => {
    const free = { ...fit, energy: { updates: 1 } };
    expect(() => predictRun({ ...work, trainableParams: 0 }, run, free, calibration, '')).toThrow(
      /no prediction/
    );
  });
});

describe('checkPrediction', () => {
  const carbon = resolveCarbonSettings({ region: 'FR' });
  const prediction = predictRun(work, run, fit, calibration, '');

  test('every planned epoch ran: PRE error, interval and STEP against the measured sum', () => {
    const epochs = [0.75, 0.625, 0.625, 0.5].map(energyJ => ({ energyJ, durationS: 0.2 }));
    const forecast = forecastTraining(epochs.slice(0, 1), 4, carbon);
    const check = checkPrediction(prediction, epochs, checkForecast(forecast, epochs, carbon));
    expect(check.actual).toEqual({ epochs: 4, energyJ: 2.5, durationS: 0.8 });
    expect(check.pre.energyJ).toBeCloseTo(4 * perEpochJ, 12);
    expect(check.pre.energyErrorPercent).toBeCloseTo(((4 * perEpochJ - 2.5) / 2.5) * 100, 9);
    expect(check.pre.inInterval).toBe(true);
    // STEP: epoch 1 measured (0.75 J) and 3 more at that rate.
    expect(check.step).toEqual({
      afterEpochs: 1,
      energyJ: 3,
      energyErrorPercent: expect.closeTo(((3 - 2.5) / 2.5) * 100, 9)
    });
  });

  test('a run stopped early is compared for the epochs that ran', () => {
    const epochs = [3, 3].map(energyJ => ({ energyJ, durationS: 0.2 }));
    const check = checkPrediction(prediction, epochs, null);
    expect(check.pre.energyJ).toBeCloseTo(2 * perEpochJ, 12);
    expect(check.pre.durationS).toBeCloseTo(2 * 0.12, 12);
    // 6 J against a predicted 1.8 J (x 1.25 at most): outside the interval.
    expect(check.pre.inInterval).toBe(false);
    expect(check.step).toBeNull();
  });

  test('an actual of 0 J and 0 s gives no error (null), not Infinity', () => {
    const epochs = [0, 0].map(energyJ => ({ energyJ, durationS: 0 }));
    // A forecast of more than 0 J set against those 0 J.
    const forecast = forecastTraining([{ energyJ: 1, durationS: 0.1 }], 4, carbon);
    const check = checkPrediction(prediction, epochs, checkForecast(forecast, epochs, carbon));
    expect(check.pre.energyErrorPercent).toBeNull();
    expect(check.pre.durationErrorPercent).toBeNull();
    expect(check.step!.energyJ).toBeGreaterThan(0);
    expect(check.step!.energyErrorPercent).toBeNull();
    expect(predictionCheckLine(check, ' (estimated)')).toMatch(/before training .* \(n\/a %, /);
  });
});
