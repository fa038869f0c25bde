/**
 * NVIDIA GPUs as an EnergySource, fed by nvidia-smi's lines (nvidia.ts). Each GPU keeps a
 * running total: the driver's energy counter where both ends of a step have it, else power.draw
 * integrated between samples (trapezoid rule). Joules between the first and the last sample are
 * counted; past the last sample (nvidia-smi stopped, or a window ending before the next line) the
 * total is extrapolated along the last slope, and those joules are not counted.
 */
import type { GpuEnergy } from '../../core/measurement';
import { combinedCoverage } from '../../core/provenance';
import { millijoulesToJoules } from '../../core/units';
import {
  CountedSeries,
  type ComponentKey,
  type EnergySource,
  type SourceEnergy
} from './energy-source';
import { CumulativeSeries } from './cumulative-series';
import type { NvidiaGpuSample, NvidiaProbe } from './nvidia';

/** GPU lines keep coming while no window is open: past this many samples the series is trimmed. */
const MAX_IDLE_SAMPLES = 64;

interface GpuTrack {
  index: number;
  name: string;
  source: 'counter' | 'power';
  series: CountedSeries;
  /** Running total of the joules read from the energy counter itself (not from power.draw). */
  viaCounter: CumulativeSeries;
  /** Running count of the steps read from nvidia-smi (not extrapolated): 0 W is a reading too. */
  readSteps: CumulativeSeries;
  steps: number;
  total: number;
  counted: number;
  fromCounter: number;
  lastAt?: number;
  lastPowerW: number | null;
  lastMJ?: number;
}

export class NvidiaSource implements EnergySource {
  readonly method = 'nvml' as const;
  readonly scope = 'device' as const;
  readonly notes: string[] = [];
  readonly tracks = new Map<number, GpuTrack>();

  constructor(probe: NvidiaProbe) {
    for (const gpu of probe.gpus) {
      this.tracks.set(gpu.index, {
        index: gpu.index,
        name: gpu.name,
        source: probe.energyCounter ? 'counter' : 'power',
        series: new CountedSeries(),
        viaCounter: new CumulativeSeries(),
        readSteps: new CumulativeSeries(),
        steps: 0,
        total: 0,
        counted: 0,
        fromCounter: 0,
        // The probe's own reading: the only power known before the first line arrives.
        lastPowerW: gpu.powerW
      });
    }
  }

  supplies(component: ComponentKey): boolean {
    return component === 'gpu' && this.tracks.size > 0;
  }

  sample(): void {}

