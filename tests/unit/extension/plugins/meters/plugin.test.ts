/**
 * The meters plugin: a comm per GAISSA kernel of an open notebook, opened only once the settings
 * are loaded; settings changes sent to every GAISSA kernel; the active notebook's meter followed.
 */
import { Signal } from '@lumino/signaling';
import { DEFAULT_SETTINGS } from '../../../../../core/settings-defaults';
import type { IGaissaMeters, IGaissaSettings } from '../../../../../extension/tokens';

const mockWarning = jest.fn();
jest.mock('@jupyterlab/apputils', () => ({ Notification: { warning: mockWarning } }));
jest.mock('@jupyterlab/notebook', () => ({ INotebookTracker: { name: 'INotebookTracker' } }));

// Imported after the mocks: the real packages do not load outside a browser.
import { metersPlugin } from '../../../../../extension/plugins/meters/plugin';

class FakeComm {
  opened: unknown[] = [];
  sent: unknown[] = [];
  isDisposed = false;
  onMsg: (msg: { content: { data: unknown } }) => void = () => undefined;
  onClose: () => void = () => undefined;
  open(data: unknown) {
    this.opened.push(data);
  }
  send(data: unknown) {
    this.sent.push(data);
  }
  close() {
    this.isDisposed = true;
  }
}

class FakeKernel {
  status = 'idle';
  readonly statusChanged = new Signal<this, string>(this);
  readonly disposed = new Signal<this, void>(this);
  readonly comms: FakeComm[] = [];
  constructor(readonly name: string) {}
  createComm() {
    const comm = new FakeComm();
    this.comms.push(comm);
    return comm;
  }
}

class FakePanel {
  readonly kernelChanged = new Signal<this, void>(this);
  readonly sessionContext = {
    session: { kernel: null as FakeKernel | null },
    kernelChanged: this.kernelChanged
  };
  constructor(kernel: FakeKernel | null) {
    this.sessionContext.session.kernel = kernel;
  }
  setKernel(kernel: FakeKernel) {
    this.sessionContext.session.kernel = kernel;
    this.kernelChanged.emit();
  }
}

function setup() {
  const tracker = {
    currentWidget: null as FakePanel | null,
    widgetAdded: new Signal<object, FakePanel>({}),
    currentChanged: new Signal<object, FakePanel | null>({})
  };
  let markLoaded: () => void = () => undefined;
  const settingsChanged = new Signal<object, typeof DEFAULT_SETTINGS>({});
  const settings = {
    current: { ...DEFAULT_SETTINGS },
    changed: settingsChanged,
    loaded: new Promise<void>(resolve => (markLoaded = resolve))
  };
  const meters = metersPlugin.activate(
    {} as never,
    tracker,
    settings as unknown as IGaissaSettings
  ) as IGaissaMeters;
  const open = (panel: FakePanel, current = true) => {
    tracker.widgetAdded.emit(panel);
    if (current) {
      tracker.currentWidget = panel;
      tracker.currentChanged.emit(panel);
    }
  };
  const load = async (next: Partial<typeof DEFAULT_SETTINGS> = {}) => {
    settings.current = { ...DEFAULT_SETTINGS, ...next };
    settingsChanged.emit(settings.current);
    markLoaded();
    await settings.loaded;
    await flush();
  };
  const change = (next: Partial<typeof DEFAULT_SETTINGS>) => {
    settings.current = { ...DEFAULT_SETTINGS, ...next };
    settingsChanged.emit(settings.current);
  };
  return { tracker, meters, open, load, change };
}

const flush = () => new Promise(resolve => setTimeout(resolve, 0));

beforeEach(() => mockWarning.mockClear());

describe('meters plugin', () => {
  it('declares the service it provides and what it needs', () => {
    expect(metersPlugin.provides?.name).toBe('gaissa-jupyterlab:IGaissaMeters');
    expect(metersPlugin.requires?.map(t => t.name)).toEqual([
      'INotebookTracker',
      'gaissa-jupyterlab:IGaissaSettings'
    ]);
  });

  it('opens the comm only once the settings are loaded, with the user’s settings in the hello', async () => {
    const { meters, open, load } = setup();
    const kernel = new FakeKernel('gaissa');
    open(new FakePanel(kernel));
    await flush();
    expect(kernel.comms).toHaveLength(0);
    expect(meters.active).toBeNull();
    await load({ region: 'FR' });
    expect(kernel.comms).toHaveLength(1);
    expect(kernel.comms[0].opened).toEqual([
      {
        type: 'hello',
        protocol: 1,
        settings: { region: 'FR', pue: 1, defaultRepeats: 1, autoMeasure: false }
      }
    ]);
  });

  it('leaves other kernels alone', async () => {
    const { meters, open, load } = setup();
    const python = new FakeKernel('python3');
    open(new FakePanel(python));
    await load();
    expect(python.comms).toHaveLength(0);
    expect(meters.active).toBeNull();
  });

  it('sends a settings change to every GAISSA kernel, not only the one on screen', async () => {
    const { open, load, change } = setup();
    const first = new FakeKernel('gaissa');
    const second = new FakeKernel('gaissa');
    open(new FakePanel(first));
    open(new FakePanel(second), false);
    await load();
    expect(first.comms).toHaveLength(1);
    expect(second.comms).toHaveLength(1);
    change({ region: 'PL' });
    const message = {
      type: 'settings',
      settings: { region: 'PL', pue: 1, defaultRepeats: 1, autoMeasure: false }
    };
    expect(first.comms[0].sent).toEqual([message]);
    expect(second.comms[0].sent).toEqual([message]);
  });

  it('follows the active notebook’s kernel, and its kernel changes', async () => {
    const { tracker, meters, open, load } = setup();
    const seen: unknown[] = [];
    meters.activeChanged.connect((_, meter) => seen.push(meter));
    const gaissa = new FakeKernel('gaissa');
    const gaissaPanel = new FakePanel(gaissa);
    const pythonPanel = new FakePanel(new FakeKernel('python3'));
    open(gaissaPanel);
    await load();
    const meter = meters.active;
    expect(meter).not.toBeNull();
    expect(seen).toEqual([meter]);

    open(pythonPanel);
    await flush();
    expect(meters.active).toBeNull();
    expect(seen).toEqual([meter, null]);

    tracker.currentWidget = gaissaPanel;
    tracker.currentChanged.emit(gaissaPanel);
    await flush();
    // The same kernel keeps its meter (one comm per kernel).
    expect(meters.active).toBe(meter);
    expect(gaissa.comms).toHaveLength(1);

    const restarted = new FakeKernel('gaissa');
    gaissaPanel.setKernel(restarted);
    await flush();
    expect(meters.active).not.toBe(meter);
    expect(restarted.comms).toHaveLength(1);
    expect(seen).toHaveLength(4);
  });

  it('tells the user when the kernel refuses a setting', async () => {
    const { open, load } = setup();
    const kernel = new FakeKernel('gaissa');
    open(new FakePanel(kernel));
    await load();
    kernel.comms[0].onMsg({
      content: { data: { type: 'settings-error', field: 'region', message: 'unknown region' } }
    });
    expect(mockWarning).toHaveBeenCalledWith(
      'GAISSA kernel refused the setting region: unknown region',
      { autoClose: 8000 }
    );
  });
});
