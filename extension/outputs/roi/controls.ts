/**
 * The ROI widget's inputs: which scenario fields get a slider, in which unit they read, how far
 * their sliders go, and how typed text becomes a number. Valid ranges come from core's
 * ROI_FIELD_RULES (the rules computeRoi itself enforces), so the widget never disagrees with the
 * kernel about what is valid. Pure: no DOM, unit-tested on its own.
 */
import { formatNumber } from '../../../core/format';
import { ROI_FIELD_RULES, type RoiNumberField, type RoiScenario } from '../../../core/roi';

/** Inputs that can be switched off as a whole (fieldsets with a checkbox). */
export type RoiGroup = 'volume' | 'time' | 'energy' | 'carbon';

export type RoiControlField =
  | 'inferences'
  | 'inferencesPerDay'
  | 'annualGrowth'
  | 'horizonYears'
  | 'discountRate'
  | 'pricePerKWh'
  | 'pue'
  | 'implementationCost'
  | 'carbonIntensity'
  | 'carbonPricePerTonne';

export interface RoiControlSpec {
  field: RoiControlField;
  group: RoiGroup;
  label: string;
  /** Unit after the number; `{currency}` is replaced by the scenario's currency (or dropped). */
  unit: string;
  /** What the field means, read by screen readers with the slider. */
  hint: string;
  /** Shown value = scenario value × scale (100 for fractions shown as percentages). */
  scale: 1 | 100;
  /** The value that means the same as leaving the field out (growth 0, PUE 1...), if any. */
  neutral?: number;
  /** Slider range in shown units for a scenario value `v` (already scaled), or undefined. */
  range(v: number | undefined): SliderRange;
}

export interface SliderRange {
  min: number;
  max: number;
  step: number;
}

/** The smallest of 1, 2, 5 × 10^k that is >= x (x > 0). */
export function niceCeil(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 5, 10]) if (m * power >= x * (1 - 1e-12)) return m * power;
  return 10 * power;
}

/** A linear slider from `min` to a round maximum with about 200 steps. */
function linear(min: number, atLeast: number, v: number | undefined, factor = 4): SliderRange {
  const max = niceCeil(Math.max(atLeast, (v ?? 0) * factor));
  return { min, max, step: niceCeil(max / 200) };
}

/**
 * The slider's range in shown units for a kernel value `initial`, grown so that it shows `value`
 * (typed numbers may go past the slider's end), and never past core's valid maximum.
 */
export function rangeFor(
  spec: RoiControlSpec,
  initial: number | undefined,
  value?: number
): SliderRange {
  const range = spec.range(initial);
  const ceiling = ROI_FIELD_RULES[spec.field].max * spec.scale;
  let max = range.max;
  if (value !== undefined && Number.isFinite(value) && value > max) max = niceCeil(value);
  return { ...range, max: Math.min(max, ceiling) };
}

export const ROI_CONTROLS: readonly RoiControlSpec[] = [
  {
    field: 'inferences',
    group: 'volume',
    label: 'Inferences for the ROI',
    unit: 'inferences',
    hint: 'The ROI and the savings are reported after this many inferences.',
    scale: 1,
    range: v => linear(0, 1000, v)
  },
  {
    field: 'inferencesPerDay',
    group: 'time',
    label: 'Inferences per day',
    unit: 'per day',
    hint: 'Daily volume in the first year.',
    scale: 1,
    range: v => linear(0, 1000, v)
  },
  {
    field: 'annualGrowth',
    group: 'time',
    label: 'Annual growth',
    unit: '% per year',
    hint: 'How much the daily volume grows each year (negative: shrinks).',
    scale: 100,
    neutral: 0,
    range: v => {
      const max = niceCeil(Math.max(200, v ?? 0));
      return { min: Math.min(-50, v ?? 0), max, step: max <= 200 ? 1 : niceCeil(max / 200) };
    }
  },
  {
    field: 'horizonYears',
    group: 'time',
    label: 'Horizon',
    unit: 'years',
    hint: 'Length of the time scenario in whole years.',
    scale: 1,
    range: v => ({ min: 1, max: Math.min(100, Math.max(20, v ?? 0)), step: 1 })
  },
  {
    field: 'discountRate',
    group: 'time',
    label: 'Discount rate',
    unit: '% per year',
    hint: 'Yearly discount rate of the net present value.',
    scale: 100,
    neutral: 0,
    range: v => {
      const max = niceCeil(Math.max(30, v ?? 0));
      return { min: 0, max, step: max <= 50 ? 0.5 : niceCeil(max / 200) };
    }
  },
  {
    field: 'pricePerKWh',
    group: 'energy',
    label: 'Electricity price',
    unit: '{currency} per kWh',
    hint: 'Price of one kilowatt-hour.',
    scale: 1,
    range: v => {
      const max = niceCeil(Math.max(0.5, (v ?? 0) * 4));
      const step = niceCeil(max / 250);
      return { min: step, max, step };
    }
  },
  {
    field: 'pue',
    group: 'energy',
    label: 'PUE',
    unit: '',
    hint: 'Power usage effectiveness of the data centre: facility energy over IT energy, 1 or more.',
    scale: 1,
    neutral: 1,
    range: v => ({ min: 1, max: Math.min(10, Math.max(3, v ?? 0)), step: 0.01 })
  },
  {
    field: 'implementationCost',
    group: 'energy',
    label: 'Implementation cost',
    unit: '{currency}',
    hint: 'One-off cost of applying the optimization (engineering time).',
    scale: 1,
    range: v => linear(0, 100, v)
  },
  {
    field: 'carbonIntensity',
    group: 'carbon',
    label: 'Carbon intensity',
    unit: 'g CO2e per kWh',
    hint: 'Location-based grid intensity.',
    scale: 1,
    range: v => {
      const max = niceCeil(Math.max(1000, (v ?? 0) * 2));
      return { min: 0, max, step: niceCeil(max / 200) };
    }
  },
  {
    field: 'carbonPricePerTonne',
    group: 'carbon',
    label: 'Carbon price',
    unit: '{currency} per tonne CO2e',
    hint: 'Internal carbon price, added to the electricity price through the carbon intensity.',
    scale: 1,
    neutral: 0,
    range: v => linear(0, 300, v)
  }
];

