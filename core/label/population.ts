/**
 * Rating against a population (GAISSA's method): every member's figures become indices against
 * a reference model, the rating boundaries are percentiles of those indices, and a label says
 * where its model stands among them.
 *
 * GAISSA's ML-EnergyLabel (Castaño et al., ESEM 2023; Duran et al., GAISSALabel) rates a model
 * against the Hugging Face models that report training CO2e: reference model distilgpt2 (a value
 * it lacks takes the population's median), boundaries at the 80/60/40/20th percentiles of the
 * indices (downloads: 96/94/85/60), weights CO2e 0.35, downloads 0.25, performance 0.2, size and
 * dataset-size efficiency 0.1 each. Its app computes the CO2e boundaries on the square root of the
 * indices but compares raw indices with them, which rates nearly every model A on CO2e; here raw
 * indices are used for both.
 */
import { quantile, quantileSorted } from '../statistics';
import { Boundaries, LabelBasis, RatedAgainst } from './defaults';
import { METRICS, MetricName, derivedMetrics } from './metrics';
import { metricIndex } from './rating';

/** One member: its id and the figures it reports (training CO2e in kg, sizes in MB). */
export interface PopulationMember {
  id: string;
  metrics: Partial<Record<MetricName, number>>;
}

/** How a population rates: which metrics, from which percentiles, with which weights. */
export interface PopulationMethod {
  /** The member whose figures are the reference; absent: the median of every metric. */
  referenceId?: string;
  weights: Partial<Record<MetricName, number>>;
  /** Percentiles (0..100) for b1 > b2 > b3 > b4, per metric; others take DEFAULT_PERCENTILES. */
  percentiles?: Partial<Record<MetricName, readonly [number, number, number, number]>>;
  /** A member counts only with a figure > 0 of this metric (the one the population is about). */
  requires?: MetricName;
}

export interface Population {
  members: readonly PopulationMember[];
  method: PopulationMethod;
  /** What the label says it was rated against. */
  against: RatedAgainst;
}

export const DEFAULT_PERCENTILES = [80, 60, 40, 20] as const;

/** GAISSA's method for the Hugging Face population (see the header). */
export const HF_CO2_METHOD: PopulationMethod = {
  referenceId: 'distilgpt2',
  weights: {
    trainingCo2eKg: 0.35,
    downloads: 0.25,
    performanceScore: 0.2,
    sizeEfficiency: 0.1,
    datasetSizeEfficiency: 0.1
  },
  percentiles: { downloads: [96, 94, 85, 60] },
  requires: 'trainingCo2eKg'
};

/** Fewest members a population needs before its percentiles mean anything. */
export const MIN_POPULATION = 5;

/** The percentiles the ECDF summary of a metric keeps: 0, 5, ..., 100. */
const SUMMARY_PERCENTILES = Array.from({ length: 21 }, (_, i) => i * 5);

/**
 * The p-th percentile (0..100) of ascending values, interpolated linearly between closest ranks:
 * numpy's default (`method='linear'`), position (n - 1) p / 100.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no values');
  return quantileSorted(sorted, p / 100);
}

/** The median, as numpy (and pandas) compute it. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * The members a population rates: with a method that requires a metric (training CO2e for the
 * Hugging Face method), only those reporting it above 0; a CO2e of 0 g has no index and says the
 * report is no measurement, so such a member is left out whole.
 */
export function ratedMembers(
  members: readonly PopulationMember[],
  method: PopulationMethod
): PopulationMember[] {
  const required = method.requires;
  if (!required) return [...members];
  return members.filter(m => (m.metrics[required] ?? 0) > 0);
}

/** A member's figures with the derived ones (size per g CO2e) added. */
function withDerived(
  metrics: Partial<Record<MetricName, number>>
): Partial<Record<MetricName, number>> {
  return { ...metrics, ...derivedMetrics(metrics) };
}

/**
 * A figure that can be rated: finite and not negative, and for a lower-is-better metric (a cost)
 * above 0, since a cost of 0 has no index (reference / 0). A 0 of a higher-is-better metric is data
 * (index 0).
 */
function rateable(name: MetricName, value: number | undefined): value is number {
  if (value === undefined || !Number.isFinite(value) || value < 0) return false;
  return METRICS[name].better === 'higher' || value > 0;
}

/** The reference: the reference member's figures, each one it lacks the population's median. */
export function populationReference(population: Population): Partial<Record<MetricName, number>> {
  const { method } = population;
  const members = ratedMembers(population.members, method);
  const byId = method.referenceId && members.find(m => m.id === method.referenceId);
  const own = byId ? withDerived(byId.metrics) : {};
  const reference: Partial<Record<MetricName, number>> = {};
  for (const name of Object.keys(method.weights) as MetricName[]) {
    const value = own[name];
    if (rateable(name, value) && value > 0) {
      reference[name] = value;
      continue;
    }
    const values = members.map(m => withDerived(m.metrics)[name]).filter(v => rateable(name, v));
    const middle = values.length > 0 ? median(values) : undefined;
    if (middle !== undefined && middle > 0) reference[name] = middle;
  }
  return reference;
}

/** What rating against a population rests on: the basis and the sorted indices per metric. */
export interface PopulationBasis {
  basis: LabelBasis;
  /** Every member's index per rated metric, ascending. */
  indices: Partial<Record<MetricName, number[]>>;
}

/**
 * The basis a population gives: reference, percentile boundaries and weights per metric with at
 * least MIN_POPULATION rateable members, its indices summarised for the ECDF, and what the label
 * says it was rated against. Metrics with fewer members are left out (a request's figure for one
 * is then shown as not rated).
 */
export function populationBasis(population: Population): PopulationBasis {
  const reference = populationReference(population);
  const basis: LabelBasis = {
    reference: {},
    boundaries: {},
    weights: {},
    against: population.against,
    distribution: {}
  };
  const indices: Partial<Record<MetricName, number[]>> = {};
  for (const [key, weight] of Object.entries(population.method.weights)) {
    const name = key as MetricName;
    const ref = reference[name];
    if (ref === undefined || weight === undefined) continue;
    const better = METRICS[name].better;
    const sorted = ratedMembers(population.members, population.method)
      .map(m => withDerived(m.metrics)[name])
      .filter(v => rateable(name, v))
      .map(v => metricIndex(v, ref, better))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    if (sorted.length < MIN_POPULATION) continue;
    const ps = population.method.percentiles?.[name] ?? DEFAULT_PERCENTILES;
    basis.reference[name] = ref;
    basis.boundaries[name] = ps.map(p => percentile(sorted, p)) as unknown as Boundaries;
    basis.weights[name] = weight;
    basis.distribution![name] = SUMMARY_PERCENTILES.map(p => percentile(sorted, p));
    indices[name] = sorted;
  }
  return { basis, indices };
}
