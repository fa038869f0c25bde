// Short windows close on the main thread from the sampler's published rates (short-window.ts).
// RAPL is a fixture powercap tree (these VMs have none); the worker-thread test reads the real /proc.
import { resolveCarbonSettings } from '../../../../core/carbon';
import { buildMeasurementRecord, type HostInfo } from '../../../../core/measurement';
import { estimateInterval } from '../../../../kernel/meters/estimate';
import { probeMeters, type MeterProbe } from '../../../../kernel/meters/probe';
import { openPowerMeter } from '../../../../kernel/meters/sampler';
import { meterConstants, SamplingEngine } from '../../../../kernel/meters/sampling-engine';
import { SharedRates, type PublishedRates } from '../../../../kernel/meters/shared-state';
import {
  SHORT_WINDOW_MS,
  shortWindowReading,
  type WindowMark
} from '../../../../kernel/meters/short-window';
import { makePowercapTree, removeTree } from './fixtures/powercap-tree';

const host: HostInfo = {
  os: 'linux-test',
  cpuModel: 'test CPU',
  logicalCpus: 2,
  ramTotalGB: 8,
  gpuCount: 0,
  gpuModel: null
};

const mark = (t: number, cpuMs: number): WindowMark => ({
  t,
  cpu: { user: cpuMs * 1000, system: 0 }
});

const rates = (over: Partial<PublishedRates> = {}): PublishedRates => ({
  rapl: false,
  cpuW: 30,
  ramW: 0.4,
  machineBusy: 0.5,
  rssGB: 1,
  ...over
});

function context(probe: MeterProbe) {
  return { probe, constants: meterConstants(probe, {}), host };
}

describe('SharedRates', () => {
  it('reads nothing before the first write, then the last write whole', () => {
    const shared = SharedRates.create();
    expect(shared.read()).toBeNull();
    shared.write(rates({ cpuW: 1 }));
    shared.write(rates({ rapl: true, cpuW: 12.5, rssGB: 2 }));
    // Another view of the same memory, as the other thread holds it.
    expect(new SharedRates(shared.buffer).read()).toEqual(
      rates({ rapl: true, cpuW: 12.5, rssGB: 2 })
    );
  });
});

describe('SamplingEngine.rates', () => {
  it("publishes the last interval's power, machine load and memory", async () => {
    const probe = await probeMeters({ rapl: false, nvidia: false, tdpW: 100 });
    const clock = { t: 0 };
    const engine = new SamplingEngine(
      probe,
      {},
      {
        now: () => clock.t,
        // One of two CPUs busy, all of it this process.
        readers: {
          processCpuS: () => clock.t / 1000,
          machineCpuS: () => ({ busyS: clock.t / 1000, totalS: (clock.t / 1000) * 2 }),
          rssGB: () => 1.5,
          threadCpuS: () => 0
        }
      }
    );
    clock.t = 1000;
    engine.sample();
    const published = engine.rates();
    const expected = estimateInterval(
      { dtS: 1, processCpuS: 1, machineBusyS: 1, machineTotalS: 2, rssGB: 1.5 },
      probe.estimator
    );
    expect(published.rapl).toBe(false);
    expect(published.machineBusy).toBeCloseTo(0.5, 9);
    expect(published.cpuW).toBeCloseTo(expected.cpuW, 9);
    expect(published.ramW).toBeCloseTo(expected.ramW, 9);
    expect(published.rssGB).toBe(1.5);
  });
});