export const CONTROL_FIELDS: readonly RoiControlField[] = ROI_CONTROLS.map(c => c.field);

export function controlSpec(field: RoiControlField): RoiControlSpec {
  return ROI_CONTROLS.find(c => c.field === field) as RoiControlSpec;
}

/** Fields that must be switched off with their group (they need the group's first field). */
export const GROUP_FIELDS: Readonly<Record<RoiGroup, readonly RoiNumberField[]>> = {
  volume: ['inferences'],
  time: [
    'inferencesPerDay',
    'annualGrowth',
    'horizonYears',
    'discountRate',
    'hardwareSavingsPerYear'
  ],
  energy: ['pricePerKWh', 'pue', 'implementationCost'],
  carbon: ['carbonIntensity', 'carbonPricePerTonne']
};

/** Groups that can be switched off, with the words of their checkbox. */
export const OPTIONAL_GROUPS: ReadonlyArray<{ group: RoiGroup; label: string; off: string }> = [
  {
    group: 'time',
    label: 'Model over time',
    off: 'No time scenario: payback and NPV need inferences per day and a horizon.'
  },
  {
    group: 'carbon',
    label: 'Count carbon',
    off: 'Carbon not counted: CO2e avoided needs a grid carbon intensity.'
  }
];

export function unitText(spec: RoiControlSpec, currency: string | null | undefined): string {
  return spec.unit
    .replace('{currency}', currency ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A scenario value in the control's unit (percent for fractions), free of float noise. */
export function toShown(spec: RoiControlSpec, value: number): number {
  return spec.scale === 1 ? value : Number((value * spec.scale).toPrecision(12));
}

export function fromShown(spec: RoiControlSpec, shown: number): number {
  return spec.scale === 1 ? shown : Number((shown / spec.scale).toPrecision(12));
}

/** Text for the number box: plain digits a user can edit (no grouping commas). */
export function inputText(spec: RoiControlSpec, value: number): string {
  const shown = toShown(spec, value);
  return String(Number(shown.toPrecision(10)));
}

/** What a screen reader announces for the slider: the number with its unit. */
export function valueText(spec: RoiControlSpec, value: number, currency: string | null): string {
  const unit = unitText(spec, currency);
  return `${formatNumber(toShown(spec, value))}${unit ? ` ${unit}` : ''}`;
}

export type ParsedInput = { ok: true; value: number } | { ok: false; message: string };

/**
 * Reads what a user typed, in shown units: "1e6", "1,000,000", "0,25" (decimal comma), "12 %".
 * The result is a scenario value (fractions for percentages), checked against core's rules.
 */
export function parseInput(spec: RoiControlSpec, text: string): ParsedInput {
  let t = text.trim().replace(/[\s_\u00a0]/g, '');
  if (spec.scale === 100) t = t.replace(/%$/, '');
  if (t === '') return { ok: false, message: `${spec.label}: enter a number.` };
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(t)) t = t.replace(/,/g, '');
  else if (/^[+-]?\d*,\d+$/.test(t)) t = t.replace(',', '.');
  // Number('') and Number('0x10') would pass; only plain decimal notation is accepted.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) {
    return { ok: false, message: `${spec.label}: "${text.trim().slice(0, 40)}" is not a number.` };
  }
  const shown = Number(t);
  if (!Number.isFinite(shown)) {
    return { ok: false, message: `${spec.label}: the number is too large.` };
  }
  const value = fromShown(spec, shown);
  const problem = rangeProblem(spec, value);
  return problem === null ? { ok: true, value } : { ok: false, message: problem };
}

/** Why a value is outside core's valid range for the field, in the control's units; else null. */
export function rangeProblem(spec: RoiControlSpec, value: number): string | null {
  const rule = ROI_FIELD_RULES[spec.field];
  const unit = spec.scale === 100 ? ' %' : '';
  const bound = (x: number) => `${formatNumber(toShown(spec, x))}${unit}`;
  const why = rule.whyMin ? ` (${rule.whyMin})` : '';
  if (rule.minExclusive ? value <= rule.min : value < rule.min) {
    return rule.minExclusive
      ? `${spec.label} must be greater than ${bound(rule.min)}${why}.`
      : `${spec.label} must be at least ${bound(rule.min)}${why}.`;
  }
  if (value > rule.max) return `${spec.label} must be at most ${bound(rule.max)}.`;
  if (rule.integer && !Number.isInteger(value)) {
    return `${spec.label} must be a whole number of ${unitText(spec, null)}.`;
  }
  return null;
}

/**
 * Starting values when a user switches on a group the kernel's scenario did not have. Fields with
 * a neutral value start there (and stay out of the scenario until moved); a grid intensity is not
 * invented: the user types the one of their region.
 */
export function groupDefaults(
  group: RoiGroup,
  scenario: RoiScenario
): Partial<Record<RoiControlField, number>> {
  if (group === 'time') {
    // One year at this daily volume makes the scenario's reported inferences.
    return {
      inferencesPerDay: Math.max(1, Math.round(scenario.inferences / 365)),
      horizonYears: 3
    };
  }
  return {};
}
