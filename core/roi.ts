/**
 * The ROI / what-if model: one implementation shared by the kernel, the CLI and the browser widget.
 *
 * Formulas follow the GAISSA ROI Analyzer (GAISSA project, UPC):
 *   C = E[J] / 3.6e6 × price[/kWh] (× PUE where given)          cost per inference
 *   ROI(N) = (C_old·N − (C_new·N + I)) / (C_new·N + I)            I = one-off implementation cost
 *   N* = I / (C_old − C_new)                                      break-even; none without a saving
 *   ROI∞ = (C_old − C_new) / C_new                                ROI for unlimited use
 *   CO2 avoided = (E_old − E_new)·N × grid intensity
 * Extensions (this project): a carbon price folded into the price per kWh, and a time scenario
 * (inferences per day growing yearly, horizon, discount rate → NPV, payback, yearly series).
 *
 * Every output is a finite number or null; a null always has a reason in `explanations`.
 */

import { describe, isPlainObject } from './field-error';
import { JOULES_PER_KWH } from './units';

/** The time scenario counts 365-day years (leap days ignored). */
export const DAYS_PER_YEAR = 365;
/** How far past the horizon the payback search goes before it says "never". */
export const MAX_PAYBACK_YEARS = 100;

/** Input of the model. Energies are per inference (or per run, for a training-phase what-if). */
export interface RoiScenario {
  /** Joules per inference of the current model. */
  baselineEnergyJ: number;
  /** Joules per inference after the optimization. */
  optimizedEnergyJ: number;
  /** Electricity price per kWh, in `currency`. */
  pricePerKWh: number;
  /** One-off cost of applying the optimization (engineering time...), in `currency`. */
  implementationCost: number;
  /** Number of inferences at which `roi`, `savings`... are reported. */
  inferences: number;
  /** Location-based grid intensity, g CO2e per kWh. */
  carbonIntensity?: number;
  /** Power usage effectiveness of the facility (>= 1); multiplies every energy. */
  pue?: number;
  /** Starts the time scenario: inferences per day in the first year. */
  inferencesPerDay?: number;
  /** Yearly growth of the daily volume as a fraction (0.2 = +20 %/year; -0.1 = -10 %/year). */
  annualGrowth?: number;
  /** Length of the time scenario in whole years. */
  horizonYears?: number;
  /** Yearly discount rate as a fraction, for the NPV. */
  discountRate?: number;
  /** Internal carbon price per tonne CO2e; needs `carbonIntensity`. */
  carbonPricePerTonne?: number;
  /** Other yearly savings of the optimization (fewer servers, smaller instances), in `currency`. */
  hardwareSavingsPerYear?: number;
  /** Label only (ISO 4217 code or symbol); never used in arithmetic. */
  currency?: string;
}

export type RoiNumberField = Exclude<keyof RoiScenario, 'currency'>;

export interface RoiFieldError {
  /** Scenario field at fault, or '(scenario)' when the input as a whole is wrong. */
  field: string;
  message: string;
}

export type RoiValidation =
  { ok: true; scenario: RoiScenario } | { ok: false; errors: RoiFieldError[] };

export interface RoiInferencePoint {
  inferences: number;
  /** Cumulative cost of the baseline: C_old·n. */
  baseline: number;
  /** Cumulative cost of the optimized model: I + C_new·n. */
  optimized: number;
}

export interface RoiCostPoint {
  day: number;
  /** Cumulative cost of the baseline up to `day`. */
  baseline: number;
  /** Implementation cost + cumulative cost of the optimized model − hardware savings so far. */
  optimized: number;
}

export interface RoiYear {
  year: number;
  inferences: number;
  baselineCost: number;
  optimizedCost: number;
  hardwareSavings: number;
  /** baselineCost − optimizedCost + hardwareSavings. */
  savings: number;
  /** savings / (1 + r)^year. */
  discountedSavings: number;
  /** −I + savings of years 1..year. */
  cumulativeNetSavings: number;
  /** −I + discounted savings of years 1..year. */
  npv: number;
  energySavedKWh: number;
  co2SavedKg: number | null;
  cumulativeEnergySavedKWh: number;
  cumulativeCo2SavedKg: number | null;
}

