/**
 * `gaissa.roi(...)`: the ROI / what-if model of core/roi.ts in the notebook. Results display as
 * `application/vnd.gaissa.roi.v1+json` (the extension's slider widget) with `text/plain` and a
 * static `text/html` view for every other viewer. All arithmetic is core's; this file only picks
 * the inputs (typed, from the literature, from a comparison or from two measurements).
 */
import { FieldError, describe, isPlainObject } from '../../core/field-error';
import {
  RoiExpected,
  RoiFieldError,
  RoiInputError,
  RoiPayload,
  RoiResult,
  RoiScenario,
  RoiSensitivity,
  RoiSensitivityMetric,
  roiPayload,
  roiSensitivity,
  validateScenario
} from '../../core/roi';
import {
  CatalogueEntry,
  ROI_CATALOGUE,
  WhatIfInput,
  catalogueEntry,
  whatIf as expectedScenario
} from '../../core/roi-catalogue';
import { escapeHtml, roiHtml, roiText } from '../../core/roi-static-view';
import { Displayable, MimeBundle } from '../display';
import { MeasurementLike, describeMeasurement, measurementProblems } from './measurement-source';
import {
  ComparedVariant,
  TacticsComparisonLike,
  baselineVariant,
  chosenVariant,
  comparisonProblems,
  isTacticsComparison
} from './tactics-comparison';
import { ROI_MIME } from '../../core/mime-types';
import { finiteNumber, formatEnergy, formatNumber } from '../../core/format';
import { predictionBasisText } from '../../core/tactics-prediction';

export type { RoiScenario, RoiResult, RoiExpected, RoiPayload } from '../../core/roi';
export type { WhatIfInput, CatalogueEntry } from '../../core/roi-catalogue';

/** The schema caps explanation strings at 400 characters. */
const MAX_NOTE = 400;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** An ROI result that displays itself; `scenario` and `result` hold the figures. */
export class RoiAnalysis implements Displayable {
  readonly scenario: RoiScenario;
  readonly result: RoiResult;
  readonly expected?: RoiExpected;
  /** Where the energies came from (a comparison's variants, measurements), shown with the figures. */
  readonly sources: readonly string[];

  constructor(payload: RoiPayload, sources: readonly string[] = []) {
    this.scenario = payload.scenario;
    this.result = payload.result;
    if (payload.expected) this.expected = payload.expected;
    this.sources = sources.map(s => s.replace(CONTROL, ''));
  }

  /** The mime payload (schema/roi.schema.json). */
  get payload(): RoiPayload {
    const payload: RoiPayload = { scenario: this.scenario, result: this.result };
    if (this.expected) payload.expected = this.expected;
    return payload;
  }

  toJSON(): RoiPayload {
    return this.payload;
  }

  /** Which input moves the ROI (or NPV, payback...) most: core's one-at-a-time sensitivity. */
  sensitivity(options: { variation?: number; metric?: RoiSensitivityMetric } = {}): RoiSensitivity {
    return roiSensitivity(this.scenario, options);
  }

  toMimeBundle(): MimeBundle {
    const text = roiText(this.result, this.expected);
    const html = roiHtml(this.result, this.expected);
    const [title, ...rest] = text.split('\n');
    const sources = this.sources.map(s => `Source: ${s}`);
    const sourcesHtml = this.sources.length
      ? `<ul class="gaissa-roi-sources">${this.sources.map(s => `<li>${escapeHtml(s)}</li>`).join('')}</ul>\n`
      : '';
    return {
      [ROI_MIME]: this.payload,
      'text/html': sourcesHtml + html,
      'text/plain': [title, ...sources, ...rest].join('\n')
    };
  }
}

/** Turns FieldErrors ("field: detail") into the `{ field, message }` entries of RoiInputError. */
function asRoiErrors(errors: FieldError[]): RoiFieldError[] {
  return errors.map(e => ({
    field: e.field,
    message: e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message
  }));
}

function collect(errors: RoiFieldError[], fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof FieldError)) throw e;
    errors.push(...asRoiErrors([e]));
  }
}

/** `gaissa.roi(scenario)`: validates (every offending field at once) and computes. */
export function analyseRoi(scenario: RoiScenario): RoiAnalysis {
  return new RoiAnalysis(roiPayload(scenario));
}

const PICKS = ['low', 'mid', 'high'];

/**
 * A prediction a what-if can start from: what `gaissa.predict` returns (or its record), a
 * comparison variant's `prediction`, or the variant itself. `{ noPrediction }` is refused.
 */
