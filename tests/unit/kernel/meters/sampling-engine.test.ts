// The engine is driven with a fixed clock and scripted estimator inputs, and RAPL is a fixture
// powercap tree in a temporary folder (no RAPL on these VMs); the RAPL reader is the real one.
import { resolveCarbonSettings } from '../../../../core/carbon';
import { buildMeasurementRecord } from '../../../../core/measurement';
import { measurementLine, measurementText } from '../../../../core/measurement-static-view';
import { CumulativeSeries } from '../../../../kernel/meters/cumulative-series';
import { probeMeters, type MeterProbe } from '../../../../kernel/meters/probe';
import { SamplingEngine, type EstimateReaders } from '../../../../kernel/meters/sampling-engine';
import { makePowercapTree, removeTree, setEnergy } from './fixtures/powercap-tree';

/**
 * Scripted estimator inputs: a process alone on a 2-CPU machine, using `load` CPUs, plus its
 * sampler thread's 1 ms per second (which the engine must leave out).
 */
function scriptedReaders(clock: { t: number }, load: number): EstimateReaders {
  return {
    processCpuS: () => (clock.t / 1000) * load + clock.t / 1e6,
    machineCpuS: () => ({ busyS: (clock.t / 1000) * load, totalS: (clock.t / 1000) * 2 }),
    rssGB: () => 1,
    threadCpuS: () => clock.t / 1e6
  };
}

async function estimateOnlyProbe(tdpW: number): Promise<MeterProbe> {
  return probeMeters({ rapl: false, nvidia: false, tdpW });
}

describe('SamplingEngine with the estimator', () => {
  it('integrates estimated power over a window and builds its timeline', async () => {
    const clock = { t: 0 };
    const probe = await estimateOnlyProbe(100);
    // One of two CPUs busy: 50 % load -> 0.75 x TDP, all of it ours.
    const engine = new SamplingEngine(
      probe,
      { intervalMs: 100 },
      {
        now: () => clock.t,
        readers: scriptedReaders(clock, 1)
      }
    );
    clock.t = 1000;
    engine.begin(1, 1000);
    for (let i = 1; i <= 20; i++) {
      clock.t = 1000 + i * 100;
      engine.sample();
    }
    const reading = engine.end(1, 3000);
    expect(reading.durationS).toBe(2);
    expect(reading.components.cpu).toEqual({
      energyJ: expect.any(Number),
      method: 'estimate',
      scope: 'process',
      coverage: 0
    });
    expect(reading.components.cpu.energyJ).toBeCloseTo(75 * 2, 6);
    expect(reading.components.ram.energyJ).toBeCloseTo(0.3725 * 2, 6);
    expect(reading.components.gpu).toEqual({ energyJ: 0, method: null, scope: null, coverage: 1 });
    expect(reading.cpuUtilisationPercent).toBeCloseTo(50, 6);
    expect(reading.intervals.length).toBe(20);
    expect(reading.intervals.every(i => Math.abs(i.cpuW - 75) < 1e-6)).toBe(true);
    expect(reading.samplerCpuS).toBeCloseTo(0.002, 9);
    expect(reading.constants.estimator?.cpuTdpW).toBe(100);
    expect(reading.fallbackReasons.join()).toMatch(/CPU energy estimated: RAPL turned off/);
  });

  it('reads a window between samples by interpolation', async () => {
    const clock = { t: 0 };
    const engine = new SamplingEngine(
      await estimateOnlyProbe(100),
      {},
      { now: () => clock.t, readers: scriptedReaders(clock, 2) }
    );
    clock.t = 1000;
    engine.begin(7, 950);
    clock.t = 1100;
    engine.sample();
    clock.t = 1250;
    const reading = engine.end(7, 1200);
    // Full load: 1.02 x 100 W for 0.25 s.
    expect(reading.components.cpu.energyJ).toBeCloseTo(102 * 0.25, 6);
    expect(() => engine.end(7, 1300)).toThrow(/no open measurement window/);
  });
});

