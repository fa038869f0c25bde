import fc from 'fast-check';
import { FieldError } from '../../../../core/field-error';
import { DEFAULT_BASIS } from '../../../../core/label/defaults';
import { PHASE_METRICS, isWorseThan } from '../../../../core/label/metrics';
import {
  metricIndex,
  overallRating,
  parseLabelRatingInput,
  rateLabel,
  ratingFromIndex
} from '../../../../core/label/rating';

const B = [2, 1.25, 0.8, 0.5] as const;

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof FieldError) return e.field;
    throw e;
  }
  throw new Error('no error thrown');
}

describe('ratingFromIndex: A > b1 >= B > b2 >= C > b3 >= D > b4 >= E', () => {
  test.each([
    [2.0001, 'A'],
    [2, 'B'],
    [1.9999, 'B'],
    [1.2501, 'B'],
    [1.25, 'C'],
    [1.2499, 'C'],
    [0.8001, 'C'],
    [0.8, 'D'],
    [0.7999, 'D'],
    [0.5001, 'D'],
    [0.5, 'E'],
    [0.4999, 'E'],
    [0, 'E'],
    [Infinity, 'A']
  ])('index %p rates %s', (index, rating) => {
    expect(ratingFromIndex(index, B)).toBe(rating);
  });
});

describe('metricIndex', () => {
  test('ref/value when lower is better, value/ref when higher is better', () => {
    expect(metricIndex(10, 20, 'lower')).toBe(2);
    expect(metricIndex(0.9, 0.75, 'higher')).toBe(1.2);
  });
  test('a value written at a boundary lands on it despite binary floating point', () => {
    // 0.7613 * 1.05 / 0.7613 is 1.0500000000000003 in doubles
    expect(metricIndex(0.7613 * 1.05, 0.7613, 'higher')).toBe(1.05);
  });
});

describe('rateLabel at and around every boundary (values, not indices)', () => {
  // latencyMs, reference 20 ms: the index is 20 / value.
  test.each([
    [9.99, 'A'],
    [10, 'B'],
    [15.99, 'B'],
    [16, 'C'],
    [24.99, 'C'],
    [25, 'D'],
    [39.99, 'D'],
    [40, 'E'],
    [1000, 'E']
  ])('latency %p ms rates %s against 20 ms', (latencyMs, rating) => {
    const r = rateLabel({ phase: 'inference', metrics: { latencyMs } });
    expect(r.metrics.latencyMs?.rating).toBe(rating);
    expect(r.rating).toBe(rating);
  });

  // accuracy, reference 0.7613, boundaries [1.05, 1.01, 0.99, 0.95] on value / reference.
  test.each([
    [1.05, 'B'],
    [1.0501, 'A'],
    [1.01, 'C'],
    [1.0101, 'B'],
    [0.99, 'D'],
    [0.9901, 'C'],
    [0.95, 'E'],
    [0.9501, 'D']
  ])('accuracy at %p x reference rates %s', (factor, rating) => {
    const r = rateLabel({ phase: 'inference', metrics: { accuracy: 0.7613 * factor } });
    expect(r.metrics.accuracy?.rating).toBe(rating);
  });

  test('training boundaries are wider (A below a tenth of the reference)', () => {
    const ref = DEFAULT_BASIS.training.reference.trainingEnergyKWh!;
    expect(rateLabel({ phase: 'training', metrics: { trainingEnergyKWh: ref / 10 } }).rating).toBe(
      'B'
    );
    expect(
      rateLabel({ phase: 'training', metrics: { trainingEnergyKWh: ref / 10.01 } }).rating
    ).toBe('A');
    expect(rateLabel({ phase: 'training', metrics: { trainingEnergyKWh: ref * 10 } }).rating).toBe(
      'E'
    );
  });

  test('a model equal to the reference rates C on every metric', () => {
    for (const phase of ['inference', 'training'] as const) {
      const metrics = { ...DEFAULT_BASIS[phase].reference };
      const r = rateLabel({ phase, metrics });
      expect(r.rating).toBe('C');
      for (const m of Object.values(r.metrics)) expect(m).toMatchObject({ index: 1, rating: 'C' });
    }
  });
});

