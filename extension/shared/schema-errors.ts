/**
 * Schema errors as the short lines an invalid output lists: where (a JSON pointer into the
 * payload), what ajv says, and what it is about when ajv's message leaves it out (the name of an
 * unknown property, the values an enum or a const allows). Paths and names come from the payload,
 * so they are cut short here; the views put these lines in as text.
 */
import type { ErrorObject } from 'ajv';
import { clip } from './safe-dom';

/** How many errors an invalid output lists; the first few are enough to find the cause. */
export const MAX_ERRORS = 3;

/** Longest path and property name (from the payload) and list of allowed values (from the schema). */
const MAX_PATH = 120;
const MAX_NAME = 40;
const MAX_ALLOWED = 120;

/** The payload's unknown property, or the value(s) the schema allows, when the error is about one. */
function subject(error: ErrorObject): string | null {
  const params: unknown = error.params;
  if (typeof params !== 'object' || params === null) return null;
  if (error.keyword === 'additionalProperties') {
    const name = (params as { additionalProperty?: unknown }).additionalProperty;
    return name === undefined ? null : clip(String(name), MAX_NAME);
  }
  if (error.keyword === 'enum') {
    const allowed = (params as { allowedValues?: unknown }).allowedValues;
    return Array.isArray(allowed) ? clip(allowed.map(String).join(', '), MAX_ALLOWED) : null;
  }
  if (error.keyword === 'const' && 'allowedValue' in params) {
    return clip(String((params as { allowedValue: unknown }).allowedValue), MAX_ALLOWED);
  }
  return null;
}

/** One schema error as a line of text: `/variants/1/latencyMs: must be number`. */
export function describe(error: ErrorObject): string {
  const where = clip(error.instancePath || '(root)', MAX_PATH);
  const what = typeof error.message === 'string' && error.message ? error.message : 'is invalid';
  let about: string | null = null;
  try {
    about = subject(error);
  } catch {
    // A name that cannot even become text is left out; the path still says where.
  }
  return `${where}: ${what}${about === null ? '' : ` (${about})`}`;
}

/** The lines an invalid output lists for a validator's errors: a few, never none. */
export function schemaErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  const lines = (errors ?? []).slice(0, MAX_ERRORS).map(describe);
  return lines.length > 0 ? lines : ['does not match the schema'];
}
