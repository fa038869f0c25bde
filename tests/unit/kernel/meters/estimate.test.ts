import { RAM_W_PER_GB, ramPowerW } from '../../../../core/cpu-power';
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
