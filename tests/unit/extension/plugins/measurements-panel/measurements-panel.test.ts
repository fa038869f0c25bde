/**
 * @jest-environment jsdom
 */
import '../../fixtures/jsdom-globals';
import {
  MeasurementsPanel,
  collectRows,
  sortRows,
  type MeasurementRow
} from '../../../../../extension/plugins/measurements-panel/measurements-panel';
import {
  cellMetadataOf,
  summarizeMeasurement
} from '../../../../../extension/outputs/measurement/summary';
import { asPayload, sampleRecord } from '../../fixtures/measurement-record';

const small = asPayload(sampleRecord({ id: 'm-small', energyJ: 1, label: 'small' }));
const large = asPayload(sampleRecord({ id: 'm-large', energyJ: 50, label: 'large' }));
const stored = cellMetadataOf(
  summarizeMeasurement(asPayload(sampleRecord({ id: 'm-old', energyJ: 5, label: 'old' })))!
);

describe('collectRows', () => {
  it('lists outputs and stored metadata, once each, skipping hostile entries', () => {
    const rows = collectRows([
      { metadata: undefined, payloads: [] },
      { metadata: cellMetadataOf(summarizeMeasurement(large)!), payloads: [large, large] },
      { metadata: stored, payloads: [small, { schemaVersion: 1, energyJ: '<b>' }, null] },
      { metadata: { schemaVersion: 1, lastMeasurement: { id: '<img>' } }, payloads: ['x'] }
    ]);
    expect(rows.map(r => [r.cellIndex, r.source, r.summary.id])).toEqual([
      [1, 'output', 'm-large'],
      [2, 'output', 'm-small'],
      [2, 'metadata', 'm-old']
    ]);
  });
});

describe('sortRows', () => {
  const rows = collectRows([
    { metadata: stored, payloads: [large] },
    { metadata: undefined, payloads: [small] }
  ]);
  const ids = (sorted: MeasurementRow[]) => sorted.map(r => r.summary.id);

  it('sorts by numbers, text and time, both ways, stably', () => {
    expect(ids(sortRows(rows, 'energy', true))).toEqual(['m-small', 'm-old', 'm-large']);
    expect(ids(sortRows(rows, 'energy', false))).toEqual(['m-large', 'm-old', 'm-small']);
    expect(ids(sortRows(rows, 'label', true))).toEqual(['m-large', 'm-old', 'm-small']);
    expect(ids(sortRows(rows, 'cell', true))).toEqual(['m-large', 'm-old', 'm-small']);
    expect(ids(sortRows(rows, 'time', true))).toEqual(['m-large', 'm-old', 'm-small']);
  });
});

describe('MeasurementsPanel', () => {
  it('renders a sortable table and activates a row by click or Enter', () => {
    const activate = jest.fn();
    const panel = new MeasurementsPanel(activate);
    panel.setRows('demo.ipynb', collectRows([{ metadata: stored, payloads: [large, small] }]));
    // The panel re-renders its table on each sort: query it afresh every time.
    const firstLabels = () =>
      [...panel.node.querySelectorAll('tbody tr')].map(tr => tr.children[1].textContent);
    expect(panel.node.textContent).toContain('in demo.ipynb');
    expect(firstLabels()).toEqual(['large', 'small', 'old']);

    const energyHeader = () =>
      [...panel.node.querySelectorAll('th')].find(th => th.textContent?.startsWith('Energy'))!;
    energyHeader().querySelector('button')!.click();
    expect(energyHeader().getAttribute('aria-sort')).toBe('ascending');
    expect(firstLabels()).toEqual(['small', 'old', 'large']);
    energyHeader().querySelector('button')!.click();
    expect(energyHeader().getAttribute('aria-sort')).toBe('descending');
    expect(firstLabels()).toEqual(['large', 'old', 'small']);

    const rows = panel.node.querySelectorAll('tbody tr');
    (rows[0] as HTMLElement).click();
    rows[1].dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(activate.mock.calls.map(([row]) => row.summary.id)).toEqual(['m-large', 'm-old']);
    expect(rows[2].getAttribute('data-source')).toBe('output');
  });

  it('says what to do when there is nothing to list', () => {
    const panel = new MeasurementsPanel(jest.fn());
    expect(panel.node.textContent).toContain('Open a notebook');
    panel.setRows('empty.ipynb', []);
    expect(panel.node.textContent).toContain('%%gaissa measure');
  });

  it('shows hostile labels as text', () => {
    const panel = new MeasurementsPanel(jest.fn());
    const hostile = asPayload(sampleRecord({ label: '<img src=x onerror=alert(1)>' }));
    panel.setRows('<b>name</b>', collectRows([{ metadata: null, payloads: [hostile] }]));
    expect(panel.node.querySelector('img, b')).toBeNull();
    expect(panel.node.textContent).toContain('<img src=x onerror=alert(1)>');
  });
});
