/**
 * The Green Software Foundation's SCI for AI: the SCI of ISO/IEC 21031:2024 (core/sci.ts) reported
 * per persona. Source: GSF, "Software Carbon Intensity for AI" specification
 * (github.com/Green-Software-Foundation/sci-ai, SPEC.md, sections 6-9):
 * - Consumer boundary: the Runtime Operations stage (inference, API, orchestration and scaling,
 *   monitoring, data and feature management, storage, client side). Functional units follow the
 *   commercial pricing unit: per token (LLM), per image, per second (video), per execution
 *   (agentic), per page (OCR), per inference (classical ML).
 * - Provider boundary: Data Engineering, Model Training, System Integration and End of Life.
 *   Functional units follow the scaling laws: per billion parameters, per training token, per FLOP.
 * Both scores are SCI = C / R with C the boundary's operational plus embodied emissions.
 *
 * A label holds one phase, so it reports the boundary its figures belong to: an inference label
 * the consumer score, a training label the provider score. What its figures cover (one measured
 * run, embodied emissions or not) is usually narrower than the whole boundary: `covers` says so.
 */
import { FieldError, describe, isPlainObject, requireNumber } from '../field-error';
import { SciInput, SciResult, computeSci } from '../sci';
import { MetricName, Phase } from './metrics';

export const SCI_FOR_AI_STANDARD = 'GSF SCI for AI (extends ISO/IEC 21031:2024)';

/** The consumer functional units of the specification's table (section 8.1). */
export const CONSUMER_UNITS = [
  'inference',
  'token',
  'image',
  'second',
  'page',
  'execution'
] as const;
export type ConsumerUnit = (typeof CONSUMER_UNITS)[number];

export const CONSUMER_BOUNDARY =
  'consumer: runtime operations (inference serving, orchestration, monitoring, storage, client side)';
export const PROVIDER_BOUNDARY =
  'provider: data engineering, model training, system integration, end of life';

/** Scales that keep the provider scores readable numbers; the functional unit names each. */
const BILLION = 1e9;
const PETA = 1e15;
const MILLION = 1e6;

/** What a label request adds for the SCI for AI (request field `sciForAi`). */
export interface SciForAiInput {
  /** Training phase: the model's parameter count (provider score per billion parameters). */
  parameters?: number;
  /** Training phase: floating point operations of the training run (score per PFLOP). */
  trainingFlops?: number;
  /** Training phase: tokens in the training data (score per million training tokens). */
  trainingTokens?: number;
  /** Inference phase: the consumer functional unit (default inference). */
  consumerUnit?: ConsumerUnit;
  /** Inference phase: consumer units one inference serves (tokens it generates, images...). */
  unitsPerInference?: number;
}

export interface SciForAiScore {
  /** What one functional unit is, e.g. "inference", "token", "billion parameters". */
  functionalUnit: string;
  /** R: functional units the boundary's emissions are divided by. */
  functionalUnits: number;
  /** SCI, g CO2e per functional unit. */
  sciG: number;
}

export interface SciForAiBoundary {
  /** The specification's boundary for the persona. */
  boundary: string;
  /** What the label's figures cover of that boundary. */
  covers: string;
  /** Where C came from: the label's SCI, or its carbon metric. */
  source: 'sci' | 'co2ePerInferenceG' | 'trainingCo2eKg';
  /** C: emissions of the covered window, g CO2e (operational, plus embodied when included). */
  emissionsG: number;
  embodied: 'included' | 'not included';
  scores: SciForAiScore[];
}

export interface SciForAiRecord {
  standard: typeof SCI_FOR_AI_STANDARD;
  /** The request's figures, so a verifier can recompute the scores from the record. */
  input: SciForAiInput;
  consumer?: SciForAiBoundary;
  provider?: SciForAiBoundary;
}

/** What the scores are computed from: the label's phase, metric values and SCI. */
export interface SciForAiSource {
  phase: Phase;
  metrics: Partial<Record<MetricName, { value: number }>>;
  /** Figures the basis could not rate, kept on the label. */
  unrated?: Partial<Record<MetricName, number>>;
  sci?: SciResult;
}

const INPUT_FIELDS = [
  'parameters',
  'trainingFlops',
  'trainingTokens',
  'consumerUnit',
  'unitsPerInference'
];
const TRAINING_FIELDS = ['parameters', 'trainingFlops', 'trainingTokens'];
const INFERENCE_FIELDS = ['consumerUnit', 'unitsPerInference'];