export interface RoiResult {
  currency: string | null;
  /** Echo of the scenario's `inferences`, so a view can label the figures without the scenario. */
  inferences: number;
  /** price + carbon price × intensity, per kWh. */
  effectivePricePerKWh: number;
  costPerInferenceBaseline: number;
  costPerInferenceOptimized: number;
  /** C_old − C_new, from the energy difference (negative when the optimization costs more). */
  savingPerInference: number;
  breakEvenInferences: number | null;
  /** ROI(N) as a fraction at `inferences` (0.25 = 25 %). */
  roi: number | null;
  roiUnlimited: number | null;
  /** C_old·N. */
  totalCostBaseline: number;
  /** C_new·N + I. */
  totalCostOptimized: number;
  /** Gross operating saving (C_old − C_new)·N, before the implementation cost. */
  savings: number;
  /** savings − I: the numerator of ROI(N). */
  netSavings: number;
  energySavedKWh: number;
  co2SavedKg: number | null;
  /** Cumulative costs over inferences, with the break-even point included when there is one. */
  inferenceCurve: RoiInferencePoint[];
  /** Time scenario only. */
  npv?: number;
  paybackDays?: number | null;
  paybackWithinHorizon?: boolean;
  yearly?: RoiYear[];
  /** Cumulative costs at day 0, each year end and the payback day: exact as straight segments. */
  costCurve?: RoiCostPoint[];
  /** Why a figure is null or needs a caveat, keyed by field name. */
  explanations: Record<string, string>;
}

/** Marks a scenario whose optimized energy comes from the literature, not from a measurement. */
export interface RoiExpected {
  tactic: string;
  name: string;
  /** Fraction of the baseline energy removed (negative: the tactic cost energy). */
  reduction: number;
  qualifier: string;
  phase: 'inference' | 'training';
  /** Short citation: authors, year, title, venue. */
  source: string;
  url: string;
  caveat: string;
}

/** The mime bundle `application/vnd.gaissa.roi.v1+json` (schema/roi.schema.json). */
export interface RoiPayload {
  scenario: RoiScenario;
  result: RoiResult;
  expected?: RoiExpected;
}

interface NumberRule {
  required: boolean;
  min: number;
  /** min itself is invalid. */
  minExclusive?: boolean;
  max: number;
  integer?: boolean;
  /** Fields that must be present alongside this one. */
  requires?: RoiNumberField[];
  /** What the field is, for "is required" messages. */
  what: string;
  /** Extra words for the "too small" message. */
  whyMin?: string;
}

/**
 * Upper bound on amounts: far beyond any real figure, and low enough that no product or sum in the
 * model can overflow a double, so the outputs stay finite by construction.
 */
export const ROI_MAX_AMOUNT = 1e15;

