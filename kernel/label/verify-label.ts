/**
 * `gaissa label verify`: recomputes what a label record claims and reports each check. A label
 * verifies only when every recorded SHA-256 matches its file, its method follows from the
 * measurement records (or claims less), every figure computed from a record is that record's
 * figure, a named basis is the basis of that name, the rating follows from the metric values and
 * basis it carries, and the SCI from its inputs; a label with nothing to check does not verify
 * (stripping the hashes must not be a way to pass).
 *
 * All of that is internal consistency: whoever can edit the label and its files can make it
 * consistent again. Only a signature checked against a key the reader trusts (`trust`) says who
 * issued it; the report says which of the two was established.
 */
import type { KeyObject } from 'node:crypto';
import { computeSci } from '../../core/sci';
import { aiActDifference } from '../../core/label/ai-act';
import { sciForAiDifference } from '../../core/label/sci-for-ai';
import { DEFAULT_BASIS, FIXED_AGAINST, basisDifferences } from '../../core/label/defaults';
import { canonicalJson } from '../../core/label/canonical-json';
import { Population, populationBasis } from '../../core/label/population';
import { RatingBasis, rateLabel } from '../../core/label/rating';
import { hfCo2Population, populationFromFile, populationFromRegistry } from './population-file';
import {
  CUSTOM_TITLE,
  LabelRecord,
  alteredFixedTitle,
  labelFigures,
  rerateRecord
} from '../../core/label/record';
import { METRICS, MetricName } from '../../core/label/metrics';
import {
  RecordEvidence,
  claimsNoMoreThan,
  deriveLabelMethod,
  issuedProblem,
  metricFromRecord,
  methodTitle,
  sameFigure,
  sciEnergyKWhFromRecord
} from '../../core/label/provenance';
import { resolveStoredPath } from './issue-label';
import { ReadRecord, evidenceOf, readMeasurementRecord } from './measurement-records';
import { UnreadableFileError } from '../regular-file';
import { sha256File } from './sha256';
import { publicKeyText, signatureValid, signerKey } from './signature';

const RATING_SUBJECT = 'rating (from metric values and basis)';
const SCI_SUBJECT = 'sciG (from sci.input)';

/** `note`: worth knowing, not a failure (a custom basis, an unsigned label). */
export type CheckStatus = 'match' | 'mismatch' | 'missing' | 'unverifiable' | 'note';

export interface VerifyCheck {
  kind:
    | 'model'
    | 'measurement'
    | 'method'
    | 'derivation'
    | 'issued'
    | 'basis'
    | 'rating'
    | 'sci'
    | 'signature';
  /** What was checked: a path, a path#id, or a field. */
  subject: string;
  status: CheckStatus;
  expected?: string;
  actual?: string;
  detail?: string;
}

export interface VerifyReport {
  ok: boolean;
  /** True only when a signature was checked against a key the caller trusts. */
  authenticated: boolean;
  /** What a passing verification establishes, in words. */
  scope: string;
  checks: VerifyCheck[];
}

export const INTERNAL_ONLY =
  'internal consistency only: the label is not signed by a key you trust, so anyone able to ' +
  'edit it and the files it names could have made it consistent; the measurement records ' +
  'themselves carry no signature: they are only checked against the measurement schema and their own sums';

export interface VerifyOptions {
  /** Folder of the label file: relative paths in the record are relative to it. */
  labelDir: string;
  /** Model file to check instead of the record's model.path. */
  modelPath?: string;
  /** Public key of the issuer the caller trusts: the label must carry its valid signature. */
  trust?: KeyObject;
  /** The time to check the issue date against (now when absent). */
  now?: Date;
}

