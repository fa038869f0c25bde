// The pieces every meter shares: counted totals read over any window, and the null source.
import { CountedSeries, NullSource } from '../../../../kernel/meters/energy-source';

describe('CountedSeries', () => {
  it('counts joules between its first and last samples only', () => {
    const s = new CountedSeries();
    s.push(1000, 0, 0);
    s.push(2000, 10, 10);
    s.push(3000, 20, 15); // 5 J of this step were filled in, not counted
    expect(s.energy(1000, 3000)).toEqual({ energyJ: 20, counterJ: 15, coverage: 0.75, notes: [] });
    // Past the last sample the total is extrapolated; those joules are not counted.
    const past = s.energy(2000, 4000);
    expect(past.energyJ).toBeCloseTo(20, 12);
    expect(past.counterJ).toBeCloseTo(5, 12);
    // Before the first sample too.
    expect(s.energy(500, 1500).counterJ).toBeCloseTo(5, 12);
    expect(s.energy(500, 1500).energyJ).toBeCloseTo(10, 12);
  });

  it('calls a window without joules counted only when samples surround it', () => {
    const s = new CountedSeries();
    s.push(1000, 0, 0);
    s.push(2000, 0, 0);
    expect(s.energy(1200, 1800).coverage).toBe(1);
    expect(s.energy(1800, 2500).coverage).toBe(0);
  });
});

describe('NullSource', () => {
  it('supplies nothing, and nothing is missing', () => {
    const none = new NullSource();
    expect(none.method).toBeNull();
    expect(none.supplies()).toBe(false);
    expect(none.energy()).toEqual({ energyJ: 0, counterJ: 0, coverage: 1, notes: [] });
    expect(none.lastPowerW()).toBe(0);
  });
});
