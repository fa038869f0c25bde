/** `gaissa.profile`'s parts that need no profiler: the displayed bundle and the interval check. */
import { intervalOf, Profile } from '../../../../kernel/api/profile';
import { PROFILE_MIME } from '../../../../core/mime-types';
import { build } from '../../core/fixtures/profile';

test('a profile displays as its record with a text and an HTML view', () => {
  const record = build();
  const bundle = new Profile(record, 42).toMimeBundle();
  expect(Object.keys(bundle).sort()).toEqual([PROFILE_MIME, 'text/html', 'text/plain'].sort());
  expect(bundle[PROFILE_MIME]).toBe(record);
  expect(bundle['text/plain']).toMatch(/^Energy profile: 240 mJ/);
  expect(new Profile(record).toJSON()).toBe(record);
});

test('the sampling interval is whole microseconds from 10 to 1 s, 100 by default', () => {
  expect(intervalOf(undefined)).toBe(100);
  expect(intervalOf(250)).toBe(250);
  for (const bad of [5, 2.5, 2e6, '100', NaN])
    expect(() => intervalOf(bad)).toThrow(/whole number of microseconds from 10 to 1000000/);
});
