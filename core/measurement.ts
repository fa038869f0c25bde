/**
 * The measurement record (mime `application/vnd.gaissa.measurement.v1+json`, JSON Schema in
 * schema/measurement.schema.json) and the pure function that builds it from meter readings and
 * carbon settings. The kernel produces MeterReadings; the extension renders the record.
 */
import { co2eGrams, energyCost, facilityEnergyJ, type CarbonSettings } from './carbon';
import type { CellPrediction } from './cell-prediction';
import { summarize, T_TABLE_SOURCE, type Summary } from './statistics';
import {
  combinedCoverage,
  coverageOfComponent,
  missingEnergy,
  provenanceOf,
  type Provenance
} from './provenance';
import { averagePowerW } from './units';

export {
  coverageOfComponent,
  coverageOfRecord,
  missingEnergy,
  provenanceOf,
  provenanceText,
  type Provenance
} from './provenance';

export const MEASUREMENT_SCHEMA_VERSION = 1;
/** Charts need no more; the full-rate series stays in the sampler. */
export const MAX_TIMELINE_POINTS = 200;

/** How a figure was obtained: a hardware counter (RAPL, NVML via nvidia-smi) or the estimator. */
export type MeterMethod = 'rapl' | 'nvml' | 'estimate';
/** What a figure covers: the whole machine (RAPL), one device (GPU) or this process (estimator). */
export type MeterScope = 'machine' | 'process' | 'device';
export type MeasurementStatus = 'ok' | 'error' | 'interrupted';

export interface ComponentEnergy {
  energyJ: number;
  /**
   * The counter's name when any of the joules came from it, `estimate` when none did; null when
   * the component is absent (no GPU).
   */
  method: MeterMethod | null;
  scope: MeterScope | null;
  /** Share of energyJ a hardware counter measured, 0..1 (absent component: 1, nothing to miss). */
  coverage: number;
}

export interface Components {
  cpu: ComponentEnergy;
  gpu: ComponentEnergy;
  ram: ComponentEnergy;
}

export interface GpuEnergy {
  index: number;
  name: string;
  energyJ: number;
  /** `counter`: NVML's total energy counter; `power`: power.draw samples integrated over time. */
  source: 'counter' | 'power';
  samples: number;
  /** Share of energyJ read from nvidia-smi's samples (the rest extrapolated); absent in old records. */
  coverage?: number;
}

/** Mean power per component over [t0, t1], seconds since the window started. */
export interface PowerInterval {
  t0: number;
  t1: number;
  cpuW: number;
  gpuW: number;
  ramW: number;
}

export interface TimelinePoint {
  /** Seconds since the first run started (middle of the bucket). */
  t: number;
  powerW: number;
  cpuW: number;
  gpuW: number;
  ramW: number;
}

export interface EstimatorConstants {
  cpuTdpW: number;
  cpuTdpSource: string;
  cpuModel: string;
  logicalCpus: number;
  loadCurve: Array<[number, number]>;
  loadCurveSource: string;
  ramWPerGB: number;
  ramWPerGBSource: string;
  /** How CPU power is attributed to this process. */
  attribution: string;
}

export interface MeterConstants {
  samplingIntervalMs: number;
  /** The estimator's constants: used for estimated components and for estimateCheck. */
  estimator?: EstimatorConstants;
  rapl?: { root: string; zones: Array<{ name: string; path: string }> };
  nvidia?: { binary: string; fields: string[]; energyCounter: boolean };
}

export interface HostInfo {
  os: string;
  cpuModel: string;
  logicalCpus: number;
  ramTotalGB: number;
  gpuCount: number;
  gpuModel: string | null;
  /** Cloud provider recognised from the firmware (aws, gcp, azure...); null: none recognised. */
  cloudProvider?: string | null;
}

/** What the kernel's sampler returns for one measured window. */
export interface MeterReading {
  /** Epoch milliseconds. */
  startedAt: number;
  endedAt: number;
  durationS: number;
  components: Components;
  gpus: GpuEnergy[];
  intervals: PowerInterval[];
  constants: MeterConstants;
  host: HostInfo;
  /** Why a better meter was not used (RAPL unreadable, no nvidia-smi...). */
  fallbackReasons: string[];
  notes: string[];
  /** Mean machine CPU utilisation over the window, percent. */
  cpuUtilisationPercent: number;
  /** Mean resident memory of this process over the window, GB. */
  ramUsedGB: number;
  samples: number;
  /** CPU time the sampler thread itself used during the window, seconds. */
  samplerCpuS: number;
  /** The estimator's figures for the same window when a counter supplied the CPU figure. */
  estimateCheck?: { cpuJ: number; ramJ: number };
}

