/**
 * `gaissa label verify`: recomputes what a label record claims and reports each check. A label
 * verifies only when every recorded SHA-256 matches its file, the rating follows from the metric
 * values and basis it carries, and the SCI from its inputs; a label with nothing to check does not
 * verify (stripping the hashes must not be a way to pass).
 */
import { computeSci } from '../../core/sci';
import { LabelRecord, rerateRecord } from '../../core/label/record';
import { MetricName } from '../../core/label/metrics';
import { resolveStoredPath } from './issue-label';
import { sha256File, sha256JsonLine } from './sha256';

const RATING_SUBJECT = 'rating (from metric values and basis)';
const SCI_SUBJECT = 'sciG (from sci.input)';

export type CheckStatus = 'match' | 'mismatch' | 'missing' | 'unverifiable';

export interface VerifyCheck {
  kind: 'model' | 'measurement' | 'rating' | 'sci';
  /** What was checked: a path, a path#id, or a field. */
  subject: string;
  status: CheckStatus;
  expected?: string;
  actual?: string;
  detail?: string;
}

export interface VerifyReport {
  ok: boolean;
  checks: VerifyCheck[];
}

export interface VerifyOptions {
  /** Folder of the label file: relative paths in the record are relative to it. */
  labelDir: string;
  /** Model file to check instead of the record's model.path. */
  modelPath?: string;
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

  for (const m of record.measurements) {
    const subject = m.path ? (m.id !== undefined ? `${m.path}#${m.id}` : m.path) : m.sha256;
    if (!m.path) {
      checks.push({
        kind: 'measurement',
        subject,
        status: 'unverifiable',
        detail: 'no path recorded'
      });
      continue;
    }
    const file = resolveStoredPath(m.path, options.labelDir);
    checks.push(
      await compareFile('measurement', subject, m.sha256, () =>
        m.id !== undefined ? sha256JsonLine(file, m.id) : sha256File(file)
      )
    );
  }

  if (checks.length === 0) {
    checks.push({
      kind: 'model',
      subject: record.model.name,
      status: 'unverifiable',
      detail: 'the label holds no SHA-256 of a model or measurement record'
    });
  }

  checks.push(checkRating(record));
  if (record.sci) checks.push(checkSci(record));
  return { ok: checks.every(c => c.status === 'match'), checks };
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