export async function verifyLabel(
  record: LabelRecord,
  options: VerifyOptions
): Promise<VerifyReport> {
  const checks: VerifyCheck[] = [];

  const modelFile =
    options.modelPath ??
    (record.model.path && resolveStoredPath(record.model.path, options.labelDir));
  if (record.model.sha256 || options.modelPath) {
    const subject = options.modelPath ?? record.model.path ?? record.model.name;
    if (!record.model.sha256) {
      checks.push({
        kind: 'model',
        subject,
        status: 'unverifiable',
        detail: 'the label holds no model SHA-256'
      });
    } else if (!modelFile) {
      checks.push({
        kind: 'model',
        subject,
        status: 'unverifiable',
        detail: 'no model path recorded: pass --model'
      });
    } else {
      checks.push(
        await compareFile('model', subject, record.model.sha256, () => sha256File(modelFile))
      );
    }
  }

  const evidence: (RecordEvidence | undefined)[] = [];
  for (const [i, m] of record.measurements.entries()) {
    const subject = m.path ? (m.id !== undefined ? `${m.path}#${m.id}` : m.path) : m.sha256;
    if (!m.path) {
      evidence.push(undefined);
      checks.push({
        kind: 'measurement',
        subject,
        status: 'unverifiable',
        detail: 'no path recorded'
      });
      continue;
    }
    const file = resolveStoredPath(m.path, options.labelDir);
    let read: ReadRecord | undefined;
    const check = await compareFile('measurement', subject, m.sha256, async () => {
      read = await readMeasurementRecord(file, m.id);
      return read?.sha256;
    });
    let found: RecordEvidence | undefined;
    if (check.status === 'match' && read) {
      try {
        found = evidenceOf(read, `measurements[${i}]`, m.id);
      } catch (e) {
        check.status = 'mismatch';
        check.detail = (e as Error).message;
      }
    }
    evidence.push(found);
    checks.push(check);
  }

  const signature = checkSignature(record, options.trust);
  if (checks.length === 0) {
    // Nothing hashed: an unsigned label would pass on nothing, so it does not verify; a label
    // signed by a trusted key rests on its issuer's word, which the report says.
    checks.push({
      kind: 'model',
      subject: record.model.name,
      status: signature.authenticated ? 'note' : 'unverifiable',
      detail: signature.authenticated
        ? 'the label holds no SHA-256 of a model or measurement record: its figures rest on the word of the trusted signer'
        : 'the label holds no SHA-256 of a model or measurement record'
    });
  }

  checks.push(...checkMethod(record, evidence));
  if (record.derivation) checks.push(...checkDerivation(record, evidence));
  const wrongDate = issuedProblem(record.issued, options.now ?? new Date(), evidence);
  checks.push({
    kind: 'issued',
    subject: 'issued (against the clock and the measurements)',
    status: wrongDate ? 'mismatch' : 'match',
    detail: wrongDate
  });
  checks.push(await checkBasis(record, options.labelDir));
  checks.push(checkRating(record));
  if (record.sci) checks.push(checkSci(record));
  for (const [field, difference] of [
    ['sciForAi', record.sciForAi && sciForAiDifference(record)],
    ['aiAct', record.aiAct && aiActDifference(record)]
  ] as const) {
    if (!record[field]) continue;
    checks.push({
      kind: 'sci',
      subject: `${field} (from the label's figures)`,
      status: difference ? 'mismatch' : 'match',
      detail: difference || undefined
    });
  }
  checks.push(signature.check);
  return {
    ok: checks.every(c => c.status === 'match' || c.status === 'note'),
    authenticated: signature.authenticated,
    scope: signature.authenticated
      ? 'the label is signed by the key you trust, and consistent with the files it names ' +
        '(the measurement records carry no signature of their own: the signer vouches for them)'
      : INTERNAL_ONLY,
    checks
  };
}

/** The method the records support (unreadable or changed records count as estimated). */
function checkMethod(record: LabelRecord, evidence: (RecordEvidence | undefined)[]): VerifyCheck[] {
  const coverages = evidence.map(e => ({ coverage: e?.coverage ?? 0 }));
  const { method, why, coverage } = deriveLabelMethod(labelFigures(record), coverages);
  const checks: VerifyCheck[] = [];
  // A counter share the label shows must be the source record's; a label without one (issued
  // before labels carried it) shows none and so claims no share.
  if (record.coverage !== undefined) {
    const ok = coverage !== undefined && sameFigure(record.coverage, coverage);
    checks.push({
      kind: 'method',
      subject: 'counter share (from the measurement record)',
      status: ok ? 'match' : 'mismatch',
      expected: String(record.coverage),
      actual: String(coverage),
      detail: ok
        ? undefined
        : `the label shows a counter share of ${record.coverage}, the record gives ${coverage ?? 'none'}: ${why}`
    });
  }
  const ok = claimsNoMoreThan(record.method, method);
  checks.unshift({
    kind: 'method',
    subject: 'method (from the measurement records)',
    status: ok ? 'match' : 'mismatch',
    expected: record.method,
    actual: method,
    detail: ok
      ? record.method === method
        ? why
        : `the label says ${methodTitle(record.method)}, less than the records show (${why})`
      : `the label says ${methodTitle(record.method)}, the records show ${methodTitle(method)}: ${why}`
  });
  return checks;
}

