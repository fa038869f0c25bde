/**
 * The tactics comparison (mime `application/vnd.gaissa.tactics.v1+json`, JSON Schema in
 * schema/tactics.schema.json) and the arithmetic behind it: classification quality, deltas
 * against the baseline, the Pareto front of energy vs quality, and the recommendation within an
 * accuracy budget. The kernel measures (kernel/tactics/compare.ts); the extension renders.
 */
import type { Provenance } from './provenance';
import type { VariantPrediction } from './tactics-prediction';

/** `inference`: ONNX variants (issue 5); `training`: training tactics (issue 8) share the view. */
export type ComparisonPhase = 'inference' | 'training';

/**
 * `accuracy`: top-1 against labels; `agreement`: top-1 agreement with the baseline's outputs (or
 * reference outputs the user gave). Both are fractions 0..1, higher is better.
 */
export type QualityMetric = 'accuracy' | 'agreement';

export interface VariantDeltas {
  /** (variant - baseline) / baseline x 100; negative is a saving. */
  energyPct: number;
  latencyPct: number | null;
  throughputPct: number | null;
  sizePct: number | null;
  gzipSizePct: number | null;
  /** (variant - baseline) x 100: percentage points of the quality metric. */
  qualityPoints: number | null;
}

export interface VariantRuntime {
  graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'layout' | 'all';
  /** Threads of one operator; null: ONNX Runtime's default (one per physical core). */
  intraOpNumThreads: number | null;
  batchSize: number;
}

/** What every row of a comparison says, inference or training phase. */
export interface VariantStanding {
  /** Unique within the comparison. */
  name: string;
  /** Tactic specs applied in order (`prune-structured:0.5`, `quantize-dynamic`); [] for fp32. */
  tactics: string[];
  baseline: boolean;
  recommended: boolean;
  /** On the Pareto front of energy (lower) vs quality (higher). */
  pareto: boolean;
  /** Quality within the accuracy budget of the baseline. */
  withinBudget: boolean;
  /**
   * How the variant's energy was obtained: `measured` when a hardware counter measured all of
   * it, `estimated` when none, `partly-measured` otherwise (see coverage).
   */
  method: Provenance;
  /**
   * Share of the variant's energy a hardware counter measured, 0..1. Absent in payloads written
   * before it existed: read it as 1 for `measured`, else 0.
   */
  coverage?: number;
}

export interface VariantFigures extends VariantStanding {
  /** Mean over the measured windows of energy / inferences in the window. */
  energyPerInferenceJ: number;
  /** Sample standard deviation of that mean's windows; null with one window. */
  energyPerInferenceSdJ: number | null;
  co2ePerInferenceG: number;
  /** Median duration of one run() call of `runtime.batchSize` inputs. */
  latencyMs: number;
  latencyP95Ms: number;
  throughputPerS: number;
  modelBytes: number;
  gzipBytes: number;
  /** modelBytes / 10^6 (the unit labels use). */
  modelSizeMB: number;
  /** Value of the comparison's metric, 0..1. */
  quality: number;
  /** Top-1 accuracy, when labels were given. */
  accuracy?: number;
  /** Top-1 agreement with the baseline (or the reference outputs). */
  agreement: number;
  /** Largest |output - baseline output| over the first output. */
  maxAbsDiff: number;
  runtime: VariantRuntime;
  /** null for the baseline. */
  deltas: VariantDeltas | null;
  /** What the figures mean (e.g. "fp16 on the CPU: smaller file, no speed-up"). */
  notes: string[];
  /** Operators a tactic left unchanged, with the reason. */
  leftAsIs: string[];
  modelPath?: string;
  /** Energy and latency predicted before the variant was measured (compare's `predict`). */
  prediction?: VariantPrediction;
}

export interface ComparisonSetup {
  samples: number;
  repeat: number;
  warmup: number;
  minWindowS: number;
  runtime: string;
  meterMethod: 'rapl' | 'nvml' | 'estimate';
  fallbackReasons: string[];
  host: string;
  region: string;
  carbonIntensityGPerKWh: number;
  durationS: number;
}

export interface TacticsPayload {
  schemaVersion: 1;
  phase: ComparisonPhase;
  /** What one energy figure is for: `inference` here. */
  functionalUnit: string;
  metric: QualityMetric;
  /** Fraction: 0.01 is one percentage point. */
  maxAccuracyDrop: number;
  baseline: string;
  recommended: string;
  /** Why the recommended variant was picked, in one or two sentences. */
  recommendation: string;
  variants: VariantFigures[];
  setup: ComparisonSetup;
  notes: string[];
  createdAt: string;
}

