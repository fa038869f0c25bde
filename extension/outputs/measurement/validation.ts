/**
 * Checks a measurement payload against schema/measurement.schema.json, the contract the kernel
 * writes to, with the validator ajv compiled from it at build time (extension/generate-validator.js).
 * Loaded with the card, not at JupyterLab start.
 */
import type { ValidateFunction } from 'ajv';
import type { MeasurementRecord } from '../../../core/measurement';
import compiledValidator from '../../generated/measurement-validator';
import { schemaErrors } from '../../shared/schema-errors';

export type ValidationResult =
  { ok: true; record: MeasurementRecord } | { ok: false; errors: string[] };

const validate = compiledValidator as unknown as ValidateFunction<MeasurementRecord>;

export function validateMeasurement(payload: unknown): ValidationResult {
  if (validate(payload)) return { ok: true, record: payload };
  return { ok: false, errors: schemaErrors(validate.errors) };
}
