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
import { DEFAULT_BASIS, FIXED_AGAINST, LabelBasis, basisName } from './defaults';
import { METRICS, MetricName, Phase, Rating } from './metrics';
import {
  LABEL_METHODS,
  LabelDerivation,
  LabelMethod,
  RECORD_METRICS,
  RecordEvidence,
  deriveLabelMethod,
  isLabelMethod,
  issuedProblem,
  metricFromRecord,
  sciEnergyKWhFromRecord,
  weakerMethod
} from './provenance';
import {
  LabelRating,
  LabelRatingInput,
  MetricRating,
  RatingBasis,
  parseLabelRatingInput,
  rateLabel
} from './rating';
import { SciForAiInput, SciForAiRecord, parseSciForAiInput, sciForAi } from './sci-for-ai';
import { AiActInput, AiActSection, aiActSection, parseAiActInput } from './ai-act';

export const LABEL_FORMAT = 'gaissa.label';
export const LABEL_VERSION = 1;

/** How the figures were obtained, derived from the records (core/label/provenance.ts). */
export type Method = LabelMethod;

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

/** An Ed25519 signature over the canonical JSON of the record without this field. */
export interface LabelSignature {
  algorithm: 'Ed25519';
  /** The signer's public key, DER (SPKI) in base64: says who signed, not that they are trusted. */
  publicKey: string;
  /** The signature, base64. */
  value: string;
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
  /** Figures given or derived that the basis cannot rate: shown as "not rated", never dropped. */
  unrated?: Partial<Record<MetricName, number>>;
  basis: LabelBasis;
  model: ModelRef;
  measurements: MeasurementRef[];
  sci?: SciResult;
  /** ISO 8601 date-time the label was issued. */
  issued: string;
  /** Derived from the measurement records (or a downgrade of it), never taken on trust. */
  method: Method;
  /**
   * Share of the source record's energy a hardware counter measured (0..1), when the figures
   * were computed from a record: what "partly measured (NN % counter)" shows. Verify recomputes it.
   */
  coverage?: number;
  /** Which metrics were computed from which measurement record. */
  derivation?: LabelDerivation;
  context?: LabelContext;
  signature?: LabelSignature;
  /** The GSF SCI for AI: the consumer (inference) or provider (training) boundary's scores. */
  sciForAi?: SciForAiRecord;
  /** The EU AI Act Annex XI energy section of a training label. */
  aiAct?: AiActSection;
}

/** Compute the phase's energy and carbon figures (and the SCI) from one of the measurements. */
export interface DeriveRequest {
  /** Index into `measurements` (default 0). */
  measurement?: number;
  /** Inference phase: inferences the measured run made (required there). */
  inferences?: number;
  /** Also take the SCI's energy, grid intensity and functional units from the record. */
  sci?: boolean;
}

/**
 * What a label is rated against. Named populations and files are read by the kernel, which hands
 * core the population (buildLabelRecord's `population`); `fixed` is the phase's fixed reference;
 * `{ baseline }` names the model whose figures the request's `reference` holds.
 */
export type PopulationRequest =
  'hf-co2' | 'registry' | 'fixed' | { path: string } | { registry: string } | { baseline: string };

export const POPULATION_NAMES = ['hf-co2', 'registry', 'fixed'] as const;

/** What a caller asks a label for (the `gaissa label --json` input). */
export interface LabelRequest extends LabelRatingInput {
  /** What to rate against (see PopulationRequest); absent: see chooseBasis. */
  population?: PopulationRequest;
  model?: { name?: string; path?: string; sha256?: string };
  measurements?: Array<{ path?: string; id?: string; sha256?: string }>;
  sci?: SciInput;
  /** Figures computed from a measurement record rather than given in `metrics`. */
  derive?: DeriveRequest;
  /** A lesser claim than the records support ("estimated" for measured records); never more. */
  method?: Method;
  context?: LabelContext;
  /** ISO 8601 date-time; now when absent. */
  issued?: string;
  /** Report the SCI for AI (`{}` will do): its functional units' figures. */
  sciForAi?: SciForAiInput;
  /** Report the EU AI Act Annex XI energy section (training): FLOPs and training time. */
  aiAct?: AiActInput;
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
  'derive',
  'method',
  'context',
  'issued',
  'population',
  'sciForAi',
  'aiAct'
];
const SHA256 = /^[0-9a-f]{64}$/;
/** As schema/label.schema.json bounds it: a label rests on a handful of records, not millions. */
export const MAX_MEASUREMENTS = 100;