  /**
   * A line from nvidia-smi: extend that GPU's running total. Returns whether the series grew
   * long enough to be trimmed.
   */
  gpuSample(sample: NvidiaGpuSample, at: number): boolean {
    const track = this.tracks.get(sample.index);
    if (!track) return false;
    const known = track.lastAt !== undefined && at > track.lastAt;
    if (known) {
      const dtS = (at - track.lastAt!) / 1000;
      let stepJ: number | null = null;
      if (track.source === 'counter' && sample.energyMJ !== null && track.lastMJ !== undefined) {
        // A counter that goes backwards means the driver reloaded: count nothing for that step.
        stepJ = millijoulesToJoules(Math.max(0, sample.energyMJ - track.lastMJ));
        track.fromCounter += stepJ;
      } else if (sample.powerW !== null && track.lastPowerW !== null) {
        // No counter at both ends of this step (or none at all): power samples, trapezoid rule.
        stepJ = ((track.lastPowerW + sample.powerW) / 2) * dtS;
      }
      if (stepJ !== null) {
        track.total += stepJ;
        track.counted += stepJ;
        track.steps += 1;
      } else {
        // Nothing readable at one end: filled in along the last slope, not counted.
        track.total += track.series.total.lastRatePerMs() * (at - track.lastAt!);
        this.note(`GPU ${track.index}: nvidia-smi reported N/A; that interval is extrapolated`);
      }
    }
    // A step is counted from the counter only when both of its ends have it.
    track.lastMJ = sample.energyMJ ?? undefined;
    if (sample.powerW !== null) track.lastPowerW = sample.powerW;
    if (track.lastAt === undefined || at > track.lastAt) track.lastAt = at;
    track.series.push(at, track.total, track.counted);
    track.viaCounter.push(at, track.fromCounter);
    track.readSteps.push(at, track.steps);
    return track.series.total.length > MAX_IDLE_SAMPLES;
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /** Each GPU's joules over [from, to], counted and not, with what to say about them. */
  perGpu(from: number, to: number): Array<GpuEnergy & { counterJ: number; notes: string[] }> {
    return [...this.tracks.values()].map(track => {
      const series = track.series;
      const samples = series.total.countBetween(from, to);
      const base = { index: track.index, name: track.name, source: track.source, samples };
      if (series.total.length < 2) {
        // No interval to integrate yet: the last power reading times the window, not counted.
        const power = track.lastPowerW;
        const notes = [
          power === null
            ? `GPU ${track.index}: no power reading yet, its energy is missing from the total`
            : `GPU ${track.index}: fewer than two nvidia-smi samples so far; energy is its last power reading x the window (not counted)`
        ];
        const energyJ = power === null ? 0 : power * Math.max(0, (to - from) / 1000);
        return { ...base, energyJ, coverage: 0, counterJ: 0, notes };
      }
      const e = series.energy(from, to);
      // 'counter' only when some of the window's joules came from the energy counter itself.
      const viaCounterJ = track.viaCounter.at(to) - track.viaCounter.at(from);
      const source =
        track.source === 'counter' && (viaCounterJ > 0 || e.energyJ <= 0) ? 'counter' : 'power';
      const notes: string[] = [];
      if (e.energyJ > 0 && e.counterJ < e.energyJ * (1 - 1e-9)) {
        notes.push(
          `GPU ${track.index}: part of the window lies outside nvidia-smi's samples; that part is extrapolated (not counted)`
        );
      }
      // No joules: counted only if nvidia-smi gave readings over the window (a GPU that idles at
      // 0 W), not when every line read N/A (then its energy is missing, not zero).
      const read =
        track.readSteps.at(Math.min(to, series.total.lastTime!)) - track.readSteps.at(from);
      if (e.energyJ <= 0 && read <= 0) {
        notes.push(
          `GPU ${track.index}: no power reading from nvidia-smi, its energy is missing from the total`
        );
      }
      return {
        ...base,
        source,
        energyJ: e.energyJ,
        coverage: e.energyJ > 0 ? e.counterJ / e.energyJ : read > 0 ? 1 : 0,
        counterJ: e.counterJ,
        notes
      };
    });
  }

  energy(component: ComponentKey, from: number, to: number): SourceEnergy {
    if (component !== 'gpu') return { energyJ: 0, counterJ: 0, coverage: 1, notes: [] };
    const gpus = this.perGpu(from, to);
    return {
      energyJ: gpus.reduce((a, g) => a + g.energyJ, 0),
      counterJ: gpus.reduce((a, g) => a + g.counterJ, 0),
      coverage: combinedCoverage(
        gpus.map(g => ({ energyJ: g.energyJ, coverage: g.coverage ?? 0 }))
      ),
      notes: gpus.flatMap(g => g.notes)
    };
  }

  /** Whether a GPU has not yet reported a line at or after `t` (its window end would be extrapolated). */
  awaits(t: number): boolean {
    return [...this.tracks.values()].some(track => (track.lastAt ?? -Infinity) < t);
  }

  totalAt(component: ComponentKey, t: number): number {
    if (component !== 'gpu') return 0;
    let sum = 0;
    for (const track of this.tracks.values()) sum += track.series.total.at(t);
    return sum;
  }

  lastPowerW(component: ComponentKey): number {
    if (component !== 'gpu') return 0;
    let sum = 0;
    for (const track of this.tracks.values()) sum += track.series.total.lastRatePerMs() * 1000;
    return sum;
  }

  /** Joules since the source opened, all GPUs. */
  get totalJ(): number {
    let sum = 0;
    for (const track of this.tracks.values()) sum += track.total;
    return sum;
  }

  trimBefore(t: number): void {
    for (const track of this.tracks.values()) {
      track.series.trimBefore(t);
      track.viaCounter.trimBefore(t);
      track.readSteps.trimBefore(t);
    }
  }
}
