import { ROI_FIELD_RULES, ROI_NUMBER_FIELDS } from '../../../../../core/roi';
import {
  CONTROL_FIELDS,
  ROI_CONTROLS,
  controlSpec,
  inputText,
  niceCeil,
  parseInput,
  rangeFor,
  rangeProblem,
  unitText,
  valueText
} from '../../../../../extension/outputs/roi/controls';

describe('ROI controls', () => {
  it('has an input for each slider of the issue, each a core scenario field', () => {
    expect(CONTROL_FIELDS).toEqual(
      expect.arrayContaining([
        'inferencesPerDay',
        'annualGrowth',
        'pricePerKWh',
        'carbonIntensity',
        'pue',
        'implementationCost',
        'horizonYears',
        'discountRate',
        'carbonPricePerTonne'
      ])
    );
    for (const field of CONTROL_FIELDS) expect(ROI_NUMBER_FIELDS).toContain(field);
  });

  it('sizes every slider inside core valid range, around the kernel value', () => {
    for (const spec of ROI_CONTROLS) {
      for (const initial of [undefined, 0.5, 3, 1234, 5e6]) {
        const rule = ROI_FIELD_RULES[spec.field];
        const shown = initial === undefined ? undefined : initial;
        const r = rangeFor(spec, shown);
        expect(r.min).toBeLessThan(r.max);
        expect(r.step).toBeGreaterThan(0);
        expect((r.max - r.min) / r.step).toBeLessThanOrEqual(1100);
        // The slider's own ends are valid values (in shown units).
        const scale = spec.scale;
        expect(r.max / scale).toBeLessThanOrEqual(rule.max);
        expect(rangeProblem(spec, r.min / scale)).toBeNull();
      }
    }
    expect(rangeFor(controlSpec('inferencesPerDay'), 2e6).max).toBe(1e7);
    expect(rangeFor(controlSpec('inferencesPerDay'), 2e6, 3e7).max).toBe(5e7);
  });

  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect([0.3, 1, 1.5, 3, 7, 10, 11, 250].map(niceCeil)).toEqual([0.5, 1, 2, 5, 10, 10, 20, 500]);
    expect(niceCeil(0)).toBe(1);
    expect(niceCeil(NaN)).toBe(1);
  });

  it.each([
    ['pricePerKWh', '0.25', 0.25],
    ['pricePerKWh', ' 0,25 ', 0.25],
    ['inferencesPerDay', '1,000,000', 1e6],
    ['inferencesPerDay', '1 000 000', 1e6],
    ['inferencesPerDay', '2e6', 2e6],
    ['annualGrowth', '12.5 %', 0.125],
    ['annualGrowth', '-20', -0.2],
    ['discountRate', '7', 0.07],
    ['horizonYears', '10', 10]
  ])('reads %s "%s" as %d', (field, text, value) => {
    expect(parseInput(controlSpec(field as never), text)).toEqual({ ok: true, value });
  });

  it.each([
    ['pricePerKWh', 'abc', 'Electricity price: "abc" is not a number.'],
    ['pricePerKWh', '0x10', 'Electricity price: "0x10" is not a number.'],
    ['pricePerKWh', 'NaN', 'Electricity price: "NaN" is not a number.'],
    ['pricePerKWh', 'Infinity', 'Electricity price: "Infinity" is not a number.'],
    ['pricePerKWh', '1e999', 'Electricity price: the number is too large.'],
    ['pricePerKWh', '   ', 'Electricity price: enter a number.'],
    [
      'pricePerKWh',
      '0',
      'Electricity price must be greater than 0 (a price of zero makes every cost zero and the ROI undefined).'
    ],
    ['implementationCost', '-5', 'Implementation cost must be at least 0.'],
    ['annualGrowth', '-100', expect.stringContaining('Annual growth must be greater than -100 %')],
    ['discountRate', '2000', 'Discount rate must be at most 1,000 %.'],
    ['horizonYears', '101', 'Horizon must be at most 100.'],
    ['horizonYears', '1.5', 'Horizon must be a whole number of years.'],
    ['pue', '0.9', expect.stringContaining('PUE must be at least 1 (PUE is facility energy')]
  ])('refuses %s "%s" with a clear message', (field, text, message) => {
    expect(parseInput(controlSpec(field as never), text)).toEqual({ ok: false, message });
  });

  it('writes values for the box and for screen readers in the shown unit', () => {
    const growth = controlSpec('annualGrowth');
    expect(inputText(growth, 0.07)).toBe('7');
    expect(inputText(controlSpec('inferencesPerDay'), 2e6)).toBe('2000000');
    expect(valueText(growth, 0.07, 'EUR')).toBe('7 % per year');
    expect(valueText(controlSpec('pricePerKWh'), 0.25, 'EUR')).toBe('0.25 EUR per kWh');
    expect(unitText(controlSpec('implementationCost'), null)).toBe('');
  });
});