/** Valid ranges of every numeric field; the JSON Schema mirrors them (a test keeps both in step). */
export const ROI_FIELD_RULES: Readonly<Record<RoiNumberField, Readonly<NumberRule>>> = {
  baselineEnergyJ: {
    required: true,
    min: 0,
    minExclusive: true,
    max: ROI_MAX_AMOUNT,
    what: 'joules per inference of the baseline model',
    whyMin: 'a measured inference always uses some energy'
  },
  optimizedEnergyJ: {
    required: true,
    min: 0,
    minExclusive: true,
    max: ROI_MAX_AMOUNT,
    what: 'joules per inference of the optimized model',
    whyMin: 'a measured inference always uses some energy'
  },
  pricePerKWh: {
    required: true,
    min: 0,
    minExclusive: true,
    max: ROI_MAX_AMOUNT,
    what: 'electricity price per kWh',
    whyMin: 'a price of zero makes every cost zero and the ROI undefined'
  },
  implementationCost: {
    required: true,
    min: 0,
    max: ROI_MAX_AMOUNT,
    what: 'one-off cost of applying the optimization (0 if none)'
  },
  inferences: {
    required: true,
    min: 0,
    max: ROI_MAX_AMOUNT,
    what: 'number of inferences at which the ROI is reported'
  },
  carbonIntensity: { required: false, min: 0, max: ROI_MAX_AMOUNT, what: 'g CO2e per kWh' },
  pue: {
    required: false,
    min: 1,
    max: 10,
    what: 'power usage effectiveness',
    whyMin: 'PUE is facility energy over IT energy, never below 1'
  },
  inferencesPerDay: {
    required: false,
    min: 0,
    max: ROI_MAX_AMOUNT,
    requires: ['horizonYears'],
    what: 'inferences per day in the first year'
  },
  annualGrowth: {
    required: false,
    min: -1,
    minExclusive: true,
    max: 10,
    requires: ['inferencesPerDay'],
    what: 'yearly growth of the daily volume as a fraction',
    whyMin: '-1 would mean no inferences at all after the first year'
  },
  horizonYears: {
    required: false,
    min: 1,
    max: 100,
    integer: true,
    requires: ['inferencesPerDay'],
    what: 'length of the time scenario in whole years'
  },
  discountRate: {
    required: false,
    min: 0,
    max: 10,
    requires: ['inferencesPerDay'],
    what: 'yearly discount rate as a fraction'
  },
  carbonPricePerTonne: {
    required: false,
    min: 0,
    max: ROI_MAX_AMOUNT,
    requires: ['carbonIntensity'],
    what: 'carbon price per tonne CO2e'
  },
  hardwareSavingsPerYear: {
    required: false,
    min: 0,
    max: ROI_MAX_AMOUNT,
    requires: ['inferencesPerDay'],
    what: 'other yearly savings of the optimization'
  }
};

export const ROI_NUMBER_FIELDS = Object.keys(ROI_FIELD_RULES) as RoiNumberField[];
export const ROI_CURRENCY_MAX_LENGTH = 16;
const KNOWN_FIELDS: readonly string[] = [...ROI_NUMBER_FIELDS, 'currency'];

