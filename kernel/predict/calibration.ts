/**
 * This machine's price of ONNX inference work: `gaissa calibrate` runs a short workload of
 * synthetic models (MLPs, conv nets, int8 and fp16 variants, several batch sizes) with the
 * project's own power meter at each thread count, and fits joules and seconds per unit of work
 * per operator class and data type (cost-model.ts). The points are cached per machine and meter
 * (CPU model, cores, vector flags, meter method, ONNX Runtime version) in the user's cache dir;
 * each measured comparison can add points, and the fit is redone from all of them.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, homedir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readingEnergyJ, recordCoverage, type MeterReading } from '../../core/measurement';
import { combinedCoverage } from '../../core/provenance';
import { writeFileAtomic } from '../atomic-write';
import type { EnergyMeter } from '../tactics/compare';
import { OnnxModel } from '../onnx/onnx-model';
import { convNetModel, mlpModel, randomInputs } from '../onnx/synthetic-models';
import { applyTactics } from '../tactics/catalogue';
import { featuresOf, fitCostModel, type Features, type Fit, type FitPoint } from './cost-model';
import { graphWork } from './onnx-work';

export const CALIBRATION_VERSION = 1;
/** Vector flags that change what a FLOP costs (int8 dot products, fp16 conversion, FMA). */
const FLAGS = [
  'avx',
  'avx2',
  'fma',
  'f16c',
  'avx512f',
  'avx512_vnni',
  'avx_vnni',
  'amx_int8',
  'asimddp'
];

export interface MachineKey {
  cpuModel: string;
  logicalCpus: number;
  flags: string[];
  /** The CPU meter's method: `rapl` (a counter) or `estimate`. */
  meterMethod: string;
  ortVersion: string;
}

export interface CalibrationPoint extends FitPoint {
  model: string;
  batch: number;
  threads: number;
  /** `calibrate`: the calibration workload; `measured`: a comparison or measurement the user made. */
  source: 'calibrate' | 'measured';
  /** Share of the joules a hardware counter measured, 0..1. */
  coverage: number;
}

export interface Calibration {
  version: number;
  key: MachineKey;
  createdAt: string;
  updatedAt: string;
  points: CalibrationPoint[];
}

export function machineKey(cpuinfo: string | undefined, meterMethod: string): MachineKey {
  const flagLines = (cpuinfo ?? '')
    .split('\n')
    .filter(l => /^(flags|features)\s*:/i.test(l))
    .map(l => new Set(l.split(':')[1].trim().split(/\s+/)));
  return {
    cpuModel: cpus()[0]?.model?.trim() || 'unknown',
    logicalCpus: cpus().length,
    flags: FLAGS.filter(f => flagLines.length > 0 && flagLines.every(s => s.has(f))),
    meterMethod,
    ortVersion: ort.env.versions.common ?? 'unknown'
  };
}

export function readCpuinfo(): string | undefined {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return undefined;
  }
}

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GAISSA_CACHE_DIR) return env.GAISSA_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gaissa');
}

export function calibrationPath(key: MachineKey, dir = cacheDir()): string {
  const hash = createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 16);
  return join(dir, `calibration-${hash}.json`);
}

/** Measured points kept per calibration (the newest): each comparison adds some. */
export const MAX_MEASURED_POINTS = 200;

/** A point a fit can use: a hand-edited cache must not bring NaN (or a null) into one. */
function isPoint(p: unknown): p is CalibrationPoint {
  if (typeof p !== 'object' || p === null) return false;
  const q = p as Partial<CalibrationPoint>;
  return (
    typeof q.energyJ === 'number' &&
    typeof q.seconds === 'number' &&
    q.energyJ > 0 &&
    q.seconds > 0 &&
    Number.isFinite(q.energyJ + q.seconds) &&
    Number.isInteger(q.threads) &&
    typeof q.features === 'object' &&
    q.features !== null &&
    Object.values(q.features).every(v => typeof v === 'number' && Number.isFinite(v))
  );
}

/** The cached calibration for `key`, or undefined (absent, unreadable or for another key). */
export function loadCalibration(path: string, key: MachineKey): Calibration | undefined {
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as Calibration;
    if (c?.version !== CALIBRATION_VERSION || JSON.stringify(c.key) !== JSON.stringify(key))
      return undefined;
    if (!Array.isArray(c.points)) return undefined;
    // Point by point: one bad point must not cost the user's measured ones.
    c.points = (c.points as unknown[]).filter(isPoint);
    return c;
  } catch {
    return undefined;
  }
}

