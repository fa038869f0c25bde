/**
 * The label record: what a label says and what it rests on. It is the payload of the mime type
 * `application/vnd.gaissa.label.v1+json`, the JSON written by `gaissa label --out`, and an entry of
 * a notebook's `metadata.gaissa.labels`; `schema/label.schema.json` describes it. It carries the
 * SHA-256 of the model file and of the measurement records, so `gaissa label verify` can tell
 * whether they changed, and the basis (reference, boundaries, weights) so the rating can be
 * recomputed.
 */
import { FieldError, describe, isPlainObject } from '../field-error';
import { SciInput, SciResult, computeSci, parseSciInput } from '../sci';
import { LabelBasis } from './defaults';
import { MetricName, Phase, Rating } from './metrics';
import {
  LabelRating,
  LabelRatingInput,
  MetricRating,
  parseLabelRatingInput,
  rateLabel
} from './rating';

export const LABEL_MIME = 'application/vnd.gaissa.label.v1+json';
export const LABEL_FORMAT = 'gaissa.label';
export const LABEL_VERSION = 1;

/** How the metric values were obtained: a meter read them, or a model estimated them. */
export type Method = 'measured' | 'estimated';

export interface ModelRef {
  name: string;
  /** Where the model file was; relative paths are relative to the label file's folder. */
  path?: string;
  /** SHA-256 (lowercase hex) of the model file's bytes. */
  sha256?: string;
}

/** A measurement record the label rests on. */
export interface MeasurementRef {
  /** A JSON file, or with `id` a JSON Lines file (relative to the label file's folder). */
  path?: string;
  /** With a JSON Lines file: the `id` of the record, whose line alone is hashed. */
  id?: string;
  /** SHA-256 of the file's bytes, or of the record's line (without its line break) with `id`. */
  sha256: string;
}

/** Facts about where and how, used for the model card. */
export interface LabelContext {
  /** e.g. "FR" or "Europe (France)"; the card's geographical_location. */
  location?: string;
  /** e.g. "1 x Intel Xeon Gold 6248 (CPU)"; the card's hardware_used. */
  hardware?: string;
  /** e.g. "pre-training" or "fine-tuning"; the card's training_type. */
  trainingType?: string;
}

export interface LabelRecord {
  format: typeof LABEL_FORMAT;
  version: typeof LABEL_VERSION;
  phase: Phase;
  rating: Rating;
  /** Weighted mean of the metric ratings (A=0 ... E=4) before rounding. */
  score: number;
  metrics: Partial<Record<MetricName, MetricRating>>;
  basis: LabelBasis;
  model: ModelRef;
  measurements: MeasurementRef[];
  sci?: SciResult;
  /** ISO 8601 date-time the label was issued. */
  issued: string;
  method: Method;
  context?: LabelContext;
}

/** What a caller asks a label for (the `gaissa label --json` input). */
export interface LabelRequest extends LabelRatingInput {
  model?: { name?: string; path?: string; sha256?: string };
  measurements?: Array<{ path?: string; id?: string; sha256?: string }>;
  sci?: SciInput;
  method?: Method;
  context?: LabelContext;
  /** ISO 8601 date-time; now when absent. */
  issued?: string;
}

const REQUEST_FIELDS = [
  'phase',
  'metrics',
  'reference',
  'boundaries',
  'weights',
  'model',
  'measurements',
  'sci',
  'method',
  'context',
  'issued'
];
const SHA256 = /^[0-9a-f]{64}$/;

