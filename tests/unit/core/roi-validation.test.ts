/** validateScenario: every offending field at once, with a message a person can act on. */
import { validateScenario } from '../../../core/roi';

const valid = {
  baselineEnergyJ: 10,
  optimizedEnergyJ: 4,
  pricePerKWh: 0.2,
  implementationCost: 100,
  inferences: 1000
};

function errorsOf(input: unknown): Record<string, string> {
  const v = validateScenario(input);
  if (v.ok) return {};
  return Object.fromEntries(v.errors.map(e => [e.field, e.message]));
}

test('a valid scenario passes and comes back unchanged', () => {
  expect(validateScenario(valid)).toEqual({ ok: true, scenario: valid });
});

test('not an object', () => {
  for (const input of [null, 3, 'x', [valid], undefined]) {
    expect(Object.keys(errorsOf(input))).toEqual(['(scenario)']);
  }
});

test('missing required fields are all named', () => {
  const errors = errorsOf({});
  expect(Object.keys(errors).sort()).toEqual(
    [
      'baselineEnergyJ',
      'implementationCost',
      'inferences',
      'optimizedEnergyJ',
      'pricePerKWh'
    ].sort()
  );
  expect(errors.pricePerKWh).toMatch(/is required/);
});

test('a price of zero is rejected with the reason', () => {
  expect(errorsOf({ ...valid, pricePerKWh: 0 }).pricePerKWh).toMatch(
    /greater than 0.*price of zero/
  );
});

test('negative, non-finite and non-numeric values are all reported together', () => {
  const errors = errorsOf({
    ...valid,
    baselineEnergyJ: -1,
    optimizedEnergyJ: NaN,
    implementationCost: Infinity,
    inferences: '1000',
    carbonIntensity: -5
  });
  expect(Object.keys(errors).sort()).toEqual(
    [
      'baselineEnergyJ',
      'carbonIntensity',
      'implementationCost',
      'inferences',
      'optimizedEnergyJ'
    ].sort()
  );
  expect(errors.optimizedEnergyJ).toMatch(/finite number, got NaN/);
  expect(errors.implementationCost).toMatch(/finite number, got Infinity/);
  expect(errors.inferences).toMatch(/must be a number.*got "1000"/);
  expect(errors.baselineEnergyJ).toMatch(/greater than 0/);
});

test('zero energy is rejected, zero implementation cost and inferences are fine', () => {
  expect(errorsOf({ ...valid, optimizedEnergyJ: 0 }).optimizedEnergyJ).toMatch(/greater than 0/);
  expect(validateScenario({ ...valid, implementationCost: 0, inferences: 0 }).ok).toBe(true);
});

test('ranges: PUE at least 1, growth above -1, whole years, upper bounds', () => {
  const errors = errorsOf({
    ...valid,
    pue: 0.9,
    inferencesPerDay: 10,
    annualGrowth: -1,
    horizonYears: 2.5,
    discountRate: 11,
    hardwareSavingsPerYear: 2e15
  });
  expect(errors.pue).toMatch(/at least 1/);
  expect(errors.annualGrowth).toMatch(/greater than -1/);
  expect(errors.horizonYears).toMatch(/whole number/);
  expect(errors.discountRate).toMatch(/at most 10/);
  expect(errors.hardwareSavingsPerYear).toMatch(/at most 1000000000000000/);
});

test('dependencies between fields', () => {
  const errors = errorsOf({
    ...valid,
    carbonPricePerTonne: 80,
    inferencesPerDay: 5,
    discountRate: 0.1
  });
  expect(errors.carbonPricePerTonne).toMatch(/needs carbonIntensity/);
  expect(errors.inferencesPerDay).toMatch(/needs horizonYears/);
  const orphan = errorsOf({ ...valid, horizonYears: 3, annualGrowth: 0.1 });
  expect(orphan.horizonYears).toMatch(/needs inferencesPerDay/);
  expect(orphan.annualGrowth).toMatch(/needs inferencesPerDay/);
});

test('unknown fields are rejected, with a suggestion for near misses', () => {
  const errors = errorsOf({ ...valid, PUE: 1.2, pricePerKwh: 0.1, colour: 'green' });
  expect(errors.PUE).toMatch(/did you mean 'pue'/);
  expect(errors.pricePerKwh).toMatch(/did you mean 'pricePerKWh'/);
  expect(errors.colour).toMatch(/not a scenario field$/);
});

test('null for an optional field means "not given"', () => {
  const v = validateScenario({ ...valid, pue: null, currency: null });
  expect(v).toEqual({ ok: true, scenario: valid });
  expect(errorsOf({ ...valid, pricePerKWh: null }).pricePerKWh).toMatch(/is required/);
});

test('currency must be a short string', () => {
  expect(errorsOf({ ...valid, currency: 5 }).currency).toMatch(/must be a string/);
  expect(errorsOf({ ...valid, currency: '' }).currency).toMatch(/1 to 16/);
  expect(errorsOf({ ...valid, currency: 'x'.repeat(17) }).currency).toMatch(/1 to 16/);
  expect(validateScenario({ ...valid, currency: '€' }).ok).toBe(true);
});
