// The CPU power model: the Teads load curve and the TDP table with its fallbacks.
import {
  cpuModelTokens,
  cpuPowerW,
  DEFAULT_TDP_W_PER_THREAD,
  findCpuTdp,
  resolveCpuTdp,
  teadsMultiplier
} from '../../../core/cpu-power';

describe('Teads curve', () => {
  it('hits the published points at 0/10/50/100 % load', () => {
    expect(teadsMultiplier(0)).toBeCloseTo(0.12, 12);
    expect(teadsMultiplier(10)).toBeCloseTo(0.32, 12);
    expect(teadsMultiplier(50)).toBeCloseTo(0.75, 12);
    expect(teadsMultiplier(100)).toBeCloseTo(1.02, 12);
  });

  it('interpolates linearly between points and clamps outside 0..100', () => {
    expect(teadsMultiplier(5)).toBeCloseTo(0.22, 12);
    expect(teadsMultiplier(30)).toBeCloseTo(0.535, 12);
    expect(teadsMultiplier(75)).toBeCloseTo(0.885, 12);
    expect(teadsMultiplier(-3)).toBeCloseTo(0.12, 12);
    expect(teadsMultiplier(140)).toBeCloseTo(1.02, 12);
    expect(teadsMultiplier(NaN)).toBeCloseTo(0.12, 12);
  });

  it('gives CPU power as TDP x multiplier', () => {
    expect(cpuPowerW(100, 50)).toBeCloseTo(75, 12);
    expect(cpuPowerW(65, 10)).toBeCloseTo(20.8, 12);
  });
});

describe('CPU TDP table', () => {
  it('matches vendor model strings', () => {
    expect(findCpuTdp('12th Gen Intel(R) Core(TM) i7-12700K')?.tdpW).toBe(125);
    expect(findCpuTdp('Intel(R) Xeon(R) Platinum 8480+')?.tdpW).toBe(350);
    expect(findCpuTdp('AMD EPYC 7763 64-Core Processor')?.tdpW).toBe(280);
    expect(findCpuTdp('AMD Ryzen 9 7950X 16-Core Processor')?.model).toBe('AMD Ryzen 9 7950X');
    expect(findCpuTdp('Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz')?.tdpW).toBe(15);
  });

  it('does not mistake a neighbouring model', () => {
    expect(findCpuTdp('Intel(R) Core(TM) i7-12700 CPU')).toBeUndefined();
    expect(findCpuTdp('Intel(R) Xeon(R) Processor')).toBeUndefined();
  });

  it('strips marks and clock speed from model strings', () => {
    expect(cpuModelTokens('Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz')).toEqual([
      'intel',
      'core',
      'i5-8250u'
    ]);
  });

  it('scales a table TDP by the threads this OS sees', () => {
    const vm = resolveCpuTdp({ model: 'Intel(R) Xeon(R) Platinum 8480+', logicalCpus: 4 });
    expect(vm.tdpW).toBeCloseTo((350 * 4) / 112, 12);
    expect(vm.source).toMatch(/scaled by 4\/112/);
    const twoSockets = resolveCpuTdp({
      model: 'AMD EPYC 7763 64-Core Processor',
      logicalCpus: 256
    });
    expect(twoSockets.tdpW).toBeCloseTo(560, 12);
  });

  it('falls back to a per-thread default, and honours an override', () => {
    const unknown = resolveCpuTdp({ model: 'Intel(R) Xeon(R) Processor', logicalCpus: 2 });
    expect(unknown.tdpW).toBe(2 * DEFAULT_TDP_W_PER_THREAD);
    expect(unknown.source).toMatch(/default/);
    expect(resolveCpuTdp({ model: 'x', logicalCpus: 2, overrideW: 42 })).toEqual({
      tdpW: 42,
      source: 'user override',
      model: null
    });
    expect(() => resolveCpuTdp({ model: 'x', logicalCpus: 2, overrideW: -1 })).toThrow(RangeError);
  });
});