describe('SamplingEngine with RAPL (fixture tree)', () => {
  it('measures package and dram with a wrap in the middle of the window', async () => {
    const max = 100_000_000;
    const root = makePowercapTree([
      { id: 'intel-rapl:0', name: 'package-0', energyUj: max - 2_000_000, maxEnergyRangeUj: max },
      { id: 'intel-rapl:0:0', name: 'core', energyUj: 0 },
      { id: 'intel-rapl:0:1', name: 'dram', energyUj: 0, maxEnergyRangeUj: max }
    ]);
    try {
      const clock = { t: 0 };
      const probe = await probeMeters({ raplRoot: root, nvidia: false, tdpW: 100 });
      expect(probe.cpu.method).toBe('rapl');
      expect(probe.ram.method).toBe('rapl');
      const engine = new SamplingEngine(
        probe,
        {},
        { now: () => clock.t, readers: scriptedReaders(clock, 2) }
      );
      clock.t = 1000;
      engine.begin(1, 1000);
      clock.t = 1500;
      setEnergy(root, 'intel-rapl:0', max - 500_000); // +1.5 J
      setEnergy(root, 'intel-rapl:0:1', 200_000); // +0.2 J
      engine.sample();
      clock.t = 2000;
      setEnergy(root, 'intel-rapl:0', 1_500_000); // wrapped: +2 J
      setEnergy(root, 'intel-rapl:0:0', 999_999_999); // core: never added
      setEnergy(root, 'intel-rapl:0:1', 400_000); // +0.2 J
      const reading = engine.end(1, 2000);
      expect(reading.components.cpu).toEqual({
        energyJ: expect.any(Number),
        method: 'rapl',
        scope: 'machine',
        coverage: 1
      });
      expect(reading.components.cpu.energyJ).toBeCloseTo(3.5, 9);
      expect(reading.components.ram.energyJ).toBeCloseTo(0.4, 9);
      expect(reading.intervals.map(i => Math.round(i.cpuW))).toEqual([3, 4]);
      // The estimator ran alongside, for comparison.
      expect(reading.estimateCheck?.cpuJ).toBeCloseTo(102, 6);
      expect(reading.constants.rapl?.zones.map(z => z.name)).toEqual(['package-0', 'dram']);
    } finally {
      removeTree(root);
    }
  });
});

describe('SamplingEngine with GPU samples', () => {
  function gpuProbe(energyCounter: boolean, base: MeterProbe): MeterProbe {
    return {
      ...base,
      gpu: { method: 'nvml', scope: 'device' },
      nvidia: {
        available: true,
        binary: 'nvidia-smi',
        fields: ['index', 'name', 'power.draw'],
        energyCounter,
        gpus: [{ index: 0, name: 'GPU', powerW: 100, energyMJ: null }]
      }
    };
  }

  it('integrates power samples (trapezoid) when there is no energy counter', async () => {
    const clock = { t: 0 };
    const engine = new SamplingEngine(
      gpuProbe(false, await estimateOnlyProbe(100)),
      {},
      { now: () => clock.t, readers: scriptedReaders(clock, 0) }
    );
    engine.gpuSample({ index: 0, name: 'GPU', powerW: 100, energyMJ: null }, 900);
    clock.t = 1000;
    engine.begin(1, 1000);
    engine.gpuSample({ index: 0, name: 'GPU', powerW: 100, energyMJ: null }, 1100);
    engine.gpuSample({ index: 0, name: 'GPU', powerW: 200, energyMJ: null }, 1200);
    engine.gpuSample({ index: 0, name: 'GPU', powerW: 200, energyMJ: null }, 1300);
    clock.t = 1400;
    const reading = engine.end(1, 1400);
    // 0.1 s at 100 W + 0.1 s ramping to 200 W + 0.1 s at 200 W + 0.1 s extrapolated at 200 W.
    expect(reading.components.gpu.energyJ).toBeCloseTo(10 + 15 + 20 + 20, 6);
    expect(reading.gpus[0]).toMatchObject({ index: 0, source: 'power', samples: 3 });
  });

  it('keeps memory bounded while GPU lines arrive with no window open', async () => {
    const clock = { t: 0 };
    const engine = new SamplingEngine(
      gpuProbe(false, await estimateOnlyProbe(100)),
      {},
      { now: () => clock.t, readers: scriptedReaders(clock, 0) }
    );
    for (let i = 0; i < 5000; i++) {
      engine.gpuSample({ index: 0, name: 'GPU', powerW: 100, energyMJ: null }, i * 100);
    }
    const nvidia = (
      engine as unknown as {
        nvidia: { tracks: Map<number, { series: { total: CumulativeSeries } }> };
      }
    ).nvidia;
    expect(nvidia.tracks.get(0)!.series.total.length).toBeLessThanOrEqual(65);
    expect(engine.live().gpuW).toBeCloseTo(100, 9);
  });

  it('uses the energy counter (mJ) when there is one', async () => {
    const clock = { t: 0 };
    const engine = new SamplingEngine(
      gpuProbe(true, await estimateOnlyProbe(100)),
      {},
      { now: () => clock.t, readers: scriptedReaders(clock, 0) }
    );
    engine.gpuSample({ index: 0, name: 'GPU', powerW: 1, energyMJ: 1_000_000 }, 1000);
    clock.t = 1000;
    engine.begin(1, 1000);
    engine.gpuSample({ index: 0, name: 'GPU', powerW: 1, energyMJ: 1_030_000 }, 1500);
    engine.gpuSample({ index: 0, name: 'GPU', powerW: 1, energyMJ: 1_050_000 }, 2000);
    clock.t = 2000;
    const reading = engine.end(1, 2000);
    expect(reading.components.gpu.energyJ).toBeCloseTo(50, 9);
    expect(reading.gpus[0].source).toBe('counter');
  });
});