describe('shortWindowReading', () => {
  it('estimates from the window’s own CPU time and the last machine load', async () => {
    const probe = await probeMeters({ rapl: false, nvidia: false, tdpW: 100 });
    // 4 ms long, 4 ms of CPU: one CPU of two busy, as the last interval said.
    const reading = shortWindowReading(mark(1000, 0), mark(1004, 4), rates(), context(probe))!;
    const expected = estimateInterval(
      { dtS: 0.004, processCpuS: 0.004, machineBusyS: 0.004, machineTotalS: 0.008, rssGB: 1 },
      probe.estimator
    );
    expect(reading.durationS).toBeCloseTo(0.004, 12);
    expect(reading.components.cpu).toEqual({
      energyJ: expect.closeTo(expected.cpuW * 0.004, 12),
      method: 'estimate',
      scope: 'process',
      coverage: 0
    });
    expect(reading.components.ram.energyJ).toBeCloseTo(expected.ramW * 0.004, 12);
    expect(reading.components.gpu.method).toBeNull();
    expect(reading.cpuUtilisationPercent).toBeCloseTo(50, 9);
    expect(reading.intervals).toEqual([
      { t0: 0, t1: reading.durationS, cpuW: expected.cpuW, gpuW: 0, ramW: expected.ramW }
    ]);
    expect(reading.samples).toBe(0);
    expect(reading.estimateCheck).toBeUndefined();
    // An idle window (no CPU of ours) costs no CPU energy, only the memory held.
    const idle = shortWindowReading(mark(1000, 3), mark(1004, 3), rates(), context(probe))!;
    expect(idle.components.cpu.energyJ).toBe(0);
    expect(idle.components.ram.energyJ).toBeGreaterThan(0);
  });

  // A window under 10 ms is RAPL's power of the last sampled interval times the window: no
  // counter read this window, so it must not pass for a counter reading (issue #15, finding 3).
  it('takes RAPL power of the last interval, marks it not counted, says so, and keeps the estimate as a check', async () => {
    const root = makePowercapTree([
      { id: 'intel-rapl:0', name: 'package-0', energyUj: 1_000_000 },
      { id: 'intel-rapl:0:1', name: 'dram', energyUj: 0 }
    ]);
    try {
      const probe = await probeMeters({ raplRoot: root, nvidia: false });
      expect(probe.rapl.hasDram).toBe(true);
      const live = rates({ rapl: true, cpuW: 40, ramW: 3 });
      const reading = shortWindowReading(mark(0, 0), mark(5, 1), live, context(probe))!;
      expect(reading.components.cpu).toEqual({
        energyJ: expect.closeTo(0.2, 12),
        method: 'estimate',
        scope: 'machine',
        coverage: 0
      });
      expect(reading.components.ram).toMatchObject({
        method: 'estimate',
        scope: 'machine',
        coverage: 0
      });
      expect(reading.components.ram.energyJ).toBeCloseTo(0.015, 12);
      expect(reading.notes.join()).toMatch(
        /shorter than 10 ms: RAPL power of the last sampled interval x the window \(extrapolated, not counted\)/
      );
      const record = buildMeasurementRecord({ runs: [reading], settings: resolveCarbonSettings() });
      expect(record).toMatchObject({
        method: 'estimate',
        estimated: true,
        coverage: 0,
        provenance: 'estimated'
      });
      expect(reading.estimateCheck?.cpuJ).toBeGreaterThan(0);
      // RAPL stopped answering since the probe: the thread's reading (with its note) is needed.
      expect(shortWindowReading(mark(0, 0), mark(5, 1), rates(), context(probe))).toBeNull();
    } finally {
      removeTree(root);
    }
  });

  it('leaves long windows, GPU machines and unpublished rates to the sampler thread', async () => {
    const probe = await probeMeters({ rapl: false, nvidia: false });
    const ctx = context(probe);
    const long = SHORT_WINDOW_MS;
    expect(shortWindowReading(mark(0, 0), mark(long, 1), rates(), ctx)).toBeNull();
    expect(shortWindowReading(mark(0, 0), mark(1, 1), null, ctx)).toBeNull();
    const gpu = { ...probe, nvidia: { ...probe.nvidia, available: true } };
    expect(shortWindowReading(mark(0, 0), mark(1, 1), rates(), context(gpu))).toBeNull();
  });
});

describe('short windows on a running meter (worker thread, real /proc)', () => {
  it('closes a short window without the thread and a longer one through it', async () => {
    const meter = await openPowerMeter({ raplRoot: '/nonexistent/powercap', nvidia: false });
    try {
      await meter.begin().end(); // the thread has published a sample after this
      const short = await meter.begin().end();
      expect(short.durationS * 1000).toBeLessThan(SHORT_WINDOW_MS);
      expect(short.samples).toBe(0);
      expect(short.components.cpu.method).toBe('estimate');
      expect(short.ramUsedGB).toBeGreaterThan(0);

      const window = meter.begin();
      await new Promise(resolve => setTimeout(resolve, 3 * SHORT_WINDOW_MS));
      const long = await window.end();
      // Read by the thread: its begin and end samples fall inside the window.
      expect(long.samples).toBeGreaterThanOrEqual(1);
    } finally {
      await meter.close();
    }
  });
});
