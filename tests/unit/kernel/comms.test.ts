/** Comms: targets registered by features, comms opened from either side, messages and closes. */
import { Comm, CommManager, CommPublish } from '../../../kernel/comms';

type Published = { msgType: string; content: Record<string, unknown>; metadata?: unknown };

function setup() {
  const published: Published[] = [];
  const publish: CommPublish = (msgType, content, metadata) =>
    published.push({ msgType, content, metadata });
  return { manager: new CommManager(publish), published };
}

describe('CommManager', () => {
  test('comm_open from the frontend to a registered target calls it with the comm and data', () => {
    const { manager, published } = setup();
    const opened: [Comm, unknown][] = [];
    manager.registerTarget('gaissa.meter', (comm, data) => opened.push([comm, data]));
    expect(manager.handleOpen('c-1', 'gaissa.meter', { interval: 1 })).toBe(true);
    expect(opened).toHaveLength(1);
    const [comm, data] = opened[0];
    expect(comm.commId).toBe('c-1');
    expect(comm.targetName).toBe('gaissa.meter');
    expect(comm.closed).toBe(false);
    expect(data).toEqual({ interval: 1 });
    expect(manager.info()).toEqual({ 'c-1': { target_name: 'gaissa.meter' } });
    // Opening from the frontend publishes nothing by itself.
    expect(published).toEqual([]);
  });

  test('comm_open to an unknown target is refused and nothing is tracked', () => {
    const { manager, published } = setup();
    manager.registerTarget('known', () => undefined);
    expect(manager.handleOpen('c-2', 'unknown', {})).toBe(false);
    expect(manager.info()).toEqual({});
    expect(manager.handleMessage('c-2', { x: 1 })).toBe(false);
    expect(published).toEqual([]);
  });

  test('comm_msg is routed to the handlers of that comm only', () => {
    const { manager } = setup();
    const got: Record<string, unknown[]> = {};
    manager.registerTarget('t', comm => {
      got[comm.commId] = [];
      comm.onMessage(d => got[comm.commId].push(d));
      comm.onMessage(d => got[comm.commId].push({ second: d }));
    });
    manager.handleOpen('a', 't', {});
    manager.handleOpen('b', 't', {});
    expect(manager.handleMessage('a', { n: 1 })).toBe(true);
    expect(manager.handleMessage('b', { n: 2 })).toBe(true);
    expect(manager.handleMessage('zzz', { n: 3 })).toBe(false);
    expect(got).toEqual({
      a: [{ n: 1 }, { second: { n: 1 } }],
      b: [{ n: 2 }, { second: { n: 2 } }]
    });
  });

  test('send publishes comm_msg with the comm id, data and metadata', () => {
    const { manager, published } = setup();
    let comm!: Comm;
    manager.registerTarget('t', c => (comm = c));
    manager.handleOpen('c', 't', {});
    comm.send({ watts: 12.5 }, { buffers_hint: 0 });
    comm.send('plain');
    expect(published).toEqual([
      {
        msgType: 'comm_msg',
        content: { comm_id: 'c', data: { watts: 12.5 } },
        metadata: { buffers_hint: 0 }
      },
      { msgType: 'comm_msg', content: { comm_id: 'c', data: 'plain' }, metadata: {} }
    ]);
  });

  test('comm_close from the frontend: handlers run once, comm forgotten, nothing echoed', () => {
    const { manager, published } = setup();
    let comm!: Comm;
    const closes: unknown[] = [];
    const messages: unknown[] = [];
    manager.registerTarget('t', c => {
      comm = c;
      c.onClose(d => closes.push(d));
      c.onMessage(d => messages.push(d));
    });
    manager.handleOpen('c', 't', {});
    manager.handleClose('c', { reason: 'tab closed' });
    expect(closes).toEqual([{ reason: 'tab closed' }]);
    expect(comm.closed).toBe(true);
    expect(manager.info()).toEqual({});
    expect(published).toEqual([]);
    // Later messages and closes for it go nowhere.
    expect(manager.handleMessage('c', 1)).toBe(false);
    manager.handleClose('c', {});
    expect(messages).toEqual([]);
    expect(closes).toHaveLength(1);
    expect(() => comm.send({})).toThrow('comm t is closed');
    // Closing from the kernel side afterwards publishes nothing either.
    comm.close();
    expect(published).toEqual([]);
  });

  test('close from the kernel: comm_close published once, handlers run, comm forgotten', () => {
    const { manager, published } = setup();
    let comm!: Comm;
    const closes: unknown[] = [];
    manager.registerTarget('t', c => {
      comm = c;
      c.onClose(d => closes.push(d));
    });
    manager.handleOpen('c', 't', {});
    comm.close({ bye: true });
    comm.close({ again: true });
    expect(published).toEqual([
      { msgType: 'comm_close', content: { comm_id: 'c', data: { bye: true } }, metadata: undefined }
    ]);
    expect(closes).toEqual([{ bye: true }]);
    expect(comm.closed).toBe(true);
    expect(manager.info()).toEqual({});
  });

  test('open from the kernel publishes comm_open and tracks the comm', () => {
    const { manager, published } = setup();
    const comm = manager.open('jupyter.widget', { state: 1 });
    expect(comm.commId).toMatch(/^[0-9a-f-]{36}$/);
    expect(published).toEqual([
      {
        msgType: 'comm_open',
        content: { comm_id: comm.commId, target_name: 'jupyter.widget', data: { state: 1 } },
        metadata: undefined
      }
    ]);
    const got: unknown[] = [];
    comm.onMessage(d => got.push(d));
    expect(manager.handleMessage(comm.commId, 'from frontend')).toBe(true);
    expect(got).toEqual(['from frontend']);
    expect(manager.open('x').commId).not.toBe(comm.commId);
    expect(published[1].content.data).toEqual({});
  });

  test('comm_info lists open comms, filtered by target', () => {
    const { manager } = setup();
    manager.registerTarget('a', () => undefined);
    manager.registerTarget('b', () => undefined);
    manager.handleOpen('1', 'a', {});
    manager.handleOpen('2', 'b', {});
    manager.handleOpen('3', 'a', {});
    const k = manager.open('c');
    expect(manager.info()).toEqual({
      '1': { target_name: 'a' },
      '2': { target_name: 'b' },
      '3': { target_name: 'a' },
      [k.commId]: { target_name: 'c' }
    });
    expect(manager.info('a')).toEqual({ '1': { target_name: 'a' }, '3': { target_name: 'a' } });
    expect(manager.info('none')).toEqual({});
    manager.handleClose('1', {});
    expect(manager.info('a')).toEqual({ '3': { target_name: 'a' } });
  });

  test('a target registered again replaces the earlier one', () => {
    const { manager } = setup();
    const calls: string[] = [];
    manager.registerTarget('t', () => calls.push('old'));
    manager.registerTarget('t', () => calls.push('new'));
    manager.handleOpen('x', 't', {});
    expect(calls).toEqual(['new']);
  });
});
