/**
 * @jest-environment jsdom
 */
import '../../fixtures/jsdom-globals';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { Signal } from '@lumino/signaling';
import { BoxPanel, Widget } from '@lumino/widgets';
import {
  bannerEntries,
  LabelBanner,
  MAX_BANNER_ITEMS
} from '../../../../../extension/plugins/notebook/label-banner';
import { LabelDirectory } from '../../../../../extension/outputs/label/label-directory';
import { NotebookLabels } from '../../../../../extension/plugins/notebook/notebook-labels';
import type { LabelEntry } from '../../../../../extension/outputs/label/validation';
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

interface Output {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** Just enough of JupyterLab's models for the watcher. */
class FakeOutputs {
  readonly changed = new Signal<this, { type: string; newValues: Output[] }>(this);
  private items: Output[] = [];
  constructor(items: Output[] = []) {
    this.items = items;
  }
  get length() {
    return this.items.length;
  }
  get(i: number) {
    return this.items[i];
  }
  add(output: Output) {
    this.items.push(output);
    this.changed.emit({ type: 'add', newValues: [output] });
  }
  clear() {
    this.items = [];
    this.changed.emit({ type: 'remove', newValues: [] });
  }
}

class FakeCellModel {
  readonly type = 'code';
  readonly stateChanged = new Signal<this, { name: string; newValue: unknown }>(this);
  readonly outputs: FakeOutputs;
  constructor(
    readonly id: string,
    outputs: Output[] = []
  ) {
    this.outputs = new FakeOutputs(outputs);
  }
  finishRun(count: number) {
    this.stateChanged.emit({ name: 'executionCount', newValue: count });
  }
}

class FakeNotebookModel {
  readonly metadataChanged = new Signal<this, { key: string }>(this);
  readonly writes: unknown[] = [];
  readonly cells: {
    length: number;
    get: (i: number) => FakeCellModel;
    changed: Signal<object, void>;
  };
  constructor(
    readonly cellModels: FakeCellModel[],
    private metadata: Record<string, unknown> = {}
  ) {
    this.cells = {
      get length() {
        return cellModels.length;
      },
      get: (i: number) => cellModels[i],
      changed: new Signal<object, void>({})
    };
  }
  getMetadata(key: string) {
    return this.metadata[key] === undefined
      ? undefined
      : JSON.parse(JSON.stringify(this.metadata[key]));
  }
  setMetadata(key: string, value: unknown) {
    this.writes.push(value);
    this.metadata[key] = value;
    this.metadataChanged.emit({ key });
  }
}

function labelOutput(record: unknown, key: string, extra: Record<string, unknown> = {}): Output {
  return {
    data: { [LABEL_MIME]: record, 'text/plain': 'label' },
    metadata: outputMetadata(key, extra)
  };
}

function fakePanel(cellModels: FakeCellModel[], metadata: Record<string, unknown> = {}) {
  const model = new FakeNotebookModel(cellModels, metadata);
  const node = document.createElement('div');
  document.body.appendChild(node);
  const cells = cellModels.map(m => {
    const cell = new Widget();
    node.appendChild(cell.node);
    return Object.assign(cell, { model: m });
  });
  const contentHeader = new BoxPanel();
  node.appendChild(contentHeader.node);
  const scrollToCell = jest.fn(async () => undefined);
  const panel = {
    node,
    context: { ready: Promise.resolve() },
    disposed: new Signal<object, void>({}),
    content: { model, widgets: cells, scrollToCell },
    contentHeader
  };
  return { panel, model, cells, contentHeader, scrollToCell };
}

async function watch(setup: ReturnType<typeof fakePanel>, directory = new LabelDirectory()) {
  const watcher = new NotebookLabels(setup.panel as unknown as NotebookPanel, undefined, directory);
  await setup.panel.context.ready;
  await watcher.settled();
  return watcher;
}

function banner(setup: ReturnType<typeof fakePanel>): HTMLElement | null {
  const widget = setup.contentHeader.widgets[0];
  return widget?.hasClass('gaissa-label-banner') ? widget.node : null;
}

const entry = (key: string, cellId: string, record: unknown): LabelEntry =>
  ({ key, cellId, record }) as LabelEntry;

afterEach(() => {
  document.body.textContent = '';
});

describe('a labeled notebook when it opens', () => {
  it('shows the banner at the top: rating, model, SCI', async () => {
    const inference = asPayload(sampleLabel());
    const setup = fakePanel([new FakeCellModel('c0'), new FakeCellModel('c1')], {
      gaissa: { settings: { pue: 1.2 }, labels: [entry(KEY_1, 'c1', inference)] }
    });
    const watcher = await watch(setup);
    const node = banner(setup)!;
    expect(node).not.toBeNull();
    expect(setup.contentHeader.widgets.indexOf(setup.contentHeader.widgets[0])).toBe(0);
    expect(node.getAttribute('role')).toBe('region');
    const item = node.querySelector<HTMLButtonElement>('.gaissa-label-banner-item')!;
    expect(item.querySelector('.gaissa-rating')!.textContent).toBe(inference.rating);
    expect(item.textContent).toContain('mnist-mlp');
    expect(item.textContent).toContain('inference');
    expect(item.textContent).toMatch(/SCI [\d.]+ µg CO2e per inference/);
    expect(item.getAttribute('aria-label')).toMatch(/Go to the cell that issued it/);
    // Opening changes nothing in the metadata.
    expect(setup.model.writes).toEqual([]);
    expect(watcher.labels()).toHaveLength(1);
  });

  it('shows a stranger’s strings as text and skips invalid entries without touching them', async () => {
    const hostile = asPayload(sampleLabel({ model: { name: SCRIPT } }));
    const invalid = { key: KEY_2, record: { ...asPayload(sampleLabel()), rating: SCRIPT } };
    const setup = fakePanel([new FakeCellModel('c0')], {
      gaissa: { labels: [entry(KEY_1, 'c0', hostile), invalid, SCRIPT] }
    });
    await watch(setup);
    const node = banner(setup)!;
    expect(node.querySelectorAll('.gaissa-label-banner-item')).toHaveLength(1);
    expect(node.textContent).toContain('<img src=x');
    expect(node.querySelectorAll('img, script')).toHaveLength(0);
    expect(setup.model.writes).toEqual([]);
  });

  it('shows no banner without valid labels', async () => {
    const setup = fakePanel([new FakeCellModel('c0')], { gaissa: { labels: [SCRIPT] } });
    await watch(setup);
    expect(banner(setup)).toBeNull();
    const plain = fakePanel([new FakeCellModel('c0')]);
    await watch(plain);
    expect(banner(plain)).toBeNull();
  });

  it('records a saved label output the metadata lacks, once', async () => {
    const record = asPayload(sampleLabel());
    const cells = [new FakeCellModel('c0', [labelOutput(record, KEY_1)])];
    const setup = fakePanel(cells, { gaissa: { settings: { region: 'FR' } } });
    await watch(setup);
    expect(setup.model.getMetadata('gaissa')).toEqual({
      settings: { region: 'FR' },
      labels: [{ key: KEY_1, cellId: 'c0', record }]
    });
    expect(banner(setup)).not.toBeNull();
    // Opened again: already recorded, nothing written.
    const again = fakePanel([new FakeCellModel('c0', [labelOutput(record, KEY_1)])], {
      gaissa: setup.model.getMetadata('gaissa')
    });
    await watch(again);
    expect(again.model.writes).toEqual([]);
  });
});

describe('labels issued while the notebook is open', () => {
  it('records a new label, replaces it when its cell runs again, drops it when the run shows none', async () => {
    const cell = new FakeCellModel('c0');
    const other = entry(KEY_3, 'c9', asPayload(trainingLabel()));
    const setup = fakePanel([cell], { gaissa: { labels: [other] } });
    const watcher = await watch(setup);

    const first = asPayload(sampleLabel());
    cell.outputs.add(labelOutput(first, KEY_1, { file: 'label.json' }));
    cell.finishRun(1);
    await watcher.settled();
    expect(setup.model.getMetadata('gaissa').labels).toEqual([
      other,
      { key: KEY_1, file: 'label.json', cellId: 'c0', record: first }
    ]);
    expect(banner(setup)!.querySelectorAll('.gaissa-label-banner-item')).toHaveLength(2);

    const second = asPayload(sampleLabel({ issued: '2025-02-01T00:00:00.000Z' }));
    cell.outputs.clear();
    cell.outputs.add(labelOutput(second, KEY_2));
    cell.finishRun(2);
    await watcher.settled();
    expect(setup.model.getMetadata('gaissa').labels).toEqual([
      other,
      { key: KEY_2, cellId: 'c0', record: second }
    ]);

    cell.outputs.clear();
    cell.outputs.add({ data: { 'text/plain': 'oops' }, metadata: {} });
    cell.finishRun(3);
    await watcher.settled();
    expect(setup.model.getMetadata('gaissa').labels).toEqual([other]);
  });

  it('does not record a label issued with record: false', async () => {
    const cell = new FakeCellModel('c0');
    const setup = fakePanel([cell]);
    const watcher = await watch(setup);
    cell.outputs.add(labelOutput(asPayload(sampleLabel()), KEY_1, { record: false }));
    cell.finishRun(1);
    await watcher.settled();
    expect(setup.model.writes).toEqual([]);
    expect(banner(setup)).toBeNull();
  });

  it('tells label widgets in the notebook which labels it holds', async () => {
    const directory = new LabelDirectory();
    const notified = jest.fn();
    directory.changed.connect(notified);
    const cell = new FakeCellModel('c0');
    const setup = fakePanel([cell]);
    const watcher = await watch(setup, directory);
    const inside = setup.cells[0].node;
    expect(directory.recordsNear(inside)).toEqual([]);
    cell.outputs.add(labelOutput(asPayload(trainingLabel()), KEY_1));
    await watcher.settled();
    expect(directory.recordsNear(inside)).toEqual([asPayload(trainingLabel())]);
    expect(directory.recordsNear(document.createElement('div'))).toEqual([]);
    expect(notified).toHaveBeenCalled();
    setup.panel.disposed.emit();
    expect(directory.recordsNear(inside)).toEqual([]);
    expect(banner(setup)).toBeNull();
  });
});

describe('the banner', () => {
  it('goes to the cell that issued a label and focuses the label there', async () => {
    const record = asPayload(sampleLabel());
    const setup = fakePanel([new FakeCellModel('c0'), new FakeCellModel('c1')], {
      gaissa: {
        labels: [entry(KEY_1, 'c1', record), entry(KEY_2, 'gone', asPayload(trainingLabel()))]
      }
    });
    const target = setup.cells[1];
    const label = document.createElement('div');
    label.className = 'gaissa-label';
    label.tabIndex = -1;
    label.dataset.key = KEY_1;
    target.node.appendChild(label);
    const watcher = await watch(setup);
    const [reachable, gone] = Array.from(
      banner(setup)!.querySelectorAll<HTMLButtonElement>('.gaissa-label-banner-item')
    );
    reachable.click();
    await new Promise(r => setTimeout(r, 0));
    expect(setup.scrollToCell).toHaveBeenCalledWith(target, 'start');
    expect(document.activeElement).toBe(label);

    expect(gone.getAttribute('aria-disabled')).toBe('true');
    expect(gone.getAttribute('aria-label')).toMatch(/no longer in this notebook/);
    gone.click();
    expect(setup.scrollToCell).toHaveBeenCalledTimes(1);
    expect(await watcher.goTo(entry(KEY_2, 'gone', asPayload(trainingLabel())))).toBe(false);
  });

  it('finds the cell by the label key when the cell id is unknown', async () => {
    const record = asPayload(sampleLabel());
    const setup = fakePanel([new FakeCellModel('c0', [labelOutput(record, KEY_1)])], {
      gaissa: { labels: [{ key: KEY_1, record }] }
    });
    const label = document.createElement('div');
    label.className = 'gaissa-label';
    label.tabIndex = -1;
    setup.cells[0].node.appendChild(label);
    const watcher = await watch(setup);
    expect(await watcher.goTo({ key: KEY_1, record } as LabelEntry)).toBe(true);
    expect(document.activeElement).toBe(label);
    expect(setup.scrollToCell).toHaveBeenCalledWith(setup.cells[0], 'start');
  });

  it('can be closed, and comes back with a new label', async () => {
    const cell = new FakeCellModel('c1');
    const setup = fakePanel([new FakeCellModel('c0'), cell], {
      gaissa: { labels: [entry(KEY_1, 'c0', asPayload(sampleLabel()))] }
    });
    const watcher = await watch(setup);
    banner(setup)!.querySelector<HTMLButtonElement>('.gaissa-label-banner-close')!.click();
    expect(banner(setup)).toBeNull();
    cell.outputs.add(labelOutput(asPayload(trainingLabel()), KEY_2));
    await watcher.settled();
    expect(banner(setup)).not.toBeNull();
    expect(banner(setup)!.textContent).toContain('Energy labels');
  });

  it('lists the latest label per model and phase, and counts what does not fit', () => {
    const e = (key: string, name: string, issued: string, phase = 'inference') =>
      entry(
        key,
        'c',
        phase === 'inference'
          ? asPayload(sampleLabel({ model: { name }, issued }))
          : asPayload(trainingLabel({ model: { name }, issued }))
      );
    const old = e(KEY_1, 'a', '2025-01-01T00:00:00Z');
    const latest = e(KEY_2, 'a', '2025-03-01T00:00:00Z');
    const training = e(KEY_3, 'a', '2025-02-01T00:00:00Z', 'training');
    expect(bannerEntries([old, training, latest])).toEqual([training, latest]);

    const many = ['b', 'c', 'd', 'e', 'f'].map(n => e(KEY_1, n, '2025-01-01T00:00:00Z'));
    const widget = new LabelBanner(jest.fn(), () => true, jest.fn());
    widget.setEntries(many);
    expect(widget.node.querySelectorAll('.gaissa-label-banner-item')).toHaveLength(
      MAX_BANNER_ITEMS
    );
    expect(widget.node.querySelector('.gaissa-label-banner-more')!.textContent).toBe(
      `+${many.length - MAX_BANNER_ITEMS} more`
    );
  });
});