export type PredictionSource =
  | { record: { method: 'predicted'; energyPerInferenceJ: number } }
  | { method: 'predicted'; energyPerInferenceJ: number }
  | { noPrediction: string }
  | { name: string; prediction?: unknown };

/**
 * A what-if from predictions: the baseline's energy per inference typed (`baselineEnergyJ`) or
 * predicted (`baseline`), the optimized one predicted (`optimized`) or cut by a published
 * reduction (`tactic`, `pick`).
 */
export type PredictedWhatIfInput = Omit<RoiScenario, 'baselineEnergyJ' | 'optimizedEnergyJ'> & {
  baselineEnergyJ?: number;
  baseline?: PredictionSource;
  optimized?: PredictionSource;
  tactic?: string;
  pick?: 'low' | 'mid' | 'high';
};

/** A prediction's joules per inference and the words that name it as predicted, or an error. */
function predictedFigure(
  source: unknown,
  role: 'baseline' | 'optimized',
  errors: RoiFieldError[]
): { energyJ: number; note: string } | undefined {
  let p: unknown = source;
  // A compared variant: its prediction. gaissa.predict's Prediction: its record.
  if (isPlainObject(p) && 'prediction' in p && typeof p.name === 'string') p = p.prediction;
  if (isPlainObject(p) && isPlainObject(p.record)) p = p.record;
  if (isPlainObject(p) && 'noPrediction' in p) {
    errors.push({
      field: role,
      message: `has no prediction (${describe(p.noPrediction)}): a what-if needs a predicted figure; type it or measure the model`
    });
    return undefined;
  }
  const energy = isPlainObject(p) ? finiteNumber(p.energyPerInferenceJ) : null;
  if (!isPlainObject(p) || p.method !== 'predicted' || energy === null || energy <= 0) {
    errors.push({
      field: role,
      message: `must be a prediction (gaissa.predict, or a compared variant's prediction) with energyPerInferenceJ > 0, got ${describe(source)}`
    });
    return undefined;
  }
  const low = finiteNumber(p.low);
  const high = finiteNumber(p.high);
  const what = [
    typeof p.model === 'string' ? p.model : '',
    finiteNumber(p.batch) !== null ? `batch ${formatNumber(p.batch)}` : '',
    finiteNumber(p.threads) !== null ? `${formatNumber(p.threads)} thread(s)` : ''
  ].filter(Boolean);
  const note =
    `${role}: predicted (not measured) ${formatEnergy(energy)} per inference` +
    (low !== null && high !== null ? ` (${formatEnergy(low)} .. ${formatEnergy(high)})` : '') +
    (what.length ? `, ${what.join(', ')}` : '') +
    `; basis: ${predictionBasisText(p.basis)}`;
  return { energyJ: energy, note: note.replace(CONTROL, '') };
}

function whatIfFromPrediction(input: PredictedWhatIfInput): RoiAnalysis {
  const { baseline, optimized, tactic, pick, baselineEnergyJ, ...rest } = input;
  const errors: RoiFieldError[] = [];
  if ((baseline === undefined) === (baselineEnergyJ === undefined))
    errors.push({
      field: 'baseline',
      message:
        'give the baseline as a prediction (baseline) or a number (baselineEnergyJ), not both'
    });
  if ((optimized === undefined) === (tactic === undefined))
    errors.push({
      field: 'optimized',
      message:
        'give the optimized energy as a prediction (optimized) or a catalogue tactic, not both'
    });
  if ('optimizedEnergyJ' in rest)
    errors.push({
      field: 'optimizedEnergyJ',
      message:
        'comes from the prediction or the tactic in a what-if; with a measured figure, use gaissa.roi(...)'
    });
  const base = baseline === undefined ? undefined : predictedFigure(baseline, 'baseline', errors);
  const opt = optimized === undefined ? undefined : predictedFigure(optimized, 'optimized', errors);
  if (errors.length > 0) throw new RoiInputError(errors);
  const baseJ = base?.energyJ ?? (baselineEnergyJ as number);
  const sources = [base?.note, opt?.note].filter((x): x is string => x !== undefined);
  let payload: RoiPayload;
  if (opt) {
    const checked = validateScenario({
      ...rest,
      baselineEnergyJ: baseJ,
      optimizedEnergyJ: opt.energyJ
    });
    if (!checked.ok) throw new RoiInputError(checked.errors);
    payload = roiPayload(checked.scenario);
  } else {
    // The literature's reduction applied to a predicted (or typed) baseline: marked expected too.
    payload = whatIfRoi({ ...rest, baselineEnergyJ: baseJ, tactic: tactic!, pick }).payload;
  }
  payload.result.explanations = {
    ...payload.result.explanations,
    ...(base ? { baselineEnergyJ: base.note.slice(0, MAX_NOTE) } : {}),
    ...(opt ? { optimizedEnergyJ: opt.note.slice(0, MAX_NOTE) } : {})
  };
  return new RoiAnalysis(payload, sources);
}