/** Thrown by `computeRoi` for invalid input; `errors` names every offending field. */
export class RoiInputError extends Error {
  readonly errors: RoiFieldError[];
  constructor(errors: RoiFieldError[]) {
    super('invalid ROI scenario:\n' + errors.map(e => `  ${e.field}: ${e.message}`).join('\n'));
    this.name = 'RoiInputError';
    this.errors = errors;
  }
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

function suggestion(name: string): string {
  const lower = name.toLowerCase();
  const near = KNOWN_FIELDS.find(
    f => f.toLowerCase() === lower || editDistance(f.toLowerCase(), lower) <= 2
  );
  return near ? ` (did you mean '${near}'?)` : '';
}

/**
 * Checks untrusted input (parsed JSON, slider state) and returns every problem at once.
 * Decisions: unknown fields are rejected (a misspelt optional field would otherwise be silently
 * ignored); `null` for an optional field means "not given" and is dropped from the returned
 * scenario; `annualGrowth` may be negative (a shrinking service) but stays above -1.
 */
export function validateScenario(input: unknown): RoiValidation {
  if (!isPlainObject(input)) {
    return {
      ok: false,
      errors: [{ field: '(scenario)', message: `must be a JSON object, got ${describe(input)}` }]
    };
  }
  const errors: RoiFieldError[] = [];
  const scenario: Record<string, unknown> = {};

  for (const field of ROI_NUMBER_FIELDS) {
    const rule = ROI_FIELD_RULES[field];
    const value = input[field];
    if (value === undefined || value === null) {
      if (rule.required) errors.push({ field, message: `is required (${rule.what})` });
      continue;
    }
    if (typeof value !== 'number') {
      errors.push({ field, message: `must be a number (${rule.what}), got ${describe(value)}` });
      continue;
    }
    if (!Number.isFinite(value)) {
      errors.push({ field, message: `must be a finite number, got ${describe(value)}` });
      continue;
    }
    const tooSmall = rule.minExclusive ? value <= rule.min : value < rule.min;
    if (tooSmall) {
      const bound = rule.minExclusive ? `greater than ${rule.min}` : `at least ${rule.min}`;
      const why = rule.whyMin ? `: ${rule.whyMin}` : '';
      errors.push({ field, message: `must be ${bound}${why}; got ${value}` });
      continue;
    }
    if (value > rule.max) {
      errors.push({ field, message: `must be at most ${rule.max}; got ${value}` });
      continue;
    }
    if (rule.integer && !Number.isInteger(value)) {
      errors.push({ field, message: `must be a whole number (${rule.what}); got ${value}` });
      continue;
    }
    scenario[field] = value;
  }

  // Dependencies are checked on presence, so a field that is present but invalid counts as given.
  const present = (f: string) => input[f] !== undefined && input[f] !== null;
  for (const field of ROI_NUMBER_FIELDS) {
    const needs = ROI_FIELD_RULES[field].requires ?? [];
    if (!present(field)) continue;
    const missing = needs.filter(n => !present(n));
    if (missing.length > 0) {
      errors.push({ field, message: `needs ${missing.join(' and ')} as well` });
    }
  }

  const currency = input.currency;
  if (currency !== undefined && currency !== null) {
    if (typeof currency !== 'string') {
      errors.push({ field: 'currency', message: `must be a string, got ${describe(currency)}` });
    } else if (currency.trim() === '' || currency.length > ROI_CURRENCY_MAX_LENGTH) {
      errors.push({
        field: 'currency',
        message: `must be 1 to ${ROI_CURRENCY_MAX_LENGTH} characters (a code such as EUR or a symbol)`
      });
    } else {
      scenario.currency = currency;
    }
  }

  for (const key of Object.keys(input)) {
    if (!KNOWN_FIELDS.includes(key)) {
      errors.push({ field: key, message: `is not a scenario field${suggestion(key)}` });
    }
  }

  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, scenario: scenario as unknown as RoiScenario };
}

/** a / b, or null when that is not a finite number (b = 0, overflow). */
function ratio(a: number, b: number): number | null {
  const q = a / b;
  return Number.isFinite(q) ? q : null;
}

interface UnitCosts {
  pue: number;
  price: number;
  cOld: number;
  cNew: number;
  /** C_old − C_new computed from the energy difference: exact in sign, monotone in the price. */
  saved: number;
  /** kWh saved per inference, PUE included. */
  kwhSaved: number;
}

function unitCosts(s: RoiScenario): UnitCosts {
  const pue = s.pue ?? 1;
  // Carbon price folded into the price: tonnes per kWh = (g/kWh) / 1e6.
  const carbonPerKWh =
    s.carbonPricePerTonne !== undefined && s.carbonIntensity !== undefined
      ? (s.carbonPricePerTonne * s.carbonIntensity) / 1e6
      : 0;
  const price = s.pricePerKWh + carbonPerKWh;
  const kwhSaved = ((s.baselineEnergyJ - s.optimizedEnergyJ) * pue) / JOULES_PER_KWH;
  return {
    pue,
    price,
    cOld: ((s.baselineEnergyJ * pue) / JOULES_PER_KWH) * price,
    cNew: ((s.optimizedEnergyJ * pue) / JOULES_PER_KWH) * price,
    saved: kwhSaved * price,
    kwhSaved
  };
}

/** g → kg CO2e for an energy in kWh, or null without an intensity. */
function co2Kg(kwh: number, intensity: number | undefined): number | null {
  return intensity === undefined ? null : (kwh * intensity) / 1000;
}

