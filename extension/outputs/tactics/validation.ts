/**
 * Checks a tactics comparison payload against schema/tactics.schema.json, the contract the kernel
 * writes to, with the validator ajv compiled from it at build time (extension/generate-validator.js),
 * then the few cross-references the schema cannot state (unique names, baseline and recommended
 * naming a variant). Loaded with the first comparison, not at JupyterLab start.
 */
import type { ValidateFunction } from 'ajv';
import type { TacticsPayload, VariantFigures } from '../../../core/tactics';
import compiledValidator from '../../generated/tactics-validator';
import { MAX_ERRORS, schemaErrors } from '../../shared/schema-errors';

/** Figures the schema asks of inference rows only (a training row has `energyJ`, `durationS`). */
type InferenceOnly =
  | 'energyPerInferenceJ'
  | 'energyPerInferenceSdJ'
  | 'co2ePerInferenceG'
  | 'latencyMs'
  | 'latencyP95Ms'
  | 'throughputPerS'
  | 'modelBytes'
  | 'gzipBytes'
  | 'modelSizeMB'
  | 'agreement'
  | 'maxAbsDiff'
  | 'runtime';

/** A variant as the schema allows it: training rows carry `energyJ`, inference rows `energyPerInferenceJ`. */
export type TacticsVariant = Omit<VariantFigures, InferenceOnly> &
  Partial<Pick<VariantFigures, InferenceOnly>> & {
    /** Training phase: energy of one training run, J. */
    energyJ?: number;
    durationS?: number;
  };

export type TacticsComparisonPayload = Omit<TacticsPayload, 'variants'> & {
  variants: TacticsVariant[];
};

export type TacticsValidation =
  { ok: true; payload: TacticsComparisonPayload } | { ok: false; errors: string[] };

const validate = compiledValidator as unknown as ValidateFunction<TacticsComparisonPayload>;

/** The energy figure of a row: per run in training, per inference otherwise. */
export function variantEnergy(payload: TacticsComparisonPayload, v: TacticsVariant): number {
  const energy =
    payload.phase === 'training'
      ? (v.energyJ ?? v.energyPerInferenceJ)
      : (v.energyPerInferenceJ ?? v.energyJ);
  return energy as number;
}

export function validateTacticsPayload(payload: unknown): TacticsValidation {
  if (!validate(payload)) {
    return { ok: false, errors: schemaErrors(validate.errors) };
  }
  const errors: string[] = [];
  const names = new Set<string>();
  payload.variants.forEach((v, i) => {
    if (names.has(v.name)) errors.push(`/variants/${i}/name: appears twice`);
    names.add(v.name);
  });
  for (const key of ['baseline', 'recommended'] as const) {
    if (!names.has(payload[key])) errors.push(`/${key}: names no variant`);
  }
  return errors.length > 0
    ? { ok: false, errors: errors.slice(0, MAX_ERRORS) }
    : { ok: true, payload };
}
