/**
 * The sampler's bookkeeping, independent of threads so tests can drive it with a fixed clock:
 * each meter feeds running totals (CumulativeSeries); a measurement window is the difference of
 * those totals between its begin and end instants, and its timeline is the totals' slopes between
 * samples.
 */
import {
  mergeIntervals,
  type Components,
  type GpuEnergy,
  type HostInfo,
  type MeterConstants,
  type MeterReading,
  type PowerInterval
} from '../../core/measurement';
import * as os from 'node:os';
import { CumulativeSeries } from './cumulative-series';
import {
  estimateInterval,
  ProcFile,
  readMachineCpuSeconds,
  readProcessCpuSeconds,
  readProcessTreeUsage,
  readRssGB,
  readThreadCpuSeconds
} from './estimate';
import type { NvidiaGpuSample } from './nvidia';
import type { MeterOptions, MeterProbe } from './probe';
import { raplEnergyBetween, readRaplCounters, type SysfsReader } from './rapl';
import type { LiveSample } from './sampler-messages';
import type { PublishedRates } from './shared-state';

export const DEFAULT_INTERVAL_MS = 100;
export const DEFAULT_LIVE_INTERVAL_MS = 1000;
/** Timelines leave the worker with at most this many intervals; the record keeps 200 points. */
export const MAX_READING_INTERVALS = 1000;
/** Below this a GPU figure rests on extrapolation (nvidia-smi reports every 100 ms at best). */
const SHORT_WINDOW_MS = 100;

/** Where the estimator's inputs come from; injectable for deterministic tests. */
export interface EstimateReaders {
  processCpuS(): number;
  machineCpuS(): { busyS: number; totalS: number };
  rssGB(): number;
  /** CPU time of the sampling thread itself; null where unknown. */
  threadCpuS(): number | null;
  /** Release open files. */
  close?(): void;
}

export function processReaders(trackPid?: number): EstimateReaders {
  // Opened lazily by the thread that samples: /proc/thread-self must be the sampler's thread.
  const selfStat = new ProcFile('/proc/self/stat');
  const threadSchedstat = new ProcFile('/proc/thread-self/schedstat', 128);
  const threadStat = new ProcFile('/proc/thread-self/stat');
  // Only the first line is needed; a short read keeps the copy small on many-CPU machines.
  const machineStat = new ProcFile('/proc/stat', 256);
  // One walk of the tracked process tree per sample: processCpuS() reads it, rssGB() reuses it.
  let tree = { cpuS: 0, rssGB: 0 };
  return {
    processCpuS: () => {
      if (trackPid !== undefined) tree = readProcessTreeUsage(trackPid);
      return readProcessCpuSeconds(selfStat) + tree.cpuS;
    },
    machineCpuS: () => readMachineCpuSeconds(machineStat),
    rssGB: () => readRssGB() + tree.rssGB,
    threadCpuS: () => readThreadCpuSeconds(threadSchedstat, threadStat),
    close: () => [selfStat, threadSchedstat, threadStat, machineStat].forEach(f => f.close())
  };
}

interface GpuTrack {
  index: number;
  name: string;
  source: 'counter' | 'power';
  series: CumulativeSeries;
  total: number;
  lastAt?: number;
  lastPowerW?: number;
  lastMJ?: number;
}

interface Snapshot {
  t: number;
  processCpuS: number;
  busyS: number;
  totalS: number;
  rssGB: number;
}

export function hostInfo(probe: MeterProbe): HostInfo {
  const cpus = os.cpus();
  return {
    os: `${os.platform()}-${os.release()}-${os.arch()}`,
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    logicalCpus: Math.max(1, cpus.length),
    ramTotalGB: os.totalmem() / 1e9,
    gpuCount: probe.nvidia.gpus.length,
    gpuModel: probe.nvidia.gpus.length > 0 ? probe.nvidia.gpus[0].name : null
  };
}

export function meterConstants(probe: MeterProbe, options: MeterOptions): MeterConstants {
  const constants: MeterConstants = {
    samplingIntervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
    // The estimator always runs: it is the figure where no counter exists, and a cross-check
    // where one does.
    estimator: probe.estimator
  };
  if (probe.rapl.available) {
    constants.rapl = {
      root: probe.rapl.root,
      zones: probe.rapl.counted.map(z => ({ name: z.name, path: z.path }))
    };
  }
  if (probe.nvidia.available) {
    constants.nvidia = {
      binary: probe.nvidia.binary,
      fields: probe.nvidia.fields,
      energyCounter: probe.nvidia.energyCounter
    };
  }
  return constants;
}

