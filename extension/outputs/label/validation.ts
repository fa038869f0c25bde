/**
 * Checks label payloads and notebook label entries against schema/label.schema.json and
 * schema/label-recording.schema.json, with validators ajv compiled from them at build time
 * (extension/generate-validator.js). Loaded with the first label, not at JupyterLab start.
 */
import type { ValidateFunction } from 'ajv';
import type { LabelRecord } from '../../../core/label/record';
import * as compiled from '../../generated/label-validator';
import { schemaErrors } from '../../shared/schema-errors';

/** Output metadata the kernel sets under the label mime type (label-recording.schema.json). */
export interface LabelOutputMetadata {
  record: boolean;
  key: string;
  file?: string;
}

/** One item of the notebook's `metadata.gaissa.labels`. */
export interface LabelEntry {
  key: string;
  file?: string;
  cellId?: string;
  record: LabelRecord;
}

export type LabelValidation = { ok: true; record: LabelRecord } | { ok: false; errors: string[] };

const validators = compiled as unknown as {
  validateLabel: ValidateFunction<LabelRecord>;
  validateLabelOutputMetadata: ValidateFunction<LabelOutputMetadata>;
  validateLabelEntry: ValidateFunction<LabelEntry>;
};

export function validateLabel(payload: unknown): LabelValidation {
  const validate = validators.validateLabel;
  if (validate(payload)) return { ok: true, record: payload };
  return { ok: false, errors: schemaErrors(validate.errors) };
}

/** The kernel's output metadata under the label mime type, or null when absent or malformed. */
export function readOutputMetadata(value: unknown): LabelOutputMetadata | null {
  return validators.validateLabelOutputMetadata(value) ? value : null;
}

export function isLabelEntry(value: unknown): value is LabelEntry {
  return validators.validateLabelEntry(value);
}

/**
 * The valid entries of a notebook's `metadata.gaissa.labels` (anything else there, from a
 * stranger or a later version, is skipped, not shown).
 */
export function readLabelEntries(gaissaMetadata: unknown): LabelEntry[] {
  if (typeof gaissaMetadata !== 'object' || gaissaMetadata === null) return [];
  const labels = (gaissaMetadata as { labels?: unknown }).labels;
  return Array.isArray(labels) ? labels.filter(isLabelEntry) : [];
}
