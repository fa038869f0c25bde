/**
 * `%gaissa roi`: the ROI / what-if of `gaissa.roi(...)` from typed options, with the same output.
 * `%gaissa roi whatif --tactic ID ...` starts from the literature; `%gaissa roi catalogue` lists it.
 */
import { ROI_FIELD_RULES, RoiInputError, RoiNumberField, RoiScenario } from '../../core/roi';
import { ROI_CATALOGUE, WhatIfInput, citation } from '../../core/roi-catalogue';
import { MagicContext } from './context';
import { MagicError } from './parse';
import { MagicArgs, MagicCommand, OptionSpec } from './registry';

/** Option name → scenario field; units in the option names' descriptions. */
const FIELD_OPTIONS: ReadonlyArray<[string, RoiNumberField, string]> = [
  ['baseline-energy', 'baselineEnergyJ', 'J'],
  ['optimized-energy', 'optimizedEnergyJ', 'J'],
  ['price', 'pricePerKWh', 'per kWh'],
  ['implementation-cost', 'implementationCost', 'currency'],
  ['inferences', 'inferences', 'count'],
  ['carbon-intensity', 'carbonIntensity', 'g/kWh'],
  ['pue', 'pue', '>= 1'],
  ['inferences-per-day', 'inferencesPerDay', 'count'],
  ['horizon-years', 'horizonYears', 'years'],
  ['discount-rate', 'discountRate', 'fraction'],
  ['annual-growth', 'annualGrowth', 'fraction'],
  ['carbon-price', 'carbonPricePerTonne', 'per tonne CO2e'],
  ['hardware-savings', 'hardwareSavingsPerYear', 'per year']
];

const OPTION_OF: Record<string, string> = Object.fromEntries([
  ...FIELD_OPTIONS.map(([option, field]) => [field, option]),
  ['currency', 'currency'],
  ['tactic', 'tactic'],
  ['pick', 'pick']
]);

/** Bounds are left to validateScenario, so one run reports every offending option at once. */
const options: OptionSpec[] = [
  ...FIELD_OPTIONS.map(([name, field, unit]) => ({
    name,
    type: 'number' as const,
    description: `${ROI_FIELD_RULES[field].what} (${unit})${ROI_FIELD_RULES[field].required ? '; required' : ''}`
  })),
  { name: 'currency', type: 'string', description: 'currency label, e.g. EUR (never converted)' },
  {
    name: 'tactic',
    type: 'string',
    description: 'whatif: catalogue tactic id (%gaissa roi catalogue)'
  },
  {
    name: 'pick',
    type: 'string',
    description: 'whatif: which end of a reported range',
    choices: ['low', 'mid', 'high']
  }
];

/** The scenario fields given as options (absent options stay absent). */
export function scenarioFromOptions(values: MagicArgs['options']): Partial<RoiScenario> {
  const scenario: Partial<Record<keyof RoiScenario, unknown>> = {};
  for (const [option, field] of FIELD_OPTIONS) {
    if (values[option] !== undefined) scenario[field] = values[option];
  }
  if (values.currency !== undefined) scenario.currency = values.currency;
  return scenario as Partial<RoiScenario>;
}

/** RoiInputError in the magic's own words: `--price: must be greater than 0...`. */
function asMagicError(e: unknown): unknown {
  if (!(e instanceof RoiInputError)) return e;
  const lines = e.errors.map(err => {
    const option = OPTION_OF[err.field];
    return `  ${option ? `--${option}` : err.field}: ${err.message}`;
  });
  return new MagicError(`invalid %gaissa roi options:\n${lines.join('\n')}`);
}

function catalogueText(): string {
  const lines = ['What-if catalogue (use: %gaissa roi whatif --tactic ID ...):'];
  for (const e of ROI_CATALOGUE) {
    const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
    const { low, high } = e.reduction;
    const reduction = low === high ? pct(low) : `${pct(low)} to ${pct(high)}`;
    lines.push(
      '',
      `  ${e.id}  (${e.phase}, ${e.qualifier} ${reduction} less energy, ${e.measurement})`,
      `    ${e.name}; ${e.modelFamily}; ${e.hardware}`,
      `    ${citation(e.source)} ${e.source.url}`
    );
  }
  return lines.join('\n') + '\n';
}

export const roiMagic: MagicCommand<MagicContext> = {
  name: 'roi',
  summary: 'ROI, break-even, NPV and CO2 avoided of an optimization (what-if before measuring)',
  positionals: [
    {
      name: 'mode',
      description:
        'whatif: optimized energy from a published reduction (--tactic); catalogue: list the tactics',
      choices: ['whatif', 'catalogue'],
      optional: true
    }
  ],
  options,
  line: (args, ctx) => {
    const mode = args.positionals[0];
    if (mode === 'catalogue') {
      ctx.print(catalogueText());
      return;
    }
    const scenario = scenarioFromOptions(args.options);
    try {
      if (mode === 'whatif') {
        const analysis = ctx.api.roi.whatIf({
          ...(scenario as RoiScenario),
          tactic: args.options.tactic as string,
          pick: args.options.pick as WhatIfInput['pick']
        });
        ctx.api.display(analysis.toMimeBundle());
        return;
      }
      for (const name of ['tactic', 'pick']) {
        if (args.options[name] !== undefined) {
          throw new MagicError(`--${name} belongs to %gaissa roi whatif`);
        }
      }
      ctx.api.display(ctx.api.roi(scenario as RoiScenario).toMimeBundle());
    } catch (e) {
      throw asMagicError(e);
    }
  }
};
