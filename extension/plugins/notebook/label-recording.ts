/**
 * Recording issued labels in the notebook's `metadata.gaissa.labels`, per
 * schema/label-recording.schema.json: an output of the label mime type whose output metadata says
 * `record: true` becomes an entry `{ key, file?, cellId, record }`, keyed by `key`, so rendering
 * the same output again changes nothing; when a cell runs again, its earlier entries give way to
 * the labels it shows now. Pure functions over plain JSON: extension/plugins/notebook/notebook-labels.ts applies them.
 *
 * Entries that are not valid (a stranger's, or a later version's) are kept as they are and never
 * shown; only valid entries are updated or removed.
 */
import type { LabelRecord } from '../../../core/label/record';
import {
  isLabelEntry,
  readOutputMetadata,
  validateLabel,
  type LabelEntry
} from '../../outputs/label/validation';
import { LABEL_MIME } from '../../../core/mime-types';

export { readLabelEntries } from '../../outputs/label/validation';

/** A label an output shows and asks to record. */
export interface ShownLabel {
  key: string;
  file?: string;
  record: LabelRecord;
}

/** The notebook-level metadata key (`metadata.gaissa`; cells use `cell.metadata.gaissa`). */
export const NOTEBOOK_METADATA_KEY = 'gaissa';

export interface OutputLike {
  data: Readonly<Record<string, unknown>>;
  metadata?: Readonly<Record<string, unknown>>;
}

/** The labels among a cell's outputs that are valid and ask to be recorded. */
export function recordableLabels(outputs: Iterable<OutputLike>): ShownLabel[] {
  const shown: ShownLabel[] = [];
  for (const output of outputs) {
    if (!Object.prototype.hasOwnProperty.call(output.data, LABEL_MIME)) continue;
    const meta = readOutputMetadata(output.metadata?.[LABEL_MIME]);
    if (!meta || !meta.record) continue;
    const result = validateLabel(output.data[LABEL_MIME]);
    if (!result.ok) continue;
    if (shown.some(s => s.key === meta.key)) continue;
    shown.push(
      meta.file === undefined
        ? { key: meta.key, record: result.record }
        : { key: meta.key, file: meta.file, record: result.record }
    );
  }
  return shown;
}

function entryOf(label: ShownLabel, cellId: string | undefined): LabelEntry {
  // Key order as in the schema: key, file, cellId, record.
  return {
    key: label.key,
    ...(label.file !== undefined ? { file: label.file } : {}),
    ...(cellId ? { cellId } : {}),
    record: label.record
  };
}

/**
 * `add-missing`: what rendering does (opening a notebook): labels whose key is not yet recorded
 * are appended; nothing else changes. `replace`: what a run does: the cell's valid entries become
 * exactly the labels it shows now (updated in place by key, new ones appended, others removed).
 * Returns the new `labels` array, or null when nothing changes.
 */
export function nextLabels(
  current: unknown,
  cellId: string | undefined,
  shown: readonly ShownLabel[],
  mode: 'add-missing' | 'replace'
): unknown[] | null {
  const before: unknown[] = Array.isArray(current) ? current : [];
  const keys = new Set(shown.map(s => s.key));
  let after: unknown[] = [...before];
  if (mode === 'replace' && cellId) {
    after = after.filter(
      item => !(isLabelEntry(item) && item.cellId === cellId && !keys.has(item.key))
    );
  }
  for (const label of shown) {
    const at = after.findIndex(item => isLabelEntry(item) && item.key === label.key);
    if (at === -1) after.push(entryOf(label, cellId));
    else if (mode === 'replace') after[at] = entryOf(label, cellId);
  }
  if (after.length === 0 && before.length === 0) return null;
  return JSON.stringify(after) === JSON.stringify(before) ? null : after;
}

/** The notebook metadata `gaissa` object with `labels` set, other keys kept. */
export function withLabels(gaissaMetadata: unknown, labels: unknown[]): Record<string, unknown> {
  const base =
    typeof gaissaMetadata === 'object' && gaissaMetadata !== null && !Array.isArray(gaissaMetadata)
      ? (gaissaMetadata as Record<string, unknown>)
      : {};
  return { ...base, labels };
}
