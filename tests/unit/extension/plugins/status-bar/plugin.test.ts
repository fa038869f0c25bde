/**
 * @jest-environment jsdom
 */
import '../../fixtures/jsdom-globals';
import { Signal } from '@lumino/signaling';
import type { Widget } from '@lumino/widgets';
import type { MeterState } from '../../../../../extension/plugins/meters/meter-connection';
import { CommandIDs, type IGaissaMeters } from '../../../../../extension/tokens';
import { power } from '../../fixtures/power-message';

jest.mock('@jupyterlab/statusbar', () => ({ IStatusBar: { name: 'IStatusBar' } }));

// Imported after the mock: the real package does not load outside a browser.
import { statusBarPlugin } from '../../../../../extension/plugins/status-bar/plugin';
import { IStatusBar } from '@jupyterlab/statusbar';

/** What the status bar plugin reads of a meter connection. */
class FakeMeter {
  readonly changed = new Signal<this, MeterState>(this);
  state: MeterState = { kind: 'connecting' };
  set(state: MeterState) {
    this.state = state;
    this.changed.emit(state);
  }
}

interface Item {
  item: Widget;
  align: string;
  isActive: () => boolean;
  activeStateChanged: Signal<unknown, void>;
}

function setup() {
  const meters = {
    active: null as FakeMeter | null,
    activeChanged: new Signal<object, FakeMeter | null>({})
  };
  const registered: Array<[string, Item]> = [];
  const statusBar = { registerStatusItem: (id: string, item: Item) => registered.push([id, item]) };
  const execute = jest.fn(() => Promise.resolve());
  statusBarPlugin.activate(
    { commands: { execute } } as never,
    meters as unknown as IGaissaMeters,
    statusBar as never
  );
  const [[id, item]] = registered;
  const show = (meter: FakeMeter | null) => {
    meters.active = meter;
    meters.activeChanged.emit(meter);
  };
  return { id, item, show, execute };
}

describe('status-bar plugin', () => {
  it('registers the meter on the left, inactive while no GAISSA kernel is active', () => {
    const { id, item } = setup();
    expect(id).toBe('gaissa-jupyterlab:meter');
    expect(item.align).toBe('left');
    expect(item.isActive()).toBe(false);
    expect(item.item.node.dataset.state).toBe('none');
  });

  it('follows the active meter and its states', () => {
    const { item, show } = setup();
    let toggles = 0;
    item.activeStateChanged.connect(() => toggles++);
    const first = new FakeMeter();
    show(first);
    expect(item.isActive()).toBe(true);
    expect(toggles).toBe(1);
    expect(item.item.node.dataset.state).toBe('connecting');
    first.set({ kind: 'live', sample: power });
    expect(item.item.node.dataset.state).toBe('live');

    const second = new FakeMeter();
    show(second);
    expect(item.item.node.dataset.state).toBe('connecting');
    // The meter no longer shown no longer draws.
    first.set({ kind: 'unavailable', reason: 'gone' });
    expect(item.item.node.dataset.state).toBe('connecting');

    show(null);
    expect(item.isActive()).toBe(false);
    expect(item.item.node.dataset.state).toBe('none');
    expect(toggles).toBe(3);
  });

  it('opens the measurements panel when clicked', () => {
    const { item, show, execute } = setup();
    show(new FakeMeter());
    item.item.node.click();
    expect(execute).toHaveBeenCalledWith(CommandIDs.showMeasurements);
  });

  it('asks only for the meters: without a status bar it shows nothing and does not fail', () => {
    expect(statusBarPlugin.requires).not.toContain(IStatusBar);
    expect(statusBarPlugin.optional).toContain(IStatusBar);
    const meters = { active: null, activeChanged: new Signal<object, null>({}) };
    expect(() =>
      statusBarPlugin.activate({ commands: {} } as never, meters as never, null as never)
    ).not.toThrow();
  });
});