describe('SamplingEngine provenance (issue #15: every joule says where it came from)', () => {
  function gpuProbe(
    energyCounter: boolean,
    base: MeterProbe,
    powerW: number | null = 100
  ): MeterProbe {
    return {
      ...base,
      gpu: { method: 'nvml', scope: 'device' },
      nvidia: {
        available: true,
        binary: 'nvidia-smi',
        fields: ['index', 'name', 'power.draw', 'total_energy_consumption'],
        energyCounter,
        gpus: [{ index: 0, name: 'GPU', powerW, energyMJ: null }]
      }
    };
  }

  // RAPL in a VM: a fixture powercap tree, read by the real reader; here it vanishes mid-window.
  it('splits a window where RAPL stops answering: counter joules, then estimated ones', async () => {
    const root = makePowercapTree([{ id: 'intel-rapl:0', name: 'package-0', energyUj: 0 }]);
    try {
      const clock = { t: 0 };
      const probe = await probeMeters({ raplRoot: root, nvidia: false, tdpW: 100 });
      const engine = new SamplingEngine(
        probe,
        {},
        { now: () => clock.t, readers: scriptedReaders(clock, 2) }
      );
      clock.t = 1000;
      engine.begin(1, 1000);
      clock.t = 2000;
      setEnergy(root, 'intel-rapl:0', 50_000_000); // +50 J over the first second
      engine.sample();
      removeTree(root); // RAPL stops answering
      clock.t = 3000;
      engine.sample();
      clock.t = 4000;
      const reading = engine.end(1, 4000);
      // 1 s of RAPL (50 J), then 2 s of the estimator at full load (102 W).
      expect(reading.components.cpu.energyJ).toBeCloseTo(50 + 204, 6);
      expect(reading.components.cpu.method).toBe('rapl');
      expect(reading.components.cpu.coverage).toBeCloseTo(50 / 254, 9);
      expect(reading.notes.join()).toMatch(/RAPL stopped answering/);
      const record = buildMeasurementRecord({ runs: [reading], settings: resolveCarbonSettings() });
      expect(record.provenance).toBe('partly-measured');
      expect(record.method).toBe('estimate');
      // A window wholly after the stop is the estimator's alone.
      engine.begin(2, 4000);
      clock.t = 5000;
      const after = engine.end(2, 5000);
      expect(after.components.cpu).toMatchObject({ method: 'estimate', coverage: 0 });
    } finally {
      removeTree(root);
    }
  });

  // The defect: a wrap with an unreadable max_energy_range_uj counted 0 J, silently.
  it('fills in a wrap it cannot correct (range unreadable) and does not count it', async () => {
    const root = makePowercapTree([
      {
        id: 'intel-rapl:0',
        name: 'package-0',
        energyUj: 90_000_000,
        maxEnergyRangeIsDirectory: true
      }
    ]);
    try {
      const clock = { t: 0 };
      const probe = await probeMeters({ raplRoot: root, nvidia: false, tdpW: 100 });
      expect(probe.rapl.counted[0].maxEnergyRangeUj).toBeNaN();
      expect(probe.fallbackReasons.join()).toMatch(
        /RAPL package-0: max_energy_range_uj unreadable/
      );
      const engine = new SamplingEngine(
        probe,
        {},
        { now: () => clock.t, readers: scriptedReaders(clock, 1) }
      );
      clock.t = 1000;
      engine.begin(1, 1000);
      clock.t = 2000;
      setEnergy(root, 'intel-rapl:0', 100_000_000); // +10 J
      engine.sample();
      clock.t = 3000;
      setEnergy(root, 'intel-rapl:0', 5_000_000); // wrapped, range unknown
      const reading = engine.end(1, 3000);
      // The unknown second is filled in at the previous second's 10 W, not 0 J.
      expect(reading.components.cpu.energyJ).toBeCloseTo(20, 9);
      expect(reading.components.cpu.coverage).toBeCloseTo(0.5, 9);
      expect(reading.notes.join()).toMatch(
        /package-0 wrapped and its max_energy_range_uj is unreadable/
      );
    } finally {
      removeTree(root);
    }
  });

  // The defect: an N/A counter line was integrated from power, and the next counter step counted
  // the same interval again.
  it('counts an interval once when a counter line reads N/A', async () => {
    const clock = { t: 0 };
    const engine = new SamplingEngine(
      gpuProbe(true, await estimateOnlyProbe(100)),
      {},
      { now: () => clock.t, readers: scriptedReaders(clock, 0) }
    );
    engine.gpuSample({ index: 0, name: 'GPU', powerW: 100, energyMJ: 1_000_000 }, 1000);
    clock.t = 1000;
    engine.begin(1, 1000);
    engine.gpuSample({ index: 0, name: 'GPU', powerW: 100, energyMJ: null }, 2000); // N/A
    engine.gpuSample({ index: 0, name: 'GPU', powerW: 100, energyMJ: 1_200_000 }, 3000);
    engine.gpuSample({ index: 0, name: 'GPU', powerW: 100, energyMJ: 1_300_000 }, 4000);
    clock.t = 4000;
    const reading = engine.end(1, 4000);
    // 100 J (power, 1-2 s) + 100 J (power, 2-3 s: no counter at its start) + 100 J (counter).
    expect(reading.components.gpu.energyJ).toBeCloseTo(300, 9);
    expect(reading.components.gpu).toMatchObject({ method: 'nvml', coverage: 1 });
  });

  it('does not count GPU joules extrapolated past the last nvidia-smi line', async () => {
    const clock = { t: 0 };
    const engine = new SamplingEngine(
      gpuProbe(false, await estimateOnlyProbe(100)),
      {},
      { now: () => clock.t, readers: scriptedReaders(clock, 0) }
    );
    engine.gpuSample({ index: 0, name: 'GPU', powerW: 100, energyMJ: null }, 1000);
    clock.t = 1000;
    engine.begin(1, 1000);
    engine.gpuSample({ index: 0, name: 'GPU', powerW: 100, energyMJ: null }, 2000);
    // nvidia-smi stops here; the window goes on for 2 s.
    engine.note('nvidia-smi stopped (exit 1): GPU energy after that is extrapolated');
    clock.t = 4000;
    expect(engine.awaitsGpu(4000)).toBe(true);
    const reading = engine.end(1, 4000);
    expect(reading.components.gpu.energyJ).toBeCloseTo(300, 9);
    expect(reading.components.gpu.method).toBe('nvml');
    expect(reading.components.gpu.coverage).toBeCloseTo(1 / 3, 9);
    expect(reading.gpus[0].coverage).toBeCloseTo(1 / 3, 9);
    expect(reading.notes.join()).toMatch(/outside nvidia-smi's samples; that part is extrapolated/);
  });

  // The defect: a GPU with fewer than two samples gave 0 J, as nvml.
  it('says what it did for a GPU with fewer than two samples, and does not count it', async () => {
    const clock = { t: 0 };
    const engine = new SamplingEngine(
      gpuProbe(false, await estimateOnlyProbe(100), 60),
      {},
      { now: () => clock.t, readers: scriptedReaders(clock, 0) }
    );
    clock.t = 1000;
    engine.begin(1, 1000);
    engine.gpuSample({ index: 0, name: 'GPU', powerW: 80, energyMJ: null }, 1200);
    clock.t = 1500;
    const reading = engine.end(1, 1500);
    expect(reading.components.gpu).toMatchObject({ method: 'estimate', coverage: 0 });
    expect(reading.components.gpu.energyJ).toBeCloseTo(80 * 0.5, 9);
    expect(reading.notes.join()).toMatch(/GPU 0: fewer than two nvidia-smi samples so far/);
    const record = buildMeasurementRecord({ runs: [reading], settings: resolveCarbonSettings() });
    expect(record.provenance).toBe('estimated');

    // No power known at all: its energy is missing, and the record cannot read as measured.
    const blind = new SamplingEngine(
      gpuProbe(false, await estimateOnlyProbe(100), null),
      {},
      { now: () => clock.t, readers: scriptedReaders(clock, 0) }
    );
    blind.begin(1, 1500);
    clock.t = 1600;
    const missing = blind.end(1, 1600);
    expect(missing.components.gpu).toMatchObject({ energyJ: 0, method: 'estimate', coverage: 0 });
    expect(missing.notes.join()).toMatch(/no power reading yet, its energy is missing/);
  });

  // Review P3-1: a GPU that reads N/A on every line has no energy to show; it used to count as
  // 0 J measured, and a record missing it showed a made-up "99 % counter".
  it('says GPU energy is missing when every line reads N/A, and keeps the share real', async () => {
    const clock = { t: 0 };
    const engine = new SamplingEngine(
      gpuProbe(false, await estimateOnlyProbe(100), null),
      {},
      { now: () => clock.t, readers: scriptedReaders(clock, 0) }
    );
    const na = { index: 0, name: 'GPU', powerW: null, energyMJ: null };
    engine.gpuSample(na, 500);
    clock.t = 1000;
    engine.begin(1, 1000);
    engine.gpuSample(na, 1500);
    engine.gpuSample(na, 2500);
    clock.t = 2000;
    const reading = engine.end(1, 2000);
    expect(reading.components.gpu).toMatchObject({ energyJ: 0, method: 'estimate', coverage: 0 });
    expect(reading.notes.join()).toMatch(/GPU 0: no power reading from nvidia-smi/);

    // The same GPU next to a CPU a counter measured in full: the share is that of the joules
    // the record holds (all counted), and the record and every view say the GPU is missing.
    reading.components.cpu = { energyJ: 5, method: 'rapl', scope: 'machine', coverage: 1 };
    reading.components.ram = { energyJ: 1, method: 'rapl', scope: 'machine', coverage: 1 };
    const record = buildMeasurementRecord({ runs: [reading], settings: resolveCarbonSettings() });
    expect(record.coverage).toBe(1);
    expect(record.notes.join()).toMatch(/GPU energy missing: no reading/);
    expect(measurementLine(record)).toContain('GPU energy missing');
    expect(measurementText(record)).toMatch(/Method\s+measured \(RAPL\); GPU energy missing/);
    expect(measurementText(record)).not.toMatch(/99 % counter/);

    // 0 W read from nvidia-smi is a reading: counted, nothing missing.
    const idle = new SamplingEngine(
      gpuProbe(false, await estimateOnlyProbe(100), 0),
      {},
      { now: () => clock.t, readers: scriptedReaders(clock, 0) }
    );
    const zero = { index: 0, name: 'GPU', powerW: 0, energyMJ: null };
    idle.gpuSample(zero, 2500);
    clock.t = 3000;
    idle.begin(1, 3000);
    idle.gpuSample(zero, 3500);
    clock.t = 3200;
    const still = idle.end(1, 3200);
    expect(still.components.gpu).toMatchObject({ energyJ: 0, method: 'nvml', coverage: 1 });
  });
});