const pointId = (p: CalibrationPoint) =>
  `${p.model}|${p.batch}|${p.threads}|${p.energyJ}|${p.seconds}`;

/** Every point but the measured ones beyond the newest MAX_MEASURED_POINTS, in order. */
function boundMeasured(points: CalibrationPoint[]): CalibrationPoint[] {
  let drop = points.filter(p => p.source === 'measured').length - MAX_MEASURED_POINTS;
  return points.filter(p => !(p.source === 'measured' && drop-- > 0));
}

/**
 * Writes `calibration` (atomically), with the measured points another kernel saved since it was
 * read added back, and the measured points bounded; `calibration.points` becomes what was saved.
 */
export async function saveCalibration(path: string, calibration: Calibration): Promise<void> {
  mkdirSync(join(path, '..'), { recursive: true });
  const ours = new Set(calibration.points.map(pointId));
  const theirs = (loadCalibration(path, calibration.key)?.points ?? []).filter(
    p => p.source === 'measured' && !ours.has(pointId(p))
  );
  calibration.points = boundMeasured([...calibration.points, ...theirs]);
  await writeFileAtomic(path, JSON.stringify(calibration, null, 1) + '\n');
}

/** Thread counts the calibration has points for. */
export function calibratedThreads(c: Calibration): number[] {
  return [...new Set(c.points.map(p => p.threads))].sort((a, b) => a - b);
}

/** The fit for one thread count, from every point at that count. */
export function fitFor(c: Calibration, threads: number): Fit | undefined {
  const points = c.points.filter(p => p.threads === threads);
  return points.length >= 3 ? fitCostModel(points) : undefined;
}

export interface MeasuredPoint {
  energyPerCallJ: number;
  secondsPerCall: number;
  calls: number;
  coverage: number;
  readings: MeterReading[];
}

/** Random float inputs for the model's only input at `batch` (synthetic and exported models). */
function feedsOf(model: OnnxModel, batch: number): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of model.summary.inputs) {
    const dims = (input.shape ?? []).map((d, i) => (i === 0 ? batch : (d as number)));
    const count = dims.reduce((a, b) => a * b, 1);
    if (input.type !== 'float32')
      throw new TypeError(
        `input '${input.name}' is ${input.type}: only float32 inputs are generated`
      );
    feeds[input.name] = new ort.Tensor('float32', randomInputs(1, count), dims);
  }
  return feeds;
}

/**
 * Joules and seconds per call of `model` at `batch` inputs and `threads` intra-op threads, the
 * way gaissa.compare measures: warm-up calls, then meter windows of at least `windowS` seconds
 * each; the median window wins, so one disturbed window on a shared machine does not.
 */
export async function measureModel(
  meter: EnergyMeter,
  model: OnnxModel,
  options: { batch: number; threads: number; windowS?: number; windows?: number }
): Promise<MeasuredPoint> {
  const session = await model.session({ intraOpNumThreads: options.threads });
  const windowS = options.windowS ?? 0.3;
  try {
    const feeds = feedsOf(model, options.batch);
    const warmEnd = performance.now() + 50;
    do await session.run(feeds);
    while (performance.now() < warmEnd);
    const results: Array<{
      energy: number;
      seconds: number;
      calls: number;
      reading: MeterReading;
    }> = [];
    for (let w = 0; w < (options.windows ?? 1); w++) {
      const window = meter.begin();
      const t0 = performance.now();
      let calls = 0;
      do {
        await session.run(feeds);
        calls++;
      } while ((performance.now() - t0) / 1000 < windowS);
      const seconds = (performance.now() - t0) / 1000;
      const reading = await window.end();
      results.push({
        energy: readingEnergyJ(reading) / calls,
        seconds: seconds / calls,
        calls,
        reading
      });
    }
    const sorted = [...results].sort((a, b) => a.energy - b.energy);
    const mid = sorted[Math.floor((sorted.length - 1) / 2)];
    const secs = [...results].map(r => r.seconds).sort((a, b) => a - b);
    return {
      energyPerCallJ: mid.energy,
      secondsPerCall: secs[Math.floor((secs.length - 1) / 2)],
      calls: results.reduce((s, r) => s + r.calls, 0),
      coverage: combinedCoverage(
        results.map(r => ({
          energyJ: readingEnergyJ(r.reading),
          coverage: recordCoverage(r.reading.components)
        }))
      ),
      readings: results.map(r => r.reading)
    };
  } finally {
    await session.release();
  }
}