describe('overall rating', () => {
  test('a tie x.5 rounds to the worse rating', () => {
    expect(
      overallRating([
        { rating: 'A', weight: 1 },
        { rating: 'B', weight: 1 }
      ])
    ).toEqual({ rating: 'B', score: 0.5 });
    expect(
      overallRating([
        { rating: 'D', weight: 1 },
        { rating: 'E', weight: 1 }
      ]).rating
    ).toBe('E');
    expect(
      overallRating([
        { rating: 'B', weight: 2 },
        { rating: 'C', weight: 2 }
      ]).rating
    ).toBe('C');
  });

  test('just below a tie rounds to the better rating', () => {
    expect(
      overallRating([
        { rating: 'A', weight: 0.51 },
        { rating: 'B', weight: 0.49 }
      ]).rating
    ).toBe('A');
    expect(
      overallRating([
        { rating: 'A', weight: 0.49 },
        { rating: 'B', weight: 0.51 }
      ]).rating
    ).toBe('B');
  });

  test('a tie reached through renormalised weights is still a tie (0.3·0 + 0.3·3) / 0.6', () => {
    // energy A (weight 0.3) and latency D (weight 0.15 by default; 0.3 here): mean 1.5 -> C
    const r = rateLabel({
      phase: 'inference',
      metrics: { energyPerInferenceJ: 0.4, latencyMs: 30 },
      weights: { latencyMs: 0.3 }
    });
    expect(r.metrics.energyPerInferenceJ?.rating).toBe('A');
    expect(r.metrics.latencyMs?.rating).toBe('D');
    expect(r.score).toBeCloseTo(1.5, 12);
    expect(r.rating).toBe('C');
  });

  test('weighted mean over the metrics present, weights renormalised', () => {
    // energy A (0.3), size E (0.15): (0 * 0.3 + 4 * 0.15) / 0.45 = 1.333 -> B
    const r = rateLabel({
      phase: 'inference',
      metrics: { energyPerInferenceJ: 0.1, modelSizeMB: 500 }
    });
    expect(r.score).toBeCloseTo(4 / 3, 9);
    expect(r.rating).toBe('B');
    expect(Object.keys(r.metrics)).toEqual(['energyPerInferenceJ', 'modelSizeMB']);
    expect(r.basis.weights).toEqual({ energyPerInferenceJ: 0.3, modelSizeMB: 0.15 });
  });

  test('a single metric decides alone', () => {
    expect(rateLabel({ phase: 'inference', metrics: { modelSizeMB: 10 } }).rating).toBe('A');
  });

  test('isWorseThan orders A best', () => {
    expect(isWorseThan('C', 'B')).toBe(true);
    expect(isWorseThan('B', 'B')).toBe(false);
    expect(isWorseThan('A', 'E')).toBe(false);
  });
});

describe('overrides', () => {
  test('reference override moves the index', () => {
    const r = rateLabel({
      phase: 'inference',
      metrics: { latencyMs: 100 },
      reference: { latencyMs: 250 }
    });
    expect(r.metrics.latencyMs).toEqual({ value: 100, index: 2.5, rating: 'A' });
    expect(r.basis.reference.latencyMs).toBe(250);
  });

  test('boundaries override changes the bands', () => {
    const r = rateLabel({
      phase: 'inference',
      metrics: { latencyMs: 20 },
      boundaries: { latencyMs: [4, 3, 2, 0.99] }
    });
    expect(r.metrics.latencyMs?.rating).toBe('D');
    expect(r.basis.boundaries.latencyMs).toEqual([4, 3, 2, 0.99]);
  });

  test('a zero weight leaves a metric out of the mean but on the label', () => {
    const r = rateLabel({
      phase: 'inference',
      metrics: { latencyMs: 5, modelSizeMB: 1000 },
      weights: { modelSizeMB: 0 }
    });
    expect(r.metrics.modelSizeMB?.rating).toBe('E');
    expect(r.rating).toBe('A');
  });

  test('defaults are not mutated by overrides', () => {
    const before = JSON.stringify(DEFAULT_BASIS);
    rateLabel({
      phase: 'inference',
      metrics: { latencyMs: 5 },
      reference: { latencyMs: 1 },
      weights: { latencyMs: 9 }
    });
    expect(JSON.stringify(DEFAULT_BASIS)).toBe(before);
  });
});

