/**
 * Checks a measurement payload against schema/measurement.schema.json, the contract the kernel
 * writes to, with the validator ajv compiled from it at build time (extension/generate-validator.js).
 * Loaded with the card, not at JupyterLab start.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { MeasurementRecord } from '../../../core/measurement';
import compiledValidator from '../../generated/measurement-validator';

export type ValidationResult =
  { ok: true; record: MeasurementRecord } | { ok: false; errors: string[] };

/** How many schema errors an invalid card lists; the first few are enough to find the cause. */
const MAX_ERRORS = 3;

const validate = compiledValidator as unknown as ValidateFunction<MeasurementRecord>;

function describe(error: ErrorObject): string {
  return `${error.instancePath || '(root)'}: ${error.message ?? 'is invalid'}`;
}

export function validateMeasurement(payload: unknown): ValidationResult {
  if (validate(payload)) return { ok: true, record: payload };
  const errors = (validate.errors ?? []).slice(0, MAX_ERRORS).map(describe);
  return { ok: false, errors: errors.length > 0 ? errors : ['does not match the schema'] };
}