/** The calibration workload: shapes the accuracy benchmark's held-out models never take. */
export async function calibrationModels(): Promise<OnnxModel[]> {
  const mlpInt8 = OnnxModel.fromProto(mlpModel({ sizes: [512, 256, 10], seed: 5 }), {
    name: 'mlp-512-256-10'
  });
  const mlpGemm = OnnxModel.fromProto(mlpModel({ sizes: [256, 384, 10], seed: 6, gemm: true }), {
    name: 'mlp-256-384-10'
  });
  const mlpLarge = OnnxModel.fromProto(mlpModel({ sizes: [1024, 512, 10], seed: 4 }), {
    name: 'mlp-1024-512-10'
  });
  return [
    OnnxModel.fromProto(mlpModel({ sizes: [784, 64, 10], gemm: true }), { name: 'mlp-784-64-10' }),
    OnnxModel.fromProto(mlpModel({ sizes: [256, 512, 10] }), { name: 'mlp-256-512-10' }),
    OnnxModel.fromProto(mlpModel({ sizes: [1024, 256, 128, 10], gemm: true, activation: 'Tanh' }), {
      name: 'mlp-1024-256-128-10'
    }),
    OnnxModel.fromProto(convNetModel({ side: 28, channels: 8 }), { name: 'conv-28x8' }),
    OnnxModel.fromProto(convNetModel({ side: 16, channels: 16 }), { name: 'conv-16x16' }),
    OnnxModel.fromProto(convNetModel({ side: 40, channels: 4 }), { name: 'conv-40x4' }),
    (await applyTactics(mlpInt8, 'quantize-dynamic')).model,
    (await applyTactics(mlpInt8, 'fp16')).model,
    (await applyTactics(mlpGemm, 'fp16')).model,
    (await applyTactics(mlpLarge, 'fp16')).model
  ];
}

export const CALIBRATION_BATCHES = [1, 8, 64];

/** Default thread counts: one, and every logical CPU (ONNX Runtime's own default is near it). */
export function defaultThreads(): number {
  return Math.max(1, cpus().length);
}

/**
 * The most intra-op threads a prediction or calibration takes: this machine's logical CPUs (more
 * only oversubscribes them, and each is a thread ONNX Runtime starts).
 */
export function maxThreads(): number {
  return Math.max(1, availableParallelism(), cpus().length);
}

/** Measures the workload at each thread count: about 18 s per count on a 2-core VM. */
export interface CalibrationWorkload {
  models?: OnnxModel[];
  batches?: number[];
  /** Seconds per meter window, and windows per point (the median counts). */
  windowS?: number;
  windows?: number;
}

export async function runCalibration(
  meter: EnergyMeter,
  threadCounts: readonly number[],
  onProgress?: (message: string) => void,
  workload: CalibrationWorkload = {}
): Promise<CalibrationPoint[]> {
  const models = workload.models ?? (await calibrationModels());
  const points: CalibrationPoint[] = [];
  for (const threads of threadCounts) {
    for (const model of models) {
      for (const batch of workload.batches ?? CALIBRATION_BATCHES) {
        onProgress?.(`calibrating: ${model.name}, batch ${batch}, ${threads} thread(s)`);
        const m = await measureModel(meter, model, {
          batch,
          threads,
          windowS: workload.windowS ?? 0.15,
          windows: workload.windows ?? 3
        });
        points.push(pointOf(model, batch, threads, m, 'calibrate'));
      }
    }
  }
  return points;
}

export function pointOf(
  model: OnnxModel,
  batch: number,
  threads: number,
  m: Pick<MeasuredPoint, 'energyPerCallJ' | 'secondsPerCall' | 'coverage'>,
  source: CalibrationPoint['source']
): CalibrationPoint {
  const features: Features = featuresOf(graphWork(model.proto, batch));
  return {
    features,
    energyJ: m.energyPerCallJ,
    seconds: m.secondsPerCall,
    model: model.name,
    batch,
    threads,
    source,
    coverage: m.coverage
  };
}
