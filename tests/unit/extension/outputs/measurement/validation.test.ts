import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateMeasurement } from '../../../../../extension/outputs/measurement/validation';
import { asPayload, sampleRecord } from '../../fixtures/measurement-record';

const schema = JSON.parse(
  readFileSync(join(__dirname, '../../../../../schema/measurement.schema.json'), 'utf8')
) as object;
const reference = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);

/** Payloads near the valid one: each breaks (or keeps) the schema in one place. */
function variants(): unknown[] {
  const valid = asPayload(sampleRecord()) as Record<string, any>;
  const copy = () => JSON.parse(JSON.stringify(valid)) as Record<string, any>;
  const out: unknown[] = [valid, null, 1, 'x', [], {}];
  for (const key of Object.keys(valid)) {
    const missing = copy();
    delete missing[key];
    out.push(missing);
    for (const value of [null, -1, 'x', [], {}, true, 1.5]) out.push({ ...copy(), [key]: value });
  }
  const deep = copy();
  deep.repeat.runs[0].energyJ = -1;
  const extra = copy();
  extra.components.cpu.html = '<b>';
  const label = copy();
  label.label = 'x'.repeat(1001);
  out.push(deep, extra, label);
  return out;
}

describe('the build-time compiled measurement validator', () => {
  it('judges every payload as ajv does with the schema itself', () => {
    for (const payload of variants()) {
      expect(validateMeasurement(payload).ok).toBe(reference(payload));
    }
  });

  it('returns the record when valid and at most three readable errors when not', () => {
    const valid = validateMeasurement(asPayload(sampleRecord()));
    expect(valid.ok && valid.record.id).toBe('m-test-1');
    const invalid = validateMeasurement({ schemaVersion: 1 });
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) {
      expect(invalid.errors.length).toBeGreaterThan(0);
      expect(invalid.errors.length).toBeLessThanOrEqual(3);
      expect(invalid.errors[0]).toMatch(/^\(root\): must have required property/);
    }
  });
});
