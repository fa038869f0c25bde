/**
 * What a label may claim about how its figures were obtained, derived from the measurement
 * records it rests on, never taken from the caller: `measured` when every record's energy came
 * from a hardware counter over its whole window (coverage 1), `partly-measured` when some did,
 * `estimated` when none did, and `declared` when the label rests on no record or its energy and
 * carbon figures were typed rather than computed from one.
 */
import { FieldError, describe, isPlainObject } from '../field-error';
import {
  combinedCoverage,
  coverageOfComponent,
  coverageOfRecord,
  provenanceOf,
  provenanceText
} from '../provenance';
import { JOULES_PER_KWH } from '../units';
import { MetricName, Phase } from './metrics';

export type LabelMethod = 'measured' | 'partly-measured' | 'estimated' | 'declared';
export const LABEL_METHODS: readonly LabelMethod[] = [
  'measured',
  'partly-measured',
  'estimated',
  'declared'
];

/** How much a method claims: a label may say less than its records show, never more. */
const RANK: Record<LabelMethod, number> = {
  measured: 3,
  'partly-measured': 2,
  estimated: 1,
  declared: 0
};

export function isLabelMethod(value: unknown): value is LabelMethod {
  return typeof value === 'string' && (LABEL_METHODS as readonly string[]).includes(value);
}

/** True when `method` claims no more than `derived`. */
export function claimsNoMoreThan(method: LabelMethod, derived: LabelMethod): boolean {
  return RANK[method] <= RANK[derived];
}

/** The lesser claim of the two. */
export function weakerMethod(a: LabelMethod, b: LabelMethod): LabelMethod {
  return RANK[a] <= RANK[b] ? a : b;
}

/** How the label, the widget and the model card spell a method. */
export function methodTitle(method: unknown): string {
  return method === 'partly-measured'
    ? 'partly measured'
    : isLabelMethod(method)
      ? method
      : 'unknown method';
}

/**
 * A label's method as the label, badge, widget and card print it: a partly measured label with
 * the counter share of the record its figures came from, "partly measured (NN % counter)".
 */
export function labelMethodText(label: { method: unknown; coverage?: unknown }): string {
  const c = label.coverage;
  if (label.method === 'partly-measured' && typeof c === 'number' && c > 0 && c < 1) {
    return provenanceText(c);
  }
  return methodTitle(label.method);
}

/** The energy and carbon metrics: the figures a measurement record can be the source of. */
export const RECORD_METRICS: Record<Phase, readonly MetricName[]> = {
  inference: ['energyPerInferenceJ', 'co2ePerInferenceG'],
  training: ['trainingEnergyKWh', 'trainingCo2eKg']
};

/** What a label reads from a measurement record (schema/measurement.schema.json). */
export interface RecordEvidence {
  id?: string;
  /** IT energy of one run, J. */
  energyJ: number;
  /** energyJ x PUE, J. */
  facilityEnergyJ?: number;
  co2eG: number;
  carbonIntensityGPerKWh?: number;
  /** Share of the energy a hardware counter measured, 0..1. */
  coverage: number;
  /** When the measured window ended (ISO 8601): a label cannot be issued before it. */
  endedAt?: string;
}

/**
 * The evidence in an untrusted measurement record, its coverage read as everywhere else
 * (coverageOfRecord: records written before `coverage` existed count as fully measured when
 * `estimated` is false and as estimated otherwise).
 */
export function recordEvidence(value: unknown, field: string): RecordEvidence {
  if (!isPlainObject(value))
    throw new FieldError(field, 'is not a measurement record (a JSON object)');
  const number = (key: string, optional = false): number | undefined => {
    const v = value[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new FieldError(
        field,
        `is not a measurement record: ${key} must be a number >= 0, got ${describe(v)}`
      );
    }
    return v;
  };
  if (value.coverage !== undefined) {
    const c = number('coverage')!;
    if (c > 1) throw new FieldError(field, `coverage must be within 0..1, got ${c}`);
  } else if (typeof value.estimated !== 'boolean') {
    throw new FieldError(
      field,
      'is not a measurement record: it has neither coverage nor estimated'
    );
  }
  if (value.status !== undefined && value.status !== 'ok') {
    throw new FieldError(field, `is a ${describe(value.status)} measurement, not a completed one`);
  }
  const energyJ = number('energyJ')!;
  const co2eG = number('co2eG')!;
  const contradictions = recordContradictions(value);
  if (contradictions.length > 0) {
    throw new FieldError(
      field,
      `is not a consistent measurement record, so it cannot count as measured: ${contradictions.join('; ')}`
    );
  }
  // One reading of a record's evidence for the whole product, and never more than its
  // components' joules show.
  const coverage = Math.min(coverageOfRecord(value), componentsCoverage(value.components) ?? 1);
  const evidence: RecordEvidence = { energyJ, co2eG, coverage };
  if (typeof value.id === 'string') evidence.id = value.id;
  if (typeof value.endedAt === 'string' && !Number.isNaN(Date.parse(value.endedAt))) {
    evidence.endedAt = value.endedAt;
  }
  const facility = number('facilityEnergyJ', true);
  if (facility !== undefined) evidence.facilityEnergyJ = facility;
  const intensity = number('carbonIntensityGPerKWh', true);
  if (intensity !== undefined) evidence.carbonIntensityGPerKWh = intensity;
  return evidence;
}

