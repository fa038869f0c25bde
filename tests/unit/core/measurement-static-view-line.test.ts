/** The one-line summary that `%gaissa measure on` prints after every cell. */
import fc from 'fast-check';
import type { MeasurementRecord } from '../../../core/measurement';
import { measurementLine } from '../../../core/measurement-static-view';
import {
  anyFields,
  raplRecord,
  repeatedRecord,
  singleRecord,
  tampered
} from './fixtures/measurement-records';

test('energy · duration · power · CO2e, marked estimated', () => {
  expect(measurementLine(singleRecord())).toBe('⚡ 3.5 J · 2 s · 1.75 W · 420 µg CO2e (estimated)');
});

test('a measured record names its meter', () => {
  expect(measurementLine(raplRecord())).toBe(
    '⚡ gpu cell: 11 J · 2 s · 5.5 W · 0.0013 g CO2e (measured: RAPL)'
  );
});

test('repeats say what the figures are the mean of', () => {
  expect(measurementLine(repeatedRecord())).toBe(
    '⚡ train: 11 J · 2 s · 5.5 W · 0.0013 g CO2e (estimated) · mean of 5 runs'
  );
});

test('an error or interruption is named at the end', () => {
  expect(
    measurementLine(
      singleRecord({ status: 'error', error: { name: 'RangeError', message: 'bad\nindex' } })
    )
  ).toMatch(/ · error: RangeError: bad index$/);
  expect(measurementLine(singleRecord({ status: 'interrupted' }))).toMatch(/ · interrupted$/);
  expect(measurementLine(tampered({ status: '<oops>' }))).toMatch(/ · status unknown$/);
});

test('always exactly one line, whatever the label holds', () => {
  const line = measurementLine(
    singleRecord({ label: 'a\nb\r\nc\u2028d\u2029e\u0085f\u000b\u000cg\u001b[31m' })
  );
  // eslint-disable-next-line no-control-regex
  expect(line).not.toMatch(/[\n\r\u2028\u2029\u0085\u000b\u000c\u001b]/);
  expect(line.startsWith('⚡ a b c d efg[31m: 3.5 J')).toBe(true);
});

test('a very long label is cut', () => {
  const line = measurementLine(singleRecord({ label: 'x'.repeat(10_000) }));
  expect(line.length).toBeLessThan(200);
  expect(line).toContain('…: 3.5 J');
});

test('bad numbers read n/a and junk does not throw', () => {
  expect(
    measurementLine(tampered({ energyJ: NaN, durationS: -Infinity, powerW: '5', co2eG: null }))
  ).toBe('⚡ n/a · n/a · n/a · n/a (estimated)');
  for (const junk of [null, 7, 'x', []]) {
    const line = measurementLine(junk as unknown as MeasurementRecord);
    expect(line).toBe('⚡ n/a · n/a · n/a · n/a (method unknown) · status unknown');
  }
});

test('property: any field values give one line with no controls and no NaN', () => {
  fc.assert(
    fc.property(anyFields, fields => {
      const line = measurementLine(tampered(fields));
      // eslint-disable-next-line no-control-regex
      expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
      expect(line).not.toMatch(/NaN|undefined|Infinity|\[object/);
    }),
    { numRuns: 300 }
  );
});
