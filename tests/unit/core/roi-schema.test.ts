/** schema/roi.schema.json describes what core/roi.ts produces, and agrees with its validation. */
import Ajv from 'ajv';
import schema from '../../../schema/roi.schema.json';
import { ROI_FIELD_RULES, ROI_NUMBER_FIELDS, roiPayload, RoiScenario } from '../../../core/roi';
import { whatIf } from '../../../core/roi-catalogue';

const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

const scenario: RoiScenario = {
  baselineEnergyJ: 1000,
  optimizedEnergyJ: 400,
  pricePerKWh: 0.36,
  implementationCost: 300,
  inferences: 1e7
};

test.each([
  ['plain', scenario],
  ['no saving', { ...scenario, optimizedEnergyJ: 1200 }],
  ['zero inferences', { ...scenario, inferences: 0, implementationCost: 0 }],
  [
    'time scenario, carbon',
    {
      ...scenario,
      carbonIntensity: 300,
      carbonPricePerTonne: 90,
      pue: 1.4,
      inferencesPerDay: 5000,
      annualGrowth: 0.2,
      horizonYears: 5,
      discountRate: 0.07,
      hardwareSavingsPerYear: 20,
      currency: 'EUR'
    }
  ]
])('payload of a %s scenario is valid', (_name, s) => {
  const payload = roiPayload(s as RoiScenario);
  expect(validate(payload)).toBe(true);
  expect(validate.errors ?? null).toBeNull();
});

test('a what-if payload with its expected block is valid', () => {
  const w = whatIf({ ...scenario, tactic: 'runtime-freezing-quantization-early-stopping' });
  expect(validate(roiPayload(w.scenario, w.expected))).toBe(true);
});

test('the schema rejects wrong types, NaN stand-ins and unknown fields', () => {
  const payload = roiPayload(scenario);
  expect(validate({ ...payload, result: { ...payload.result, roi: 'NaN' } })).toBe(false);
  expect(validate({ ...payload, scenario: { ...payload.scenario, pricePerKWh: 0 } })).toBe(false);
  expect(validate({ ...payload, scenario: { ...payload.scenario, PUE: 1 } })).toBe(false);
  expect(validate({ ...payload, extra: 1 })).toBe(false);
  expect(validate({ scenario })).toBe(false);
  expect(validate({ ...payload, scenario: { ...payload.scenario, carbonPricePerTonne: 10 } })).toBe(
    false
  );
});

test('scenario bounds in the schema match ROI_FIELD_RULES', () => {
  const props = schema.definitions.scenario.properties as Record<string, Record<string, unknown>>;
  expect(Object.keys(props).sort()).toEqual([...ROI_NUMBER_FIELDS, 'currency'].sort());
  for (const field of ROI_NUMBER_FIELDS) {
    const rule = ROI_FIELD_RULES[field];
    const p = props[field];
    expect([field, p.maximum]).toEqual([field, rule.max]);
    expect([field, rule.minExclusive ? p.exclusiveMinimum : p.minimum]).toEqual([field, rule.min]);
    expect([field, p.type]).toEqual([field, rule.integer ? 'integer' : 'number']);
  }
  const required = ROI_NUMBER_FIELDS.filter(f => ROI_FIELD_RULES[f].required);
  expect([...schema.definitions.scenario.required].sort()).toEqual(required.sort());
  const deps = schema.definitions.scenario.dependencies as Record<string, string[]>;
  for (const field of ROI_NUMBER_FIELDS) {
    expect([field, deps[field] ?? []]).toEqual([field, ROI_FIELD_RULES[field].requires ?? []]);
  }
});
