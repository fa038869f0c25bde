/**
 * @jest-environment jsdom
 */
import '../../fixtures/jsdom-globals';
import { Signal } from '@lumino/signaling';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { INotebookMeasurements } from '../../../../../extension/tokens';
import { NotebookMeasurements } from '../../../../../extension/plugins/notebook/notebook-measurements';
import { RendererPrefetch } from '../../../../../extension/plugins/notebook/saved-output-prefetch';

const mockLabels = jest.fn();
jest.mock('../../../../../extension/plugins/notebook/notebook-labels', () => ({
  NotebookLabels: class {
    constructor(panel: unknown) {
      mockLabels(panel);
    }
  }
}));

// Imported after the mock.
import { notebookPlugin } from '../../../../../extension/plugins/notebook/plugin';

type Extension = { createNew(panel: NotebookPanel): void };

/** An empty notebook, as much of it as the watchers touch. */
function fakePanel() {
  const disposed = new Signal<object, void>({});
  const cells = { changed: new Signal<object, void>({}), length: 0, get: () => undefined };
  const panel = {
    context: { ready: Promise.resolve() },
    disposed,
    content: { widgets: [], model: { cells } }
  };
  return { panel: panel as unknown as NotebookPanel, dispose: () => disposed.emit() };
}

function setup() {
  const extensions: Array<[string, Extension]> = [];
  const app = {
    docRegistry: {
      addWidgetExtension: (name: string, extension: Extension) => extensions.push([name, extension])
    }
  };
  const measurements = notebookPlugin.activate(app as never) as INotebookMeasurements;
  return { measurements, extensions };
}

const flush = () => new Promise(resolve => setTimeout(resolve, 0));

describe('notebook plugin', () => {
  let watch: jest.SpyInstance;
  beforeEach(() => {
    mockLabels.mockClear();
    watch = jest.spyOn(RendererPrefetch.prototype, 'watch').mockImplementation(() => undefined);
  });
  afterEach(() => watch.mockRestore());

  it('provides the notebooks’ measurements and extends every notebook widget', () => {
    const { extensions } = setup();
    expect(notebookPlugin.provides?.name).toBe('gaissa-jupyterlab:INotebookMeasurements');
    expect(extensions.map(([name]) => name)).toEqual(['Notebook']);
  });

  it('as a notebook widget is created: prefetch, measurements and labels', async () => {
    const { measurements, extensions } = setup();
    const { panel, dispose } = fakePanel();
    expect(measurements.find(panel)).toBeUndefined();
    extensions[0][1].createNew(panel);
    // At once, not after the file is read: the renderers' code starts loading now.
    expect(watch).toHaveBeenCalledWith(panel);
    expect(mockLabels).toHaveBeenCalledWith(panel);
    const watcher = measurements.find(panel);
    expect(watcher).toBeInstanceOf(NotebookMeasurements);

    const changed: unknown[] = [];
    measurements.changed.connect((_, which) => changed.push(which));
    await flush();
    // The watcher attached to the notebook's cells once it was ready, and said so.
    expect(changed).toEqual([panel]);

    dispose();
    expect(measurements.find(panel)).toBeUndefined();
  });
});