/** Every figure the label says it computed from a record, computed again from that record. */
function checkDerivation(
  record: LabelRecord,
  evidence: (RecordEvidence | undefined)[]
): VerifyCheck[] {
  const d = record.derivation!;
  const source = evidence[d.measurement];
  const subject = (what: string) => `${what} (from measurements[${d.measurement}])`;
  if (d.measurement >= record.measurements.length) {
    return [
      {
        kind: 'derivation',
        subject: subject('figures'),
        status: 'mismatch',
        detail: `the label has ${record.measurements.length} measurement records: there is no record ${d.measurement}`
      }
    ];
  }
  if (!source) {
    return [
      {
        kind: 'derivation',
        subject: subject(d.metrics.join(', ')),
        status: 'unverifiable',
        detail: 'the record could not be read or has changed (see its check)'
      }
    ];
  }
  const checks: VerifyCheck[] = d.metrics.map(name => {
    const stated = labelFigures(record).metrics[name as MetricName];
    let again: number;
    try {
      again = metricFromRecord(name, source, d.inferences);
    } catch (e) {
      return {
        kind: 'derivation',
        subject: subject(name),
        status: 'mismatch',
        detail: (e as Error).message
      };
    }
    return {
      kind: 'derivation',
      subject: subject(name),
      status: stated !== undefined && sameFigure(stated, again) ? 'match' : 'mismatch',
      expected: String(stated),
      actual: String(again)
    };
  });
  if (d.sci) {
    const input = record.sci?.input;
    const expected = {
      energyKWh: sciEnergyKWhFromRecord(source),
      carbonIntensity: source.carbonIntensityGPerKWh,
      functionalUnits: d.inferences ?? 1
    };
    const ok =
      input !== undefined &&
      expected.carbonIntensity !== undefined &&
      sameFigure(input.energyKWh, expected.energyKWh) &&
      sameFigure(input.carbonIntensity, expected.carbonIntensity) &&
      input.functionalUnits === expected.functionalUnits;
    checks.push({
      kind: 'derivation',
      subject: subject('sci.input'),
      status: ok ? 'match' : 'mismatch',
      detail: ok
        ? undefined
        : `the record gives energyKWh ${expected.energyKWh}, carbonIntensity ${expected.carbonIntensity}, functionalUnits ${expected.functionalUnits}`
    });
  }
  return checks;
}

/**
 * The basis must be what the label says it was rated against, with no way around it: a fixed
 * reference is exactly that named basis, a population's or registry's label is exactly what
 * rating its figures against that data gives (every metric the data rates, with its weight,
 * boundaries, distribution and percentile), and reference values an issuer chose say so in the
 * title the tool writes and carry no population's trappings.
 */
async function checkBasis(record: LabelRecord, labelDir: string): Promise<VerifyCheck> {
  const against = record.basis.against;
  if (!against) return checkUnclaimedBasis(record);
  const subject = `basis (${against.title})`;
  const mismatch = (detail: string): VerifyCheck => ({
    kind: 'basis',
    subject,
    status: 'mismatch',
    detail
  });
  if (against.kind === 'custom' || against.kind === 'baseline') {
    const trappings = populationTrappings(record);
    if (trappings.length > 0) {
      return mismatch(`reference values an issuer gave carry no ${trappings.join(', ')}`);
    }
    const fixed = FIXED_AGAINST[record.phase].name;
    const titled =
      against.kind === 'baseline'
        ? against.title.startsWith('the baseline ') && against.title.endsWith(`(${CUSTOM_TITLE})`)
        : against.title === CUSTOM_TITLE || against.title === alteredFixedTitle(fixed!);
    if (!titled) return mismatch(`a ${against.kind} basis is not titled as the tool titles one`);
    return {
      kind: 'basis',
      subject,
      status: 'note',
      detail:
        against.kind === 'baseline'
          ? 'rated against a baseline the issuer gave: the rating compares the model with it, nothing more'
          : 'custom basis, chosen by the issuer: the rating means only as much as it does'
    };
  }
  let on: RatingBasis;
  if (against.kind === 'fixed') {
    const fixed = FIXED_AGAINST[record.phase];
    if (record.basis.name !== fixed.name) {
      return mismatch(
        `says it was rated against ${fixed.name} but names ${record.basis.name ?? 'no basis'}`
      );
    }
    on = { basis: { ...DEFAULT_BASIS[record.phase], against: fixed } };
  } else {
    const population = await populationOf(record, labelDir);
    if (typeof population === 'string') {
      return { kind: 'basis', subject, status: 'missing', detail: population };
    }
    if (population.against.sha256 !== against.sha256) {
      return {
        ...mismatch('the data differs from the data the label was rated against'),
        expected: against.sha256,
        actual: population.against.sha256
      };
    }
    on = populationBasis(population);
  }
  const differences = ratingDifferences(record, on);
  return differences.length === 0
    ? { kind: 'basis', subject: `basis ${against.name ?? against.title}`, status: 'match' }
    : mismatch(`differs from rating its figures against it: ${differences.join(', ')}`);
}