export interface RepeatStatistics {
  n: number;
  warmup: number;
  energyJ: Summary;
  durationS: Summary;
  runs: Array<{ energyJ: number; durationS: number }>;
  /** Where the t critical values come from. */
  tTable: string;
}

export interface MeasurementRecord {
  schemaVersion: 1;
  id: string;
  label: string | null;
  status: MeasurementStatus;
  error: { name: string; message: string } | null;
  /** ISO 8601 timestamps of the first run's start and the last run's end. */
  startedAt: string;
  endedAt: string;
  /** Per run (the mean over repeats): IT energy, J. */
  energyJ: number;
  durationS: number;
  powerW: number;
  /** energyJ x PUE. */
  facilityEnergyJ: number;
  co2eG: number;
  cost: number | null;
  currency: string | null;
  pricePerKWh: number | null;
  /** `estimate` whenever any part of the figure was estimated; see components for the detail. */
  method: MeterMethod;
  /** coverage < 1. */
  estimated: boolean;
  /** Share of energyJ a hardware counter measured (energy-weighted over components and runs). */
  coverage: number;
  /** measured iff coverage is 1, estimated iff 0, partly-measured otherwise. */
  provenance: Provenance;
  region: string;
  regionName: string;
  carbonIntensityGPerKWh: number;
  carbonIntensitySource: string;
  pue: number;
  components: Components;
  gpus: GpuEnergy[];
  repeat: RepeatStatistics;
  total: { energyJ: number; durationS: number; co2eG: number; cost: number | null };
  baseline: { durationS: number; energyJ: number; powerW: number } | null;
  /** Energy above the idle baseline per run (energyJ - baseline power x durationS), J. */
  dynamicEnergyJ: number | null;
  timeline: TimelinePoint[];
  constants: MeterConstants;
  fallbackReasons: string[];
  notes: string[];
  host: HostInfo;
  cpuUtilisationPercent: number;
  ramUsedGB: number;
  overhead: { samplerCpuS: number; samples: number };
  estimateCheck: { cpuJ: number; ramJ: number } | null;
  /** What `%%gaissa measure --predict` predicted before the cell ran; absent without --predict. */
  prediction?: CellPrediction;
}

export interface BuildRecordInput {
  /** One reading per measured run (warm-ups excluded); at least one. */
  runs: readonly MeterReading[];
  settings: CarbonSettings;
  status?: MeasurementStatus;
  error?: { name: string; message: string } | null;
  label?: string | null;
  warmup?: number;
  /** An idle window measured before the runs, for dynamic energy. */
  baseline?: MeterReading | null;
  id?: string;
}

export function readingEnergyJ(reading: Pick<MeterReading, 'components'>): number {
  const { cpu, gpu, ram } = reading.components;
  return cpu.energyJ + gpu.energyJ + ram.energyJ;
}