/**
 * `gaissa.roi.whatIf({ baselineEnergyJ, tactic, ... })`: the optimized energy is the baseline cut
 * by a published reduction, and every view says "expected (source)" until the user measures.
 * With `baseline` and/or `optimized` predictions (gaissa.predict) the figures are predicted, and
 * every view names them so, with the prediction's basis.
 */
export function whatIfRoi(input: WhatIfInput | PredictedWhatIfInput): RoiAnalysis {
  if (!isPlainObject(input)) {
    throw new RoiInputError([
      { field: '(scenario)', message: `must be an object, got ${describe(input)}` }
    ]);
  }
  if ('baseline' in input || 'optimized' in input)
    return whatIfFromPrediction(input as PredictedWhatIfInput);
  const { tactic, pick, ...rest } = input as WhatIfInput;
  const errors: RoiFieldError[] = [];
  const known = ROI_CATALOGUE.map(e => e.id).join(', ');
  if (tactic === undefined) {
    errors.push({ field: 'tactic', message: `is required (a catalogue id: ${known})` });
  } else if (typeof tactic !== 'string' || !catalogueEntry(tactic)) {
    errors.push({
      field: 'tactic',
      message: `unknown tactic ${describe(tactic)}; known: ${known}`
    });
  }
  if (pick !== undefined && !PICKS.includes(pick)) {
    errors.push({
      field: 'pick',
      message: `must be one of ${PICKS.join(', ')}, got ${describe(pick)}`
    });
  }
  if ('optimizedEnergyJ' in rest) {
    errors.push({
      field: 'optimizedEnergyJ',
      message:
        "comes from the tactic's published reduction in a what-if; with a measured figure, use gaissa.roi(...)"
    });
  }
  // The other fields, checked with a stand-in optimized energy that is always valid.
  const checked = validateScenario({ ...rest, optimizedEnergyJ: 1 });
  if (!checked.ok) errors.push(...checked.errors.filter(e => e.field !== 'optimizedEnergyJ'));
  if (errors.length > 0) throw new RoiInputError(errors);
  const { scenario, expected } = expectedScenario(input as WhatIfInput);
  return new RoiAnalysis(roiPayload(scenario, expected));
}

/** Two measurement records: `[baseline, optimized]` or `{ baseline, optimized }`. */
export type MeasurementPair =
  | readonly [MeasurementLike, MeasurementLike]
  | { baseline: MeasurementLike; optimized: MeasurementLike };

export type RoiSource = TacticsComparisonLike | MeasurementPair;

/** The scenario minus the energies, which come from the source, plus how to read the source. */
export interface RoiFromOptions extends Partial<
  Omit<RoiScenario, 'baselineEnergyJ' | 'optimizedEnergyJ'>
> {
  /** Comparison only: the optimized variant by name (default: recommended, else least energy). */
  variant?: string;
  /**
   * Measurements only: inferences each measured run made, so energy per inference is
   * energyJ / inferencesPerRun (one number for both, or one per measurement).
   */
  inferencesPerRun?: number | { baseline: number; optimized: number };
  /**
   * Measurements only: 'total' (default) uses the run's energy; 'dynamic' the energy above the
   * idle baseline (needs measurements taken with one): idle power is not saved by a faster model.
   */
  energy?: 'total' | 'dynamic';
}

const SOURCE_OPTIONS = ['variant', 'inferencesPerRun', 'energy'] as const;

interface SourceFigures {
  baselineEnergyJ: number;
  optimizedEnergyJ: number;
  notes: { baseline: string; optimized: string };
}