export class SamplingEngine {
  readonly now: () => number;
  readonly constants: MeterConstants;
  readonly host: HostInfo;
  private readonly readers: EstimateReaders;
  private readonly sysfs?: SysfsReader;
  private useRapl: boolean;
  private readonly notes: string[] = [];

  // Running totals, all keyed by the same sample instants except the GPUs'.
  private readonly raplCpu = new CumulativeSeries();
  private readonly raplDram = new CumulativeSeries();
  private readonly estCpu = new CumulativeSeries();
  private readonly estRam = new CumulativeSeries();
  private readonly busy = new CumulativeSeries();
  private readonly capacity = new CumulativeSeries();
  private readonly rssSeconds = new CumulativeSeries();
  private readonly gpus = new Map<number, GpuTrack>();
  private raplTotals = { cpu: 0, dram: 0 };
  private estTotals = { cpu: 0, ram: 0, rssGBs: 0 };
  private lastCounters: number[] | null = null;
  private last: Snapshot | null = null;
  private samplerCpuBase: number | null = null;
  private readonly windows = new Map<number, { t: number; threadCpuS: number | null }>();

  constructor(
    readonly probe: MeterProbe,
    options: MeterOptions,
    hooks: { now?: () => number; readers?: EstimateReaders; sysfs?: SysfsReader } = {}
  ) {
    this.now = hooks.now ?? (() => performance.timeOrigin + performance.now());
    this.readers = hooks.readers ?? processReaders(options.trackPid);
    this.sysfs = hooks.sysfs;
    this.useRapl = probe.rapl.available;
    this.constants = meterConstants(probe, options);
    this.host = hostInfo(probe);
    for (const gpu of probe.nvidia.gpus) {
      this.gpus.set(gpu.index, {
        index: gpu.index,
        name: gpu.name,
        source: probe.nvidia.energyCounter ? 'counter' : 'power',
        series: new CumulativeSeries(),
        total: 0
      });
    }
    this.sample(this.now());
  }

  get openWindows(): number {
    return this.windows.size;
  }

  /** Read every CPU-side meter now and extend the running totals. */
  sample(t: number = this.now()): void {
    const threadCpu = this.readers.threadCpuS();
    if (this.useRapl) {
      try {
        const counters = readRaplCounters(this.probe.rapl.counted, this.sysfs);
        if (this.lastCounters) {
          const { packageJ, dramJ } = raplEnergyBetween(
            this.probe.rapl.counted,
            this.lastCounters,
            counters
          );
          this.raplTotals.cpu += packageJ;
          this.raplTotals.dram += dramJ;
        }
        this.lastCounters = counters;
        this.raplCpu.push(t, this.raplTotals.cpu);
        this.raplDram.push(t, this.raplTotals.dram);
      } catch (e) {
        this.useRapl = false;
        this.notes.push(`RAPL stopped answering (${(e as Error).message}); the rest is estimated`);
      }
    }
    // The sampler's own CPU time is not the user's work: leave it out of the process's share.
    const processCpuS = this.readers.processCpuS() - (threadCpu ?? 0);
    const machine = this.readers.machineCpuS();
    const rssGB = this.readers.rssGB();
    const snapshot: Snapshot = {
      t,
      processCpuS,
      busyS: machine.busyS,
      totalS: machine.totalS,
      rssGB
    };
    if (this.last) {
      const dtS = (t - this.last.t) / 1000;
      if (dtS > 0) {
        const meanRss = (rssGB + this.last.rssGB) / 2;
        const estimate = estimateInterval(
          {
            dtS,
            processCpuS: Math.max(0, processCpuS - this.last.processCpuS),
            machineBusyS: Math.max(0, machine.busyS - this.last.busyS),
            machineTotalS: Math.max(0, machine.totalS - this.last.totalS),
            rssGB: meanRss
          },
          this.probe.estimator
        );
        this.estTotals.cpu += estimate.cpuW * dtS;
        this.estTotals.ram += estimate.ramW * dtS;
        this.estTotals.rssGBs += meanRss * dtS;
      }
    }
    if (!this.last || t > this.last.t) this.last = snapshot;
    this.estCpu.push(t, this.estTotals.cpu);
    this.estRam.push(t, this.estTotals.ram);
    this.busy.push(t, machine.busyS);
    this.capacity.push(t, machine.totalS);
    this.rssSeconds.push(t, this.estTotals.rssGBs);
    if (this.samplerCpuBase === null) this.samplerCpuBase = threadCpu;
    this.trim();
  }

