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

  it("stores an error beyond the schema's bounds as null, so the comparison stays valid", () => {
    // 1e-12 J measured against 120 µJ predicted: +1.2e10 %, past the schema's maximum of 1e9.
    const wild = checkedAgainst(predicted, { energyPerInferenceJ: 1e-12, latencyMs: 1e-9 });
    expect(wild.energyErrorPercent).toBeNull();
    expect(wild.latencyErrorPercent).toBeNull();
    // A negative predicted latency would be below -100 %.
    const below = checkedAgainst(
      { ...predicted, latencyMs: -1 },
      { energyPerInferenceJ: 1e-4, latencyMs: 2 }
    );
    expect(below.latencyErrorPercent).toBeNull();
    expect(below.energyErrorPercent).toBeCloseTo(20, 9);
    // The bounds themselves are kept.
    const edge = checkedAgainst(
      { ...predicted, energyPerInferenceJ: 1e7 * 1e-6 },
      { energyPerInferenceJ: 1e-6, latencyMs: 2 }
    );
    expect(edge.energyErrorPercent).toBeCloseTo(1e9 - 100, 0);
  });
});

describe('variantPredictionLine', () => {
  const measured = (j: unknown) => ({ energyPerInferenceJ: j, method: 'measured', coverage: 1 });

  it('sets predicted against measured with the error recomputed', () => {
    const lying = { ...predicted, energyErrorPercent: 999, inInterval: false };
    expect(variantPredictionLine(lying, measured(100e-6))).toBe(
      'predicted 120 µJ (80 µJ .. 180 µJ) / measured 100 µJ, error +20 %, inside the interval'
    );
    expect(variantPredictionLine(predicted, measured(60e-6))).toMatch(
      /error \+100 %, outside the interval$/
    );
    expect(variantPredictionLine(predicted, measured('n/a'))).toBe(
      'predicted 120 µJ (80 µJ .. 180 µJ)'
    );
  });

  it('calls an estimated figure estimated, a partial one partly measured, never measured', () => {
    const figure = (method: unknown, coverage?: unknown) =>
      variantPredictionLine(predicted, { energyPerInferenceJ: 100e-6, method, coverage });
    expect(figure('estimated', 0)).toBe(
      'predicted 120 µJ (80 µJ .. 180 µJ) / estimated 100 µJ, error +20 %, inside the interval'
    );
    expect(figure('partly-measured', 0.4)).toContain(
      '/ partly measured (40 % counter) 100 µJ, error +20 %'
    );
    // A claim of measured with a partial coverage, or an unknown method, is not believed.
    expect(figure('measured', 0.5)).toContain('/ partly measured (50 % counter) 100 µJ');
    expect(figure('rapl')).toContain('/ estimated 100 µJ');
    expect(figure(undefined)).toContain('/ estimated 100 µJ');
  });

  it('says why there is none, and never reads a non-prediction as one', () => {
    const one = measured(1);
    expect(variantPredictionLine({ noPrediction: 'control flow (Loop)' }, one)).toBe(
      'no prediction: control flow (Loop)'
    );
    expect(variantPredictionLine({ noPrediction: 7 }, one)).toBe('no prediction: reason not given');
    expect(variantPredictionLine({ ...predicted, method: 'measured' }, one)).toBe(
      'no prediction: not readable'
    );
    expect(variantPredictionLine({ ...predicted, energyPerInferenceJ: NaN }, one)).toBe(
      'no prediction: not readable'
    );
    expect(variantPredictionLine(null, one)).toBe('no prediction: not readable');
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