function fromComparison(
  comparison: TacticsComparisonLike,
  options: RoiFromOptions,
  errors: RoiFieldError[]
): SourceFigures | undefined {
  for (const key of ['inferencesPerRun', 'energy'] as const) {
    if (options[key] !== undefined) {
      errors.push({ field: key, message: 'applies to measurements, not to a comparison' });
    }
  }
  const problems = comparisonProblems(comparison);
  if (problems.length > 0) {
    errors.push(...asRoiErrors(problems));
    return undefined;
  }
  let baseline: ComparedVariant | undefined;
  let optimized: ComparedVariant | undefined;
  collect(errors, () => {
    baseline = baselineVariant(comparison);
    optimized = chosenVariant(comparison, options.variant);
  });
  if (!baseline || !optimized) return undefined;
  if (baseline === optimized) {
    errors.push({
      field: options.variant !== undefined ? 'variant' : 'variants',
      message: `'${baseline.name}' is the baseline itself: choose another variant to compare`
    });
    return undefined;
  }
  const why = optimized.recommended || comparison.recommended === optimized.name;
  const note = (v: ComparedVariant, role: string) =>
    `${role}: variant '${v.name}' of the comparison, ${formatNumber(v.energyPerInferenceJ)} J per inference` +
    (v.method ? ` (${v.method})` : '');
  return {
    baselineEnergyJ: baseline.energyPerInferenceJ,
    optimizedEnergyJ: optimized.energyPerInferenceJ,
    notes: {
      baseline: note(baseline, 'baseline'),
      optimized:
        note(optimized, 'optimized') +
        (options.variant !== undefined ? '' : why ? ', recommended' : ', least energy')
    }
  };
}

function isMeasurementPairObject(
  value: unknown
): value is { baseline: MeasurementLike; optimized: MeasurementLike } {
  return isPlainObject(value) && 'baseline' in value && 'optimized' in value;
}

function positiveCount(value: unknown, field: string, errors: RoiFieldError[]): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  errors.push({
    field,
    message: `must be a number > 0 (inferences the measured run made), got ${describe(value)}`
  });
  return undefined;
}

function fromMeasurements(
  pair: { baseline: MeasurementLike; optimized: MeasurementLike },
  options: RoiFromOptions,
  errors: RoiFieldError[]
): SourceFigures | undefined {
  if (options.variant !== undefined) {
    errors.push({ field: 'variant', message: 'applies to a comparison, not to measurements' });
  }
  const energy = options.energy ?? 'total';
  if (energy !== 'total' && energy !== 'dynamic') {
    errors.push({
      field: 'energy',
      message: `must be 'total' or 'dynamic', got ${describe(energy)}`
    });
  }
  const per = options.inferencesPerRun;
  let counts: { baseline?: number; optimized?: number } = {};
  if (per === undefined) {
    errors.push({
      field: 'inferencesPerRun',
      message:
        'is required: inferences each measured run made (energy per inference = energyJ / inferencesPerRun)'
    });
  } else if (isPlainObject(per)) {
    counts = {
      baseline: positiveCount(per.baseline, 'inferencesPerRun.baseline', errors),
      optimized: positiveCount(per.optimized, 'inferencesPerRun.optimized', errors)
    };
  } else {
    const n = positiveCount(per, 'inferencesPerRun', errors);
    counts = { baseline: n, optimized: n };
  }

  const perInference = (role: 'baseline' | 'optimized'): number | undefined => {
    const record = pair[role];
    if (!isPlainObject(record)) {
      errors.push({
        field: role,
        message: `must be a measurement record, got ${describe(record)}`
      });
      return undefined;
    }
    const problems = measurementProblems(record, role);
    errors.push(...asRoiErrors(problems));
    let joules = record.energyJ;
    if (energy === 'dynamic') {
      const dynamic = record.dynamicEnergyJ;
      if (typeof dynamic !== 'number' || !(dynamic > 0)) {
        errors.push({
          field: `${role}.dynamicEnergyJ`,
          message: `is ${describe(dynamic)}: measure with an idle baseline, or use energy: 'total'`
        });
        return undefined;
      }
      joules = dynamic;
    }
    const count = counts[role];
    return problems.length === 0 && count !== undefined ? joules / count : undefined;
  };
  const baselineEnergyJ = perInference('baseline');
  const optimizedEnergyJ = perInference('optimized');
  if (baselineEnergyJ === undefined || optimizedEnergyJ === undefined) return undefined;

  const note = (role: 'baseline' | 'optimized', joules: number) =>
    `${role}: ${formatNumber(joules)} J per inference = ${energy === 'dynamic' ? 'dynamic energy' : 'energy'} ` +
    `of one run / ${counts[role]} inferences, from ${describeMeasurement(pair[role])}`;
  return {
    baselineEnergyJ,
    optimizedEnergyJ,
    notes: {
      baseline: note('baseline', baselineEnergyJ),
      optimized: note('optimized', optimizedEnergyJ)
    }
  };
}