  /** A line from nvidia-smi: extend that GPU's running total. */
  gpuSample(sample: NvidiaGpuSample, at: number): void {
    const track = this.gpus.get(sample.index);
    if (!track) return;
    if (track.source === 'counter' && sample.energyMJ !== null) {
      // A counter that goes backwards means the driver reloaded: count nothing for that step.
      if (track.lastMJ !== undefined)
        track.total += Math.max(0, sample.energyMJ - track.lastMJ) / 1000;
      track.lastMJ = sample.energyMJ;
    } else if (sample.powerW !== null) {
      if (track.lastAt !== undefined && track.lastPowerW !== undefined && at > track.lastAt) {
        // Trapezoid rule between consecutive power samples.
        track.total += ((track.lastPowerW + sample.powerW) / 2) * ((at - track.lastAt) / 1000);
      }
      track.lastPowerW = sample.powerW;
    }
    track.lastAt = at;
    track.series.push(at, track.total);
    // GPU lines keep coming while no window is open: keep the series short.
    if (track.series.length > 64) this.trim();
  }

  /** Something the readings from now on should mention (e.g. nvidia-smi stopped). */
  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  begin(id: number, t: number): void {
    this.sample();
    this.windows.set(id, { t, threadCpuS: this.readers.threadCpuS() });
  }

  /** Close window `id` at `t` and compute its reading. */
  end(id: number, t: number): MeterReading {
    const window = this.windows.get(id);
    if (!window) throw new Error(`no open measurement window ${id}`);
    this.sample();
    const threadCpuEnd = this.readers.threadCpuS();
    this.windows.delete(id);
    const reading = this.readingBetween(window.t, t);
    reading.samplerCpuS =
      window.threadCpuS !== null && threadCpuEnd !== null
        ? Math.max(0, threadCpuEnd - window.threadCpuS)
        : 0;
    this.trim();
    return reading;
  }

  /** Forget window `id`: the main thread closed it itself (short-window.ts). */
  discard(id: number): void {
    this.windows.delete(id);
    this.trim();
  }

  /** The CPU and RAM series the figures come from: RAPL's where it answers, else the estimator's. */
  private inUse() {
    const cpuRapl = this.useRapl;
    const dramRapl = cpuRapl && this.probe.rapl.hasDram;
    return {
      cpuRapl,
      dramRapl,
      cpuSeries: cpuRapl ? this.raplCpu : this.estCpu,
      ramSeries: dramRapl ? this.raplDram : this.estRam
    };
  }

  /** The last interval's rates, for the main thread's short windows. */
  rates(): PublishedRates {
    const { cpuRapl, cpuSeries, ramSeries } = this.inUse();
    const capacity = this.capacity.lastRatePerMs();
    return {
      rapl: cpuRapl,
      cpuW: cpuSeries.lastRatePerMs() * 1000,
      ramW: ramSeries.lastRatePerMs() * 1000,
      machineBusy: capacity > 0 ? Math.min(1, this.busy.lastRatePerMs() / capacity) : 0,
      rssGB: this.last?.rssGB ?? 0
    };
  }

  private delta(series: CumulativeSeries, from: number, to: number): number {
    return Math.max(0, series.at(to) - series.at(from));
  }