describe('validation names the offending field', () => {
  const ok = { phase: 'inference', metrics: { latencyMs: 10 } };
  test.each([
    [{ ...ok, phase: 'deploy' }, 'phase'],
    [{ phase: 'inference' }, 'metrics'],
    [{ phase: 'inference', metrics: {} }, 'metrics'],
    [{ phase: 'inference', metrics: [] }, 'metrics'],
    [{ phase: 'inference', metrics: { speed: 3 } }, 'metrics.speed'],
    [{ phase: 'inference', metrics: { toString: 3 } }, 'metrics.toString'],
    [{ phase: 'inference', metrics: { trainingEnergyKWh: 3 } }, 'metrics.trainingEnergyKWh'],
    [{ phase: 'training', metrics: { latencyMs: 3 } }, 'metrics.latencyMs'],
    [{ phase: 'inference', metrics: { latencyMs: -1 } }, 'metrics.latencyMs'],
    [{ phase: 'inference', metrics: { latencyMs: 0 } }, 'metrics.latencyMs'],
    [{ phase: 'inference', metrics: { latencyMs: NaN } }, 'metrics.latencyMs'],
    [{ phase: 'inference', metrics: { latencyMs: Infinity } }, 'metrics.latencyMs'],
    [{ phase: 'inference', metrics: { latencyMs: '10' } }, 'metrics.latencyMs'],
    [{ phase: 'inference', metrics: { accuracy: 97.5 } }, 'metrics.accuracy'],
    [{ ...ok, reference: { latencyMs: 0 } }, 'reference.latencyMs'],
    [{ ...ok, reference: { nope: 1 } }, 'reference.nope'],
    [{ ...ok, boundaries: { latencyMs: [2, 1.25, 1.5, 0.5] } }, 'boundaries.latencyMs'],
    [{ ...ok, boundaries: { latencyMs: [0.5, 0.8, 1.25, 2] } }, 'boundaries.latencyMs'],
    [{ ...ok, boundaries: { latencyMs: [2, 1, 0.5] } }, 'boundaries.latencyMs'],
    [{ ...ok, boundaries: { latencyMs: [2, 1, 0.5, -1] } }, 'boundaries.latencyMs[3]'],
    [{ ...ok, weights: { latencyMs: -0.1 } }, 'weights.latencyMs'],
    [{ ...ok, weights: { latencyMs: 0 } }, 'weights']
  ])('%j -> %s', (input, field) => {
    expect(fieldOf(() => rateLabel(input as never))).toBe(field);
  });

  test('accuracy 0 is a valid (E) value; a zero cost is not', () => {
    expect(rateLabel({ phase: 'inference', metrics: { accuracy: 0 } }).rating).toBe('E');
    expect(() =>
      parseLabelRatingInput({ phase: 'inference', metrics: { energyPerInferenceJ: 0 } })
    ).toThrow(/greater than 0/);
  });

  test('every fixed default covers the metrics it rates, with descending boundaries', () => {
    const rated = {
      inference: PHASE_METRICS.inference,
      training: ['trainingEnergyKWh', 'trainingCo2eKg', 'accuracy'] as const
    };
    for (const phase of ['inference', 'training'] as const) {
      expect(Object.keys(DEFAULT_BASIS[phase].reference).sort()).toEqual([...rated[phase]].sort());
      for (const name of rated[phase]) {
        const b = DEFAULT_BASIS[phase].boundaries[name]!;
        expect(b[0] > b[1] && b[1] > b[2] && b[2] > b[3]).toBe(true);
        expect(DEFAULT_BASIS[phase].reference[name]).toBeGreaterThan(0);
        expect(DEFAULT_BASIS[phase].weights[name]).toBeGreaterThan(0);
      }
      const sum = Object.values(DEFAULT_BASIS[phase].weights).reduce((a, b) => a + (b ?? 0), 0);
      expect(sum).toBeCloseTo(1, 12);
    }
  });
});

test('property: using less energy never gives a worse rating', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
      fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
      (a, b) => {
        const [less, more] = a <= b ? [a, b] : [b, a];
        const r = (e: number) =>
          rateLabel({ phase: 'inference', metrics: { energyPerInferenceJ: e, latencyMs: 20 } });
        return !isWorseThan(r(less).rating, r(more).rating);
      }
    )
  );
});
