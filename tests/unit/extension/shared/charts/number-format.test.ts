import { numberFormat } from '../../../../../extension/shared/charts/number-format';

describe('number formats named by the Vega-Lite specs', () => {
  it.each([
    ['.3~s', 1234, '1.23k'],
    ['.3~s', 0.00123, '1.23m'],
    ['.3~s', 2e-6, '2µ'],
    ['.3~s', 999.96, '1k'],
    ['.3~s', 1500, '1.5k'],
    ['~s', 2e6, '2M'],
    ['~s', 0, '0'],
    ['~s', 250, '250'],
    ['.1~%', 0.985, '98.5%'],
    ['.1~%', 0.98, '98%'],
    ['.2~%', 0.9712, '97.12%'],
    ['.0%', 0.5, '50%'],
    [',d', 12345.6, '12,346'],
    ['d', 7, '7'],
    [',.4~g', 1234.5, '1,235'],
    [',.4~g', 0.5, '0.5'],
    ['.3~g', 12.345, '12.3'],
    ['', 0.1 + 0.2, '0.3'],
    ['', 40, '40']
  ])('%s formats %p as %p', (spec, value, text) => {
    expect(numberFormat(spec)(value)).toBe(text);
  });

  it('writes a minus sign, never "-0", and names non-finite values', () => {
    expect(numberFormat('.3~s')(-1500)).toBe('−1.5k');
    expect(numberFormat('.0%')(-0.001)).toBe('0%');
    expect(numberFormat('~s')(NaN)).toBe('NaN');
  });
});
