/**
 * @jest-environment jsdom
 */
import '../../fixtures/jsdom-globals';
import { Signal } from '@lumino/signaling';
import { PanelLayout, Widget } from '@lumino/widgets';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { NotebookMeasurements } from '../../../../../extension/plugins/notebook/notebook-measurements';
import { CellBadge } from '../../../../../extension/plugins/notebook/cell-badge';
import { asPayload, sampleRecord } from '../../fixtures/measurement-record';
import { MEASUREMENT_MIME } from '../../../../../core/mime-types';

/** Just enough of JupyterLab's cell and notebook models for the watcher. */
class FakeOutputs {
  readonly changed = new Signal<this, { type: string; newValues: Array<{ data: object }> }>(this);
  private items: Array<{ data: Record<string, unknown> }> = [];
  get length() {
    return this.items.length;
  }
  get(i: number) {
    return this.items[i];
  }
  add(data: Record<string, unknown>) {
    const output = { data };
    this.items.push(output);
    this.changed.emit({ type: 'add', newValues: [output] });
  }
}

class FakeCellModel {
  readonly metadataChanged = new Signal<this, unknown>(this);
  readonly outputs = new FakeOutputs();
  private metadata: Record<string, unknown> = {};
  constructor(readonly type: string) {}
  getMetadata(key: string) {
    return this.metadata[key];
  }
  setMetadata(key: string, value: unknown) {
    this.metadata[key] = value;
    this.metadataChanged.emit({ key });
  }
}

function fakeCell(model: FakeCellModel) {
  const cell = new Widget();
  const layout = new PanelLayout();
  (cell as unknown as { layout: PanelLayout }).layout = layout;
  const input = new Widget();
  layout.addWidget(input);
  layout.addWidget(new Widget());
  return Object.assign(cell, { model, ready: Promise.resolve(), inputArea: { parent: input } });
}

function fakePanel(models: FakeCellModel[]) {
  const cells = models.map(fakeCell);
  const cellsChanged = new Signal<object, void>({});
  const panel = {
    context: { ready: Promise.resolve() },
    disposed: new Signal<object, void>({}),
    content: {
      widgets: cells,
      model: {
        cells: { changed: cellsChanged, length: models.length, get: (i: number) => models[i] }
      }
    }
  };
  return { panel: panel as unknown as NotebookPanel, cells };
}

const flush = () => new Promise(resolve => setTimeout(resolve, 0));
const badgeOf = (cell: Widget) =>
  (cell.layout as PanelLayout).widgets.find(w => w instanceof CellBadge) as CellBadge | undefined;

describe('NotebookMeasurements', () => {
  it('stores a measurement output in cell.metadata.gaissa and shows the badge under the input', async () => {
    const code = new FakeCellModel('code');
    const markdown = new FakeCellModel('markdown');
    const { panel, cells } = fakePanel([code, markdown]);
    const watcher = new NotebookMeasurements(panel);
    await flush();
    const badge = badgeOf(cells[0])!;
    // Right after the input, before the outputs.
    expect((cells[0].layout as PanelLayout).widgets.indexOf(badge)).toBe(1);
    expect(badge.isHidden).toBe(true);
    expect(badgeOf(cells[1])).toBeUndefined();

    let changes = 0;
    watcher.changed.connect(() => changes++);
    code.outputs.add({ [MEASUREMENT_MIME]: asPayload(sampleRecord()), 'text/plain': 'x' });
    expect(code.getMetadata('gaissa')).toMatchObject({
      schemaVersion: 1,
      lastMeasurement: { id: 'm-test-1', energyJ: 11.5 }
    });
    expect(badge.isHidden).toBe(false);
    expect(badge.node.textContent).toContain('11.5 J');
    expect(changes).toBeGreaterThan(0);
    expect(watcher.cells()[0].payloads).toHaveLength(1);
  });

  it('ignores invalid or foreign outputs', async () => {
    const code = new FakeCellModel('code');
    const { panel } = fakePanel([code]);
    new NotebookMeasurements(panel);
    await flush();
    code.outputs.add({ [MEASUREMENT_MIME]: { schemaVersion: 1, energyJ: '<b>' } });
    code.outputs.add({ 'text/plain': 'hello' });
    expect(code.getMetadata('gaissa')).toBeUndefined();
  });

  it('shows the badge of a cell measured in an earlier session', async () => {
    const code = new FakeCellModel('code');
    code.setMetadata('gaissa', {
      schemaVersion: 1,
      lastMeasurement: {
        id: 'm-1',
        label: null,
        status: 'ok',
        endedAt: '2025-01-01T00:00:00Z',
        energyJ: 2,
        durationS: 1,
        powerW: 2,
        co2eG: 0.001,
        cost: null,
        currency: null,
        method: 'rapl',
        estimated: false,
        region: 'DEU',
        repeats: 1
      }
    });
    const { panel, cells } = fakePanel([code]);
    new NotebookMeasurements(panel);
    await flush();
    expect(badgeOf(cells[0])?.node.textContent).toContain('2 J');
    expect(badgeOf(cells[0])?.node.textContent).toContain('measured');
  });

  it('lets go of everything when the notebook closes', async () => {
    const code = new FakeCellModel('code');
    const { panel, cells } = fakePanel([code]);
    const watcher = new NotebookMeasurements(panel);
    await flush();
    const badge = badgeOf(cells[0])!;
    watcher.dispose();
    expect(badge.isDisposed).toBe(true);
    code.outputs.add({ [MEASUREMENT_MIME]: asPayload(sampleRecord()) });
    expect(code.getMetadata('gaissa')).toBeUndefined();
  });
});
