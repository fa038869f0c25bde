/**
 * Reads the measurement records a label rests on: a JSON file (hashed whole) or one line of a
 * JSON Lines file (kernel/records writes those; only the line is hashed). Hash and content come
 * from the same bytes, so what is checked is what was hashed.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { FieldError } from '../../core/field-error';
import { RecordEvidence, recordEvidence } from '../../core/label/provenance';
import measurementSchema from '../../schema/measurement.schema.json';
import { MAX_RECORD_FILE_BYTES, requireRegularFile } from '../regular-file';
import { sha256Text } from './sha256';

// Compiled on first use: the kernel loads this module at start-up, and most sessions issue no label.
let validateShape: ValidateFunction | undefined;
function shapeValidator(): ValidateFunction {
  validateShape ??= new Ajv({ allErrors: false, allowUnionTypes: true }).compile(measurementSchema);
  return validateShape;
}

export interface ReadRecord {
  sha256: string;
  /** The parsed record; undefined when the bytes are not JSON. */
  content: unknown;
}

/**
 * The record in `path` (with `id`: the line of the JSON Lines file whose record has that id).
 * Undefined when no record has the id; an error when several do or the file cannot be read.
 */
export async function readMeasurementRecord(
  path: string,
  id?: string
): Promise<ReadRecord | undefined> {
  await requireRegularFile(path, MAX_RECORD_FILE_BYTES);
  const bytes = await readFile(path);
  if (id === undefined) {
    let content: unknown;
    try {
      content = JSON.parse(bytes.toString('utf8'));
    } catch {
      content = undefined;
    }
    return { sha256: createHash('sha256').update(bytes).digest('hex'), content };
  }
  const found: { line: string; content: unknown }[] = [];
  for (const raw of bytes.toString('utf8').split('\n')) {
    const line = raw.replace(/\r$/, '');
    try {
      const record = JSON.parse(line) as { id?: unknown };
      if (record !== null && typeof record === 'object' && String(record.id) === id) {
        found.push({ line, content: record });
      }
    } catch {
      // Not a JSON line (a torn tail, a blank line): not the record asked for.
    }
  }
  if (found.length > 1) throw new Error(`${path}: ${found.length} records have id ${id}`);
  if (found.length === 0) return undefined;
  return { sha256: sha256Text(found[0].line), content: found[0].content };
}

/**
 * The evidence a measurement record gives: the record must match schema/measurement.schema.json
 * (a few hand-typed figures are no record) and agree with itself (core/label/provenance.ts);
 * otherwise a FieldError naming `field` says where it does not.
 */
export function measurementEvidence(content: unknown, field: string): RecordEvidence {
  const validate = shapeValidator();
  if (!validate(content)) {
    const error = validate.errors?.[0];
    const where = error?.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : 'record';
    const extra =
      error?.keyword === 'additionalProperties'
        ? ` (${(error.params as { additionalProperty: string }).additionalProperty})`
        : '';
    throw new FieldError(
      field,
      `is not a measurement record (schema/measurement.schema.json): ${where} ${error?.message ?? 'is invalid'}${extra}`
    );
  }
  return recordEvidence(content, field);
}

/** The evidence of a read record; a FieldError naming `field` when it is no measurement record. */
export function evidenceOf(read: ReadRecord, field: string, id?: string): RecordEvidence {
  const evidence = measurementEvidence(read.content, field);
  if (id !== undefined && evidence.id !== id) {
    throw new FieldError(field, `the record's id is ${evidence.id}, not ${id}`);
  }
  return evidence;
}