/** A label from before labels said what they were rated against: a named basis, or custom. */
function checkUnclaimedBasis(record: LabelRecord): VerifyCheck {
  const name = record.basis.name;
  const trappings = populationTrappings(record);
  if (trappings.length > 0) {
    return {
      kind: 'basis',
      subject: 'basis (reference, boundaries, weights)',
      status: 'mismatch',
      detail: `names no population, yet carries ${trappings.join(', ')}`
    };
  }
  if (name === undefined) {
    return {
      kind: 'basis',
      subject: 'basis (reference, boundaries, weights)',
      status: 'note',
      detail: 'custom basis, chosen by the issuer: the rating means only as much as it does'
    };
  }
  const differences = basisDifferences(name, record.phase, record.basis);
  return {
    kind: 'basis',
    subject: `basis ${name}`,
    status: differences.length === 0 ? 'match' : 'mismatch',
    detail: differences.length === 0 ? undefined : `differs from ${name}: ${differences.join(', ')}`
  };
}

/** What only rating against a population gives a label: present on one that was not, a forgery. */
function populationTrappings(record: LabelRecord): string[] {
  const found: string[] = [];
  const against = record.basis.against;
  if (record.basis.distribution !== undefined) found.push('distribution');
  if (Object.values(record.metrics).some(m => m.percentile !== undefined)) found.push('percentile');
  for (const key of ['size', 'sha256', 'source', 'bytes'] as const) {
    if (against?.[key] !== undefined) found.push(`against.${key}`);
  }
  return found;
}

/**
 * Where the label departs from rating its own figures (those it rated and those it did not)
 * against `on`: every metric, figure, boundary, weight, distribution, percentile, what it says it
 * was rated against, and the overall rating.
 */
function ratingDifferences(record: LabelRecord, on: RatingBasis): string[] {
  let again;
  try {
    const figures: Partial<Record<MetricName, number>> = {};
    for (const [name, value] of Object.entries(labelFigures(record).metrics)) {
      if (!METRICS[name as MetricName]?.derived) figures[name as MetricName] = value;
    }
    again = rateLabel({ phase: record.phase, metrics: figures }, on);
  } catch (e) {
    return [(e as Error).message];
  }
  const differences: string[] = [];
  const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
  const names = new Set([...Object.keys(record.metrics), ...Object.keys(again.metrics)]);
  for (const name of names) {
    if (!same(record.metrics[name as MetricName], again.metrics[name as MetricName])) {
      differences.push(`metrics.${name}`);
    }
  }
  const unrated = Object.keys(again.unrated).length > 0 ? again.unrated : undefined;
  if (!same(record.unrated, unrated)) differences.push('unrated');
  for (const field of ['reference', 'boundaries', 'weights', 'distribution', 'against'] as const) {
    if (!same(record.basis[field], again.basis[field])) differences.push(`basis.${field}`);
  }
  if (record.rating !== again.rating || record.score !== again.score) differences.push('rating');
  return differences;
}

/** The population a record names, read again from its data, or why it cannot be. */
async function populationOf(record: LabelRecord, labelDir: string): Promise<Population | string> {
  const against = record.basis.against!;
  try {
    if (against.kind === 'population' && against.name === 'hf-co2') return await hfCo2Population();
    if (!against.name) return 'names no data file to recompute it from';
    const path = resolveStoredPath(against.name, labelDir);
    return against.kind === 'registry'
      ? await populationFromRegistry(path, against.name, record.phase, against.bytes)
      : await populationFromFile(path, against.name);
  } catch (e) {
    return (e as Error).message;
  }
}

