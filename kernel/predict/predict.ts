/**
 * `gaissa.predict(model, { batch, threads })` and `gaissa predict`: energy and latency of ONNX
 * inference before running it, from the graph's work (onnx-work.ts) times this machine's
 * calibration (calibration.ts), with an interval from the calibration's leave-one-out errors.
 * Every figure is marked `predicted`; the basis says which calibration, meter and points made it.
 */
import type { Displayable, MimeBundle } from '../display';
import { probeMeters } from '../meters/probe';
import { openPowerMeter } from '../meters/sampler';
import { OnnxModel } from '../onnx/onnx-model';
import {
  calibratedThreads,
  calibrationPath,
  defaultThreads,
  fitFor,
  loadCalibration,
  machineKey,
  maxThreads,
  pointOf,
  readCpuinfo,
  runCalibration,
  saveCalibration,
  type Calibration,
  type CalibrationWorkload,
  type MachineKey
} from './calibration';
import { evaluate, featuresOf, INTERVAL_QUANTILE, priceableFeatures } from './cost-model';
import { graphWork, NoPredictionError, type ClassWork } from './onnx-work';
import type { EnergyMeter } from '../tactics/compare';

export interface PredictOptions {
  /** Inputs per call (default 1). */
  batch?: number;
  /** Intra-op threads (default: one per logical CPU). */
  threads?: number;
  /** `auto` (default): measure the calibration when it is missing; `never`: fail instead. */
  calibrate?: 'auto' | 'never';
  onProgress?: (message: string) => void;
  /** Calibration folder (default the user's cache dir). */
  cacheDir?: string;
  /** The meter a missing calibration is measured with (default a fresh one). */
  meter?: EnergyMeter;
  /** A smaller calibration workload than the default (tests). */
  workload?: CalibrationWorkload;
}

export interface PredictionBasis {
  calibration: string;
  machine: { cpuModel: string; logicalCpus: number; flags: string[]; ortVersion: string };
  meter: { method: string; coverage: number; note: string };
  calibratedAt: string;
  updatedAt: string;
  /** Points behind the fit at this thread count, and how many came from the user's measurements. */
  points: number;
  measuredPoints: number;
  threads: number;
  interval: string;
  /** Work the calibration never measured, and what it was priced as. */
  substitutions: string[];
}

export interface PredictionRecord {
  model: string;
  batch: number;
  threads: number;
  method: 'predicted';
  energyPerInferenceJ: number;
  low: number;
  high: number;
  energyPerCallJ: number;
  /** Per call of `batch` inputs. */
  latencyMs: number;
  latencyLowMs: number;
  latencyHighMs: number;
  flops: number;
  macs: number;
  bytes: number;
  work: ClassWork[];
  basis: PredictionBasis;
}

export class Prediction implements Displayable {
  constructor(readonly record: PredictionRecord) {}
  toJSON(): PredictionRecord {
    return this.record;
  }
  toMimeBundle(): MimeBundle {
    return { 'text/plain': predictionText(this.record), 'application/json': this.record };
  }
}

/** Where the calibration lives and what it is keyed on, for this machine and meter. */
export async function currentMachine(
  cacheDir?: string
): Promise<{ key: MachineKey; path: string }> {
  const probe = await probeMeters({ nvidia: false });
  const key = machineKey(readCpuinfo(), probe.cpu.method ?? 'estimate');
  return { key, path: calibrationPath(key, cacheDir) };
}

/**
 * The calibration with points at `threads`, measured now (and cached) when missing. `meter`
 * defaults to a fresh power meter, closed afterwards.
 */
