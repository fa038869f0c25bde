/** core/format.ts: the number formats, SI prefixes and escapers every view uses. */
import {
  escapeMarkup,
  finiteNumber,
  formatCo2e,
  formatDecimal,
  formatEnergy,
  formatNumber,
  formatPower,
  formatSI,
  plainText
} from '../../../core/format';
import { escapeXml } from '../../../core/label/svg';
import { escapeHtml } from '../../../core/roi-static-view';

describe('formatNumber', () => {
  test('three significant digits, grouped thousands, exponent only at the extremes', () => {
    expect(formatNumber(0.4286)).toBe('0.429');
    expect(formatNumber(12.34)).toBe('12.3');
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatNumber(-1234.4)).toBe('-1,234');
    expect(formatNumber(999.96)).toBe('1,000'); // rounds up into the grouped form
    expect(formatNumber(1e-3)).toBe('0.001');
    expect(formatNumber(9.99e-4)).toBe('9.99e-4');
    expect(formatNumber(999_999_999_999_999)).toBe('999,999,999,999,999');
    expect(formatNumber(1e15)).toBe('1.00e+15');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-0)).toBe('0');
  });

  test('anything but a finite number reads n/a', () => {
    for (const bad of [NaN, Infinity, -Infinity, '12', null, undefined, {}, [], true, 10n]) {
      expect(formatNumber(bad)).toBe('n/a');
    }
    expect(finiteNumber('1')).toBeNull();
    expect(finiteNumber(1.5)).toBe(1.5);
  });
});

describe('formatDecimal', () => {
  test('keeps small values as decimals down to 1e-6, where formatNumber uses an exponent', () => {
    expect(formatDecimal(0.000123)).toBe('0.000123');
    expect(formatNumber(0.000123)).toBe('1.23e-4');
    expect(formatDecimal(1.5e-7)).toBe('1.50e-7');
    expect(formatDecimal(12.34)).toBe('12.3');
    expect(formatDecimal(1234567.4)).toBe('1,234,567');
    expect(formatDecimal(0)).toBe('0');
    expect(formatDecimal(NaN)).toBe('n/a');
  });
});

describe('SI quantities', () => {
  test('three significant digits with the prefix that keeps them readable', () => {
    expect(formatSI(0.0123, 'J')).toBe('12.3 mJ');
    expect(formatSI(45_600, 'J')).toBe('45.6 kJ');
    expect(formatSI(-2.5e-7, 'W')).toBe('-250 nW');
    expect(formatSI(0, 'g')).toBe('0 g');
    expect(formatEnergy(45_600)).toBe('45.6 kJ');
    expect(formatPower(12.34)).toBe('12.3 W');
    expect(formatCo2e(0.000131)).toBe('131 µg CO2e');
  });

  test('a non-finite figure reads n/a, never NaN', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(formatEnergy(bad)).toBe('n/a');
      expect(formatPower(bad)).toBe('n/a');
      expect(formatCo2e(bad)).toBe('n/a');
    }
    expect(formatSI(NaN, 'J')).toBe('- J');
  });
});

describe('escapeMarkup', () => {
  test('the five markup characters become entities', () => {
    expect(escapeMarkup(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;'
    );
    expect(escapeMarkup(`'`, '&apos;')).toBe('&apos;');
  });

  test('controls, lone surrogates and bidi overrides are dropped; other text is kept', () => {
    expect(escapeMarkup('a\u0000b\u001bc\u0085d\uD800e\uDC00f')).toBe('abcdef');
    expect(escapeMarkup('evil\u202Etxt.exe\u2066x\u2069')).toBe('eviltxt.exex');
    expect(escapeMarkup('tab\tline\nemoji 😀 µ €')).toBe('tab\tline\nemoji 😀 µ €');
  });

  test('the ROI and label escapers are the shared one (HTML spelling and XML spelling)', () => {
    const hostile = `<x y='1'>\u202E\u0007`;
    expect(escapeHtml(hostile)).toBe(escapeMarkup(hostile));
    expect(escapeXml(hostile)).toBe(escapeMarkup(hostile, '&apos;'));
    expect(escapeHtml('a\u202Eb')).toBe('ab'); // the ROI view gained the stricter behaviour
  });
});

test('plainText drops terminal controls and bidi overrides but keeps lines and tabs', () => {
  expect(plainText('red \u001b[31mtext\u001b[0m\r\n\tok\u202E')).toBe('red [31mtext[0m\n\tok');
});
