/**
 * The label's rating engine (GAISSALabel method): per metric an index against a reference, a
 * rating from four boundaries in index space, and an overall rating as the weighted mean of the
 * metric ratings over the metrics present.
 */
import { FieldError, describe, isPlainObject, requireNumber } from '../field-error';
import { Boundaries, DEFAULT_BASIS, LabelBasis } from './defaults';
import {
  METRICS,
  derivedMetrics,
  MetricName,
  PHASE_METRICS,
  PHASES,
  Phase,
  RATINGS,
  Rating,
  isPhase
} from './metrics';

export interface LabelRatingInput {
  phase: Phase;
  metrics: Partial<Record<MetricName, number>>;
  /** Overrides of the phase's default reference values, per metric. */
  reference?: Partial<Record<MetricName, number>>;
  /** Overrides of the phase's default boundaries, per metric. */
  boundaries?: Partial<Record<MetricName, Boundaries>>;
  /** Overrides of the phase's default weights, per metric (renormalised, need not sum to 1). */
  weights?: Partial<Record<MetricName, number>>;
}

export interface MetricRating {
  value: number;
  index: number;
  rating: Rating;
  /** Rated against a population: share (0..1) of its members whose index is at or below this. */
  percentile?: number;
}

export interface LabelRating {
  phase: Phase;
  rating: Rating;
  /** Weighted mean of the metric ratings, A=0 ... E=4, before rounding. */
  score: number;
  metrics: Partial<Record<MetricName, MetricRating>>;
  /** The reference, boundaries and weights actually used, for the metrics present. */
  basis: LabelBasis;
  /** Figures present that the basis cannot rate (no reference or boundaries for them). */
  unrated: Partial<Record<MetricName, number>>;
}

/** What a rating rests on when it is not the phase's fixed default. */
export interface RatingBasis {
  basis: LabelBasis;
  /** A population's indices per metric, ascending: each rated metric gets its percentile. */
  indices?: Partial<Record<MetricName, readonly number[]>>;
}

/**
 * Index of a value against its reference: value/ref when higher is better, ref/value when lower
 * is better, so a bigger index is always better. Rounded to 12 significant digits so that a value
 * written exactly at a boundary (1.01 x reference) lands on it despite binary floating point.
 */
export function metricIndex(value: number, reference: number, better: 'higher' | 'lower'): number {
  const index = better === 'higher' ? value / reference : reference / value;
  return Number(index.toPrecision(12));
}

/** A when index > b1, B when b1 >= index > b2, C when b2 >= index > b3, D when b3 >= index > b4, else E. */
export function ratingFromIndex(index: number, boundaries: Boundaries): Rating {
  const band = boundaries.findIndex(b => index > b);
  return RATINGS[band === -1 ? 4 : band];
}

/**
 * Weighted mean of ratings (A=0 ... E=4), weights renormalised over the entries given. A mean
 * exactly halfway between two ratings (x.5) rounds to the worse one: a label never claims more
 * than its metrics support. The mean is first rounded to 9 decimals so that renormalised weights
 * such as 0.3/0.7 do not turn an exact tie into 1.4999999.
 */
export function overallRating(entries: ReadonlyArray<{ rating: Rating; weight: number }>): {
  rating: Rating;
  score: number;
} {
  const total = entries.reduce((sum, e) => sum + e.weight, 0);
  if (!(total > 0)) throw new FieldError('weights', 'the metrics present have a total weight of 0');
  const score = entries.reduce((sum, e) => sum + e.weight * RATINGS.indexOf(e.rating), 0) / total;
  const rounded = Math.floor(Number(score.toFixed(9)) + 0.5);
  return { rating: RATINGS[Math.min(4, Math.max(0, rounded))], score };
}

/**
 * Rates validated input (see parseLabelRatingInput for untrusted input) against `on`, by default
 * the phase's fixed basis; the request's reference, boundaries and weights override it per metric.
 * Derived metrics (bytes per g CO2e) are computed from the figures given. A figure the basis has
 * no reference or boundaries for is kept as unrated; at least one figure must be rated.
 */
export function rateLabel(
  input: LabelRatingInput,
  on: RatingBasis = { basis: DEFAULT_BASIS[input.phase] }
): LabelRating {
  const checked = parseLabelRatingInput(input);
  const base = on.basis;
  const values = { ...checked.metrics, ...derivedMetrics(checked.metrics) };
  const basis: LabelBasis = { reference: {}, boundaries: {}, weights: {} };
  const metrics: Partial<Record<MetricName, MetricRating>> = {};
  const unrated: Partial<Record<MetricName, number>> = {};
  const entries: { rating: Rating; weight: number }[] = [];
  for (const name of PHASE_METRICS[checked.phase]) {
    const value = values[name];
    if (value === undefined) continue;
    const reference = checked.reference?.[name] ?? base.reference[name];
    const boundaries = checked.boundaries?.[name] ?? base.boundaries[name];
    const weight = checked.weights?.[name] ?? base.weights[name] ?? 0;
    if (reference === undefined || boundaries === undefined) {
      unrated[name] = value;
      continue;
    }
    const index = metricIndex(value, reference, METRICS[name].better);
    if (!Number.isFinite(index)) {
      throw new FieldError(
        `metrics.${name}`,
        `${value} against the reference ${reference} gives an index that overflows: the value is out of range`
      );
    }
    const rating = ratingFromIndex(index, boundaries);
    metrics[name] = { value, index, rating };
    const population = on.indices?.[name];
    if (population && population.length > 0) {
      metrics[name].percentile = Number(shareAtOrBelow(population, index).toFixed(6));
    }
    basis.reference[name] = reference;
    basis.boundaries[name] = boundaries;
    basis.weights[name] = weight;
    const summary = base.distribution?.[name];
    if (summary) (basis.distribution ??= {})[name] = summary;
    entries.push({ rating, weight });
  }
  if (entries.length === 0) {
    const against = base.against ? ` against ${base.against.title}` : '';
    throw new FieldError(
      'metrics',
      `none of ${Object.keys(values).join(', ')} can be rated${against} ` +
        `(it rates ${Object.keys(base.reference).join(', ') || 'nothing'})`
    );
  }
  if (base.against) basis.against = base.against;
  const { rating, score } = overallRating(entries);
  return { phase: checked.phase, rating, score, metrics, basis, unrated };
}

