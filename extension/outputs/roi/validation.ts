/**
 * Checks an ROI payload against schema/roi.schema.json, the contract the kernel writes to, with
 * the validator ajv compiled from it at build time (extension/generate-validator.js), then checks
 * its scenario with core's own rules (the ones computeRoi applies when a slider moves).
 * Loaded with the first ROI widget, not at JupyterLab start.
 */
import type { ValidateFunction } from 'ajv';
import { validateScenario, type RoiPayload } from '../../../core/roi';
import compiledValidator from '../../generated/roi-validator';
import { MAX_ERRORS, schemaErrors } from '../../shared/schema-errors';

export type RoiValidation = { ok: true; payload: RoiPayload } | { ok: false; errors: string[] };

const validate = compiledValidator as unknown as ValidateFunction<RoiPayload>;

export function validateRoiPayload(payload: unknown): RoiValidation {
  if (!validate(payload)) {
    return { ok: false, errors: schemaErrors(validate.errors) };
  }
  const checked = validateScenario(payload.scenario);
  if (!checked.ok) {
    return {
      ok: false,
      errors: checked.errors.slice(0, MAX_ERRORS).map(e => `/scenario/${e.field}: ${e.message}`)
    };
  }
  return { ok: true, payload };
}
