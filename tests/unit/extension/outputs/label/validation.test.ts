import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isLabelEntry,
  readLabelEntries,
  readOutputMetadata,
  validateLabel
} from '../../../../../extension/outputs/label/validation';
import {
  KEY_1,
  SCRIPT,
  asPayload,
  populationLabel,
  sampleLabel,
  trainingLabel
} from '../../fixtures/label-record';

const schemaDir = join(__dirname, '../../../../../schema');
const labelSchema = JSON.parse(readFileSync(join(schemaDir, 'label.schema.json'), 'utf8'));
const recordingSchema = JSON.parse(
  readFileSync(join(schemaDir, 'label-recording.schema.json'), 'utf8')
);
const ajv = new Ajv({ allErrors: true });
ajv.addSchema(labelSchema);
ajv.addSchema(recordingSchema);
const reference = ajv.getSchema('urn:gaissa:schema:label:v1')!;
const referenceEntry = ajv.getSchema('urn:gaissa:schema:label-recording:v1#/definitions/entry')!;

/** Payloads near the valid one: each breaks (or keeps) the schema in one place. */
function variants(): unknown[] {
  const valid = asPayload(sampleLabel()) as unknown as Record<string, any>;
  const copy = () => JSON.parse(JSON.stringify(valid)) as Record<string, any>;
  const out: unknown[] = [
    valid,
    asPayload(trainingLabel()),
    populationLabel(),
    null,
    1,
    'x',
    [],
    {}
  ];
  for (const key of Object.keys(valid)) {
    const missing = copy();
    delete missing[key];
    out.push(missing);
    for (const value of [null, -1, 'x', [], {}, true, 1.5, SCRIPT]) {
      out.push({ ...copy(), [key]: value });
    }
  }
  const deep = copy();
  deep.metrics.latencyMs.value = 'fast';
  const rating = copy();
  rating.metrics.accuracy.rating = 'F';
  const extra = copy();
  extra.model.html = SCRIPT;
  const noMetrics = copy();
  noMetrics.metrics = {};
  const unknownMetric = copy();
  unknownMetric.metrics.joy = { value: 1, index: 1, rating: 'A' };
  const hostileName = copy();
  hostileName.model.name = SCRIPT;
  const badHash = copy();
  badHash.model.sha256 = 'z'.repeat(64);
  const nanScore = copy();
  nanScore.score = 7;
  out.push(deep, rating, extra, noMetrics, unknownMetric, hostileName, badHash, nanScore);
  return out;
}

describe('label validation (compiled at build time)', () => {
  it('accepts what the core builds, inference and training', () => {
    expect(validateLabel(asPayload(sampleLabel()))).toMatchObject({ ok: true });
    expect(validateLabel(asPayload(trainingLabel()))).toMatchObject({ ok: true });
  });

  it('accepts a label rated against a population, with its standing and unrated figures', () => {
    expect(validateLabel(populationLabel()).ok).toBe(true);
    const tooShort = asPayload(populationLabel()) as unknown as Record<string, any>;
    tooShort.basis.distribution.trainingCo2eKg.pop();
    expect(validateLabel(tooShort).ok).toBe(false);
  });

  it('agrees with ajv compiling schema/label.schema.json at run time', () => {
    for (const payload of variants()) {
      expect(validateLabel(payload).ok).toBe(reference(payload));
    }
  });

  it('names the field of a wrong type, at most three errors', () => {
    const payload = asPayload(sampleLabel()) as unknown as Record<string, any>;
    payload.metrics.latencyMs.value = 'fast';
    payload.rating = 'F';
    payload.model.name = 42;
    payload.score = 'x';
    const result = validateLabel(payload);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.length).toBeLessThanOrEqual(3);
    expect(result.errors.join('\n')).toMatch(
      /\/(rating|score|model\/name|metrics\/latencyMs\/value)/
    );
  });

  it('takes a model name with markup as the string it is (it is drawn as text)', () => {
    const result = validateLabel(asPayload(sampleLabel({ model: { name: SCRIPT } })));
    expect(result).toMatchObject({ ok: true, record: { model: { name: SCRIPT } } });
  });

  it('reads the output metadata the kernel sets, and nothing else', () => {
    expect(readOutputMetadata({ record: true, key: KEY_1 })).toEqual({ record: true, key: KEY_1 });
    expect(readOutputMetadata({ record: false, key: KEY_1, file: 'l.json' })).not.toBeNull();
    expect(readOutputMetadata({ record: 'yes', key: KEY_1 })).toBeNull();
    expect(readOutputMetadata({ record: true, key: 'ABC' })).toBeNull();
    expect(readOutputMetadata({ record: true, key: KEY_1, onload: SCRIPT })).toBeNull();
    expect(readOutputMetadata({ record: true, key: KEY_1, file: '' })).toBeNull();
    expect(readOutputMetadata(undefined)).toBeNull();
    expect(readOutputMetadata(SCRIPT)).toBeNull();
  });

  it('keeps only valid entries of metadata.gaissa.labels', () => {
    const good = { key: KEY_1, cellId: 'c1', record: asPayload(sampleLabel()) };
    const entries = [
      good,
      { key: KEY_1, record: { ...asPayload(sampleLabel()), rating: 'Z' } },
      { key: SCRIPT, record: asPayload(sampleLabel()) },
      { key: KEY_1, cellId: 3, record: asPayload(sampleLabel()) },
      null,
      SCRIPT
    ];
    expect(readLabelEntries({ labels: entries })).toEqual([good]);
    for (const entry of entries) expect(isLabelEntry(entry)).toBe(referenceEntry(entry));
    expect(readLabelEntries({ labels: SCRIPT })).toEqual([]);
    expect(readLabelEntries(null)).toEqual([]);
    expect(readLabelEntries([good])).toEqual([]);
  });
});