/** Share (0..1) of ascending values at or below `value`. */
export function shareAtOrBelow(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid] <= value) low = mid + 1;
    else high = mid;
  }
  return sorted.length === 0 ? 0 : low / sorted.length;
}

/**
 * Checks untrusted rating input and names the offending field: unknown metric, a metric of the
 * other phase, a negative, non-finite or out-of-range value, no metrics, boundaries out of order.
 * Fields other than the rating's own are left to the caller.
 */
export function parseLabelRatingInput(
  value: unknown,
  options: { allowNoMetrics?: boolean } = {}
): LabelRatingInput {
  if (!isPlainObject(value)) throw new FieldError('input', 'must be a JSON object');
  if (!isPhase(value.phase)) {
    throw new FieldError(
      'phase',
      `must be one of ${PHASES.join(', ')}, got ${describe(value.phase)}`
    );
  }
  const phase = value.phase;
  const input: LabelRatingInput = {
    phase,
    metrics:
      value.metrics === undefined && options.allowNoMetrics
        ? {}
        : parseMetricMap(value.metrics, 'metrics', phase, parseMetricValue)
  };
  if (Object.keys(input.metrics).length === 0 && !options.allowNoMetrics) {
    throw new FieldError(
      'metrics',
      `no metrics given (${phase} metrics: ${PHASE_METRICS[phase].join(', ')})`
    );
  }
  if (value.reference !== undefined) {
    input.reference = parseMetricMap(value.reference, 'reference', phase, (v, field, name) =>
      parseMetricValue(v, field, name, true)
    );
  }
  if (value.boundaries !== undefined) {
    input.boundaries = parseMetricMap(value.boundaries, 'boundaries', phase, parseBoundaries);
  }
  if (value.weights !== undefined) {
    input.weights = parseMetricMap(value.weights, 'weights', phase, (v, field) =>
      requireNumber(v, field)
    );
  }
  return input;
}

/**
 * A metric value: finite, not negative, within the metric's range. A zero cost is refused too: it
 * would give an infinite index, and it means a failed meter, not a perfect model. A reference
 * must be positive whatever the direction (it divides or is divided).
 */
function parseMetricValue(v: unknown, field: string, name: MetricName, reference = false): number {
  const { better, max, derived } = METRICS[name];
  if (derived && !reference) {
    throw new FieldError(
      field,
      'is computed (bytes per g CO2e): give modelSizeMB or datasetSizeMB and trainingCo2eKg'
    );
  }
  const n = requireNumber(v, field, { positive: reference || better === 'lower' });
  if (name === 'downloads' && !reference && !Number.isInteger(n)) {
    throw new FieldError(field, `must be a whole number of downloads, got ${n}`);
  }
  if (max !== undefined && n > max) {
    throw new FieldError(field, `must be a fraction between 0 and ${max}, got ${n}`);
  }
  return n;
}

export function parseBoundaries(value: unknown, field: string): Boundaries {
  if (!Array.isArray(value) || value.length !== 4) {
    throw new FieldError(field, 'must be an array of four numbers [b1, b2, b3, b4]');
  }
  const b = value.map((v, i) => requireNumber(v, `${field}[${i}]`));
  // Equal neighbours are allowed: percentiles of a population with many equal members coincide,
  // and the band between them is then empty.
  for (let i = 1; i < 4; i++) {
    if (!(b[i - 1] >= b[i])) {
      throw new FieldError(
        field,
        `must be descending (b1 >= b2 >= b3 >= b4), got [${b.join(', ')}]`
      );
    }
  }
  return [b[0], b[1], b[2], b[3]];
}

function parseMetricMap<T>(
  value: unknown,
  path: string,
  phase: Phase,
  parse: (v: unknown, field: string, name: MetricName) => T
): Partial<Record<MetricName, T>> {
  if (!isPlainObject(value)) throw new FieldError(path, 'must be an object keyed by metric name');
  const known = PHASE_METRICS[phase];
  const out: Partial<Record<MetricName, T>> = {};
  for (const [key, v] of Object.entries(value)) {
    const field = `${path}.${key}`;
    if (!Object.prototype.hasOwnProperty.call(METRICS, key)) {
      throw new FieldError(field, `unknown metric (${phase} metrics: ${known.join(', ')})`);
    }
    const name = key as MetricName;
    if (!known.includes(name)) {
      throw new FieldError(field, `not a ${phase} metric (${phase} metrics: ${known.join(', ')})`);
    }
    out[name] = parse(v, field, name);
  }
  return out;
}