/** Checks the untrusted `sciForAi` request field of a label of `phase`; errors name the field. */
export function parseSciForAiInput(value: unknown, phase: Phase): SciForAiInput {
  const at = (field: string) => `sciForAi.${field}`;
  if (!isPlainObject(value)) throw new FieldError('sciForAi', 'must be an object');
  for (const key of Object.keys(value)) {
    if (!INPUT_FIELDS.includes(key)) {
      throw new FieldError(at(key), `unknown field (expected ${INPUT_FIELDS.join(', ')})`);
    }
    const own = phase === 'training' ? TRAINING_FIELDS : INFERENCE_FIELDS;
    if (!own.includes(key)) {
      throw new FieldError(
        at(key),
        phase === 'training'
          ? 'applies to the consumer (inference) boundary: this is a training label'
          : 'applies to the provider (training) boundary: this is an inference label'
      );
    }
  }
  const input: SciForAiInput = {};
  for (const key of [
    'parameters',
    'trainingFlops',
    'trainingTokens',
    'unitsPerInference'
  ] as const) {
    if (value[key] === undefined) continue;
    const n = requireNumber(value[key], at(key), { positive: true });
    // Counts of parameters, operations and tokens: a fraction of one is a unit mistake.
    if (key !== 'unitsPerInference' && n < 1) {
      throw new FieldError(at(key), `is a count: at least 1, got ${n}`);
    }
    input[key] = n;
  }
  if (value.consumerUnit !== undefined) {
    const unit = value.consumerUnit;
    if (!(CONSUMER_UNITS as readonly unknown[]).includes(unit)) {
      throw new FieldError(
        at('consumerUnit'),
        `must be one of ${CONSUMER_UNITS.join(', ')}, got ${describe(unit)}`
      );
    }
    input.consumerUnit = unit as ConsumerUnit;
  }
  const unit = input.consumerUnit ?? 'inference';
  if (unit !== 'inference' && input.unitsPerInference === undefined) {
    throw new FieldError(
      at('unitsPerInference'),
      `is required with consumerUnit ${unit}: how many ${unit}s one inference serves`
    );
  }
  if (unit === 'inference' && input.unitsPerInference !== undefined) {
    throw new FieldError(
      at('unitsPerInference'),
      'needs a consumerUnit other than inference (the unit it counts)'
    );
  }
  return input;
}

/**
 * The SCI for AI of a label: the boundary of its phase when its figures give the emissions C.
 * Throws FieldError naming `sciForAi` when they do not.
 */
export function sciForAi(label: SciForAiSource, input: SciForAiInput): SciForAiRecord {
  const record: SciForAiRecord = { standard: SCI_FOR_AI_STANDARD, input };
  if (label.phase === 'inference') {
    const consumer = consumerBoundary(label, input);
    if (!consumer) {
      throw new FieldError(
        'sciForAi',
        'the consumer score needs the label’s co2ePerInferenceG or an SCI per inference'
      );
    }
    record.consumer = consumer;
  } else {
    const provider = providerBoundary(label, input);
    if (!provider) {
      throw new FieldError(
        'sciForAi',
        'the provider score needs the label’s trainingCo2eKg or an SCI of the training'
      );
    }
    record.provider = provider;
  }
  return record;
}

/**
 * The emissions C of a window and how to score it per R functional units: through computeSci
 * (E x I + M) when the label carries an SCI, else the carbon figure divided by R.
 */
interface Window {
  source: SciForAiBoundary['source'];
  covers: string;
  emissionsG: number;
  embodied: SciForAiBoundary['embodied'];
  per(functionalUnits: number, functionalUnit: string, field: string): SciForAiScore;
}

function sciWindow(sci: SciResult): Window {
  const input: SciInput = sci.input;
  const per = (functionalUnits: number, functionalUnit: string, field: string) => {
    const score = scored(
      () => computeSci({ ...input, functionalUnits, functionalUnit }).sciG,
      field
    );
    return { functionalUnit, functionalUnits, sciG: score };
  };
  return {
    source: 'sci',
    covers: `the label's SCI window: ${sci.disclosure.boundary}`,
    emissionsG: computeSci({ ...input, functionalUnits: 1 }).sciG,
    embodied: sci.disclosure.embodied,
    per
  };
}

function figureWindow(source: 'co2ePerInferenceG' | 'trainingCo2eKg', emissionsG: number): Window {
  return {
    source,
    covers:
      source === 'co2ePerInferenceG'
        ? "one inference, the label's co2ePerInferenceG (energy x grid intensity)"
        : "the training run, the label's trainingCo2eKg (energy x grid intensity)",
    emissionsG,
    embodied: 'not included',
    per: (functionalUnits, functionalUnit, field) => ({
      functionalUnit,
      functionalUnits,
      sciG: scored(() => emissionsG / functionalUnits, field)
    })
  };
}