export async function ensureCalibration(
  threads: number,
  options: Pick<PredictOptions, 'calibrate' | 'onProgress' | 'cacheDir' | 'meter' | 'workload'> & {
    force?: boolean;
  } = {}
): Promise<{ calibration: Calibration; path: string }> {
  checkThreads(threads);
  const { key, path } = await currentMachine(options.cacheDir);
  const cached = options.force ? undefined : loadCalibration(path, key);
  if (cached && calibratedThreads(cached).includes(threads)) return { calibration: cached, path };
  if (options.calibrate === 'never')
    throw new NoPredictionError(
      `this machine has no calibration for ${threads} thread(s): run gaissa calibrate --threads ${threads}`
    );
  const own = options.meter ? undefined : await openPowerMeter();
  try {
    const points = await runCalibration(
      options.meter ?? own!,
      [threads],
      options.onProgress,
      options.workload
    );
    const now = new Date().toISOString();
    const kept = (cached?.points ?? []).filter(
      p => p.threads !== threads || p.source === 'measured'
    );
    const calibration: Calibration = {
      version: cached?.version ?? 1,
      key,
      createdAt: cached?.createdAt ?? now,
      updatedAt: now,
      points: [...kept, ...points]
    };
    await saveCalibration(path, calibration);
    return { calibration, path };
  } finally {
    await own?.close();
  }
}

function resolveModel(model: OnnxModel | string): Promise<OnnxModel> {
  if (model instanceof OnnxModel) return Promise.resolve(model);
  if (typeof model === 'string') return OnnxModel.load(model);
  throw new TypeError('predict needs an ONNX model (gaissa.model.load) or a path to a .onnx file');
}

function checkCount(value: number | undefined, fallback: number, name: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1)
    throw new NoPredictionError(`${name} must be a whole number >= 1, got ${value}`);
  return n;
}

/** A thread count from 1 to this machine's logical CPUs. */
export function checkThreads(value: number | undefined): number {
  const n = checkCount(value, defaultThreads(), 'threads');
  const max = maxThreads();
  if (n > max)
    throw new NoPredictionError(
      `threads must be at most ${max} (this machine's logical CPUs), got ${value}`
    );
  return n;
}

const METER_NOTES: Record<string, string> = {
  rapl: 'CPU energy from RAPL counters: the prediction predicts what the counter would read',
  estimate:
    'no CPU energy counter here: the calibration was measured with the estimator (utilisation x TDP), so the prediction predicts the estimator, not a counter'
};

export async function predictModel(
  source: OnnxModel | string,
  options: PredictOptions = {}
): Promise<Prediction> {
  const batch = checkCount(options.batch, 1, 'batch');
  const threads = checkThreads(options.threads);
  const model = await resolveModel(source);
  // The graph first: a model it cannot read needs no calibration to say so.
  const work = graphWork(model.proto, batch);
  const { calibration, path } = await ensureCalibration(threads, options);
  const fit = fitFor(calibration, threads);
  if (!fit)
    throw new NoPredictionError(`the calibration has too few points at ${threads} thread(s)`);
  const { features, substitutions } = priceableFeatures(featuresOf(work), fit);
  // Work priced as something else is less certain: widen its interval by half.
  const widen = substitutions.length > 0 ? 1.5 : 1;
  const energy = evaluate(fit.energy, features);
  const seconds = evaluate(fit.seconds, features);
  const used = calibration.points.filter(p => p.threads === threads);
  const coverage = used.reduce((s, p) => s + p.coverage, 0) / used.length;
  const e = Math.exp(fit.energySpread * widen);
  const s = Math.exp(fit.secondsSpread * widen);
  return new Prediction({
    model: model.name,
    batch,
    threads,
    method: 'predicted',
    energyPerInferenceJ: energy / batch,
    low: energy / batch / e,
    high: (energy / batch) * e,
    energyPerCallJ: energy,
    latencyMs: seconds * 1000,
    latencyLowMs: (seconds * 1000) / s,
    latencyHighMs: seconds * 1000 * s,
    flops: work.flops,
    macs: work.macs,
    bytes: work.bytes,
    work: Object.values(work.byClass),
    basis: {
      calibration: path,
      machine: {
        cpuModel: calibration.key.cpuModel,
        logicalCpus: calibration.key.logicalCpus,
        flags: calibration.key.flags,
        ortVersion: calibration.key.ortVersion
      },
      meter: {
        method: calibration.key.meterMethod,
        coverage,
        note: METER_NOTES[calibration.key.meterMethod] ?? calibration.key.meterMethod
      },
      calibratedAt: calibration.createdAt,
      updatedAt: calibration.updatedAt,
      points: used.length,
      measuredPoints: used.filter(p => p.source === 'measured').length,
      threads,
      interval: `${Math.round(100 * INTERVAL_QUANTILE)} % of leave-one-out calibration errors${widen > 1 ? ', widened by half for uncalibrated work' : ''}`,
      substitutions
    }
  });
}