/**
 * ROI(N), rewritten as C_old / (C_new + I/N) − 1 (same value, N > 0): each step is monotone under
 * IEEE rounding, so more inferences never lower the computed ROI, not even by one ulp.
 */
function roiAt(n: number, u: UnitCosts, implementationCost: number): number | null {
  if (n === 0) return implementationCost > 0 ? -1 : null;
  const q = ratio(u.cOld, u.cNew + implementationCost / n);
  return q === null ? null : q - 1;
}

function inferenceCurve(
  n: number,
  breakEven: number | null,
  u: UnitCosts,
  implementationCost: number
): RoiInferencePoint[] {
  let xMax = n;
  if (breakEven !== null && breakEven >= n) xMax = breakEven * 1.25; // show the crossing
  if (!(xMax > 0) || !Number.isFinite(xMax)) xMax = n > 0 ? n : 1;
  const xs = [0, xMax];
  if (breakEven !== null && breakEven > 0 && breakEven < xMax) xs.splice(1, 0, breakEven);
  return xs
    .map(x => ({ inferences: x, baseline: u.cOld * x, optimized: implementationCost + u.cNew * x }))
    .filter(p => Number.isFinite(p.baseline) && Number.isFinite(p.optimized));
}

interface TimeModel {
  /** Saving per day in year y (1-based): operating saving + hardware saving. */
  dailySaving(year: number): number;
  /** Inferences per day in year y. */
  daily(year: number): number;
}

function timeModel(s: RoiScenario, u: UnitCosts): TimeModel {
  const perDay = s.inferencesPerDay ?? 0;
  const growth = s.annualGrowth ?? 0;
  const hardwarePerDay = (s.hardwareSavingsPerYear ?? 0) / DAYS_PER_YEAR;
  // Step growth: the daily volume is constant within a year and grows at each year boundary.
  const daily = (year: number) => perDay * Math.pow(1 + growth, year - 1);
  return { daily, dailySaving: year => u.saved * daily(year) + hardwarePerDay };
}

/**
 * Days until the cumulative saving covers the implementation cost (undiscounted), searching up to
 * MAX_PAYBACK_YEARS. Savings are constant within a year, so the crossing is solved exactly.
 */
function paybackDays(model: TimeModel, implementationCost: number): number | null {
  let cumulative = 0;
  for (let year = 1; year <= MAX_PAYBACK_YEARS; year++) {
    const perDay = model.dailySaving(year);
    const end = cumulative + perDay * DAYS_PER_YEAR;
    if (perDay > 0 && end >= implementationCost) {
      const into = Math.min(DAYS_PER_YEAR, (implementationCost - cumulative) / perDay);
      return DAYS_PER_YEAR * (year - 1) + Math.max(0, into);
    }
    cumulative = end;
  }
  return null;
}