/** Checks an untrusted label request; errors name the offending field. */
export function parseLabelRequest(value: unknown): LabelRequest {
  const rating = parseLabelRatingInput(value);
  const raw = value as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!REQUEST_FIELDS.includes(key)) {
      throw new FieldError(key, `unknown field (expected one of ${REQUEST_FIELDS.join(', ')})`);
    }
  }
  const request: LabelRequest = { ...rating };
  if (raw.model !== undefined) {
    const m = objectOf(raw.model, 'model', ['name', 'path', 'sha256']);
    request.model = {
      name: optionalString(m.name, 'model.name'),
      path: optionalString(m.path, 'model.path'),
      sha256: optionalSha256(m.sha256, 'model.sha256')
    };
  }
  if (raw.measurements !== undefined) {
    if (!Array.isArray(raw.measurements)) {
      throw new FieldError('measurements', 'must be an array of { path, id?, sha256? }');
    }
    request.measurements = raw.measurements.map((entry, i) => {
      const at = `measurements[${i}]`;
      const e = objectOf(entry, at, ['path', 'id', 'sha256']);
      const ref = {
        path: optionalString(e.path, `${at}.path`),
        id: optionalString(e.id, `${at}.id`),
        sha256: optionalSha256(e.sha256, `${at}.sha256`)
      };
      if (ref.path === undefined && ref.sha256 === undefined) {
        throw new FieldError(at, 'needs a path (to hash) or a sha256');
      }
      return ref;
    });
  }
  if (raw.sci !== undefined) request.sci = parseSciInput(raw.sci, 'sci');
  if (raw.method !== undefined) {
    if (raw.method !== 'measured' && raw.method !== 'estimated') {
      throw new FieldError(
        'method',
        `must be "measured" or "estimated", got ${describe(raw.method)}`
      );
    }
    request.method = raw.method;
  }
  if (raw.context !== undefined) {
    const c = objectOf(raw.context, 'context', ['location', 'hardware', 'trainingType']);
    request.context = {
      location: optionalString(c.location, 'context.location'),
      hardware: optionalString(c.hardware, 'context.hardware'),
      trainingType: optionalString(c.trainingType, 'context.trainingType')
    };
  }
  if (raw.issued !== undefined) {
    if (typeof raw.issued !== 'string' || Number.isNaN(Date.parse(raw.issued))) {
      throw new FieldError('issued', `must be an ISO 8601 date-time, got ${describe(raw.issued)}`);
    }
    request.issued = new Date(raw.issued).toISOString();
  }
  return request;
}

/**
 * Rates a request and assembles its record. Hashes are the caller's (the kernel reads files;
 * core does not), so every measurement must arrive with its sha256. Without a `method` the label
 * says "estimated": it never claims a measurement nobody vouched for.
 */
export function buildLabelRecord(request: LabelRequest, now: Date = new Date()): LabelRecord {
  const rated = rateLabel(request);
  const measurements = (request.measurements ?? []).map((m, i) => {
    if (!m.sha256)
      throw new FieldError(`measurements[${i}].sha256`, 'missing (hash the record first)');
    return dropUndefined({ path: m.path, id: m.id, sha256: m.sha256 });
  });
  const model = request.model ?? {};
  const record: LabelRecord = {
    format: LABEL_FORMAT,
    version: LABEL_VERSION,
    phase: rated.phase,
    rating: rated.rating,
    score: rated.score,
    metrics: rated.metrics,
    basis: rated.basis,
    model: dropUndefined({
      name: model.name ?? (model.path ? baseName(model.path) : 'unnamed model'),
      path: model.path,
      sha256: model.sha256
    }),
    measurements,
    issued: request.issued ?? now.toISOString(),
    method: request.method ?? 'estimated'
  };
  if (request.sci) record.sci = computeSci(request.sci);
  const context = request.context && dropUndefined(request.context);
  if (context && Object.keys(context).length > 0) record.context = context;
  return record;
}

/** Rates a record's metric values again with the basis it carries (detects an edited rating). */
export function rerateRecord(record: LabelRecord): LabelRating {
  const values: Partial<Record<MetricName, number>> = {};
  for (const [name, m] of Object.entries(record.metrics)) values[name as MetricName] = m.value;
  return rateLabel({
    phase: record.phase,
    metrics: values,
    reference: record.basis.reference,
    boundaries: record.basis.boundaries,
    weights: record.basis.weights
  });
}

function objectOf(value: unknown, field: string, keys: string[]): Record<string, unknown> {
  if (!isPlainObject(value)) throw new FieldError(field, 'must be an object');
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) {
      throw new FieldError(`${field}.${key}`, `unknown field (expected ${keys.join(', ')})`);
    }
  }
  return value;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new FieldError(field, `must be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

function optionalSha256(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !SHA256.test(value)) {
    throw new FieldError(field, 'must be 64 lowercase hexadecimal digits (SHA-256)');
  }
  return value;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
