/**
 * RAPL as an EnergySource: package zones give the CPU's joules, dram zones the RAM's, read from
 * the powercap sysfs counters at every sample (rapl.ts). A counter that wraps while its range is
 * unreadable leaves that step's joules unknown: the step is filled in at the previous interval's
 * power and not counted. A read that fails stops the source for good; the engine then hands the
 * components to the estimator.
 */
import type { RaplProbe, SysfsReader } from './rapl';
import { raplEnergyBetween, readRaplCounters } from './rapl';
import {
  CountedSeries,
  type ComponentKey,
  type EnergySource,
  type SourceEnergy
} from './energy-source';

export class RaplSource implements EnergySource {
  readonly method = 'rapl' as const;
  readonly scope = 'machine' as const;
  readonly notes: string[] = [];
  private answering: boolean;
  private lastCounters: number[] | null = null;
  private readonly cpu = new CountedSeries();
  private readonly ram = new CountedSeries();
  private totals = { cpu: 0, cpuCounted: 0, ram: 0, ramCounted: 0 };

  constructor(
    private readonly probe: RaplProbe,
    private readonly sysfs?: SysfsReader
  ) {
    this.answering = probe.available;
  }

  supplies(component: ComponentKey): boolean {
    if (!this.answering) return false;
    return component === 'cpu' || (component === 'ram' && this.probe.hasDram);
  }

  /** The last instant RAPL answered, or null while it still does. */
  get stoppedAt(): number | null {
    return this.answering || !this.probe.available ? null : (this.cpu.total.lastTime ?? null);
  }

  sample(t: number): void {
    if (!this.answering) return;
    let counters: number[];
    try {
      counters = readRaplCounters(this.probe.counted, this.sysfs);
    } catch (e) {
      this.answering = false;
      this.notes.push(`RAPL stopped answering (${(e as Error).message}); the rest is estimated`);
      return;
    }
    const lastT = this.cpu.total.lastTime;
    if (this.lastCounters && lastT !== undefined && t > lastT) {
      const step = raplEnergyBetween(this.probe.counted, this.lastCounters, counters);
      const dtMs = t - lastT;
      if (step.uncorrected.length > 0) {
        const note =
          `RAPL counter ${[...new Set(step.uncorrected)].join(', ')} wrapped and its ` +
          'max_energy_range_uj is unreadable: that interval is filled in at the previous ' +
          "interval's power (not counted)";
        if (!this.notes.includes(note)) this.notes.push(note);
      }
      // An unknown step is filled in along the previous interval's slope, and not counted.
      const cpuJ = step.packageJ ?? this.cpu.total.lastRatePerMs() * dtMs;
      const ramJ = step.dramJ ?? this.ram.total.lastRatePerMs() * dtMs;
      this.totals.cpu += cpuJ;
      this.totals.ram += ramJ;
      if (step.packageJ !== null) this.totals.cpuCounted += cpuJ;
      if (step.dramJ !== null) this.totals.ramCounted += ramJ;
    }
    if (lastT === undefined || t > lastT) this.lastCounters = counters;
    this.cpu.push(t, this.totals.cpu, this.totals.cpuCounted);
    this.ram.push(t, this.totals.ram, this.totals.ramCounted);
  }

  private series(component: ComponentKey): CountedSeries | null {
    return component === 'cpu' ? this.cpu : component === 'ram' ? this.ram : null;
  }

  energy(component: ComponentKey, from: number, to: number): SourceEnergy {
    return (
      this.series(component)?.energy(from, to) ?? {
        energyJ: 0,
        counterJ: 0,
        coverage: 1,
        notes: []
      }
    );
  }

  totalAt(component: ComponentKey, t: number): number {
    return this.series(component)?.total.at(t) ?? 0;
  }

  lastPowerW(component: ComponentKey): number {
    return (this.series(component)?.total.lastRatePerMs() ?? 0) * 1000;
  }

  trimBefore(t: number): void {
    this.cpu.trimBefore(t);
    this.ram.trimBefore(t);
  }
}