function timeScenario(s: RoiScenario, u: UnitCosts, result: RoiResult): void {
  const horizon = s.horizonYears ?? 1;
  const rate = s.discountRate ?? 0;
  const hardware = s.hardwareSavingsPerYear ?? 0;
  const I = s.implementationCost;
  const model = timeModel(s, u);

  const yearly: RoiYear[] = [];
  const costCurve: RoiCostPoint[] = [{ day: 0, baseline: 0, optimized: I }];
  let cumulativeNet = -I;
  let npv = -I;
  let cumulativeInferences = 0;
  let cumulativeKWh = 0;
  for (let year = 1; year <= horizon; year++) {
    const inferences = model.daily(year) * DAYS_PER_YEAR;
    const baselineCost = u.cOld * inferences;
    const optimizedCost = u.cNew * inferences;
    const savings = u.saved * inferences + hardware;
    // NPV convention: implementation cost at t = 0, each year's saving at the end of that year.
    const discountedSavings = savings / Math.pow(1 + rate, year);
    const energySavedKWh = u.kwhSaved * inferences;
    cumulativeNet += savings;
    npv += discountedSavings;
    cumulativeInferences += inferences;
    cumulativeKWh += energySavedKWh;
    yearly.push({
      year,
      inferences,
      baselineCost,
      optimizedCost,
      hardwareSavings: hardware,
      savings,
      discountedSavings,
      cumulativeNetSavings: cumulativeNet,
      npv,
      energySavedKWh,
      co2SavedKg: co2Kg(energySavedKWh, s.carbonIntensity),
      cumulativeEnergySavedKWh: cumulativeKWh,
      cumulativeCo2SavedKg: co2Kg(cumulativeKWh, s.carbonIntensity)
    });
    costCurve.push({
      day: year * DAYS_PER_YEAR,
      baseline: u.cOld * cumulativeInferences,
      optimized: I + u.cNew * cumulativeInferences - hardware * year
    });
  }

  const payback = paybackDays(model, I);
  const within = payback !== null && payback <= horizon * DAYS_PER_YEAR;
  if (payback === null) {
    result.explanations.paybackDays =
      u.saved <= 0 && hardware === 0
        ? 'no saving: the optimization never pays back'
        : `not paid back within ${MAX_PAYBACK_YEARS} years`;
  } else if (!within) {
    result.explanations.paybackDays = `paid back after the ${horizon}-year horizon`;
  }
  if (within && payback > 0 && !costCurve.some(p => p.day === payback)) {
    // Insert the crossing so a chart drawn with straight segments shows it exactly.
    const year = Math.floor(payback / DAYS_PER_YEAR);
    const before = costCurve[year];
    const into = payback - year * DAYS_PER_YEAR;
    const n = model.daily(year + 1) * into;
    costCurve.splice(year + 1, 0, {
      day: payback,
      baseline: before.baseline + u.cOld * n,
      optimized: before.optimized + u.cNew * n - (hardware * into) / DAYS_PER_YEAR
    });
  }

  result.npv = npv;
  result.paybackDays = payback;
  result.paybackWithinHorizon = within;
  result.yearly = yearly;
  result.costCurve = costCurve;
}

/** The model on an already valid scenario (also used by the sensitivity analysis). */
function evaluate(s: RoiScenario): RoiResult {
  const u = unitCosts(s);
  const I = s.implementationCost;
  const N = s.inferences;
  const explanations: Record<string, string> = {};

  let breakEven: number | null = null;
  if (u.saved > 0) {
    breakEven = ratio(I, u.saved);
    if (breakEven === null) explanations.breakEvenInferences = 'too large to represent';
  } else {
    explanations.breakEvenInferences =
      'no saving: the optimized model costs as much or more per inference';
  }

  const roi = roiAt(N, u, I);
  if (roi === null) {
    explanations.roi =
      N === 0
        ? 'undefined: nothing is spent at 0 inferences with no implementation cost'
        : 'undefined: the optimized cost rounds to 0';
  }
  const roiUnlimited = ratio(u.saved, u.cNew);
  if (roiUnlimited === null) explanations.roiUnlimited = 'undefined: optimized cost rounds to 0';
  if (s.carbonIntensity === undefined) {
    explanations.co2SavedKg = 'carbonIntensity not given';
  }
  if (s.carbonPricePerTonne !== undefined) {
    explanations.effectivePricePerKWh = 'includes the carbon price × carbon intensity';
  }

  const savings = u.saved * N;
  const energySavedKWh = u.kwhSaved * N;
  const result: RoiResult = {
    currency: s.currency ?? null,
    inferences: N,
    effectivePricePerKWh: u.price,
    costPerInferenceBaseline: u.cOld,
    costPerInferenceOptimized: u.cNew,
    savingPerInference: u.saved,
    breakEvenInferences: breakEven,
    roi,
    roiUnlimited,
    totalCostBaseline: u.cOld * N,
    totalCostOptimized: u.cNew * N + I,
    savings,
    netSavings: savings - I,
    energySavedKWh,
    co2SavedKg: co2Kg(energySavedKWh, s.carbonIntensity),
    inferenceCurve: inferenceCurve(N, breakEven, u, I),
    explanations
  };
  if (s.inferencesPerDay !== undefined) timeScenario(s, u, result);
  return result;
}

