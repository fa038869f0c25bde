/** Validation of label records against `schema/label.schema.json` (files from disk are untrusted). */
import Ajv from 'ajv';
import { FieldError } from '../../core/field-error';
import { LabelRecord } from '../../core/label/record';
import labelSchema from '../../schema/label.schema.json';

const validate = new Ajv({ allErrors: false }).compile<LabelRecord>(labelSchema);

/** The record itself when it matches the schema, else a FieldError naming the first bad field. */
export function validateLabelRecord(value: unknown): LabelRecord {
  if (validate(value)) return value;
  const error = validate.errors?.[0];
  const path = error?.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : 'label';
  const extra =
    error?.keyword === 'additionalProperties'
      ? ` (${(error.params as { additionalProperty: string }).additionalProperty})`
      : '';
  throw new FieldError(path, `${error?.message ?? 'does not match the label schema'}${extra}`);
}
