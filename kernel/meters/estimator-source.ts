/**
 * The estimator as an EnergySource (estimate.ts has the model): this process's share of the
 * machine's CPU power and its resident memory's power, integrated per sampling interval. It
 * always runs: it is the figure where no counter exists, and a cross-check where one does. None
 * of its joules are counted. It also keeps the utilisation and memory figures every reading
 * carries.
 */
import type { EstimatorConstants } from '../../core/measurement';
import { CumulativeSeries } from './cumulative-series';
import type { ComponentKey, EnergySource, SourceEnergy } from './energy-source';
import {
  estimateInterval,
  ProcFile,
  readMachineCpuSeconds,
  readProcessCpuSeconds,
  readProcessTreeUsage,
  readRssGB,
  readThreadCpuSeconds
} from './estimate';

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

interface Snapshot {
  t: number;
  processCpuS: number;
  busyS: number;
  totalS: number;
  rssGB: number;
}

export class EstimatorSource implements EnergySource {
  readonly method = 'estimate' as const;
  readonly scope = 'process' as const;
  readonly notes: readonly string[] = [];
  private readonly cpu = new CumulativeSeries();
  private readonly ram = new CumulativeSeries();
  /** Machine busy and total CPU seconds, and resident GB-seconds, for utilisation and memory. */
  readonly busy = new CumulativeSeries();
  readonly capacity = new CumulativeSeries();
  readonly rssSeconds = new CumulativeSeries();
  private totals = { cpu: 0, ram: 0, rssGBs: 0 };
  private last: Snapshot | null = null;

  constructor(
    private readonly constants: EstimatorConstants,
    readonly readers: EstimateReaders
  ) {}

  supplies(component: ComponentKey): boolean {
    return component === 'cpu' || component === 'ram';
  }

  /** Sample at `t`; `threadCpuS` is the sampler's own CPU time, left out of the process's. */
  sample(t: number, threadCpuS: number | null = this.readers.threadCpuS()): void {
    const processCpuS = this.readers.processCpuS() - (threadCpuS ?? 0);
    const machine = this.readers.machineCpuS();
    const rssGB = this.readers.rssGB();
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
          this.constants
        );
        this.totals.cpu += estimate.cpuW * dtS;
        this.totals.ram += estimate.ramW * dtS;
        this.totals.rssGBs += meanRss * dtS;
      }
    }
    if (!this.last || t > this.last.t) {
      this.last = { t, processCpuS, busyS: machine.busyS, totalS: machine.totalS, rssGB };
    }
    this.cpu.push(t, this.totals.cpu);
    this.ram.push(t, this.totals.ram);
    this.busy.push(t, machine.busyS);
    this.capacity.push(t, machine.totalS);
    this.rssSeconds.push(t, this.totals.rssGBs);
  }

  private series(component: ComponentKey): CumulativeSeries | null {
    return component === 'cpu' ? this.cpu : component === 'ram' ? this.ram : null;
  }

  energy(component: ComponentKey, from: number, to: number): SourceEnergy {
    const s = this.series(component);
    const energyJ = s ? Math.max(0, s.at(to) - s.at(from)) : 0;
    return { energyJ, counterJ: 0, coverage: 0, notes: [] };
  }

  totalAt(component: ComponentKey, t: number): number {
    return this.series(component)?.at(t) ?? 0;
  }

  lastPowerW(component: ComponentKey): number {
    return (this.series(component)?.lastRatePerMs() ?? 0) * 1000;
  }

  /** Resident memory at the last sample, GB. */
  get lastRssGB(): number {
    return this.last?.rssGB ?? 0;
  }

  /** The sample instants, on which timelines are cut. */
  timesBetween(from: number, to: number): number[] {
    return this.cpu.timesBetween(from, to);
  }

  countBetween(from: number, to: number): number {
    return this.cpu.countBetween(from, to);
  }

  trimBefore(t: number): void {
    for (const s of [this.cpu, this.ram, this.busy, this.capacity, this.rssSeconds])
      s.trimBefore(t);
  }
}