/** Price, currency, PUE and grid intensity the measurement was taken with. */
function measurementSettings(record: unknown): Partial<RoiScenario> {
  if (!isPlainObject(record)) return {};
  const settings: Partial<Record<keyof RoiScenario, unknown>> = {
    carbonIntensity: record.carbonIntensityGPerKWh,
    pue: record.pue,
    pricePerKWh: record.pricePerKWh,
    currency: record.currency
  };
  // A record without a price has null there: absent, so the scenario asks the user for one.
  for (const [k, v] of Object.entries(settings))
    if (v === null || v === undefined) delete settings[k as keyof RoiScenario];
  return settings as Partial<RoiScenario>;
}

/**
 * `gaissa.roi.from(source, options)`: baseline and optimized energy per inference taken from a
 * tactics comparison (baseline variant vs the recommended or named one) or from two measurement
 * records; price, PUE and grid intensity default to the baseline measurement's settings.
 */
export function roiFrom(source: RoiSource, options: RoiFromOptions): RoiAnalysis {
  const errors: RoiFieldError[] = [];
  if (!isPlainObject(options)) {
    throw new RoiInputError([
      {
        field: '(options)',
        message: `must be an object with the scenario fields (pricePerKWh, implementationCost, inferences...), got ${describe(options)}`
      }
    ]);
  }
  let figures: SourceFigures | undefined;
  /** Scenario fields the source knows (the baseline measurement's settings); options win. */
  let defaults: Partial<RoiScenario> = {};
  const pair =
    Array.isArray(source) && source.length === 2
      ? { baseline: source[0], optimized: source[1] }
      : isMeasurementPairObject(source)
        ? source
        : undefined;
  if (isTacticsComparison(source)) {
    figures = fromComparison(source, options, errors);
  } else if (pair) {
    defaults = measurementSettings(pair.baseline);
    figures = fromMeasurements(pair, options, errors);
  } else {
    throw new RoiInputError([
      {
        field: '(source)',
        message:
          'must be a tactics comparison ({ variants: [...] }) or two measurement records ' +
          `([baseline, optimized] or { baseline, optimized }), got ${describe(source)}`
      }
    ]);
  }

  const scenarioOptions: Record<string, unknown> = { ...options };
  for (const key of SOURCE_OPTIONS) delete scenarioOptions[key];
  for (const key of ['baselineEnergyJ', 'optimizedEnergyJ']) {
    if (key in scenarioOptions) {
      errors.push({ field: key, message: 'comes from the source; leave it out of the options' });
      delete scenarioOptions[key];
    }
  }
  // Without figures, stand-in energies let the other fields be checked in the same pass.
  const candidate = {
    ...defaults,
    ...scenarioOptions,
    baselineEnergyJ: figures?.baselineEnergyJ ?? 1,
    optimizedEnergyJ: figures?.optimizedEnergyJ ?? 1
  };
  const checked = validateScenario(candidate);
  if (!checked.ok) errors.push(...checked.errors);
  if (errors.length > 0 || !figures || !checked.ok) throw new RoiInputError(errors);

  const payload = roiPayload(checked.scenario);
  payload.result.explanations = {
    ...payload.result.explanations,
    baselineEnergyJ: figures.notes.baseline.slice(0, MAX_NOTE),
    optimizedEnergyJ: figures.notes.optimized.slice(0, MAX_NOTE)
  };
  return new RoiAnalysis(payload, [figures.notes.baseline, figures.notes.optimized]);
}

/** `gaissa.roi`: callable with a scenario, plus the what-if and from-source variants. */
export interface RoiApi {
  /** ROI, break-even, NPV, payback and CO2 avoided of a scenario typed by hand. */
  (scenario: RoiScenario): RoiAnalysis;
  /**
   * A scenario from the literature: `{ baselineEnergyJ, tactic, ... }`, marked "expected"; or
   * from predictions: `{ baseline: await gaissa.predict(m), optimized: await gaissa.predict(q) }`
   * (either may be a number or a tactic instead), marked "predicted".
   */
  whatIf(input: WhatIfInput | PredictedWhatIfInput): RoiAnalysis;
  /** Energies from a tactics comparison or two measurement records. */
  from(source: RoiSource, options: RoiFromOptions): RoiAnalysis;
  /** The what-if catalogue: tactic ids, published reductions and their sources. */
  readonly catalogue: readonly CatalogueEntry[];
}

export const roi: RoiApi = Object.assign((scenario: RoiScenario) => analyseRoi(scenario), {
  whatIf: whatIfRoi,
  from: roiFrom,
  catalogue: ROI_CATALOGUE
});
