/**
 * The sampler's bookkeeping, independent of threads so tests can drive it with a fixed clock:
 * each meter is an EnergySource (energy-source.ts) keeping running totals; a measurement window
 * is the difference of those totals between its begin and end instants, its timeline the totals'
 * slopes between samples. Each component is supplied by a chain of sources over time (RAPL, then
 * the estimator once RAPL stops answering), so one window can be partly counted, and its
 * reading says by how much (coverage) and why (notes).
 */
import {
  mergeIntervals,
  type ComponentEnergy,
  type Components,
  type HostInfo,
  type MeterConstants,
  type MeterReading,
  type PowerInterval
} from '../../core/measurement';
import { combinedCoverage } from '../../core/provenance';
import * as os from 'node:os';
import { NullSource, type ComponentKey, type EnergySource } from './energy-source';
import { EstimatorSource, processReaders, type EstimateReaders } from './estimator-source';
import type { NvidiaGpuSample } from './nvidia';
import { NvidiaSource } from './nvidia-source';
import type { MeterOptions, MeterProbe } from './probe';
import { RaplSource } from './rapl-source';
import { detectCloudProvider } from './cloud';
import type { SysfsReader } from './rapl';
import type { LiveSample } from './sampler-messages';
import type { PublishedRates } from './shared-state';

export const DEFAULT_INTERVAL_MS = 100;
export const DEFAULT_LIVE_INTERVAL_MS = 1000;
/** Timelines leave the worker with at most this many intervals; the record keeps 200 points. */
export const MAX_READING_INTERVALS = 1000;

export { processReaders, type EstimateReaders } from './estimator-source';

/** Which source supplies a component from `from` (epoch ms) on. */
interface Handoff {
  from: number;
  source: EnergySource;
  /** The source's running total at `from`, J (for energy since the meter opened). */
  startJ: number;
}

