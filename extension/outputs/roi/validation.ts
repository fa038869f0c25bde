/**
 * Checks an ROI payload against schema/roi.schema.json, the contract the kernel writes to, with
 * the validator ajv compiled from it at build time (extension/generate-validator.js), then checks
 * its scenario with core's own rules (the ones computeRoi applies when a slider moves).
 * Loaded with the first ROI widget, not at JupyterLab start.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { validateScenario, type RoiPayload } from '../../../core/roi';
import compiledValidator from '../../generated/roi-validator';

export type RoiValidation = { ok: true; payload: RoiPayload } | { ok: false; errors: string[] };

/** How many problems an invalid widget lists; the first few are enough to find the cause. */
const MAX_ERRORS = 3;

const validate = compiledValidator as unknown as ValidateFunction<RoiPayload>;

function describe(error: ErrorObject): string {
  const extra =
    error.keyword === 'additionalProperties'
      ? ` (${String((error.params as { additionalProperty?: unknown }).additionalProperty).slice(0, 40)})`
      : '';
  return `${error.instancePath || '(root)'}: ${error.message ?? 'is invalid'}${extra}`;
}

export function validateRoiPayload(payload: unknown): RoiValidation {
  if (!validate(payload)) {
    const errors = (validate.errors ?? []).slice(0, MAX_ERRORS).map(describe);
    return { ok: false, errors: errors.length > 0 ? errors : ['does not match the schema'] };
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
