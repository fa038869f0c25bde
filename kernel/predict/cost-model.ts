/**
 * The cost model behind predictions: joules and seconds per call as a non-negative sum of a cost
 * per call, per node, per byte moved and per FLOP of each operator class and data type, fitted to
 * measured points by least squares on relative errors (a 1 ms model weighs as much as a 100 ms
 * one). The interval comes from leave-one-out errors: each point predicted by a fit that never
 * saw it, which is what a new model is to the calibration.
 */
import type { GraphWork } from './onnx-work';

/** Feature name -> amount of work: `call`, `nodes`, `bytes`, `flops:matmul/float32`... */
export type Features = Record<string, number>;

export interface FitPoint {
  features: Features;
  /** Measured per call. */
  energyJ: number;
  seconds: number;
}

export interface Fit {
  /** Cost per unit of each feature: joules and seconds. */
  energy: Record<string, number>;
  seconds: Record<string, number>;
  /** 90th percentile of |ln(measured / predicted)| over leave-one-out predictions. */
  energySpread: number;
  secondsSpread: number;
  points: number;
}

/** Below this, an interval would claim more than a noisy shared machine can repeat. */
export const MIN_SPREAD = 0.1;
/** Share of measured values the interval aims to hold. */
export const INTERVAL_QUANTILE = 0.9;

export function featuresOf(work: GraphWork): Features {
  const f: Features = { call: 1, nodes: work.nodes.length, bytes: work.bytes };
  for (const [key, c] of Object.entries(work.byClass)) {
    if (c.flops > 0) f[`flops:${key}`] = (f[`flops:${key}`] ?? 0) + c.flops;
  }
  return f;
}

/**
 * Non-negative least squares by cyclic coordinate descent on the normal equations: small
 * problems (a dozen features), and a cost can never be negative.
 */
export function nnls(rows: number[][], y: number[], sweeps = 2000): number[] {
  const m = rows[0]?.length ?? 0;
  // Columns scaled to unit norm, so one step size suits all of them.
  const norms = Array.from({ length: m }, (_, j) => Math.hypot(...rows.map(r => r[j])) || 1);
  const a = rows.map(r => r.map((v, j) => v / norms[j]));
  const ata = Array.from({ length: m }, (_, i) =>
    Array.from({ length: m }, (_, j) => a.reduce((s, r) => s + r[i] * r[j], 0))
  );
  const aty = Array.from({ length: m }, (_, j) => a.reduce((s, r, k) => s + r[j] * y[k], 0));
  const x = new Array<number>(m).fill(0);
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let moved = 0;
    for (let j = 0; j < m; j++) {
      if (ata[j][j] <= 0) continue;
      let g = aty[j];
      for (let k = 0; k < m; k++) if (k !== j) g -= ata[j][k] * x[k];
      const next = Math.max(0, g / ata[j][j]);
      moved = Math.max(moved, Math.abs(next - x[j]));
      x[j] = next;
    }
    if (moved < 1e-12) break;
  }
  return x.map((v, j) => v / norms[j]);
}

function fitOne(points: readonly FitPoint[], names: string[], target: 'energyJ' | 'seconds') {
  // Relative errors: each row divided by its measured value.
  const rows = points.map(p => names.map(n => (p.features[n] ?? 0) / p[target]));
  const coef = nnls(
    rows,
    points.map(() => 1)
  );
  return Object.fromEntries(names.map((n, j) => [n, coef[j]]));
}

export function evaluate(coef: Record<string, number>, features: Features): number {
  return Object.entries(features).reduce((s, [k, v]) => s + (coef[k] ?? 0) * v, 0);
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo] + (sorted[Math.ceil(at)] - sorted[lo]) * (at - lo);
}

/** Fits energy and seconds per call to the points; needs at least as many points as features + 1. */
export function fitCostModel(points: readonly FitPoint[]): Fit {
  const names = [...new Set(points.flatMap(p => Object.keys(p.features)))].sort();
  if (points.length < 3)
    throw new RangeError(`a fit needs at least 3 points, got ${points.length}`);
  const spread = (target: 'energyJ' | 'seconds') => {
    const errors = points.map((p, i) => {
      const rest = points.filter((_, k) => k !== i);
      const predicted = evaluate(fitOne(rest, names, target), p.features);
      return predicted > 0 ? Math.abs(Math.log(p[target] / predicted)) : Infinity;
    });
    // A quantile of few errors is itself uncertain: widen by sqrt(n / (n - 2)).
    const n = points.length;
    return Math.max(MIN_SPREAD, quantile(errors, INTERVAL_QUANTILE) * Math.sqrt(n / (n - 2)));
  };
  return {
    energy: fitOne(points, names, 'energyJ'),
    seconds: fitOne(points, names, 'seconds'),
    energySpread: spread('energyJ'),
    secondsSpread: spread('seconds'),
    points: points.length
  };
}

/**
 * Features the calibration never measured, priced as the nearest one it did: the same class in
 * another data type, then Gemm for MatMul (and back) in the same type, then matmul for quantized work, then float32 elementwise work. Each
 * substitution is named, for the prediction's basis.
 */
export function priceableFeatures(
  features: Features,
  fit: Pick<Fit, 'energy'>
): { features: Features; substitutions: string[] } {
  const known = Object.keys(fit.energy);
  const out: Features = {};
  const substitutions: string[] = [];
  for (const [name, value] of Object.entries(features)) {
    if (known.includes(name) || !name.startsWith('flops:')) {
      out[name] = (out[name] ?? 0) + value;
      continue;
    }
    const opClass = name.slice('flops:'.length).split('/')[0];
    const sibling = opClass === 'gemm' ? 'matmul' : opClass === 'matmul' ? 'gemm' : opClass;
    const stand =
      known.find(k => k.startsWith(`flops:${opClass}/`)) ??
      known.find(k => k === `flops:${sibling}/${name.split('/')[1]}`) ??
      (opClass === 'quantize' ? known.find(k => k.startsWith('flops:matmul/')) : undefined) ??
      known.find(k => k === 'flops:elementwise/float32');
    if (!stand) {
      substitutions.push(`${name.slice(6)}: not calibrated, priced as free`);
      continue;
    }
    substitutions.push(`${name.slice(6)} not calibrated: priced as ${stand.slice(6)}`);
    out[stand] = (out[stand] ?? 0) + value;
  }
  return { features: out, substitutions };
}