/** Index of the largest value of each row of a row-major [rows, classes] array. */
export function topOne(values: ArrayLike<number>, rows: number, classes: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let c = 0; c < classes; c++) {
      const v = values[r * classes + c];
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    out[r] = best;
  }
  return out;
}

/** Fraction of positions where `a` and `b` agree. */
export function agreementRate(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`lengths differ: ${a.length} vs ${b.length}`);
  if (a.length === 0) throw new RangeError('no predictions to compare');
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > max || Number.isNaN(d)) max = Number.isNaN(d) ? Infinity : d;
  }
  return max;
}

/** (value - base) / base x 100; null when either is missing or the base is 0. */
export function percentChange(value: number | null, base: number | null): number | null {
  if (value === null || base === null || base === 0) return null;
  return ((value - base) / base) * 100;
}

export interface EnergyQualityPoint {
  energy: number;
  quality: number;
}

/**
 * Pareto front: a point is on it when no other point uses no more energy with at least the same
 * quality and is strictly better in one of them.
 */
export function paretoFront(points: readonly EnergyQualityPoint[]): boolean[] {
  return points.map(
    (p, i) =>
      !points.some(
        (q, j) =>
          j !== i &&
          q.energy <= p.energy &&
          q.quality >= p.quality &&
          (q.energy < p.energy || q.quality > p.quality)
      )
  );
}

/** Tolerance for comparing quality fractions computed from counts (avoids 0.99 - 0.01 < 0.98). */
const QUALITY_EPSILON = 1e-9;

export function withinBudget(quality: number, baselineQuality: number, maxDrop: number): boolean {
  return quality >= baselineQuality - maxDrop - QUALITY_EPSILON;
}

/** The least-energy point whose quality is within `maxDrop` of the baseline's (the baseline if none). */
export function recommendIndex(
  points: readonly EnergyQualityPoint[],
  baselineIndex: number,
  maxDrop: number
): number {
  const base = points[baselineIndex];
  let best = baselineIndex;
  points.forEach((p, i) => {
    if (withinBudget(p.quality, base.quality, maxDrop) && p.energy < points[best].energy) best = i;
  });
  return best;
}

/**
 * Whether two mean energies differ by more than their noise: |a - b| > 2 standard errors of the
 * difference (Welch). Unknown spread (one window) counts as distinguishable.
 */
export function energiesDistinguishable(
  a: { mean: number; sd: number | null; n: number },
  b: { mean: number; sd: number | null; n: number }
): boolean {
  if (a.sd === null || b.sd === null) return true;
  const se = Math.sqrt((a.sd * a.sd) / a.n + (b.sd * b.sd) / b.n);
  return Math.abs(a.mean - b.mean) > 2 * se;
}

/** What `gaissa.model.load` shows about a model. */
export interface ModelSummary {
  name: string;
  producer: string;
  irVersion: number;
  /** Opset of the default ONNX domain. */
  opset: number;
  /** Every imported domain with its version ('' is ai.onnx). */
  opsets: Record<string, number>;
  nodes: number;
  /** Operator counts; operators of other domains are prefixed (`com.microsoft.QGemm`). */
  operators: Record<string, number>;
  /** Elements in all initializers. */
  parameters: number;
  /** Parameters per element type (`float32`, `int8`...). */
  parametersByType: Record<string, number>;
  sizeBytes: number;
  inputs: TensorSignature[];
  outputs: TensorSignature[];
}

export interface TensorSignature {
  name: string;
  type: string;
  /** A number for a fixed dimension, a name for a symbolic one, null when unknown. */
  shape: Array<number | string | null> | null;
}

export interface ChangedNode {
  node: string;
  op: string;
  detail: string;
}

export interface LeftAsIs {
  node: string;
  op: string;
  reason: string;
}

/** What one tactic did to a model. */
export interface TacticReport {
  /** Tactic id, e.g. `prune-magnitude`. */
  tactic: string;
  /** As written, with its argument: `prune-magnitude:0.5`. */
  spec: string;
  /** One line. */
  summary: string;
  changed: ChangedNode[];
  /** Operators the tactic could not handle: never failed on, listed here. */
  leftAsIs: LeftAsIs[];
  /** What to expect from this tactic, stated plainly (no tactic sold for more than it does). */
  notes: string[];
  sizeBytesBefore: number;
  sizeBytesAfter: number;
  durationMs: number;
}
