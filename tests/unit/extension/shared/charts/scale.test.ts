import {
  bandScale,
  extent,
  linearScale,
  tickStep
} from '../../../../../extension/shared/charts/scale';

describe('linear scale', () => {
  it('maps the domain onto the range, reversed ranges too (a y axis)', () => {
    const x = linearScale([0, 10], [100, 300]);
    expect(x.domain).toEqual([0, 10]);
    expect(x.map(0)).toBe(100);
    expect(x.map(5)).toBe(200);
    expect(x.map(10)).toBe(300);
    const y = linearScale([0, 10], [200, 0]);
    expect(y.map(0)).toBe(200);
    expect(y.map(10)).toBe(0);
  });

  it('rounds the domain to its ticks and keeps 0 unless told not to', () => {
    expect(linearScale([0.3, 9.7], [0, 1], { zero: false }).domain).toEqual([0, 10]);
    expect(linearScale([0.3, 9.7], [0, 1], { zero: false, nice: false }).domain).toEqual([
      0.3, 9.7
    ]);
    expect(linearScale([20, 30], [0, 1]).domain[0]).toBe(0);
    expect(linearScale([20, 30], [0, 1], { zero: false }).domain).toEqual([20, 30]);
  });

  it('puts ticks 1, 2 or 5 times a power of ten apart, without float drift', () => {
    expect(linearScale([0, 10], [0, 1]).ticks()).toEqual([0, 2, 4, 6, 8, 10]);
    expect(linearScale([0, 0.3], [0, 1], { ticks: 3 }).ticks()).toEqual([0, 0.1, 0.2, 0.3]);
    expect(linearScale([0, 1000], [0, 1], { ticks: 2 }).ticks()).toEqual([0, 500, 1000]);
    expect(tickStep(8, 5)).toBe(2);
    expect(tickStep(0.07, 5)).toBe(0.01);
    expect(tickStep(35, 5)).toBe(5);
    expect(tickStep(40, 5)).toBe(10);
  });

  it('has a usable domain for no data, one value, and non-finite values', () => {
    expect(extent([], false)).toEqual([0, 1]);
    expect(extent([NaN, Infinity, -Infinity], true)).toEqual([0, 1]);
    expect(extent([5], false)).toEqual([4.5, 5.5]);
    expect(extent([0], false)).toEqual([-1, 1]);
    expect(extent([NaN, 2, Infinity, 4], false)).toEqual([2, 4]);
    const one = linearScale([5], [0, 100], { zero: false });
    expect(one.map(5)).toBeCloseTo(50);
    expect(one.ticks().every(Number.isFinite)).toBe(true);
    expect(one.ticks().length).toBeGreaterThan(1);
  });

  it('ends with a few round ticks for values a few ulps apart and for extreme ones', () => {
    // Two variants whose energies differ by float noise once looped forever: the step fell
    // below the values' precision and i + 1 === i.
    for (const values of [
      [0.1 + 0.2, 0.3],
      [0.9, 0.9000000000000001],
      [1e15, 1e15 + 0.5]
    ]) {
      const scale = linearScale(values, [0, 100], { zero: false });
      const ticks = scale.ticks();
      expect(ticks.length).toBeGreaterThan(1);
      expect(ticks.length).toBeLessThan(20);
      expect(Number.isFinite(scale.map(values[0]))).toBe(true);
    }
    const huge = linearScale([-1.7e308, 1.7e308], [0, 100]);
    expect(huge.ticks().length).toBeLessThanOrEqual(1000);
    expect(Number.isFinite(huge.map(0))).toBe(true);
  });
});

describe('band scale', () => {
  it('gives each name a row of equal height in order, and NaN to an unknown name', () => {
    const rows = bandScale(['a', 'b', 'c'], 10, 22);
    expect(['a', 'b', 'c'].map(rows.start)).toEqual([10, 32, 54]);
    expect(rows.step).toBe(22);
    expect(rows.start('d')).toBeNaN();
  });
});
