/**
 * The project's label registry: one JSON line per label written in the project (gaissa label
 * --out, gaissa.label(..., { out })), beside the label file, or in a file the user names. It is
 * the population an inference label is rated against when no baseline is at hand ("against your
 * 14 labelled models").
 */
import { appendFile, readFile } from 'node:fs/promises';
import { FieldError, isPlainObject } from '../../core/field-error';
import { METRICS, MetricName, Phase, isPhase } from '../../core/label/metrics';
import { LabelRecord } from '../../core/label/record';
import { MAX_RECORD_FILE_BYTES, requireRegularFile } from '../regular-file';
import { sha256Text } from './sha256';

export const DEFAULT_REGISTRY_FILE = 'gaissa-labels.jsonl';

/** What the registry keeps of a label: its phase, model and figures (not derived ones). */
export interface RegistryEntry {
  phase: Phase;
  model: { name: string; sha256?: string };
  figures: Partial<Record<MetricName, number>>;
}

/** Appends a label to the registry at `path` (created when missing). */
export async function registerLabel(record: LabelRecord, path: string): Promise<void> {
  await appendFile(path, JSON.stringify(record) + '\n');
}

/** An entry of an untrusted registry line, or undefined when the line is not a label record. */
function entryOf(line: string): RegistryEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isPlainObject(value) || value.format !== 'gaissa.label' || !isPhase(value.phase)) {
    return undefined;
  }
  const model = value.model;
  if (!isPlainObject(model) || typeof model.name !== 'string') return undefined;
  if (!isPlainObject(value.metrics)) return undefined;
  const all: Record<string, unknown> = isPlainObject(value.unrated) ? { ...value.unrated } : {};
  for (const [name, m] of Object.entries(value.metrics)) {
    if (isPlainObject(m)) all[name] = m.value;
  }
  const figures: Partial<Record<MetricName, number>> = {};
  for (const [name, v] of Object.entries(all)) {
    const metric = METRICS[name as MetricName];
    if (metric && !metric.derived && typeof v === 'number' && Number.isFinite(v) && v >= 0) {
      figures[name as MetricName] = v;
    }
  }
  const sha256 = typeof model.sha256 === 'string' ? model.sha256 : undefined;
  return { phase: value.phase, model: { name: model.name, sha256 }, figures };
}

/**
 * The registry's labels, in the order they were written; lines that are not labels are skipped.
 * With `bytes`, only its first bytes: the registry as it was when they were its whole.
 */
export async function readRegistry(
  path: string,
  field: string,
  bytes?: number
): Promise<{ records: RegistryEntry[]; sha256: string; bytes: number }> {
  let data: Buffer;
  try {
    await requireRegularFile(path, MAX_RECORD_FILE_BYTES);
    data = await readFile(path);
  } catch (e) {
    throw new FieldError(field, `cannot read ${path}: ${(e as Error).message}`);
  }
  if (bytes !== undefined) {
    if (data.length < bytes) {
      throw new FieldError(field, `${path} is shorter than when the label was rated against it`);
    }
    data = data.subarray(0, bytes);
  }
  const text = data.toString('utf8');
  const records = text
    .split('\n')
    .filter(line => line.trim() !== '')
    .map(entryOf)
    .filter((e): e is RegistryEntry => e !== undefined);
  return { records, sha256: sha256Text(text), bytes: data.length };
}
