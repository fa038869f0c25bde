/**
 * @jest-environment jsdom
 */
import '../../fixtures/jsdom-globals';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { CommandIDs, type INotebookMeasurements } from '../../../../../extension/tokens';
import { asPayload, sampleRecord } from '../../fixtures/measurement-record';

jest.mock('@jupyterlab/application', () => ({ ILabShell: { name: 'ILabShell' } }));
jest.mock('@jupyterlab/apputils', () => ({ ICommandPalette: { name: 'ICommandPalette' } }));
jest.mock('@jupyterlab/notebook', () => ({ INotebookTracker: { name: 'INotebookTracker' } }));

// Imported after the mocks: the real packages do not load outside a browser.
import { measurementsPanelPlugin } from '../../../../../extension/plugins/measurements-panel/plugin';

type Command = { label: string; execute: () => Promise<void> };

function fakeNotebook(id: string, energies: number[]) {
  return {
    id,
    title: { label: `${id}.ipynb` },
    content: { activeCellIndex: 0, scrollToItem: jest.fn(() => Promise.resolve()) },
    watcher: {
      cells: () =>
        energies.map((energyJ, i) => ({
          metadata: undefined,
          payloads: [asPayload(sampleRecord({ id: `${id}-${i}`, energyJ }))]
        }))
    }
  };
}

function setup() {
  const commands = new Map<string, Command>();
  const added: Array<[Widget, string]> = [];
  const app = {
    commands: { addCommand: (id: string, command: Command) => commands.set(id, command) },
    shell: {
      add: (widget: Widget, area: string) => {
        added.push([widget, area]);
        Widget.attach(widget, document.body);
      },
      activateById: jest.fn()
    }
  };
  const first = fakeNotebook('first', [1, 2]);
  const second = fakeNotebook('second', [3]);
  const tracker = {
    currentWidget: first as typeof first | null,
    currentChanged: new Signal<object, unknown>({})
  };
  const measurements = {
    find: (panel: typeof first) => panel.watcher,
    changed: new Signal<object, unknown>({})
  };
  const palette = { addItem: jest.fn() };
  const labShell = { activeChanged: new Signal<object, unknown>({}), activateById: jest.fn() };
  measurementsPanelPlugin.activate(
    app as never,
    tracker,
    measurements as unknown as INotebookMeasurements,
    palette,
    labShell
  );
  const show = () => commands.get(CommandIDs.showMeasurements)!.execute();
  const rows = () => Array.from(document.querySelectorAll('.gaissa-measurements-row'));
  return { app, added, tracker, first, second, measurements, palette, labShell, show, rows };
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('measurements-panel plugin', () => {
  it('adds the command to the palette; the panel is built on first use, once', async () => {
    const { added, palette, show, rows, app } = setup();
    expect(palette.addItem).toHaveBeenCalledWith({
      command: CommandIDs.showMeasurements,
      category: 'GAISSA'
    });
    expect(added).toHaveLength(0);
    await show();
    await show();
    expect(added.map(([widget, area]) => [widget.id, area])).toEqual([
      ['gaissa-measurements', 'right']
    ]);
    expect(app.shell.activateById).toHaveBeenLastCalledWith('gaissa-measurements');
    expect(rows()).toHaveLength(2);
  });

  it('lists the current notebook’s measurements, again when they or the notebook change', async () => {
    const { tracker, first, second, measurements, show, rows } = setup();
    await show();
    expect(document.querySelector('.gaissa-measurements-notebook')?.textContent).toBe(
      ' in first.ipynb'
    );
    tracker.currentWidget = second;
    tracker.currentChanged.emit(second);
    expect(rows()).toHaveLength(1);
    second.watcher.cells = () => [];
    measurements.changed.emit(second);
    expect(rows()).toHaveLength(0);
    tracker.currentWidget = null;
    tracker.currentChanged.emit(null);
    expect(document.querySelector('.gaissa-measurements-empty')?.textContent).toMatch(
      /^Open a notebook/
    );
    expect(first.watcher.cells()).toHaveLength(2);
  });

  it('goes to the cell of a row', async () => {
    const { first, labShell, show, rows } = setup();
    await show();
    const row = rows().find(r => r.textContent?.startsWith('[2]')) as HTMLElement;
    row.click();
    expect(first.content.activeCellIndex).toBe(1);
    expect(first.content.scrollToItem).toHaveBeenCalledWith(1, 'center');
    expect(labShell.activateById).toHaveBeenCalledWith('first');
  });
});
