/**
 * The energy fields of the EU AI Act's technical documentation for general-purpose AI models:
 * Regulation (EU) 2024/1689, Annex XI, Section 1, point 2(d) "the computational resources used to
 * train the model (e.g. number of floating point operations), training time, and other relevant
 * details related to the training" and 2(e) "known or estimated energy consumption of the model"
 * (where unknown, it may be based on the computational resources used).
 *
 * Built from a training label: the energy and its method are the label's, so the section never
 * claims a measurement the label's records do not show; FLOPs and time come from the request.
 */
import { FieldError, isPlainObject, requireNumber } from '../field-error';
import { MetricName, Phase } from './metrics';
import { LabelMethod, labelMethodText } from './provenance';

export const AI_ACT_SOURCE =
  'Regulation (EU) 2024/1689 (AI Act), Annex XI, Section 1, point 2(d) and (e)';

/** What a label request adds for Annex XI (request field `aiAct`). */
export interface AiActInput {
  /** Floating point operations used to train the model. */
  trainingComputeFlops?: number;
  /** Wall-clock duration of the training, hours. */
  trainingTimeHours?: number;
}

export interface AiActSection extends AiActInput {
  source: typeof AI_ACT_SOURCE;
  /** Energy consumption of the training, kWh (the label's trainingEnergyKWh). */
  energyKWh?: number;
  /** How the energy was obtained: the label's method, with the energy only. */
  energyMethod?: LabelMethod;
  hardware?: string;
  location?: string;
}

/** What the section is built from: a label record's phase, figures, method and context. */
export interface AiActLabel {
  phase: Phase;
  metrics: Partial<Record<MetricName, { value: number }>>;
  unrated?: Partial<Record<MetricName, number>>;
  method: LabelMethod;
  coverage?: number;
  context?: { hardware?: string; location?: string };
}

const INPUT_FIELDS = ['trainingComputeFlops', 'trainingTimeHours'] as const;

export const NOT_TRAINING =
  'Annex XI documents the training of a general-purpose AI model: give a training label';

/** Checks the untrusted `aiAct` request field of a label of `phase`; errors name the field. */
export function parseAiActInput(value: unknown, phase: Phase): AiActInput {
  if (phase !== 'training') throw new FieldError('aiAct', NOT_TRAINING);
  if (!isPlainObject(value)) throw new FieldError('aiAct', 'must be an object');
  const input: AiActInput = {};
  for (const key of Object.keys(value)) {
    if (!(INPUT_FIELDS as readonly string[]).includes(key)) {
      throw new FieldError(`aiAct.${key}`, `unknown field (expected ${INPUT_FIELDS.join(', ')})`);
    }
  }
  for (const key of INPUT_FIELDS) {
    if (value[key] !== undefined) {
      input[key] = requireNumber(value[key], `aiAct.${key}`, { positive: true });
    }
  }
  return input;
}

/** The Annex XI energy section of a training label; FieldError for any other label. */
export function aiActSection(label: AiActLabel, input: AiActInput = {}): AiActSection {
  if (label.phase !== 'training') throw new FieldError('phase', NOT_TRAINING);
  const section: AiActSection = { source: AI_ACT_SOURCE };
  if (input.trainingComputeFlops !== undefined) {
    section.trainingComputeFlops = input.trainingComputeFlops;
  }
  if (input.trainingTimeHours !== undefined) section.trainingTimeHours = input.trainingTimeHours;
  const energy = label.metrics.trainingEnergyKWh?.value ?? label.unrated?.trainingEnergyKWh;
  if (energy !== undefined) {
    section.energyKWh = energy;
    section.energyMethod = label.method;
  }
  if (label.context?.hardware) section.hardware = label.context.hardware;
  if (label.context?.location) section.location = label.context.location;
  return section;
}

/**
 * Annex XI's own words for the energy: "known" only when every figure came from hardware
 * counters; a partial or model-based figure is an estimate; a typed one is the issuer's word.
 */
export function energyStatusText(label: AiActLabel): string {
  const how = labelMethodText(label);
  if (label.method === 'measured') return `known (${how})`;
  if (label.method === 'declared') return 'declared by the issuer (not computed from records)';
  return `estimated (${how})`;
}

/**
 * What differs between a record's `aiAct` and the section its figures, method and context give
 * again (the verifier's check), or undefined when they match.
 */
export function aiActDifference(label: AiActLabel & { aiAct?: AiActSection }): string | undefined {
  const held = label.aiAct;
  if (!held) return undefined;
  let again: AiActSection;
  try {
    again = aiActSection(label, {
      trainingComputeFlops: held.trainingComputeFlops,
      trainingTimeHours: held.trainingTimeHours
    });
  } catch (e) {
    return (e as Error).message;
  }
  const keys = new Set([...Object.keys(again), ...Object.keys(held)]);
  const differing = [...keys].filter(
    key => again[key as keyof AiActSection] !== held[key as keyof AiActSection]
  );
  return differing.length
    ? `aiAct: ${differing.join(', ')}: not what the label's figures, method and context give`
    : undefined;
}
