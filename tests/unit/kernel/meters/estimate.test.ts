import {
  cpuModelTokens,
  cpuPowerW,
  DEFAULT_TDP_W_PER_THREAD,
  findCpuTdp,
  RAM_W_PER_GB,
  ramPowerW,
  resolveCpuTdp,
  teadsMultiplier
} from '../../../../core/cpu-power';
import {
  estimateInterval,
  estimatorConstants,
  parseProcStat,
  procStatCpuSeconds,
  readMachineCpuSeconds,
  readProcessCpuSeconds,
  readProcessTreeUsage,
  readThreadCpuSeconds
} from '../../../../kernel/meters/estimate';

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

describe('estimateInterval', () => {
  const constants = { cpuTdpW: 100, ramWPerGB: RAM_W_PER_GB };

  it('attributes machine CPU power by the process share of busy CPU time', () => {
    // 2 CPUs for 1 s = 2 CPU-s capacity; machine busy 1 CPU-s (50 %); we used 0.5 of it.
    const e = estimateInterval(
      { dtS: 1, processCpuS: 0.5, machineBusyS: 1, machineTotalS: 2, rssGB: 2 },
      constants
    );
    expect(e.utilisationPercent).toBeCloseTo(50, 12);
    expect(e.share).toBeCloseTo(0.5, 12);
    expect(e.cpuW).toBeCloseTo(100 * 0.75 * 0.5, 12);
    expect(e.ramW).toBeCloseTo(2 * 0.3725, 12);
  });

  it('charges the whole machine CPU power to a process that is alone on it', () => {
    const e = estimateInterval(
      { dtS: 1, processCpuS: 2, machineBusyS: 2, machineTotalS: 2, rssGB: 0 },
      constants
    );
    expect(e.cpuW).toBeCloseTo(102, 12);
  });

  it('charges nothing to an idle process and clamps tick rounding', () => {
    const idle = estimateInterval(
      { dtS: 1, processCpuS: 0, machineBusyS: 0.3, machineTotalS: 2, rssGB: 0 },
      constants
    );
    expect(idle.cpuW).toBe(0);
    // Machine ticks (10 ms) can lag our µs CPU time: share is capped at 1.
    const rounded = estimateInterval(
      { dtS: 0.1, processCpuS: 0.012, machineBusyS: 0.01, machineTotalS: 0.2, rssGB: 0 },
      constants
    );
    expect(rounded.share).toBe(1);
    const noTicks = estimateInterval(
      { dtS: 0.01, processCpuS: 0.004, machineBusyS: 0, machineTotalS: 0, rssGB: 0 },
      constants
    );
    expect(noTicks.share).toBe(1);
    expect(noTicks.cpuW).toBeCloseTo(12, 12);
  });

  it('gives RAM power per GB', () => {
    expect(ramPowerW(8)).toBeCloseTo(2.98, 12);
    expect(ramPowerW(-1)).toBe(0);
  });
});

describe('/proc readers', () => {
  it('parses a stat line whose command name holds spaces and parentheses', () => {
    const line =
      '1234 (node (worker) x) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 30 20 20 0 11 0 5 6 7';
    expect(parseProcStat(line)[0]).toBe('S');
    expect(procStatCpuSeconds(line, false)).toBeCloseTo(3, 12);
    expect(procStatCpuSeconds(line, true)).toBeCloseTo(3.5, 12);
  });

  it('reads this process, its thread and the machine', () => {
    expect(readProcessCpuSeconds()).toBeGreaterThan(0);
    const machine = readMachineCpuSeconds();
    expect(machine.totalS).toBeGreaterThan(machine.busyS);
    expect(readThreadCpuSeconds()).not.toBeNull();
    const tree = readProcessTreeUsage(process.pid);
    expect(tree.cpuS).toBeGreaterThan(0);
    expect(tree.rssGB).toBeGreaterThan(0);
  });

  it('names every constant it uses', () => {
    const c = estimatorConstants({ cpuModel: 'AMD EPYC 7763 64-Core Processor', logicalCpus: 128 });
    expect(c.cpuTdpW).toBe(280);
    expect(c.cpuTdpSource).toMatch(/AMD/);
    expect(c.loadCurve).toEqual([
      [0, 0.12],
      [10, 0.32],
      [50, 0.75],
      [100, 1.02]
    ]);
    expect(c.loadCurveSource).toMatch(/Teads/);
    expect(c.ramWPerGBSource).toMatch(/Green Algorithms/);
    expect(estimatorConstants({ ramWPerGB: 0.5 }).ramWPerGBSource).toBe('user override');
  });
});