/** Build the record. Pure: the same readings and settings give the same record (given an id). */
export function buildMeasurementRecord(input: BuildRecordInput): MeasurementRecord {
  const { runs, settings } = input;
  if (runs.length === 0) throw new RangeError('a measurement needs at least one reading');
  const energies = runs.map(readingEnergyJ);
  const durations = runs.map(r => r.durationS);
  const energyStats = summarize(energies);
  const durationStats = summarize(durations);
  const energyJ = energyStats.mean;
  const durationS = durationStats.mean;
  const totalEnergyJ = energies.reduce((a, b) => a + b, 0);
  const first = runs[0];
  const last = runs[runs.length - 1];
  const components = meanComponents(runs);
  const coverage = recordCoverage(components);
  const estimated = coverage < 1;
  const notes = [...new Set([...settings.notes, ...runs.flatMap(r => r.notes)])];
  const missing = missingEnergy({ components });
  if (missing.length > 0) {
    notes.push(
      `${missing.join(' and ')} energy missing: no reading, so the total leaves it out (neither counted nor estimated)`
    );
  }
  const uncounted = runs.filter(r => recordCoverage(r.components) < 1).length;
  if (runs.length > 1 && uncounted > 0 && uncounted < runs.length) {
    notes.push(
      `${uncounted} of ${runs.length} runs were not fully measured by a counter; coverage is energy-weighted over the runs`
    );
  }

  let baseline: MeasurementRecord['baseline'] = null;
  let dynamicEnergyJ: number | null = null;
  if (input.baseline) {
    const baselineEnergyJ = readingEnergyJ(input.baseline);
    const powerW = averagePowerW(baselineEnergyJ, input.baseline.durationS);
    baseline = { durationS: input.baseline.durationS, energyJ: baselineEnergyJ, powerW };
    const dynamic = energyJ - powerW * durationS;
    if (dynamic < 0) {
      notes.push('energy above the idle baseline was within noise (negative); reported as 0');
    }
    dynamicEnergyJ = Math.max(0, dynamic);
  }

  const estimateChecks = runs.map(r => r.estimateCheck).filter(c => c !== undefined);
  return {
    schemaVersion: 1,
    id: input.id ?? makeId(first.startedAt),
    label: input.label ?? null,
    status: input.status ?? 'ok',
    error: input.error ?? null,
    startedAt: new Date(first.startedAt).toISOString(),
    endedAt: new Date(last.endedAt).toISOString(),
    energyJ,
    durationS,
    powerW: averagePowerW(energyJ, durationS),
    facilityEnergyJ: facilityEnergyJ(energyJ, settings),
    co2eG: co2eGrams(energyJ, settings),
    cost: energyCost(energyJ, settings),
    currency: settings.currency,
    pricePerKWh: settings.pricePerKWh,
    method: estimated ? 'estimate' : components.cpu.method === 'rapl' ? 'rapl' : 'nvml',
    estimated,
    coverage,
    provenance: provenanceOf(coverage),
    region: settings.region,
    regionName: settings.regionName,
    carbonIntensityGPerKWh: settings.carbonIntensityGPerKWh,
    carbonIntensitySource: settings.carbonIntensitySource,
    pue: settings.pue,
    components,
    gpus: meanGpus(runs),
    repeat: {
      n: runs.length,
      warmup: input.warmup ?? 0,
      energyJ: energyStats,
      durationS: durationStats,
      runs: runs.map((r, i) => ({ energyJ: energies[i], durationS: r.durationS })),
      tTable: T_TABLE_SOURCE
    },
    total: {
      energyJ: totalEnergyJ,
      durationS: durations.reduce((a, b) => a + b, 0),
      co2eG: co2eGrams(totalEnergyJ, settings),
      cost: energyCost(totalEnergyJ, settings)
    },
    baseline,
    dynamicEnergyJ,
    timeline: timelineOf(runs),
    constants: first.constants,
    fallbackReasons: [...new Set(runs.flatMap(r => r.fallbackReasons))],
    notes,
    host: first.host,
    cpuUtilisationPercent: meanOf(runs.map(r => r.cpuUtilisationPercent)),
    ramUsedGB: meanOf(runs.map(r => r.ramUsedGB)),
    overhead: {
      samplerCpuS: runs.reduce((a, r) => a + r.samplerCpuS, 0),
      samples: runs.reduce((a, r) => a + r.samples, 0)
    },
    estimateCheck:
      estimateChecks.length === 0
        ? null
        : {
            cpuJ: meanOf(estimateChecks.map(c => c.cpuJ)),
            ramJ: meanOf(estimateChecks.map(c => c.ramJ))
          }
  };
}

