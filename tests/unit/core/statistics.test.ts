import {
  confidenceInterval95,
  mean,
  quantile,
  quantileSorted,
  sampleStandardDeviation,
  summarize,
  tCritical95
} from '../../../core/statistics';

describe('statistics', () => {
  it('computes mean and sample standard deviation (n - 1)', () => {
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(values)).toBe(5);
    // Population sd is 2; the sample sd is sqrt(32 / 7).
    expect(sampleStandardDeviation(values)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(sampleStandardDeviation([3])).toBeNull();
    expect(() => mean([])).toThrow(RangeError);
  });

  it('uses Student t for small samples', () => {
    expect(tCritical95(1)).toBe(12.706);
    expect(tCritical95(4)).toBe(2.776);
    expect(tCritical95(30)).toBe(2.042);
    // Interpolated in 1/df; the exact quantiles are 2.0301 and 1.9647.
    expect(tCritical95(35)).toBeCloseTo(2.0301, 3);
    expect(tCritical95(1000)).toBeCloseTo(1.9623, 3);
    expect(() => tCritical95(0)).toThrow(RangeError);
  });

  it('gives the 95 % confidence interval of the mean', () => {
    const values = [10, 12, 11, 13, 9];
    const ci = confidenceInterval95(values)!;
    const halfWidth = (2.776 * Math.sqrt(2.5)) / Math.sqrt(5);
    expect(ci.t).toBe(2.776);
    expect(ci.halfWidth).toBeCloseTo(halfWidth, 12);
    expect(ci.low).toBeCloseTo(11 - halfWidth, 12);
    expect(ci.high).toBeCloseTo(11 + halfWidth, 12);
    expect(confidenceInterval95([1])).toBeNull();
  });

  it('summarizes', () => {
    expect(summarize([1, 3])).toMatchObject({ n: 2, mean: 2, min: 1, max: 3 });
    expect(summarize([5])).toEqual({ n: 1, mean: 5, sd: null, min: 5, max: 5, ci95: null });
  });

  it('quantiles interpolate like NumPy (type 7)', () => {
    expect(quantile([3, 1, 2, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8, 12);
    expect(quantileSorted([7], 0.95)).toBe(7);
    expect(() => quantile([], 0.5)).toThrow(/empty/);
    expect(() => quantile([1], 2)).toThrow(/within 0..1/);
  });
});
