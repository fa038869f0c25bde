/**
 * One interface per energy meter, in the spirit of Zeus's device classes: RAPL, NVIDIA and the
 * estimator each implement EnergySource, so the sampling engine asks every meter the same
 * questions and a new meter is one new file. A source keeps running totals (CumulativeSeries) and
 * answers, for any window, how many joules it saw and how many of those a hardware counter
 * measured (the rest it filled in: an extrapolation, a wrap it could not correct, an estimate).
 */
import type { MeterMethod, MeterScope } from '../../core/measurement';
import { CumulativeSeries } from './cumulative-series';

export type ComponentKey = 'cpu' | 'gpu' | 'ram';

/** A component's joules over a window, the share a counter measured, and what to say about it. */
export interface SourceEnergy {
  energyJ: number;
  /** Joules of energyJ that a hardware counter measured over the window. */
  counterJ: number;
  /** counterJ / energyJ; for a window without joules, whether a counter read both its ends. */
  coverage: number;
  notes: string[];
}

export interface EnergySource {
  /** null for the null source (no meter for the component). */
  readonly method: MeterMethod | null;
  readonly scope: MeterScope | null;
  /** Whether it supplies this component (now: RAPL can stop answering). */
  supplies(component: ComponentKey): boolean;
  /** Read the meter at `t`; sources fed from elsewhere (nvidia-smi's lines) do nothing. */
  sample(t: number): void;
  /** Joules over [from, to] (epoch ms) and how many a counter measured. */
  energy(component: ComponentKey, from: number, to: number): SourceEnergy;
  /** The running total at `t`, J (for power between instants and the live meter). */
  totalAt(component: ComponentKey, t: number): number;
  /** Power over the last sampled interval, W. */
  lastPowerW(component: ComponentKey): number;
  /** Forget samples no open window needs. */
  trimBefore(t: number): void;
  /** What readings from now on should mention (e.g. the meter stopped answering). */
  readonly notes: readonly string[];
}

/** Running totals of all joules and of the counted ones, on the same instants. */
export class CountedSeries {
  readonly total = new CumulativeSeries();
  readonly counted = new CumulativeSeries();

  push(t: number, totalJ: number, countedJ: number): void {
    this.total.push(t, totalJ);
    this.counted.push(t, countedJ);
  }

  /**
   * Joules over [from, to]; counted only between the first sample and `countedUntil` (past it
   * the series extrapolates, and extrapolated joules are not counted).
   */
  energy(from: number, to: number, countedUntil = this.total.lastTime ?? -Infinity): SourceEnergy {
    const energyJ = Math.max(0, this.total.at(to) - this.total.at(from));
    const a = Math.max(from, this.total.firstTime ?? Infinity);
    const b = Math.min(to, countedUntil);
    const counterJ = Math.min(
      energyJ,
      b > a ? Math.max(0, this.counted.at(b) - this.counted.at(a)) : 0
    );
    const inside = from >= (this.total.firstTime ?? Infinity) && to <= countedUntil;
    const coverage = energyJ > 0 ? counterJ / energyJ : inside ? 1 : 0;
    return { energyJ, counterJ, coverage, notes: [] };
  }

  trimBefore(t: number): void {
    this.total.trimBefore(t);
    this.counted.trimBefore(t);
  }
}

/** The source where a component has no meter (no GPU): nothing, and nothing to miss. */
export class NullSource implements EnergySource {
  readonly method = null;
  readonly scope = null;
  readonly notes: readonly string[] = [];
  supplies(): boolean {
    return false;
  }
  sample(): void {}
  energy(): SourceEnergy {
    return { energyJ: 0, counterJ: 0, coverage: 1, notes: [] };
  }
  totalAt(): number {
    return 0;
  }
  lastPowerW(): number {
    return 0;
  }
  trimBefore(): void {}
}