const COMPONENTS = ['cpu', 'gpu', 'ram'] as const;
/** The fallback reason the meters write when a component's joules came from the estimator. */
const ESTIMATED_REASON = /^(CPU|GPU|RAM) energy estimated/i;
/** Rounding allowed between figures a record computes from one another. */
const TOLERANCE = 1e-6;

/** Energy-weighted coverage of a record's present components; undefined when it has none. */
function componentsCoverage(components: unknown): number | undefined {
  if (!isPlainObject(components)) return undefined;
  const present = COMPONENTS.map(k => components[k])
    .filter(isPlainObject)
    .filter(c => c.method !== null && c.method !== undefined)
    .map(c => ({
      energyJ: typeof c.energyJ === 'number' ? c.energyJ : 0,
      coverage: coverageOfComponent(c)
    }));
  return present.length === 0 ? undefined : combinedCoverage(present);
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Where a record contradicts itself: its top-level coverage, provenance, estimated and method
 * against its components' joules and methods, its energy against the sum of its components, and
 * its fallback reasons against a component said to be fully counted. A record edited to look
 * measured (or written by hand) rarely keeps all of them in step; the schema checks the shape,
 * this checks the sums. Empty for a record as core/measurement.ts builds it.
 */
export function recordContradictions(record: Record<string, unknown>): string[] {
  const found: string[] = [];
  const stated =
    typeof record.coverage === 'number' ? record.coverage : record.estimated === false ? 1 : 0;
  const components = isPlainObject(record.components) ? record.components : undefined;
  if (components) {
    let sum = 0;
    for (const key of COMPONENTS) {
      const c = components[key];
      if (!isPlainObject(c)) continue;
      if (typeof c.energyJ === 'number') sum += c.energyJ;
      if (c.method === 'estimate' && coverageOfComponent(c) > 0) {
        found.push(`components.${key} says estimate but has coverage ${describe(c.coverage)}`);
      }
    }
    if (typeof record.energyJ === 'number' && !close(record.energyJ, sum)) {
      found.push(`energyJ ${record.energyJ} is not the sum of its components (${sum})`);
    }
    const counted = componentsCoverage(components);
    if (counted !== undefined && !close(stated, counted)) {
      found.push(`coverage ${stated} but its components' joules give ${counted}`);
    }
    if (Array.isArray(record.fallbackReasons)) {
      for (const reason of record.fallbackReasons) {
        const m = typeof reason === 'string' ? ESTIMATED_REASON.exec(reason) : null;
        const c = m ? components[m[1].toLowerCase()] : undefined;
        if (m && isPlainObject(c) && c.method !== null && coverageOfComponent(c) >= 1) {
          found.push(
            `its fallback reasons say "${m[0]}", yet components.${m[1].toLowerCase()} is fully counted`
          );
        }
      }
    }
  }
  if (record.provenance !== undefined && record.provenance !== provenanceOf(stated)) {
    found.push(`provenance ${describe(record.provenance)} but coverage ${stated}`);
  }
  if (typeof record.estimated === 'boolean' && record.estimated !== stated < 1) {
    found.push(`estimated ${record.estimated} but coverage ${stated}`);
  }
  if (record.method !== undefined && (record.method === 'estimate') !== stated < 1) {
    found.push(`method ${describe(record.method)} but coverage ${stated}`);
  }
  return found;
}

/** measured / partly-measured / estimated from the records' coverages; declared without records. */
export function methodOfRecords(records: readonly Pick<RecordEvidence, 'coverage'>[]): LabelMethod {
  if (records.length === 0) return 'declared';
  if (records.every(r => r.coverage === 1)) return 'measured';
  if (records.some(r => r.coverage > 0)) return 'partly-measured';
  return 'estimated';
}

/** Which metrics of a label were computed from which record, and per how many units. */
export interface LabelDerivation {
  /** Index into the label's measurements. */
  measurement: number;
  /** Inference phase: the inferences the measured run made (per-inference figures). */
  inferences?: number;
  /** The metrics computed from the record. */
  metrics: MetricName[];
  /** The SCI's energy, grid intensity and functional units were taken from the record too. */
  sci?: boolean;
}

/** A metric's value as computed from a record (see RECORD_METRICS for which ones can be). */
export function metricFromRecord(
  name: MetricName,
  evidence: RecordEvidence,
  inferences = 1
): number {
  switch (name) {
    case 'energyPerInferenceJ':
      return evidence.energyJ / inferences;
    case 'co2ePerInferenceG':
      return evidence.co2eG / inferences;
    case 'trainingEnergyKWh':
      return evidence.energyJ / JOULES_PER_KWH;
    case 'trainingCo2eKg':
      return evidence.co2eG / 1000;
    default:
      throw new FieldError(`metrics.${name}`, 'is not a figure a measurement record holds');
  }
}

/** The SCI's energy (facility kWh of the window) from a record. */
export function sciEnergyKWhFromRecord(evidence: RecordEvidence): number {
  return (evidence.facilityEnergyJ ?? evidence.energyJ) / JOULES_PER_KWH;
}

/** Equal within floating-point noise (recomputation may round differently). */
export function sameFigure(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) || a === b;
}

