import { Signal } from '@lumino/signaling';
import {
  MeterConnection,
  STALE_AFTER_MS,
  type MeterKernel,
  type MeterState
} from '../../../../../extension/plugins/meters/meter-connection';
import { power } from '../../fixtures/power-message';

class FakeComm {
  opened: unknown[] = [];
  sent: unknown[] = [];
  isDisposed = false;
  onMsg: (msg: { content: { data: unknown } }) => void = () => undefined;
  onClose: (msg: unknown) => void = () => undefined;
  constructor(readonly targetName: string) {}
  open(data: unknown) {
    this.opened.push(data);
  }
  send(data: unknown) {
    this.sent.push(data);
  }
  close() {
    this.isDisposed = true;
  }
  /** The kernel sends a comm_msg. */
  receive(data: unknown) {
    this.onMsg({ content: { data } });
  }
  /** The kernel closes the comm (e.g. it has no such target). */
  closeFromKernel() {
    this.isDisposed = true;
    this.onClose({});
  }
}

class FakeKernel {
  status = 'idle';
  readonly statusChanged = new Signal<this, string>(this);
  readonly disposed = new Signal<this, void>(this);
  readonly comms: FakeComm[] = [];
  createComm(target: string) {
    const comm = new FakeComm(target);
    this.comms.push(comm);
    return comm;
  }
  setStatus(status: string) {
    this.status = status;
    this.statusChanged.emit(status);
  }
}

const settings = { region: 'FR', pue: 1, defaultRepeats: 1, autoMeasure: false };

function connect(kernel = new FakeKernel()) {
  const connection = new MeterConnection(kernel as unknown as MeterKernel, settings);
  const states: MeterState[] = [];
  connection.changed.connect((_, state) => states.push(state));
  return { kernel, connection, states, comm: () => kernel.comms[kernel.comms.length - 1] };
}

afterEach(() => jest.useRealTimers());

describe('MeterConnection', () => {
  it('opens a gaissa.meter comm with a hello carrying the settings', () => {
    const { connection, comm } = connect();
    expect(comm().targetName).toBe('gaissa.meter');
    expect(comm().opened).toEqual([{ type: 'hello', protocol: 1, settings }]);
    expect(connection.state).toEqual({ kind: 'connecting' });
  });

  it('goes live with each power message and idle when they stop', () => {
    jest.useFakeTimers();
    const { connection, comm } = connect();
    comm().receive(power);
    expect(connection.state).toEqual({ kind: 'live', sample: power });
    jest.advanceTimersByTime(STALE_AFTER_MS - 1);
    comm().receive({ ...power, powerW: 30 });
    jest.advanceTimersByTime(STALE_AFTER_MS - 1);
    expect(connection.state.kind).toBe('live');
    jest.advanceTimersByTime(1);
    expect(connection.state).toEqual({ kind: 'idle', sample: { ...power, powerW: 30 } });
    connection.dispose();
  });

  it('ignores messages that do not match the schema', () => {
    const { connection, comm, states } = connect();
    comm().receive({ ...power, powerW: '<img src=x onerror=alert(1)>' });
    comm().receive('power');
    comm().receive({ type: 'settings-applied', settings: { region: 1 } });
    expect(states).toEqual([]);
    expect(connection.state.kind).toBe('connecting');
    expect(connection.applied).toBeNull();
  });

  it('says "unavailable" when the kernel closes the comm or has no meter', () => {
    const first = connect();
    first.comm().closeFromKernel();
    expect(first.connection.state).toEqual({
      kind: 'unavailable',
      reason: 'this kernel has no live meter'
    });
    const second = connect();
    second.comm().receive({ type: 'unavailable', reason: 'no counters, no estimator' });
    expect(second.connection.state).toEqual({
      kind: 'unavailable',
      reason: 'no counters, no estimator'
    });
  });

  it('sends settings changes and reports the kernel’s answer', () => {
    const { connection, comm } = connect();
    const answers: unknown[] = [];
    connection.settingsAnswered.connect((_, answer) => answers.push(answer));
    const next = { ...settings, region: 'PL', pricePerKWh: 0.3, currency: 'PLN' };
    connection.updateSettings(next);
    expect(comm().sent).toEqual([{ type: 'settings', settings: next }]);
    const applied = {
      region: 'POL',
      regionName: 'Poland',
      carbonIntensityGPerKWh: 650,
      pue: 1,
      pricePerKWh: 0.3,
      currency: 'PLN',
      defaultRepeats: 1,
      autoMeasure: false
    };
    comm().receive({ type: 'settings-applied', settings: applied });
    comm().receive({ type: 'settings-error', field: 'region', message: 'unknown region' });
    expect(connection.applied).toEqual(applied);
    expect(answers).toEqual([{ applied }, { field: 'region', message: 'unknown region' }]);
  });

  it('reopens the comm after a kernel restart, with the latest settings', () => {
    const { kernel, connection } = connect();
    kernel.comms[0].closeFromKernel();
    connection.updateSettings({ ...settings, region: 'DE' });
    kernel.setStatus('restarting');
    expect(connection.state.kind).toBe('connecting');
    kernel.setStatus('starting');
    expect(kernel.comms).toHaveLength(1);
    kernel.setStatus('idle');
    expect(kernel.comms).toHaveLength(2);
    expect(kernel.comms[1].opened).toEqual([
      { type: 'hello', protocol: 1, settings: { ...settings, region: 'DE' } }
    ]);
    // Busy/idle during normal work opens nothing more.
    kernel.setStatus('busy');
    kernel.setStatus('idle');
    expect(kernel.comms).toHaveLength(2);
  });

  it('stops when the kernel dies or is disposed', () => {
    const { kernel, connection } = connect();
    kernel.setStatus('dead');
    expect(connection.state).toEqual({ kind: 'unavailable', reason: 'the kernel is dead' });
    kernel.disposed.emit();
    expect(connection.isDisposed).toBe(true);
    // Nothing is sent to a disposed connection's comm.
    connection.updateSettings(settings);
    expect(kernel.comms[0].sent).toEqual([]);
  });

  it('closes its comm when disposed', () => {
    const { connection, comm } = connect();
    connection.dispose();
    expect(comm().isDisposed).toBe(true);
  });
});