/**
 * Adds a measured figure of `model` to this machine's calibration (the next prediction refits
 * with it). Only figures from this machine's own meter belong here.
 */
export async function addMeasuredPoint(
  model: OnnxModel,
  measured: {
    batch: number;
    threads: number;
    energyPerInferenceJ: number;
    /** Per call of `batch` inputs. */
    latencyMs: number;
    coverage: number;
  },
  options: { cacheDir?: string } = {}
): Promise<boolean> {
  const { batch, threads, energyPerInferenceJ, latencyMs } = measured;
  if (![energyPerInferenceJ, latencyMs].every(v => Number.isFinite(v) && v > 0)) return false;
  const { key, path } = await currentMachine(options.cacheDir);
  const calibration = loadCalibration(path, key);
  if (!calibration) return false;
  const point = pointOf(
    model,
    batch,
    threads,
    {
      energyPerCallJ: energyPerInferenceJ * batch,
      secondsPerCall: latencyMs / 1000,
      coverage: measured.coverage
    },
    'measured'
  );
  calibration.points.push(point);
  calibration.updatedAt = new Date().toISOString();
  await saveCalibration(path, calibration);
  return true;
}

const sig = (v: number, digits = 3) => Number(v.toPrecision(digits)).toString();
const si = (v: number, unit: string) => {
  for (const [f, p] of [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k']
  ] as const)
    if (Math.abs(v) >= f) return `${sig(v / f)} ${p}${unit}`;
  return `${sig(v)} ${unit}`;
};
const joules = (j: number) =>
  j >= 1 ? `${sig(j)} J` : j >= 1e-3 ? `${sig(j * 1e3)} mJ` : `${sig(j * 1e6)} µJ`;

export function predictionText(p: PredictionRecord): string {
  const b = p.basis;
  const lines = [
    `Predicted (not measured): ${p.model}, batch ${p.batch}, ${p.threads} thread(s)`,
    `  energy per inference  ${joules(p.energyPerInferenceJ)}  (${joules(p.low)} .. ${joules(p.high)})`,
    `  latency per call      ${sig(p.latencyMs)} ms  (${sig(p.latencyLowMs)} .. ${sig(p.latencyHighMs)} ms)`,
    `  work per call         ${si(p.flops, 'FLOP')}, ${si(p.macs, 'MAC')}, ${si(p.bytes, 'B')} moved`,
    ...p.work
      .filter(w => w.flops > 0)
      .sort((x, y) => y.flops - x.flops)
      .map(
        w =>
          `    ${`${w.opClass}/${w.dtype}`.padEnd(22)}${si(w.flops, 'FLOP').padStart(12)}  ${w.nodes} node(s)`
      ),
    `Basis: calibration of ${b.updatedAt} on ${b.machine.cpuModel} (${b.machine.logicalCpus} CPUs${b.machine.flags.length ? `, ${b.machine.flags.join(' ')}` : ''})`,
    `  ${b.points} points at ${b.threads} thread(s) (${b.measuredPoints} from your measurements); meter ${b.meter.method}, coverage ${Math.round(b.meter.coverage * 100)} %`,
    `  ${b.meter.note}`,
    `  interval: ${b.interval}`,
    ...b.substitutions.map(s => `  ${s}`)
  ];
  return lines.join('\n');
}