/**
 * The method a label's figures support, with the reason and the counter share of the record
 * they came from. A label whose energy or carbon figures were not computed from its records is
 * `declared` even when records are attached: a measurement next to invented figures does not
 * make them measured. Only the record the figures were computed from (derivation.measurement)
 * counts: other attached records are context and cannot raise the claim.
 */
export function deriveLabelMethod(
  label: {
    phase: Phase;
    metrics: Partial<Record<MetricName, unknown>>;
    derivation?: LabelDerivation;
  },
  records: readonly Pick<RecordEvidence, 'coverage'>[]
): { method: LabelMethod; why: string; coverage?: number } {
  if (records.length === 0) {
    return { method: 'declared', why: 'the label rests on no measurement record' };
  }
  const present = RECORD_METRICS[label.phase].filter(name => label.metrics[name] !== undefined);
  const derived = new Set(label.derivation?.metrics ?? []);
  const typed = present.filter(name => !derived.has(name));
  if (present.length === 0) {
    return { method: 'declared', why: 'no energy or carbon figure was computed from its records' };
  }
  if (typed.length > 0) {
    return {
      method: 'declared',
      why: `${typed.join(', ')}: given, not computed from a measurement record`
    };
  }
  const index = label.derivation!.measurement;
  const source = records[index];
  if (!source) {
    return {
      method: 'declared',
      why: `the figures come from measurements[${index}], which does not exist`
    };
  }
  const coverage = source.coverage;
  const method = methodOfRecords([source]);
  const how =
    method === 'measured'
      ? 'fully from hardware counters'
      : method === 'partly-measured'
        ? `${provenanceText(coverage)}`
        : 'estimated (no hardware counter)';
  return { method, coverage, why: `the figures come from measurements[${index}]: ${how}` };
}

/** Clock difference tolerated between the machine that issued a label and the one reading it. */
export const CLOCK_SKEW_MS = 10 * 60 * 1000;

/**
 * What is wrong with a label's issue date, or undefined: a date in the future (beyond clock
 * skew) or before a measurement it rests on had ended.
 */
export function issuedProblem(
  issued: string,
  now: Date,
  records: ReadonlyArray<Pick<RecordEvidence, 'endedAt'> | undefined>
): string | undefined {
  const at = Date.parse(issued);
  if (Number.isNaN(at)) return `${describe(issued)} is not an ISO 8601 date-time`;
  if (at > now.getTime() + CLOCK_SKEW_MS) {
    return `${issued} is in the future (it is now ${now.toISOString()})`;
  }
  for (const [i, r] of records.entries()) {
    const ended = r?.endedAt === undefined ? NaN : Date.parse(r.endedAt);
    if (ended > at) {
      return `${issued} is before measurements[${i}] ended (${r!.endedAt}): a label cannot rest on a measurement made after it`;
    }
  }
  return undefined;
}
