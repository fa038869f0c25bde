/**
 * What a label was rated against and where its model stands in that population, read from a
 * record that may come from a stranger's notebook: every field is checked here, and anything
 * malformed reads as absent (never drawn), so the label, its text and the widget show only what
 * holds together.
 */
import { isPlainObject } from '../field-error';
import { METRICS, MetricName } from './metrics';

/** What a label was rated against, in words a stranger can read (the record's `basis.against`). */
export interface RatedAgainst {
  kind?: string;
  title: string;
  name?: string;
  source?: string;
  size?: number;
  sha256?: string;
}

/** The most points a distribution may have (the record's 21, with room for finer ones). */
export const MAX_DISTRIBUTION_POINTS = 101;
/** The most unrated figures shown: a record lists a handful, not a stranger's thousands. */
const MAX_UNRATED = 12;
const MAX_TEXT = 300;
/** A metric name as the record spells it; leaves out `__proto__` and markup alike. */
const METRIC_NAME = /^[A-Za-z][A-Za-z0-9]{0,39}$/;

/** The fields this module reads, as loosely as a stranger's JSON may hold them. */
interface LooseRecord {
  basis?: { against?: unknown; distribution?: unknown; boundaries?: unknown };
  metrics?: unknown;
  unrated?: unknown;
}

function loose(record: object): LooseRecord {
  return record as LooseRecord;
}

function shortText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed ? Array.from(trimmed).slice(0, MAX_TEXT).join('') : undefined;
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The record's `basis.against`, or null when absent or without a title. */
export function ratedAgainst(record: object): RatedAgainst | null {
  const against = loose(record).basis?.against;
  if (!isPlainObject(against)) return null;
  const title = shortText(against.title);
  if (!title) return null;
  const out: RatedAgainst = { title };
  for (const key of ['kind', 'name', 'source', 'sha256'] as const) {
    const value = shortText(against[key]);
    if (value) out[key] = value;
  }
  if (finite(against.size) && against.size >= 0 && Number.isInteger(against.size)) {
    out.size = against.size;
  }
  return out;
}

/**
 * The population's indices for `name` (ascending, at evenly spaced shares 0..1), or null unless
 * it is an array of 2 to MAX_DISTRIBUTION_POINTS finite, non-negative, non-decreasing numbers.
 */
export function populationDistribution(record: object, name: string): number[] | null {
  const all = loose(record).basis?.distribution;
  if (!isPlainObject(all) || !Object.hasOwn(all, name)) return null;
  const values = all[name];
  if (!Array.isArray(values) || values.length < 2 || values.length > MAX_DISTRIBUTION_POINTS) {
    return null;
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!finite(v) || v < 0 || (i > 0 && v < values[i - 1])) return null;
  }
  return values.slice();
}

/** Four boundaries b1 >= b2 >= b3 >= b4 >= 0 for `name`, or null. */
export function ratingBoundaries(record: object, name: string): number[] | null {
  const all = loose(record).basis?.boundaries;
  if (!isPlainObject(all) || !Object.hasOwn(all, name)) return null;
  const b = all[name];
  if (!Array.isArray(b) || b.length !== 4) return null;
  for (let i = 0; i < 4; i++) {
    if (!finite(b[i]) || b[i] < 0 || (i > 0 && b[i] > b[i - 1])) return null;
  }
  return b.slice();
}

/** A metric entry's field when it is a finite number, else null. */
function metricField(record: object, name: string, field: string): number | null {
  const metrics = loose(record).metrics;
  if (!isPlainObject(metrics) || !Object.hasOwn(metrics, name)) return null;
  const m = metrics[name];
  if (!isPlainObject(m)) return null;
  const value = m[field];
  return finite(value) ? value : null;
}

/** The model's index for `name` (finite, >= 0), or null. */
export function modelIndex(record: object, name: string): number | null {
  const index = metricField(record, name, 'index');
  return index !== null && index >= 0 ? index : null;
}

/** The share (0..1) of the population at or below the model's index, as recorded, or null. */
export function modelPercentile(record: object, name: string): number | null {
  const p = metricField(record, name, 'percentile');
  return p !== null && p >= 0 && p <= 1 ? p : null;
}

/** A percentile as the label says it: whole per cent, never rounded up to a share not reached. */
export function percentText(share: number): string {
  return `${Math.floor(share * 100 + 1e-9)} %`;
}

/** Where a model stands, in words: the share of the population it is at least as good as. */
export function standingPhrase(share: number): string {
  if (share === 0) return 'below every member of the population';
  if (share < 0.01) return 'in the lowest 1 % of the population';
  return `at least as good as ${percentText(share)} of the population`;
}

/** The figures the basis could not rate, in the record's order, each a name and a finite value. */
export function unratedFigures(record: object): Array<[string, number]> {
  const unrated = loose(record).unrated;
  if (!isPlainObject(unrated)) return [];
  return Object.entries(unrated)
    .filter((entry): entry is [string, number] => METRIC_NAME.test(entry[0]) && finite(entry[1]))
    .slice(0, MAX_UNRATED);
}

/** True for a string shaped like a metric name (what a record may carry beyond METRICS). */
export function isMetricNameLike(name: string): boolean {
  return METRIC_NAME.test(name);
}

/** A metric's title, or its raw name for a metric this version does not know. */
export function metricTitle(name: string): string {
  return Object.hasOwn(METRICS, name) ? METRICS[name as MetricName].title : name;
}