export function hostInfo(probe: MeterProbe): HostInfo {
  const cpus = os.cpus();
  return {
    os: `${os.platform()}-${os.release()}-${os.arch()}`,
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    logicalCpus: Math.max(1, cpus.length),
    ramTotalGB: os.totalmem() / 1e9,
    gpuCount: probe.nvidia.gpus.length,
    gpuModel: probe.nvidia.gpus.length > 0 ? probe.nvidia.gpus[0].name : null,
    cloudProvider: detectCloudProvider()
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

const COMPONENTS: readonly ComponentKey[] = ['cpu', 'gpu', 'ram'];

export class SamplingEngine {
  readonly now: () => number;
  readonly constants: MeterConstants;
  readonly host: HostInfo;
  private readonly readers: EstimateReaders;
  private readonly notes: string[] = [];

  // One source per meter; each component is supplied by a chain of sources over time (RAPL,
  // then the estimator once RAPL stops answering).
  private readonly estimator: EstimatorSource;
  private readonly rapl: RaplSource;
  private readonly nvidia: NvidiaSource;
  private readonly handoffs: Record<ComponentKey, Handoff[]>;
  private samplerCpuBase: number | null = null;
  private lastSampleT = -Infinity;
  private readonly windows = new Map<number, { t: number; threadCpuS: number | null }>();

  constructor(
    readonly probe: MeterProbe,
    options: MeterOptions,
    hooks: { now?: () => number; readers?: EstimateReaders; sysfs?: SysfsReader } = {}
  ) {
    this.now = hooks.now ?? (() => performance.timeOrigin + performance.now());
    this.readers = hooks.readers ?? processReaders(options.trackPid);
    this.constants = meterConstants(probe, options);
    this.host = hostInfo(probe);
    this.estimator = new EstimatorSource(probe.estimator, this.readers);
    this.rapl = new RaplSource(probe.rapl, hooks.sysfs);
    this.nvidia = new NvidiaSource(probe.nvidia);
    // Counters first, the estimator where none supplies the component, nothing where none can.
    const preferred: EnergySource[] = [this.rapl, this.nvidia, this.estimator];
    const first = (k: ComponentKey): EnergySource =>
      preferred.find(source => source.supplies(k)) ?? new NullSource();
    this.handoffs = {
      cpu: [{ from: -Infinity, source: first('cpu'), startJ: 0 }],
      gpu: [{ from: -Infinity, source: first('gpu'), startJ: 0 }],
      ram: [{ from: -Infinity, source: first('ram'), startJ: 0 }]
    };
    this.sample(this.now());
  }

  get openWindows(): number {
    return this.windows.size;
  }

  /** Read every CPU-side meter now and extend the running totals. */
  sample(t: number = this.now()): void {
    const threadCpu = this.readers.threadCpuS();
    this.rapl.sample(t);
    // RAPL stopped answering: the estimator takes over its components from its last answer on.
    const stoppedAt = this.rapl.stoppedAt;
    if (stoppedAt !== null) {
      for (const k of ['cpu', 'ram'] as const) {
        const chain = this.handoffs[k];
        if (chain[chain.length - 1].source === this.rapl)
          chain.push({
            from: stoppedAt,
            source: this.estimator,
            startJ: this.estimator.totalAt(k, stoppedAt)
          });
      }
    }
    this.estimator.sample(t, threadCpu);
    this.lastSampleT = Math.max(this.lastSampleT, t);
    if (this.samplerCpuBase === null) this.samplerCpuBase = threadCpu;
    this.trim();
  }

  /** A line from nvidia-smi: extend that GPU's running total. */
  gpuSample(sample: NvidiaGpuSample, at: number): void {
    // GPU lines keep coming while no window is open: keep the series short.
    if (this.nvidia.gpuSample(sample, at)) this.trim();
  }

  /** Whether a GPU has not reported since `t` (a window ending at `t` would be extrapolated). */
  awaitsGpu(t: number): boolean {
    return this.probe.nvidia.available && this.nvidia.awaits(t);
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

  /** The source supplying `k` now. */
  private current(k: ComponentKey): EnergySource {
    const chain = this.handoffs[k];
    return chain[chain.length - 1].source;
  }

  /** The parts of [from, to] each source supplied, in order. */
  private segments(k: ComponentKey, from: number, to: number) {
    const chain = this.handoffs[k];
    const parts: Array<{ a: number; b: number; source: EnergySource }> = [];
    chain.forEach((h, i) => {
      const a = Math.max(from, h.from);
      const b = Math.min(to, chain[i + 1]?.from ?? Infinity);
      if (b > a || (from === to && a === b && i === chain.length - 1))
        parts.push({ a, b, source: h.source });
    });
    return parts;
  }

  /** A component's joules over [from, to], with the method, scope and coverage they carry. */
  private component(k: ComponentKey, from: number, to: number, notes: string[]): ComponentEnergy {
    const parts = this.segments(k, from, to).map(s => ({ ...s, ...s.source.energy(k, s.a, s.b) }));
    const present = parts.filter(p => p.source.method !== null);
    if (present.length === 0) return { energyJ: 0, method: null, scope: null, coverage: 1 };
    for (const p of present) for (const n of p.notes) if (!notes.includes(n)) notes.push(n);
    const counted = present.find(p => p.source.method !== 'estimate' && p.counterJ > 0);
    const coverage = combinedCoverage(present);
    const named =
      coverage > 0 ? (counted ?? present[present.length - 1]) : present[present.length - 1];
    return {
      energyJ: present.reduce((a, p) => a + p.energyJ, 0),
      // The counter's name while any joule came from one; else an estimate, whatever its basis.
      method: coverage > 0 ? named.source.method : 'estimate',
      scope: named.source.scope,
      coverage
    };
  }

  /** The source's power over [a, b] for the component, summing the sources that cover it. */
  private powerW(k: ComponentKey, a: number, b: number): number {
    let joules = 0;
    for (const s of this.segments(k, a, b))
      joules += s.source.totalAt(k, s.b) - s.source.totalAt(k, s.a);
    return Math.max(0, joules / ((b - a) / 1000));
  }

  /** The last interval's rates, for the main thread's short windows. */
  rates(): PublishedRates {
    const capacity = this.estimator.capacity.lastRatePerMs();
    return {
      rapl: this.current('cpu') === this.rapl,
      cpuW: this.current('cpu').lastPowerW('cpu'),
      ramW: this.current('ram').lastPowerW('ram'),
      machineBusy: capacity > 0 ? Math.min(1, this.estimator.busy.lastRatePerMs() / capacity) : 0,
      rssGB: this.estimator.lastRssGB
    };
  }

  private readingBetween(from: number, to: number): MeterReading {
    const durationS = Math.max(0, (to - from) / 1000);
    const notes = [...this.notes, ...this.rapl.notes, ...this.nvidia.notes];
    const components = Object.fromEntries(
      COMPONENTS.map(k => [k, this.component(k, from, to, notes)])
    ) as unknown as Components;
    const gpus = this.probe.nvidia.available
      ? this.nvidia.perGpu(from, to).map(({ counterJ: _c, notes: _n, ...gpu }) => gpu)
      : [];

    // Timeline on the CPU-side sample instants; every component read off its own totals.
    const bounds = [from, ...this.estimator.timesBetween(from, to), to];
    const intervals: PowerInterval[] = [];
    for (let i = 0; i < bounds.length - 1; i++) {
      const a = bounds[i];
      const b = bounds[i + 1];
      if (b <= a) continue;
      intervals.push({
        t0: (a - from) / 1000,
        t1: (b - from) / 1000,
        cpuW: this.powerW('cpu', a, b),
        gpuW: this.powerW('gpu', a, b),
        ramW: this.powerW('ram', a, b)
      });
    }

    const delta = (s: { at(t: number): number }) => Math.max(0, s.at(to) - s.at(from));
    const busyS = delta(this.estimator.busy);
    const capacityS = delta(this.estimator.capacity);
    const reading: MeterReading = {
      startedAt: from,
      endedAt: to,
      durationS,
      components,
      gpus,
      intervals: mergeIntervals(intervals, MAX_READING_INTERVALS),
      constants: this.constants,
      host: this.host,
      fallbackReasons: [...this.probe.fallbackReasons],
      notes,
      cpuUtilisationPercent: capacityS > 0 ? Math.min(100, (100 * busyS) / capacityS) : 0,
      ramUsedGB:
        durationS > 0 ? delta(this.estimator.rssSeconds) / durationS : this.estimator.lastRssGB,
      samples: this.estimator.countBetween(from, to),
      samplerCpuS: 0
    };
    if (this.segments('cpu', from, to).some(s => s.source === this.rapl)) {
      reading.estimateCheck = {
        cpuJ: this.estimator.energy('cpu', from, to).energyJ,
        ramJ: this.estimator.energy('ram', from, to).energyJ
      };
    }
    return reading;
  }

  /** Current power (last interval) and energy since the meter opened, for the live meter. */
  live(): LiveSample {
    const t = Number.isFinite(this.lastSampleT) ? this.lastSampleT : this.now();
    const cpuW = this.current('cpu').lastPowerW('cpu');
    const ramW = this.current('ram').lastPowerW('ram');
    const gpuW = this.nvidia.lastPowerW('gpu');
    // Each source's joules while it supplied the component, up to the last sample.
    const sinceOpen = (k: 'cpu' | 'ram') =>
      this.handoffs[k].reduce((sum, h, i, chain) => {
        const until = chain[i + 1]?.from ?? t;
        return sum + h.source.totalAt(k, until) - h.startJ;
      }, 0);
    // Live power is counted where the source supplying it now is a counter (RAPL can stop).
    const counted = (k: ComponentKey) => this.current(k).method !== 'estimate';
    const parts = [
      { energyJ: cpuW, coverage: counted('cpu') ? 1 : 0 },
      { energyJ: ramW, coverage: counted('ram') ? 1 : 0 },
      ...(this.probe.nvidia.available ? [{ energyJ: gpuW, coverage: 1 }] : [])
    ];
    return {
      t,
      powerW: cpuW + gpuW + ramW,
      cpuW,
      gpuW,
      ramW,
      energyJ: sinceOpen('cpu') + sinceOpen('ram') + this.nvidia.totalJ,
      coverage: combinedCoverage(parts)
    };
  }

  /**
   * Keep only what open windows still need: samples from just before the earliest open window,
   * or the last two when none is open (enough for live power and for the next begin).
   */
  private trim(): void {
    let keepFrom = Infinity;
    for (const w of this.windows.values()) keepFrom = Math.min(keepFrom, w.t);
    for (const source of [this.rapl, this.estimator, this.nvidia]) source.trimBefore(keepFrom);
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