/** Checks an untrusted label request; errors name the offending field. */
export function parseLabelRequest(value: unknown): LabelRequest {
  const derives = isPlainObject(value) && value.derive !== undefined;
  const rating = parseLabelRatingInput(value, { allowNoMetrics: derives });
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
    if (raw.measurements.length > MAX_MEASUREMENTS) {
      throw new FieldError(
        'measurements',
        `at most ${MAX_MEASUREMENTS} records, got ${raw.measurements.length}`
      );
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
  if (raw.derive !== undefined) request.derive = parseDerive(raw.derive, request);
  if (raw.method !== undefined) {
    if (!isLabelMethod(raw.method)) {
      throw new FieldError(
        'method',
        `must be one of ${LABEL_METHODS.join(', ')}, got ${describe(raw.method)}`
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
  if (raw.population !== undefined) request.population = parsePopulation(raw.population, request);
  if (raw.issued !== undefined) {
    if (typeof raw.issued !== 'string' || Number.isNaN(Date.parse(raw.issued))) {
      throw new FieldError('issued', `must be an ISO 8601 date-time, got ${describe(raw.issued)}`);
    }
    request.issued = new Date(raw.issued).toISOString();
  }
  if (raw.sciForAi !== undefined)
    request.sciForAi = parseSciForAiInput(raw.sciForAi, request.phase);
  if (raw.aiAct !== undefined) request.aiAct = parseAiActInput(raw.aiAct, request.phase);
  return request;
}

/**
 * Rates a request and assembles its record. Hashes and record contents are the caller's (the
 * kernel reads files; core does not): every measurement arrives with its sha256, and `evidence[i]`
 * is what measurements[i] holds (undefined when it could not be read: it then counts as estimated).
 * The method is derived from that evidence; a requested method can only lower it.
 */
export function buildLabelRecord(
  request: LabelRequest,
  now: Date = new Date(),
  evidence: ReadonlyArray<RecordEvidence | undefined> = [],
  population?: RatingBasis
): LabelRecord {
  const measurements = (request.measurements ?? []).map((m, i) => {
    if (!m.sha256)
      throw new FieldError(`measurements[${i}].sha256`, 'missing (hash the record first)');
    return dropUndefined({ path: m.path, id: m.id, sha256: m.sha256 });
  });
  const derived = request.derive ? deriveFigures(request, evidence) : undefined;
  const on = chooseBasis(request, population);
  const rated = rateLabel({ ...request, metrics: { ...request.metrics, ...derived?.metrics } }, on);
  const model = request.model ?? {};
  const record: LabelRecord = {
    format: LABEL_FORMAT,
    version: LABEL_VERSION,
    phase: rated.phase,
    rating: rated.rating,
    score: rated.score,
    metrics: rated.metrics,
    basis:
      on.basis.against?.kind === 'fixed' ? withBasisName(rated.phase, rated.basis) : rated.basis,
    model: dropUndefined({
      name: model.name ?? (model.path ? baseName(model.path) : 'unnamed model'),
      path: model.path,
      sha256: model.sha256
    }),
    measurements,
    issued: request.issued ?? now.toISOString(),
    method: 'declared'
  };
  const wrongDate = issuedProblem(record.issued, now, evidence);
  if (wrongDate) throw new FieldError('issued', wrongDate);
  if (Object.keys(rated.unrated).length > 0) record.unrated = rated.unrated;
  if (derived) record.derivation = derived.derivation;
  const coverages = measurements.map((_, i) => ({ coverage: evidence[i]?.coverage ?? 0 }));
  const { method, coverage } = deriveLabelMethod(labelFigures(record), coverages);
  record.method = request.method ? weakerMethod(request.method, method) : method;
  if (coverage !== undefined) record.coverage = coverage;
  const sci = derived?.sci ?? request.sci;
  if (sci) record.sci = computeSci(sci);
  const context = request.context && dropUndefined(request.context);
  if (context && Object.keys(context).length > 0) record.context = context;
  if (request.sciForAi) record.sciForAi = sciForAi(record, request.sciForAi);
  if (request.aiAct) record.aiAct = aiActSection(record, request.aiAct);
  return record;
}

/** The basis with its name when it is exactly a named basis the tool knows. */
function withBasisName(phase: Phase, basis: LabelBasis): LabelBasis {
  const name = basisName(phase, basis);
  if (name) return { name, ...basis };
  // The fixed reference with the issuer's own figures is no longer the named basis.
  return {
    ...basis,
    against: { kind: 'custom', title: alteredFixedTitle(FIXED_AGAINST[phase].name!) }
  };
}

/** How a label names a fixed basis its issuer altered. */
export function alteredFixedTitle(fixed: string): string {
  return `a custom basis (${fixed} with the issuer's own reference, boundaries or weights)`;
}

function parseDerive(value: unknown, request: LabelRequest): DeriveRequest {
  const d = objectOf(value, 'derive', ['measurement', 'inferences', 'sci']);
  const derive: DeriveRequest = {};
  const count = request.measurements?.length ?? 0;
  const index = d.measurement ?? 0;
  if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= count) {
    throw new FieldError(
      'derive.measurement',
      count === 0
        ? 'needs a measurement record to compute the figures from (measurements is empty)'
        : `must be an index into measurements (0..${count - 1}), got ${describe(index)}`
    );
  }
  derive.measurement = index as number;
  if (request.phase === 'inference') {
    const n = d.inferences;
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) {
      throw new FieldError(
        'derive.inferences',
        `is required for the inference phase: inferences the measured run made (a number > 0), got ${describe(n)}`
      );
    }
    derive.inferences = n;
  } else if (d.inferences !== undefined) {
    throw new FieldError('derive.inferences', 'applies to the inference phase');
  }
  if (d.sci !== undefined) {
    if (typeof d.sci !== 'boolean') throw new FieldError('derive.sci', 'must be true or false');
    if (d.sci && request.sci) {
      throw new FieldError('derive.sci', 'the SCI is either given (sci) or derived, not both');
    }
    derive.sci = d.sci;
  }
  for (const name of RECORD_METRICS[request.phase]) {
    if (request.metrics[name] !== undefined) {
      throw new FieldError(
        `metrics.${name}`,
        'is computed from the measurement record (derive): do not give it as well'
      );
    }
  }
  return derive;
}

/** The figures `request.derive` asks for, computed from the record's evidence. */
function deriveFigures(
  request: LabelRequest,
  evidence: ReadonlyArray<RecordEvidence | undefined>
): {
  metrics: Partial<Record<MetricName, number>>;
  derivation: LabelDerivation;
  sci?: SciInput;
} {
  const derive = request.derive!;
  const index = derive.measurement ?? 0;
  const record = evidence[index];
  if (!record) {
    throw new FieldError(
      `measurements[${index}]`,
      'could not be read: the figures to derive come from its content (give its path)'
    );
  }
  const names = RECORD_METRICS[request.phase];
  const metrics: Partial<Record<MetricName, number>> = {};
  for (const name of names) metrics[name] = metricFromRecord(name, record, derive.inferences);
  const derivation: LabelDerivation = { measurement: index, metrics: [...names] };
  if (derive.inferences !== undefined) derivation.inferences = derive.inferences;
  let sci: SciInput | undefined;
  if (derive.sci) {
    if (record.carbonIntensityGPerKWh === undefined) {
      throw new FieldError(`measurements[${index}]`, 'has no carbonIntensityGPerKWh for the SCI');
    }
    derivation.sci = true;
    sci = {
      energyKWh: sciEnergyKWhFromRecord(record),
      carbonIntensity: record.carbonIntensityGPerKWh,
      functionalUnits: derive.inferences ?? 1,
      functionalUnit: request.phase === 'inference' ? 'inference' : 'training run',
      boundary: 'IT energy x PUE of one run, from the measurement record'
    };
  }
  return { metrics, derivation, sci };
}

/**
 * Rates a record's figures again with the basis it carries (detects an edited rating): the
 * figures it rated and those it did not, derived ones computed again from their inputs.
 */
export function rerateRecord(record: LabelRecord): LabelRating {
  const values: Partial<Record<MetricName, number>> = {};
  for (const [name, value] of Object.entries(labelFigures(record).metrics)) {
    if (!METRICS[name as MetricName]?.derived) values[name as MetricName] = value;
  }
  const { reference, boundaries, weights, against, distribution } = record.basis;
  return rateLabel(
    { phase: record.phase, metrics: values },
    { basis: { reference, boundaries, weights, against, distribution } }
  );
}

/** Every figure of a label, rated or not, by metric (what provenance and verify look at). */
export function labelFigures(
  record: Pick<LabelRecord, 'phase' | 'metrics' | 'unrated' | 'derivation'>
): {
  phase: Phase;
  metrics: Partial<Record<MetricName, number>>;
  derivation?: LabelDerivation;
} {
  const metrics: Partial<Record<MetricName, number>> = { ...record.unrated };
  for (const [name, m] of Object.entries(record.metrics)) metrics[name as MetricName] = m.value;
  return { phase: record.phase, metrics, derivation: record.derivation };
}

/** How a label names reference values its issuer gave: never mistakable for a population. */
export const CUSTOM_TITLE = 'reference values given by the issuer';

/** How a label names a baseline, from the name the issuer gave it. */
export function baselineTitle(name: string): string {
  return `the baseline ${name} (${CUSTOM_TITLE})`;
}

/**
 * The basis a request is rated on, never a silent one: a population the kernel read (hf-co2, a
 * file, the registry), the phase's fixed reference when asked for by name, or the reference
 * values the request gives (its issuer's, or a baseline's it names). A metric without a
 * reference is then not rated rather than rated against a default.
 */
export function chooseBasis(request: LabelRequest, population?: RatingBasis): RatingBasis {
  const asked = request.population;
  if (population) {
    for (const field of ['reference', 'boundaries', 'weights'] as const) {
      if (request[field] !== undefined) {
        throw new FieldError(
          field,
          `a population sets its own (${population.basis.against?.title ?? 'population'}): leave ${field} out`
        );
      }
    }
    // A population rates training CO2e first of all: without it the label would say nothing of it.
    if (request.phase === 'training' && request.metrics.trainingCo2eKg === undefined) {
      const derived = request.derive !== undefined;
      if (!derived) {
        throw new FieldError(
          'metrics.trainingCo2eKg',
          `is required against ${population.basis.against?.title ?? 'a population'}`
        );
      }
    }
    return population;
  }
  if (asked === 'fixed') {
    return { basis: { ...DEFAULT_BASIS[request.phase], against: FIXED_AGAINST[request.phase] } };
  }
  if (asked !== undefined && !(typeof asked === 'object' && 'baseline' in asked)) {
    throw new FieldError(
      'population',
      `${JSON.stringify(asked)} is read by the kernel (gaissa label, gaissa.label), not given here`
    );
  }
  if (request.reference === undefined) {
    throw new FieldError(
      'population',
      request.phase === 'training'
        ? 'no basis to rate against: name a population ("hf-co2", { "path": FILE }, "registry"), ' +
            'give reference values, or ask for the fixed reference with "fixed"'
        : 'no basis to rate against: label a comparison (rated against its baseline), give ' +
            'reference values, name the registry ("registry": at least 5 labels written in this ' +
            'folder), or ask for the fixed reference with "fixed"'
    );
  }
  const fixed = DEFAULT_BASIS[request.phase];
  const against =
    typeof asked === 'object' && 'baseline' in asked
      ? { kind: 'baseline' as const, title: baselineTitle(asked.baseline) }
      : { kind: 'custom' as const, title: CUSTOM_TITLE };
  // The bands around a reference are the fixed basis's; only its reference values are dropped.
  return {
    basis: { reference: {}, boundaries: fixed.boundaries, weights: fixed.weights, against }
  };
}

/**
 * A population as a command-line option names it: hf-co2, registry, fixed, or a population CSV
 * file (a path ending in .csv); `registry`, when given, is the registry file `registry` reads.
 */
export function populationOption(text: string, registry?: string): PopulationRequest {
  if (text === 'registry') return registry ? { registry } : 'registry';
  if ((POPULATION_NAMES as readonly string[]).includes(text)) return text as PopulationRequest;
  if (/\.csv$/i.test(text)) return { path: text };
  throw new FieldError(
    'population',
    `must be ${POPULATION_NAMES.join(', ')} or a population CSV file (.csv), got ${JSON.stringify(text)}`
  );
}

function parsePopulation(value: unknown, request: LabelRequest): PopulationRequest {
  if (typeof value === 'string') {
    if ((POPULATION_NAMES as readonly string[]).includes(value)) {
      if (value === 'hf-co2' && request.phase !== 'training') {
        throw new FieldError(
          'population',
          'hf-co2 reports training emissions: it rates the training phase'
        );
      }
      return value as PopulationRequest;
    }
    throw new FieldError(
      'population',
      `unknown population ${JSON.stringify(value)} (known: ${POPULATION_NAMES.join(', ')}, or { path }, { registry }, { baseline })`
    );
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    const key = keys[0];
    if (keys.length === 1 && ['path', 'registry', 'baseline'].includes(key)) {
      const text = optionalString(value[key], `population.${key}`);
      if (text === undefined)
        throw new FieldError(`population.${key}`, 'must be a non-empty string');
      if (key === 'baseline' && request.reference === undefined) {
        throw new FieldError(
          'reference',
          "population { baseline } needs the baseline's figures as reference"
        );
      }
      if (key === 'path' && request.phase !== 'training') {
        throw new FieldError(
          'population.path',
          'a population file reports training emissions: it rates the training phase'
        );
      }
      return { [key]: text } as PopulationRequest;
    }
  }
  throw new FieldError(
    'population',
    `must be "hf-co2", "registry", "fixed", { path }, { registry } or { baseline }, got ${describe(value)}`
  );
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