/** Validates, then computes. Throws RoiInputError naming every offending field. */
export function computeRoi(scenario: RoiScenario): RoiResult {
  const checked = validateScenario(scenario);
  if (!checked.ok) throw new RoiInputError(checked.errors);
  return evaluate(checked.scenario);
}

/** The mime payload for a scenario (validated and normalized), optionally marked as expected. */
export function roiPayload(scenario: RoiScenario, expected?: RoiExpected): RoiPayload {
  const checked = validateScenario(scenario);
  if (!checked.ok) throw new RoiInputError(checked.errors);
  const payload: RoiPayload = { scenario: checked.scenario, result: evaluate(checked.scenario) };
  if (expected) payload.expected = expected;
  return payload;
}

export type RoiSensitivityMetric =
  | 'roi'
  | 'roiUnlimited'
  | 'netSavings'
  | 'npv'
  | 'paybackDays'
  | 'breakEvenInferences'
  | 'co2SavedKg';

export interface RoiSensitivityEntry {
  field: RoiNumberField;
  /** value × (1 − variation) and × (1 + variation), clamped to the field's valid range. */
  lowInput: number;
  highInput: number;
  /** Metric at lowInput / highInput; null where the metric is undefined. */
  low: number | null;
  high: number | null;
  /** |high − low|, null when either end is null. */
  swing: number | null;
}

export interface RoiSensitivity {
  metric: RoiSensitivityMetric;
  variation: number;
  base: number | null;
  /** Largest swing first; entries with an undefined swing last. */
  entries: RoiSensitivityEntry[];
}

function metricOf(result: RoiResult, metric: RoiSensitivityMetric): number | null {
  const value = result[metric];
  return typeof value === 'number' ? value : null;
}

function clampTo(field: RoiNumberField, value: number): number {
  const rule = ROI_FIELD_RULES[field];
  let v = Math.min(rule.max, value);
  if (rule.integer) v = Math.round(v);
  if (rule.minExclusive ? v <= rule.min : v < rule.min) {
    // Stay just inside an exclusive bound (only growth can get there: -1 × (1 ± v)).
    v = rule.minExclusive ? rule.min + Math.abs(rule.min || 1) * 1e-9 : rule.min;
  }
  return v;
}

/**
 * One-at-a-time sensitivity for a tornado chart: each numeric input present in the scenario is
 * moved by ±variation (relative) while the others stay put, and the metric is recomputed.
 */
export function roiSensitivity(
  scenario: RoiScenario,
  options: { variation?: number; metric?: RoiSensitivityMetric } = {}
): RoiSensitivity {
  const variation = options.variation ?? 0.1;
  const metric = options.metric ?? (scenario.inferencesPerDay !== undefined ? 'npv' : 'roi');
  if (!(variation > 0 && variation < 1)) {
    throw new RangeError(`variation must be between 0 and 1 (exclusive); got ${variation}`);
  }
  const checked = validateScenario(scenario);
  if (!checked.ok) throw new RoiInputError(checked.errors);
  const base = checked.scenario;
  const entries: RoiSensitivityEntry[] = [];
  for (const field of ROI_NUMBER_FIELDS) {
    const value = base[field];
    if (value === undefined) continue;
    const lowInput = clampTo(field, value * (1 - variation));
    const highInput = clampTo(field, value * (1 + variation));
    const low = metricOf(evaluate({ ...base, [field]: lowInput }), metric);
    const high = metricOf(evaluate({ ...base, [field]: highInput }), metric);
    const swing = low === null || high === null ? null : Math.abs(high - low);
    entries.push({ field, lowInput, highInput, low, high, swing });
  }
  entries.sort((a, b) => (b.swing ?? -1) - (a.swing ?? -1));
  return { metric, variation, base: metricOf(evaluate(base), metric), entries };
}
