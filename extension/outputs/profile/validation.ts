/**
 * Checks a profile payload against schema/profile.schema.json with the validator ajv compiled from
 * it at build time (extension/generate-validator.js). Loaded with the first profile.
 */
import type { ValidateFunction } from 'ajv';
import type { ProfileRecord } from '../../../core/profile';
import compiledValidator from '../../generated/profile-validator';
import { schemaErrors } from '../../shared/schema-errors';

export type ProfileValidation =
  { ok: true; payload: ProfileRecord } | { ok: false; errors: string[] };

const validate = compiledValidator as unknown as ValidateFunction<ProfileRecord>;

export function validateProfilePayload(payload: unknown): ProfileValidation {
  return validate(payload)
    ? { ok: true, payload }
    : { ok: false, errors: schemaErrors(validate.errors) };
}
