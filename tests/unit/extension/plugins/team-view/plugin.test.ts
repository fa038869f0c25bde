/**
 * @jest-environment jsdom
 */
import '../../fixtures/jsdom-globals';
import { Widget } from '@lumino/widgets';
import { CommandIDs } from '../../../../../extension/tokens';
import { sampleTeamView } from '../../fixtures/team-view';

jest.mock('@jupyterlab/application', () => ({}));
jest.mock('@jupyterlab/apputils', () => ({
  ICommandPalette: { name: 'ICommandPalette' },
  Notification: { error: jest.fn() }
}));
jest.mock('@jupyterlab/notebook', () => ({ INotebookTracker: { name: 'INotebookTracker' } }));

// Imported after the mocks: the real packages do not load outside a browser.
import { teamViewPlugin } from '../../../../../extension/plugins/team-view/plugin';

type Command = { label: string; execute: () => Promise<void> };

class FakeComm {
  opened: unknown[] = [];
  isDisposed = false;
  onMsg: (msg: { content: { data: unknown } }) => void = () => undefined;
  onClose: () => void = () => undefined;
  open(data: unknown) {
    this.opened.push(data);
  }
  send() {}
  close() {
    this.isDisposed = true;
  }
}

function fakeKernel(name: string) {
  const comms: FakeComm[] = [];
  return {
    name,
    status: 'idle',
    isDisposed: false,
    comms,
    createComm: () => {
      comms.push(new FakeComm());
      return comms[comms.length - 1];
    },
    shutdown: jest.fn(() => Promise.resolve())
  };
}

function setup(notebookKernel: ReturnType<typeof fakeKernel> | null) {
  const commands = new Map<string, Command>();
  const added: Array<[Widget, string]> = [];
  const started: Array<ReturnType<typeof fakeKernel>> = [];
  const app = {
    commands: { addCommand: (id: string, command: Command) => commands.set(id, command) },
    shell: {
      add: (widget: Widget, area: string) => {
        added.push([widget, area]);
        Widget.attach(widget, document.body);
      },
      activateById: jest.fn()
    },
    serviceManager: {
      kernels: {
        startNew: jest.fn(async ({ name }: { name: string }) => {
          started.push(fakeKernel(name));
          return started[started.length - 1];
        })
      }
    }
  };
  const tracker = {
    currentWidget: notebookKernel && { sessionContext: { session: { kernel: notebookKernel } } }
  };
  const palette = { addItem: jest.fn() };
  teamViewPlugin.activate(app as never, tracker as never, palette as never);
  const command = commands.get(CommandIDs.showTeamView)!;
  return { app, added, started, palette, command };
}

const settle = () => new Promise(r => setTimeout(r, 0));

afterEach(() => {
  document.body.innerHTML = '';
});

describe('team-view plugin', () => {
  it('adds "GAISSA: Show team view" to the palette and builds one view, in the main area', async () => {
    const notebook = fakeKernel('gaissa');
    const { added, palette, command, started } = setup(notebook);
    expect(command.label).toBe('GAISSA: Show team view');
    expect(palette.addItem).toHaveBeenCalledWith({
      command: CommandIDs.showTeamView,
      category: 'GAISSA'
    });
    expect(document.querySelector('.gaissa-team-view')).toBeNull();
    await command.execute();
    await command.execute();
    await settle();
    expect(added.map(([w, area]) => [w.id, area])).toEqual([['gaissa-team-view', 'main']]);
    expect(started).toEqual([]);
    notebook.comms[0].onMsg({ content: { data: sampleTeamView() } });
    expect(document.querySelectorAll('.gaissa-team-view-bar')).toHaveLength(4);
  });

  it('starts a GAISSA kernel when the notebook is on another kernel, and shuts it down with the view', async () => {
    const { added, command, started, app } = setup(fakeKernel('python3'));
    await command.execute();
    await settle();
    expect(app.serviceManager.kernels.startNew).toHaveBeenCalledWith({ name: 'gaissa' });
    expect(started[0].comms[0].opened).toEqual([{ type: 'fetch', protocol: 1 }]);
    added[0][0].close();
    expect(started[0].shutdown).toHaveBeenCalled();
    await command.execute();
    expect(added).toHaveLength(2);
  });
});
