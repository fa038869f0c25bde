// A variant's prediction against its measurement: the errors, the interval check, the line people
// read (recomputed from the figures, whatever the payload claims), and gaissa.predict's basis.
import {
  checkedAgainst,
  predictionBasisText,
  variantPredictionLatency,
  variantPredictionLine
} from '../../../core/tactics-prediction';

const predicted = {
  method: 'predicted' as const,
  energyPerInferenceJ: 120e-6,
  low: 80e-6,
  high: 180e-6,
  latencyMs: 2.5,
  batch: 32,
  threads: 2,
  basis: 'calibration of 30 points at 2 thread(s)'
};

describe('checkedAgainst', () => {
  it('gives the signed errors and whether the measurement is inside the interval', () => {
    const c = checkedAgainst(predicted, { energyPerInferenceJ: 100e-6, latencyMs: 2 });
    expect(c.energyErrorPercent).toBeCloseTo(20, 9);
    expect(c.latencyErrorPercent).toBeCloseTo(25, 9);
    expect(c.inInterval).toBe(true);
    expect(c.method).toBe('predicted');
    const outside = checkedAgainst(predicted, { energyPerInferenceJ: 200e-6, latencyMs: 0 });
    expect(outside.energyErrorPercent).toBeCloseTo(-40, 9);
    expect(outside.latencyErrorPercent).toBeNull();
    expect(outside.inInterval).toBe(false);
  });
});

describe('variantPredictionLine', () => {
  it('sets predicted against measured with the error recomputed', () => {
    const lying = { ...predicted, energyErrorPercent: 999, inInterval: false };
    expect(variantPredictionLine(lying, 100e-6)).toBe(
      'predicted 120 µJ (80 µJ .. 180 µJ) / measured 100 µJ, error +20 %, inside the interval'
    );
    expect(variantPredictionLine(predicted, 60e-6)).toMatch(/error \+100 %, outside the interval$/);
    expect(variantPredictionLine(predicted, 'n/a')).toBe('predicted 120 µJ (80 µJ .. 180 µJ)');
  });

  it('says why there is none, and never reads a non-prediction as one', () => {
    expect(variantPredictionLine({ noPrediction: 'control flow (Loop)' }, 1)).toBe(
      'no prediction: control flow (Loop)'
    );
    expect(variantPredictionLine({ noPrediction: 7 }, 1)).toBe('no prediction: reason not given');
    expect(variantPredictionLine({ ...predicted, method: 'measured' }, 1)).toBe(
      'no prediction: not readable'
    );
    expect(variantPredictionLine({ ...predicted, energyPerInferenceJ: NaN }, 1)).toBe(
      'no prediction: not readable'
    );
    expect(variantPredictionLine(null, 1)).toBe('no prediction: not readable');
  });

  it('says the predicted latency per call', () => {
    expect(variantPredictionLatency(predicted, 2)).toBe(
      'predicted latency 2.5 ms per call of 32 (measured 2 ms)'
    );
    expect(variantPredictionLatency({ noPrediction: 'x' }, 2)).toBe('');
  });
});

describe('predictionBasisText', () => {
  it("summarises gaissa.predict's basis and keeps a comparison's string", () => {
    const basis = {
      calibration: '/home/u/.cache/gaissa/calibration-1.json',
      meter: { method: 'estimate', coverage: 0, note: '...' },
      points: 30,
      measuredPoints: 3,
      threads: 2,
      interval: '90 % of leave-one-out calibration errors',
      substitutions: ['conv/float16 priced as conv/float32']
    };
    expect(predictionBasisText(basis)).toBe(
      'calibration of 30 points at 2 thread(s), 3 from measurements; meter estimate, coverage 0 %; ' +
        'interval: 90 % of leave-one-out calibration errors; conv/float16 priced as conv/float32'
    );
    expect(predictionBasisText('as given')).toBe('as given');
    expect(predictionBasisText(undefined)).toBe(
      'calibration of n/a points at n/a thread(s), n/a from measurements; meter n/a'
    );
  });
});