function consumerBoundary(
  label: SciForAiSource,
  input: SciForAiInput
): SciForAiBoundary | undefined {
  // The SCI counts inferences only when its functional unit is one (as a derived label's is).
  const sci = label.sci?.disclosure.functionalUnit === 'inference' ? label.sci : undefined;
  const co2e = figure(label, 'co2ePerInferenceG');
  let window: Window;
  let inferences: number;
  if (sci) {
    window = sciWindow(sci);
    inferences = sci.functionalUnits;
  } else if (co2e !== undefined) {
    window = figureWindow('co2ePerInferenceG', co2e);
    inferences = 1;
  } else {
    return undefined;
  }
  const scores = [window.per(inferences, 'inference', 'sciForAi')];
  const unit = input.consumerUnit ?? 'inference';
  if (unit !== 'inference') {
    const units = inferences * input.unitsPerInference!;
    scores.push(window.per(units, unit, 'sciForAi.unitsPerInference'));
  }
  return boundaryOf(CONSUMER_BOUNDARY, window, scores);
}

function providerBoundary(
  label: SciForAiSource,
  input: SciForAiInput
): SciForAiBoundary | undefined {
  // A training label's SCI window is its training, whatever unit the SCI counted.
  const co2eKg = figure(label, 'trainingCo2eKg');
  const window = label.sci
    ? sciWindow(label.sci)
    : co2eKg !== undefined
      ? figureWindow(
          'trainingCo2eKg',
          scored(() => co2eKg * 1000, 'metrics.trainingCo2eKg')
        )
      : undefined;
  if (!window) return undefined;
  const scores = [window.per(1, 'training run', 'sciForAi')];
  if (input.parameters !== undefined) {
    scores.push(
      window.per(input.parameters / BILLION, 'billion parameters', 'sciForAi.parameters')
    );
  }
  if (input.trainingFlops !== undefined) {
    scores.push(
      window.per(input.trainingFlops / PETA, 'PFLOP (10^15 FLOPs)', 'sciForAi.trainingFlops')
    );
  }
  if (input.trainingTokens !== undefined) {
    scores.push(
      window.per(
        input.trainingTokens / MILLION,
        'million training tokens',
        'sciForAi.trainingTokens'
      )
    );
  }
  return boundaryOf(PROVIDER_BOUNDARY, window, scores);
}

function boundaryOf(boundary: string, w: Window, scores: SciForAiScore[]): SciForAiBoundary {
  return {
    boundary,
    covers: w.covers,
    source: w.source,
    emissionsG: w.emissionsG,
    embodied: w.embodied,
    scores
  };
}

/** A score, or a FieldError naming the figure that made it overflow (or vanish to R = 0). */
function scored(compute: () => number, field: string): number {
  let value: number;
  try {
    value = compute();
  } catch (e) {
    if (e instanceof FieldError) throw new FieldError(field, 'out of range for the SCI');
    throw e;
  }
  if (!Number.isFinite(value)) throw new FieldError(field, 'out of range for the SCI');
  return value;
}

/** A metric's value on the label, rated or kept as not rated. */
export function figure(label: SciForAiSource, name: MetricName): number | undefined {
  return label.metrics[name]?.value ?? label.unrated?.[name];
}

/**
 * What differs between a record's `sciForAi` and the scores its figures give again (the verifier's
 * check), or undefined when they match; scores within a relative 1e-9, the rest exactly.
 */
export function sciForAiDifference(
  label: SciForAiSource & { sciForAi?: SciForAiRecord }
): string | undefined {
  const held = label.sciForAi;
  if (!held) return undefined;
  let again: SciForAiRecord;
  try {
    again = sciForAi(label, held.input);
  } catch (e) {
    return (e as Error).message;
  }
  const close = (a: number, b: number) =>
    Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-30);
  for (const side of ['consumer', 'provider'] as const) {
    const a = again[side];
    const b = held[side];
    if (!a || !b) {
      if (a || b) return `sciForAi.${side}: ${a ? 'missing' : 'not supported by the figures'}`;
      continue;
    }
    const same =
      a.boundary === b.boundary &&
      a.covers === b.covers &&
      a.source === b.source &&
      a.embodied === b.embodied &&
      close(a.emissionsG, b.emissionsG) &&
      a.scores.length === b.scores.length &&
      a.scores.every(
        (s, i) =>
          s.functionalUnit === b.scores[i].functionalUnit &&
          close(s.functionalUnits, b.scores[i].functionalUnits) &&
          close(s.sciG, b.scores[i].sciG)
      );
    if (!same) return `sciForAi.${side}: does not follow from the label's figures`;
  }
  return undefined;
}
