import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  nextLabels,
  recordableLabels,
  withLabels,
  type ShownLabel
} from '../../../../../extension/plugins/notebook/label-recording';
import {
  KEY_1,
  KEY_2,
  KEY_3,
  SCRIPT,
  asPayload,
  outputMetadata,
  sampleLabel,
  trainingLabel
} from '../../fixtures/label-record';
import { LABEL_MIME } from '../../../../../core/mime-types';

const schemaDir = join(__dirname, '../../../../../schema');
const ajv = new Ajv({ allErrors: true });
ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, 'label.schema.json'), 'utf8')));
ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, 'label-recording.schema.json'), 'utf8')));
/** The contract: metadata.gaissa.labels as a whole. */
const labelsContract = ajv.getSchema('urn:gaissa:schema:label-recording:v1')!;

function output(record: unknown, metadata: Record<string, unknown> | undefined) {
  return {
    data: { [LABEL_MIME]: record, 'image/svg+xml': '<svg/>', 'text/plain': 'label' },
    metadata
  };
}

const inference = (): ShownLabel => ({ key: KEY_1, record: asPayload(sampleLabel()) });
const training = (): ShownLabel => ({ key: KEY_2, record: asPayload(trainingLabel()) });

describe('recordableLabels', () => {
  it('takes valid labels whose output metadata asks to record them', () => {
    const shown = recordableLabels([
      output(asPayload(sampleLabel()), outputMetadata(KEY_1, { file: 'label.json' })),
      output(asPayload(trainingLabel()), outputMetadata(KEY_2, { record: false })),
      output(asPayload(sampleLabel()), undefined),
      output(asPayload(sampleLabel()), outputMetadata('not-a-hash')),
      output({ ...asPayload(sampleLabel()), rating: SCRIPT }, outputMetadata(KEY_3)),
      output(asPayload(sampleLabel()), outputMetadata(KEY_1)),
      { data: { 'text/plain': 'other' }, metadata: {} }
    ]);
    expect(shown).toEqual([{ key: KEY_1, file: 'label.json', record: asPayload(sampleLabel()) }]);
  });
});

describe('nextLabels', () => {
  it('records a label once: rendering it again changes nothing', () => {
    const first = nextLabels(undefined, 'cell-a', [inference()], 'add-missing');
    expect(first).toEqual([{ key: KEY_1, cellId: 'cell-a', record: inference().record }]);
    expect(labelsContract(first)).toBe(true);
    expect(nextLabels(first, 'cell-a', [inference()], 'add-missing')).toBeNull();
    expect(nextLabels(first, 'cell-a', [inference()], 'replace')).toBeNull();
    // Another cell rendering the same label (a copy) does not take it over on open.
    expect(nextLabels(first, 'cell-b', [inference()], 'add-missing')).toBeNull();
  });

  it('replaces the earlier entries of a cell that ran again, and only those', () => {
    const other = { key: KEY_3, cellId: 'cell-b', record: asPayload(trainingLabel()) };
    const stale = { key: KEY_1, cellId: 'cell-a', record: asPayload(sampleLabel()) };
    const strange = { key: SCRIPT, cellId: 'cell-a', record: SCRIPT };
    const next = nextLabels([stale, other, strange], 'cell-a', [training()], 'replace');
    expect(next).toEqual([
      other,
      strange,
      { key: KEY_2, cellId: 'cell-a', record: training().record }
    ]);
    // A run that shows no label any more leaves the cell without entries.
    expect(nextLabels(next, 'cell-a', [], 'replace')).toEqual([other, strange]);
    // Nothing recorded and nothing to record: no write.
    expect(nextLabels(undefined, 'cell-a', [], 'replace')).toBeNull();
    expect(nextLabels(SCRIPT, 'cell-a', [], 'add-missing')).toBeNull();
  });

  it('updates an entry in place when the same key shows again (its file may have changed)', () => {
    const before = [{ key: KEY_1, cellId: 'old', record: inference().record }];
    const next = nextLabels(before, 'cell-a', [{ ...inference(), file: 'l.json' }], 'replace');
    expect(next).toEqual([
      { key: KEY_1, file: 'l.json', cellId: 'cell-a', record: inference().record }
    ]);
    expect(labelsContract(next)).toBe(true);
  });

  it('keeps the other notebook metadata', () => {
    expect(withLabels({ settings: { pue: 1.2 }, labels: [] }, [1])).toEqual({
      settings: { pue: 1.2 },
      labels: [1]
    });
    expect(withLabels(SCRIPT, [])).toEqual({ labels: [] });
    expect(withLabels([1], [])).toEqual({ labels: [] });
  });
});
