import { CumulativeSeries } from '../../../../kernel/meters/cumulative-series';

describe('CumulativeSeries', () => {
  it('interpolates between samples and extrapolates along the nearest slope', () => {
    const s = new CumulativeSeries();
    s.push(1000, 0);
    s.push(2000, 10);
    s.push(3000, 30);
    expect(s.at(1500)).toBe(5);
    expect(s.at(2500)).toBe(20);
    expect(s.at(3500)).toBe(40);
    expect(s.at(500)).toBe(-5);
    expect(s.lastRatePerMs()).toBe(0.02);
    expect(s.timesBetween(1000, 3000)).toEqual([2000]);
  });

  it('keeps one sample before the trim point', () => {
    const s = new CumulativeSeries();
    for (let t = 0; t <= 10; t++) s.push(t * 100, t);
    s.trimBefore(550);
    expect(s.at(550)).toBeCloseTo(5.5, 12);
    expect(s.length).toBe(6);
  });
});