  private readingBetween(from: number, to: number): MeterReading {
    const durationS = Math.max(0, (to - from) / 1000);
    const { cpuRapl, dramRapl, cpuSeries, ramSeries } = this.inUse();
    const gpus: GpuEnergy[] = [...this.gpus.values()].map(track => ({
      index: track.index,
      name: track.name,
      energyJ: this.delta(track.series, from, to),
      source: track.source,
      samples: track.series.countBetween(from, to)
    }));
    const gpuJ = gpus.reduce((a, g) => a + g.energyJ, 0);
    const components: Components = {
      cpu: {
        energyJ: this.delta(cpuSeries, from, to),
        method: cpuRapl ? 'rapl' : 'estimate',
        scope: cpuRapl ? 'machine' : 'process'
      },
      gpu: this.probe.nvidia.available
        ? { energyJ: gpuJ, method: 'nvml', scope: 'device' }
        : { energyJ: 0, method: null, scope: null },
      ram: {
        energyJ: this.delta(ramSeries, from, to),
        method: dramRapl ? 'rapl' : 'estimate',
        scope: dramRapl ? 'machine' : 'process'
      }
    };

    // Timeline on the CPU-side sample instants; every component read off its own totals.
    const bounds = [from, ...this.estCpu.timesBetween(from, to), to];
    const intervals: PowerInterval[] = [];
    const rate = (series: CumulativeSeries, a: number, b: number) =>
      Math.max(0, (series.at(b) - series.at(a)) / ((b - a) / 1000));
    for (let i = 0; i < bounds.length - 1; i++) {
      const a = bounds[i];
      const b = bounds[i + 1];
      if (b <= a) continue;
      let gpuW = 0;
      for (const track of this.gpus.values()) gpuW += rate(track.series, a, b);
      intervals.push({
        t0: (a - from) / 1000,
        t1: (b - from) / 1000,
        cpuW: rate(cpuSeries, a, b),
        gpuW,
        ramW: rate(ramSeries, a, b)
      });
    }

    const busyS = this.delta(this.busy, from, to);
    const capacityS = this.delta(this.capacity, from, to);
    const notes = [...this.notes];
    if (this.gpus.size > 0 && to - from < SHORT_WINDOW_MS) {
      notes.push(
        'window shorter than 100 ms: GPU energy extrapolated from the nearest nvidia-smi samples'
      );
    }
    for (const gpu of gpus) {
      if (gpu.samples < 2 && this.gpus.get(gpu.index)!.series.length < 2) {
        notes.push(`GPU ${gpu.index}: fewer than two samples so far, energy not measurable`);
      }
    }
    const fallbackReasons = [...this.probe.fallbackReasons];
    const reading: MeterReading = {
      startedAt: from,
      endedAt: to,
      durationS,
      components,
      gpus,
      intervals: mergeIntervals(intervals, MAX_READING_INTERVALS),
      constants: this.constants,
      host: this.host,
      fallbackReasons,
      notes,
      cpuUtilisationPercent: capacityS > 0 ? Math.min(100, (100 * busyS) / capacityS) : 0,
      ramUsedGB:
        durationS > 0 ? this.delta(this.rssSeconds, from, to) / durationS : (this.last?.rssGB ?? 0),
      samples: this.estCpu.countBetween(from, to),
      samplerCpuS: 0
    };
    if (cpuRapl) {
      reading.estimateCheck = {
        cpuJ: this.delta(this.estCpu, from, to),
        ramJ: this.delta(this.estRam, from, to)
      };
    }
    return reading;
  }

  /** Current power (last interval) and energy since the meter opened, for the live meter. */
  live(): LiveSample {
    const t = this.last?.t ?? this.now();
    const { cpuSeries, ramSeries } = this.inUse();
    const cpuW = cpuSeries.lastRatePerMs() * 1000;
    const ramW = ramSeries.lastRatePerMs() * 1000;
    let gpuW = 0;
    let gpuJ = 0;
    for (const track of this.gpus.values()) {
      gpuW += track.series.lastRatePerMs() * 1000;
      gpuJ += track.total;
    }
    return {
      t,
      powerW: cpuW + gpuW + ramW,
      cpuW,
      gpuW,
      ramW,
      energyJ: (cpuSeries.lastTotal ?? 0) + (ramSeries.lastTotal ?? 0) + gpuJ
    };
  }

  /**
   * Keep only what open windows still need: samples from just before the earliest open window,
   * or the last two when none is open (enough for live power and for the next begin).
   */
  private trim(): void {
    let keepFrom = Infinity;
    for (const w of this.windows.values()) keepFrom = Math.min(keepFrom, w.t);
    for (const series of [
      this.raplCpu,
      this.raplDram,
      this.estCpu,
      this.estRam,
      this.busy,
      this.capacity,
      this.rssSeconds
    ]) {
      series.trimBefore(keepFrom);
    }
    for (const track of this.gpus.values()) track.series.trimBefore(keepFrom);
  }

  close(): void {
    this.readers.close?.();
  }

  /** CPU seconds the sampler thread has used since the meter opened; null where unknown. */
  samplerCpuSeconds(): number | null {
    const now = this.readers.threadCpuS();
    return now === null || this.samplerCpuBase === null ? null : now - this.samplerCpuBase;
  }
}
