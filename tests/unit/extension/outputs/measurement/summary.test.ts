import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cellMetadataOf,
  readCellMetadata,
  summarizeMeasurement
} from '../../../../../extension/outputs/measurement/summary';
import { asPayload, sampleRecord } from '../../fixtures/measurement-record';

const schema = JSON.parse(
  readFileSync(join(__dirname, '../../../../../schema/cell-metadata.schema.json'), 'utf8')
) as object;
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);

describe('measurement summary in cell.metadata.gaissa', () => {
  it('summarizes a record into metadata that matches its schema', () => {
    const summary = summarizeMeasurement(asPayload(sampleRecord()));
    expect(summary).toEqual({
      id: 'm-test-1',
      label: 'matrix product',
      status: 'ok',
      endedAt: '2025-01-02T03:04:13.000Z',
      energyJ: 11.5,
      durationS: 2,
      powerW: 5.75,
      co2eG: expect.any(Number),
      cost: expect.any(Number),
      currency: 'EUR',
      method: 'estimate',
      estimated: true,
      coverage: 0,
      region: 'FRA',
      repeats: 3
    });
    const metadata = cellMetadataOf(summary!);
    expect(validate(metadata)).toBe(true);
    expect(readCellMetadata(JSON.parse(JSON.stringify(metadata)))).toEqual(metadata);
  });

  it('ignores what is not a measurement', () => {
    for (const payload of [
      null,
      'x',
      [],
      {},
      { schemaVersion: 2 },
      { ...(asPayload(sampleRecord()) as object), energyJ: '1' }
    ]) {
      expect(summarizeMeasurement(payload)).toBeNull();
    }
  });

  const good = cellMetadataOf(summarizeMeasurement(asPayload(sampleRecord()))!);
  const mutations: Array<[string, (m: Record<string, unknown>) => void]> = [
    ['a missing id', m => delete m.id],
    ['an empty id', m => (m.id = '')],
    ['a long label', m => (m.label = 'x'.repeat(1001))],
    ['a bad status', m => (m.status = 'done')],
    ['a bad time', m => (m.endedAt = 'now')],
    ['a negative energy', m => (m.energyJ = -1)],
    ['energy as text', m => (m.energyJ = '<b>1</b>')],
    ['infinite power', m => (m.powerW = Number.POSITIVE_INFINITY)],
    ['a bad currency', m => (m.currency = 'euro')],
    ['an unknown method', m => (m.method = 'psychic')],
    ['estimated as text', m => (m.estimated = 'yes')],
    ['zero repeats', m => (m.repeats = 0)],
    ['fractional repeats', m => (m.repeats = 1.5)]
  ];

  it.each(mutations)('rejects metadata with %s, as the schema does', (_, mutate) => {
    const bad = JSON.parse(JSON.stringify(good)) as { lastMeasurement: Record<string, unknown> };
    mutate(bad.lastMeasurement);
    expect(readCellMetadata(bad)).toBeNull();
    expect(validate(JSON.parse(JSON.stringify(bad)))).toBe(false);
  });

  it('rejects metadata of another shape or version', () => {
    expect(readCellMetadata(undefined)).toBeNull();
    expect(
      readCellMetadata({ schemaVersion: 2, lastMeasurement: good.lastMeasurement })
    ).toBeNull();
    expect(readCellMetadata({ schemaVersion: 1 })).toBeNull();
  });

  it('keeps only known fields', () => {
    const extra = { schemaVersion: 1, lastMeasurement: { ...good.lastMeasurement, onclick: 'x' } };
    expect(readCellMetadata(extra)).toEqual(good);
  });
});
