import { Scheduler } from '../../../kernel/scheduler';

const turn = () => new Promise<void>(resolve => setImmediate(resolve));

describe('Scheduler', () => {
  test('runs requests one at a time in arrival order', async () => {
    const events: string[] = [];
    const scheduler = new Scheduler<string>(async (item, arrival) => {
      events.push(`start ${item}#${arrival}`);
      await turn();
      events.push(`end ${item}`);
    }, jest.fn());
    scheduler.enqueue('a');
    scheduler.enqueue('b');
    for (let i = 0; i < 5; i++) await turn();
    expect(events).toEqual(['start a#1', 'end a', 'start b#2', 'end b']);
  });

  test('a request that throws is logged and the queue goes on', async () => {
    const log = jest.fn();
    const ran: string[] = [];
    const scheduler = new Scheduler<string>(async item => {
      if (item === 'bad') throw new Error('broken reply');
      ran.push(item);
    }, log);
    scheduler.enqueue('bad');
    scheduler.enqueue('good');
    await turn();
    expect(ran).toEqual(['good']);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('broken reply'));
    scheduler.enqueue('again');
    await turn();
    expect(ran).toEqual(['good', 'again']);
  });

  test('an interrupt cancels the requests received before it, not those after', async () => {
    const arrivals: number[] = [];
    const scheduler = new Scheduler<string>(async (_item, arrival) => {
      arrivals.push(arrival);
      await new Promise(() => undefined); // the first request never ends
    }, jest.fn());
    scheduler.enqueue('running');
    scheduler.enqueue('waiting');
    const interrupted = jest.fn();
    scheduler.onInterrupt(interrupted);
    scheduler.interrupt();
    // Applied at the end of this turn (listeners not called yet), but already seen as cancelling
    // every request received so far.
    expect(interrupted).not.toHaveBeenCalled();
    expect(scheduler.cancelled(2)).toBe(true);
    expect(scheduler.cancelled(3)).toBe(false);
    await turn();
    expect(interrupted).toHaveBeenCalledTimes(1);
    expect(scheduler.cancelled(1)).toBe(true);
    expect(scheduler.cancelled(2)).toBe(true);
    expect(scheduler.cancelled(3)).toBe(false);
    scheduler.enqueue('after');
    expect(scheduler.cancelled(3)).toBe(false);
  });

  test('unlessInterrupted gives the result, or null once an interrupt came for the request', async () => {
    const scheduler = new Scheduler<string>(() => new Promise(() => undefined), jest.fn());
    scheduler.enqueue('first');
    expect(await scheduler.unlessInterrupted(1, Promise.resolve('runner'))).toBe('runner');
    const never = new Promise<string>(() => undefined);
    const waiting = scheduler.unlessInterrupted(1, never);
    scheduler.interrupt();
    expect(await waiting).toBeNull();
    expect(await scheduler.unlessInterrupted(1, Promise.resolve('runner'))).toBeNull();
  });

  test('takeQueued removes the selected waiting requests', async () => {
    const ran: string[] = [];
    let release!: () => void;
    const scheduler = new Scheduler<string>(async item => {
      ran.push(item);
      if (item === 'first') await new Promise<void>(resolve => (release = resolve));
    }, jest.fn());
    for (const item of ['first', 'x1', 'keep', 'x2']) scheduler.enqueue(item);
    expect(scheduler.takeQueued(item => item.startsWith('x'))).toEqual(['x1', 'x2']);
    release();
    for (let i = 0; i < 3; i++) await turn();
    expect(ran).toEqual(['first', 'keep']);
  });
});
