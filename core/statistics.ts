/**
 * Summary statistics for repeated energy measurements: energy is noisy, so a figure from
 * `--repeat N` carries its spread and a 95 % confidence interval for the mean.
 */

/**
 * Two-sided 95 % critical values of Student's t (upper 2.5 % point) by degrees of freedom.
 * Source: NIST/SEMATECH e-Handbook of Statistical Methods, section 1.3.6.7.2 "Critical Values of
 * the Student's t Distribution" (column 0.025), https://www.itl.nist.gov/div898/handbook/eda/section3/eda3672.htm;
 * the df = 120 entry is the usual printed-table value. Between entries we interpolate linearly in
 * 1/df, the standard way to read such a table (error < 0.001 against the exact quantile).
 */
export const T_TABLE_95: ReadonlyArray<readonly [df: number, t: number]> = [
  [1, 12.706],
  [2, 4.303],
  [3, 3.182],
  [4, 2.776],
  [5, 2.571],
  [6, 2.447],
  [7, 2.365],
  [8, 2.306],
  [9, 2.262],
  [10, 2.228],
  [11, 2.201],
  [12, 2.179],
  [13, 2.16],
  [14, 2.145],
  [15, 2.131],
  [16, 2.12],
  [17, 2.11],
  [18, 2.101],
  [19, 2.093],
  [20, 2.086],
  [21, 2.08],
  [22, 2.074],
  [23, 2.069],
  [24, 2.064],
  [25, 2.06],
  [26, 2.056],
  [27, 2.052],
  [28, 2.048],
  [29, 2.045],
  [30, 2.042],
  [40, 2.021],
  [50, 2.009],
  [60, 2.0],
  [80, 1.99],
  [100, 1.984],
  [120, 1.98]
];

/** The normal distribution's 97.5 % point: the limit of t as df grows without bound. */
export const Z_95 = 1.96;

export const T_TABLE_SOURCE =
  'NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.2 (two-sided 95 %), interpolated in 1/df';

/** Critical t for a two-sided 95 % interval with `df` degrees of freedom (df >= 1). */
export function tCritical95(df: number): number {
  if (!(df >= 1)) throw new RangeError(`degrees of freedom must be >= 1, got ${df}`);
  const exact = T_TABLE_95.find(([d]) => d === df);
  if (exact) return exact[1];
  const last = T_TABLE_95[T_TABLE_95.length - 1];
  // Beyond the table, interpolate towards z at 1/df = 0.
  let lower: readonly [number, number] = last;
  let upper: readonly [number, number] = [Infinity, Z_95];
  for (let i = 0; i < T_TABLE_95.length - 1; i++) {
    if (df > T_TABLE_95[i][0] && df < T_TABLE_95[i + 1][0]) {
      lower = T_TABLE_95[i];
      upper = T_TABLE_95[i + 1];
      break;
    }
  }
  const x = 1 / df;
  const x0 = 1 / lower[0];
  const x1 = 1 / upper[0];
  return lower[1] + ((x - x0) / (x1 - x0)) * (upper[1] - lower[1]);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean of an empty list');
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample standard deviation (divisor n - 1); null for fewer than two values. */
export function sampleStandardDeviation(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = mean(values);
  let squares = 0;
  for (const v of values) squares += (v - m) * (v - m);
  return Math.sqrt(squares / (values.length - 1));
}

export interface ConfidenceInterval {
  low: number;
  high: number;
  halfWidth: number;
  /** The critical value used: Student's t with n - 1 degrees of freedom. */
  t: number;
}

/** 95 % confidence interval of the mean, mean +- t(n-1) x sd / sqrt(n); null for n < 2. */
export function confidenceInterval95(values: readonly number[]): ConfidenceInterval | null {
  const sd = sampleStandardDeviation(values);
  if (sd === null) return null;
  const m = mean(values);
  const t = tCritical95(values.length - 1);
  const halfWidth = (t * sd) / Math.sqrt(values.length);
  return { low: m - halfWidth, high: m + halfWidth, halfWidth, t };
}

export interface Summary {
  n: number;
  mean: number;
  sd: number | null;
  min: number;
  max: number;
  ci95: ConfidenceInterval | null;
}

export function summarize(values: readonly number[]): Summary {
  return {
    n: values.length,
    mean: mean(values),
    sd: sampleStandardDeviation(values),
    min: Math.min(...values),
    max: Math.max(...values),
    ci95: confidenceInterval95(values)
  };
}

/**
 * The q-quantile (0..1) of `sorted` (ascending), interpolating linearly between order statistics
 * (Hyndman & Fan type 7, the default of NumPy and R): p50 and p95 latencies, percentile ranges.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty list');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be within 0..1, got ${q}`);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The q-quantile of unsorted values (copied, then sorted). */
export function quantile(values: readonly number[], q: number): number {
  return quantileSorted(
    [...values].sort((a, b) => a - b),
    q
  );
}
