/** schema/profile.schema.json describes what core/profile.ts produces, and refuses what it never does. */
import Ajv from 'ajv';
import schema from '../../../schema/profile.schema.json';
import { MIN_PROFILE_SAMPLES } from '../../../core/profile';
import { build, profile, window } from './fixtures/profile';

const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

const tooShort = () =>
  build(
    {
      ...profile,
      samples: Array(MIN_PROFILE_SAMPLES - 1).fill(2),
      timeDeltas: Array(MIN_PROFILE_SAMPLES - 1).fill(10)
    },
    { ...window, durationS: 0.0001 }
  );

test.each([
  ['a profile', () => build()],
  ['an estimated profile', () => build(profile, { ...window, method: 'estimate', coverage: 0 })],
  ['a too-short profile', tooShort],
  ['a profile through JSON', () => JSON.parse(JSON.stringify(build()))]
])('%s is valid', (_, make) => {
  const record = make();
  expect(validate(record)).toBe(true);
  expect(validate.errors ?? []).toEqual([]);
});

test.each([
  ['a share above 1', (r: Record<string, any>) => (r.lines[0].share = 1.5)],
  ['a negative energy', (r: Record<string, any>) => (r.functions[0].selfEnergyJ = -1)],
  ['an unknown method', (r: Record<string, any>) => (r.method = 'measured')],
  ['a line 0', (r: Record<string, any>) => (r.lines[0].line = 0)],
  ['an unknown key', (r: Record<string, any>) => (r.lines[0].html = '<b>x</b>')],
  ['a frame without children', (r: Record<string, any>) => delete r.flame[0].children[0].children],
  ['no overhead', (r: Record<string, any>) => delete r.overhead]
])('%s is refused', (_, spoil) => {
  const record = JSON.parse(JSON.stringify(build()));
  spoil(record);
  expect(validate(record)).toBe(false);
});
