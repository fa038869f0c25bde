/**
 * The one schema-error text: the field named, ajv's words, what the message leaves out (unknown
 * property, allowed values), everything from the payload cut short, and nothing that throws on
 * errors that are odd in shape.
 */
import Ajv, { type ErrorObject } from 'ajv';
import {
  MAX_ERRORS,
  describe as describeError,
  schemaErrors
} from '../../../../extension/shared/schema-errors';
import { validateLabel } from '../../../../extension/outputs/label/validation';
import { validateMeasurement } from '../../../../extension/outputs/measurement/validation';
import { validateRoiPayload } from '../../../../extension/outputs/roi/validation';
import { validateTacticsPayload } from '../../../../extension/outputs/tactics/validation';
import { asPayload, sampleLabel } from '../fixtures/label-record';
import { timedPayload } from '../fixtures/roi-payload';
import { inferencePayload } from '../fixtures/tactics-payload';

const HOSTILE = '<img src=x onerror="window.__gaissaPwned=true">';

const validate = new Ajv({ allErrors: true }).compile({
  type: 'object',
  properties: {
    rating: { enum: ['A', 'B', 'C', 'D', 'E'] },
    format: { const: 'gaissa.label' },
    energyJ: { type: 'number' },
    runs: { type: 'object', additionalProperties: { type: 'number' } }
  },
  required: ['energyJ'],
  additionalProperties: false
});

/** The errors ajv reports for `payload` against the little schema above. */
function errorsOf(payload: unknown): ErrorObject[] {
  expect(validate(payload)).toBe(false);
  return validate.errors ?? [];
}

function error(overrides: Partial<ErrorObject>): ErrorObject {
  return {
    keyword: 'type',
    instancePath: '/energyJ',
    schemaPath: '#/properties/energyJ/type',
    params: {},
    message: 'must be number',
    ...overrides
  };
}

describe('describe (a schema error as one line of text)', () => {
  it('names the field and says what is wrong with it', () => {
    expect(errorsOf({ energyJ: 'lots' }).map(describeError)).toEqual(['/energyJ: must be number']);
    expect(errorsOf({}).map(describeError)).toEqual([
      "(root): must have required property 'energyJ'"
    ]);
  });

  it('names an unknown property and the values an enum or a const allows', () => {
    expect(errorsOf({ energyJ: 1, onload: 'x' }).map(describeError)).toEqual([
      '(root): must NOT have additional properties (onload)'
    ]);
    expect(errorsOf({ energyJ: 1, rating: 'F' }).map(describeError)).toEqual([
      '/rating: must be equal to one of the allowed values (A, B, C, D, E)'
    ]);
    expect(errorsOf({ energyJ: 1, format: 'other' }).map(describeError)).toEqual([
      '/format: must be equal to constant (gaissa.label)'
    ]);
  });

  it('cuts a hostile property name and path short and leaves markup as plain text', () => {
    const name = HOSTILE.repeat(20);
    const [unknown] = errorsOf({ energyJ: 1, [name]: 1 });
    const line = describeError(unknown);
    expect(line).toBe(`(root): must NOT have additional properties (${name.slice(0, 39)}…)`);

    const [deep] = errorsOf({ energyJ: 1, runs: { [name]: 'x' } });
    const path = describeError(deep);
    expect(path.startsWith(`/runs/${HOSTILE}`)).toBe(true);
    expect(path).toContain('…: must be number');
    expect(path.length).toBeLessThan(140);
  });

  it('reads errors of odd shape without throwing', () => {
    expect(describeError(error({ message: undefined }))).toBe('/energyJ: is invalid');
    expect(describeError(error({ message: '' }))).toBe('/energyJ: is invalid');
    expect(describeError(error({ instancePath: '' }))).toBe('(root): must be number');
    expect(describeError(error({ keyword: 'enum', params: { allowedValues: 'A' } }))).toBe(
      '/energyJ: must be number'
    );
    expect(describeError(error({ keyword: 'enum', params: null as never }))).toBe(
      '/energyJ: must be number'
    );
    expect(describeError(error({ keyword: 'additionalProperties', params: {} }))).toBe(
      '/energyJ: must be number'
    );
    const untextable = Object.create(null) as object;
    expect(describeError(error({ keyword: 'const', params: { allowedValue: untextable } }))).toBe(
      '/energyJ: must be number'
    );
    expect(
      describeError(error({ keyword: 'enum', params: { allowedValues: ['x'.repeat(500)] } })).length
    ).toBeLessThan(150);
  });
});

describe('schemaErrors (the lines an invalid output lists)', () => {
  it('lists at most a few errors, and never none', () => {
    const many = Array.from({ length: 10 }, (_, i) => error({ instancePath: `/runs/${i}` }));
    expect(schemaErrors(many)).toEqual([
      '/runs/0: must be number',
      '/runs/1: must be number',
      '/runs/2: must be number'
    ]);
    expect(MAX_ERRORS).toBe(3);
    expect(schemaErrors(null)).toEqual(['does not match the schema']);
    expect(schemaErrors([])).toEqual(['does not match the schema']);
  });

  it('is the text of all four outputs', () => {
    const measurement = validateMeasurement({ schemaVersion: 1 });
    expect(!measurement.ok && measurement.errors[0]).toMatch(
      /^\(root\): must have required property '/
    );

    const label = asPayload(sampleLabel()) as unknown as { metrics: Record<string, any> };
    label.metrics.accuracy.rating = 'F';
    const labelResult = validateLabel(label);
    expect(!labelResult.ok && labelResult.errors).toContain(
      '/metrics/accuracy/rating: must be equal to one of the allowed values (A, B, C, D, E)'
    );

    const tactics = { ...inferencePayload(), [HOSTILE]: 1 };
    const tacticsResult = validateTacticsPayload(tactics);
    expect(!tacticsResult.ok && tacticsResult.errors).toEqual([
      `(root): must NOT have additional properties (${HOSTILE.slice(0, 39)}…)`
    ]);

    const roi = validateRoiPayload({ ...timedPayload(), onload: 'x' });
    expect(!roi.ok && roi.errors).toEqual(['(root): must NOT have additional properties (onload)']);
  });
});