function checkSignature(
  record: LabelRecord,
  trust: KeyObject | undefined
): { check: VerifyCheck; authenticated: boolean } {
  const subject = 'signature (Ed25519)';
  if (!record.signature) {
    return {
      authenticated: false,
      check: {
        kind: 'signature',
        subject,
        status: trust ? 'mismatch' : 'note',
        detail: trust
          ? 'the label is unsigned, but a trusted key was given: it is not from that key'
          : 'unsigned: only the internal consistency of the label was checked'
      }
    };
  }
  const signer = signerKey(record);
  if (trust) {
    const ok = signatureValid(record, trust);
    return {
      authenticated: ok,
      check: {
        kind: 'signature',
        subject,
        status: ok ? 'match' : 'mismatch',
        detail: ok
          ? 'signed by the trusted key'
          : signer && publicKeyText(signer) !== publicKeyText(trust)
            ? 'signed by another key than the trusted one'
            : 'the signature does not match the label: it was changed after signing'
      }
    };
  }
  const ok = signer !== undefined && signatureValid(record, signer);
  return {
    authenticated: false,
    check: {
      kind: 'signature',
      subject,
      status: ok ? 'note' : 'mismatch',
      detail: ok
        ? 'signed, but no trusted key was given (--trust): the key in the label vouches only for itself'
        : 'the signature does not match the label: it was changed after signing'
    }
  };
}

async function compareFile(
  kind: 'model' | 'measurement',
  subject: string,
  expected: string,
  hash: () => Promise<string | undefined>
): Promise<VerifyCheck> {
  let actual: string | undefined;
  try {
    actual = await hash();
  } catch (e) {
    if (e instanceof UnreadableFileError) {
      return { kind, subject, status: 'unverifiable', expected, detail: e.message };
    }
    const code = (e as NodeJS.ErrnoException).code;
    return {
      kind,
      subject,
      status: 'missing',
      expected,
      detail: code === 'ENOENT' ? 'file not found' : (e as Error).message
    };
  }
  if (actual === undefined) {
    return { kind, subject, status: 'missing', expected, detail: 'no record with this id' };
  }
  return { kind, subject, status: actual === expected ? 'match' : 'mismatch', expected, actual };
}

function checkRating(record: LabelRecord): VerifyCheck {
  let rerated;
  try {
    rerated = rerateRecord(record);
  } catch (e) {
    return {
      kind: 'rating',
      subject: RATING_SUBJECT,
      status: 'mismatch',
      expected: record.rating,
      detail: (e as Error).message
    };
  }
  const differing = Object.entries(record.metrics)
    .filter(([name, m]) => {
      const again = rerated.metrics[name as MetricName];
      return !again || again.rating !== m.rating || again.index !== m.index;
    })
    .map(([name]) => name);
  const ok =
    rerated.rating === record.rating && rerated.score === record.score && differing.length === 0;
  return {
    kind: 'rating',
    subject: RATING_SUBJECT,
    status: ok ? 'match' : 'mismatch',
    expected: record.rating,
    actual: rerated.rating,
    detail: differing.length
      ? `metrics that do not follow from value and basis: ${differing.join(', ')}`
      : undefined
  };
}

function checkSci(record: LabelRecord): VerifyCheck {
  const sci = record.sci!;
  let again;
  try {
    again = computeSci(sci.input);
  } catch (e) {
    return { kind: 'sci', subject: SCI_SUBJECT, status: 'mismatch', detail: (e as Error).message };
  }
  const close = (a: number, b: number) =>
    Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-30);
  const ok =
    close(again.sciG, sci.sciG) &&
    close(again.operationalG, sci.operationalG) &&
    close(again.embodiedG, sci.embodiedG) &&
    again.functionalUnits === sci.functionalUnits &&
    (['boundary', 'functionalUnit', 'carbonIntensityGPerKWh', 'embodied'] as const).every(
      key => again.disclosure[key] === sci.disclosure[key]
    );
  return {
    kind: 'sci',
    subject: SCI_SUBJECT,
    status: ok ? 'match' : 'mismatch',
    expected: String(sci.sciG),
    actual: String(again.sciG)
  };
}