function meanOf(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

const COMPONENT_KEYS = ['cpu', 'gpu', 'ram'] as const;

/**
 * Share of a reading's (or record's) energy that a counter measured, over its present components:
 * a real share of the joules it holds. A GPU nothing could be read from adds no joules and says so
 * (missingEnergy, and the reading's notes), rather than bending this share.
 */
export function recordCoverage(components: Components): number {
  const present = COMPONENT_KEYS.map(k => components[k])
    .filter(c => c.method !== null)
    .map(withCoverage);
  return combinedCoverage(present);
}

/**
 * Per-run means of each component. Method and coverage come from every run, not the first: a
 * series where RAPL stopped answering mid-way averages counter and estimator joules, and says so
 * through its energy-weighted coverage.
 */
/** A component as read, its coverage filled in for readings made without one (a counter: 1). */
function withCoverage(c: ComponentEnergy): ComponentEnergy {
  return typeof c.coverage === 'number' ? c : { ...c, coverage: coverageOfComponent(c) };
}

function meanComponents(runs: readonly MeterReading[]): Components {
  const pick = (key: keyof Components): ComponentEnergy => {
    const parts = runs
      .map(r => r.components[key])
      .filter(c => c.method !== null)
      .map(withCoverage);
    if (parts.length === 0) {
      return {
        energyJ: meanOf(runs.map(r => r.components[key].energyJ)),
        method: null,
        scope: null,
        coverage: 1
      };
    }
    const coverage = combinedCoverage(parts);
    // The counter's name while any joule came from one, else the estimator's.
    const counted = parts.find(c => c.method !== 'estimate' && c.coverage > 0);
    const named =
      coverage > 0 && counted ? counted : (parts.find(c => c.method === 'estimate') ?? parts[0]);
    return {
      energyJ: meanOf(runs.map(r => r.components[key].energyJ)),
      method: named.method,
      scope: named.scope,
      coverage
    };
  };
  return { cpu: pick('cpu'), gpu: pick('gpu'), ram: pick('ram') };
}

function meanGpus(runs: readonly MeterReading[]): GpuEnergy[] {
  return runs[0].gpus.map(gpu => {
    const same = runs.map(r => r.gpus.find(g => g.index === gpu.index));
    const parts = same.map(g => ({ energyJ: g?.energyJ ?? 0, coverage: g?.coverage ?? 0 }));
    return {
      ...gpu,
      // The counter's name while any run read it; power samples when every run integrated power.
      source: same.some(g => g?.source === 'counter') ? 'counter' : 'power',
      energyJ: meanOf(same.map(g => g?.energyJ ?? 0)),
      samples: same.reduce((a, g) => a + (g?.samples ?? 0), 0),
      ...(same.every(g => g?.coverage !== undefined) ? { coverage: combinedCoverage(parts) } : {})
    };
  });
}

/** All runs' intervals on one time axis (seconds since the first run started), downsampled. */
export function timelineOf(
  runs: readonly Pick<MeterReading, 'startedAt' | 'intervals'>[],
  maxPoints = MAX_TIMELINE_POINTS
): TimelinePoint[] {
  const origin = runs[0]?.startedAt ?? 0;
  const intervals = runs.flatMap(r => {
    const offset = (r.startedAt - origin) / 1000;
    return r.intervals.map(i => ({ ...i, t0: i.t0 + offset, t1: i.t1 + offset }));
  });
  return downsampleIntervals(intervals, maxPoints);
}

/**
 * Merge consecutive intervals into at most `maxIntervals`. Each merged interval's watts are the
 * duration-weighted mean of what it merges, so the energy under the curve stays the same.
 */
export function mergeIntervals(
  intervals: readonly PowerInterval[],
  maxIntervals: number
): PowerInterval[] {
  const valid = intervals.filter(i => i.t1 > i.t0);
  const groupSize = Math.ceil(valid.length / Math.max(1, maxIntervals));
  if (groupSize <= 1) return valid.map(i => ({ ...i }));
  const merged: PowerInterval[] = [];
  for (let start = 0; start < valid.length; start += groupSize) {
    const group = valid.slice(start, start + groupSize);
    let span = 0;
    let cpu = 0;
    let gpu = 0;
    let ram = 0;
    for (const i of group) {
      const dt = i.t1 - i.t0;
      span += dt;
      cpu += i.cpuW * dt;
      gpu += i.gpuW * dt;
      ram += i.ramW * dt;
    }
    merged.push({
      t0: group[0].t0,
      t1: group[group.length - 1].t1,
      cpuW: cpu / span,
      gpuW: gpu / span,
      ramW: ram / span
    });
  }
  return merged;
}

/** Chart points (bucket middles) from intervals, at most `maxPoints`. */
export function downsampleIntervals(
  intervals: readonly PowerInterval[],
  maxPoints = MAX_TIMELINE_POINTS
): TimelinePoint[] {
  return mergeIntervals(intervals, maxPoints).map(i => ({
    t: (i.t0 + i.t1) / 2,
    powerW: i.cpuW + i.gpuW + i.ramW,
    cpuW: i.cpuW,
    gpuW: i.gpuW,
    ramW: i.ramW
  }));
}

function makeId(startedAt: number): string {
  const random = Math.floor(Math.random() * 0x1000000)
    .toString(16)
    .padStart(6, '0');
  return `m-${Math.floor(startedAt).toString(36)}-${random}`;
}
