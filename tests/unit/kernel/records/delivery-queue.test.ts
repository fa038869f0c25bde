// The queue against scripted servers, with a fake clock: backoff delays, the tries and age bounds,
// the capacity, timeouts of a hung server, refusals, the one warning per outage, flush and close.
import {
  DeliveryQueue,
  DeliveryRefused,
  reasonText,
  refusesRetry,
  UNDELIVERED_LISTED,
  type DeliveryBounds
} from '../../../../kernel/records/delivery-queue';
import { sinksText } from '../../../../kernel/records/team-record-sink';
import { FakeClock, settle } from './fixtures/fake-clock';

/** A server that answers as `behaviour` says, recording each batch it is sent. */
function setup(bounds: Partial<DeliveryBounds> = {}) {
  const clock = new FakeClock();
  const warnings: string[] = [];
  const batches: string[][] = [];
  const latencies: number[] = [];
  let behaviour: 'ok' | 'down' | 'hang' | 'refuse' = 'ok';
  const queue = new DeliveryQueue<string>({
    name: 'Test server',
    idOf: item => item,
    clock,
    warn: text => warnings.push(text),
    bounds: { firstDelayMs: 1000, maxDelayMs: 8000, attemptTimeoutMs: 5000, ...bounds },
    onDelivered: (_, ms) => latencies.push(ms),
    deliver: items => {
      batches.push(items);
      if (behaviour === 'down')
        return Promise.reject(
          Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })
        );
      if (behaviour === 'refuse') return Promise.reject(new DeliveryRefused('HTTP 400: bad'));
      if (behaviour === 'hang') return new Promise<void>(() => undefined);
      return Promise.resolve();
    }
  });
  return {
    clock,
    warnings,
    batches,
    latencies,
    queue,
    set: (b: typeof behaviour) => (behaviour = b)
  };
}

describe('DeliveryQueue', () => {
  it('delivers in the background: push returns before the server answers', async () => {
    const { queue, batches, clock } = setup();
    queue.push('a');
    expect(queue.status()).toMatchObject({ delivered: 0, pending: 1 });
    await clock.advance(0);
    expect(batches).toEqual([['a']]);
    expect(queue.status()).toMatchObject({ delivered: 1, pending: 0, undelivered: [], down: null });
  });

  it('sends what waits behind an attempt in one batch, up to batchSize', async () => {
    const { queue, batches, clock } = setup({ batchSize: 2 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) queue.push(id);
    await clock.advance(0);
    expect(batches).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
    expect(queue.status().delivered).toBe(5);
  });

  it('retries with doubling delays capped at maxDelayMs, and warns once per outage', async () => {
    const { queue, batches, clock, warnings, set, latencies } = setup({ maxTries: 100 });
    set('down');
    queue.push('a');
    await clock.advance(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Test server: cannot deliver (fetch failed: ECONNREFUSED)');
    expect(warnings[0]).toContain('%gaissa sinks');
    const sent = () => batches.length;
    for (const delay of [1000, 2000, 4000, 8000, 8000]) {
      const before = sent();
      await clock.advance(delay - 1);
      expect(sent()).toBe(before);
      await clock.advance(1);
      expect(sent()).toBe(before + 1);
    }
    expect(warnings).toHaveLength(1);
    expect(queue.status().down).toBe('fetch failed: ECONNREFUSED');
    set('ok');
    await clock.advance(8000);
    expect(queue.status()).toMatchObject({ delivered: 1, pending: 0, down: null });
    expect(latencies).toEqual([1000 + 2000 + 4000 + 8000 + 8000 + 8000]);
    // A new outage is a new report.
    set('down');
    queue.push('b');
    await clock.advance(0);
    expect(warnings).toHaveLength(2);
  });

  it('gives an item up after maxTries, naming the last failure', async () => {
    const { queue, clock, set } = setup({ maxTries: 3 });
    set('down');
    queue.push('a');
    await clock.advance(60_000);
    expect(queue.status()).toMatchObject({
      pending: 0,
      undelivered: [{ id: 'a', reason: '3 tries failed (last: fetch failed: ECONNREFUSED)' }]
    });
  });

  it('gives an item up at its first failure once older than maxAgeMs', async () => {
    const { queue, clock, set } = setup({ maxTries: 1000, maxAgeMs: 10_000 });
    set('down');
    queue.push('a');
    // Attempts at 0, 1, 3, 7 and 15 s: the one at 15 s is the first past the age.
    await clock.advance(14_999);
    expect(queue.status()).toMatchObject({ pending: 1, undelivered: [] });
    await clock.advance(1);
    expect(queue.status().undelivered).toEqual([
      { id: 'a', reason: 'older than 10 s (last: fetch failed: ECONNREFUSED)' }
    ]);
  });

  it('abandons an attempt to a hung server after attemptTimeoutMs', async () => {
    const { queue, clock, set, warnings } = setup({ maxTries: 2 });
    set('hang');
    queue.push('a');
    await clock.advance(4999);
    expect(queue.status().down).toBeNull();
    await clock.advance(1);
    expect(queue.status().down).toBe('no answer within 5 s');
    expect(warnings[0]).toContain('no answer within 5 s');
    await clock.advance(1000 + 5000);
    expect(queue.status().undelivered).toEqual([
      { id: 'a', reason: '2 tries failed (last: no answer within 5 s)' }
    ]);
  });

  it('gives a refused batch up at once and keeps the items behind it', async () => {
    const { queue, clock, set, batches } = setup({ batchSize: 1 });
    set('refuse');
    queue.push('a');
    queue.push('b');
    await clock.advance(0);
    expect(queue.status().undelivered).toEqual([{ id: 'a', reason: 'refused: HTTP 400: bad' }]);
    set('ok');
    await clock.advance(1000);
    expect(batches.map(b => b.join())).toEqual(['a', 'b']);
    expect(queue.status()).toMatchObject({ delivered: 1, pending: 0 });
  });

  it('holds at most `capacity` items: the next one is listed as not delivered', async () => {
    const { queue, clock, set } = setup({ capacity: 2, maxTries: 100 });
    set('down');
    for (const id of ['a', 'b', 'c']) queue.push(id);
    await clock.advance(0);
    expect(queue.status()).toMatchObject({
      pending: 2,
      undelivered: [{ id: 'c', reason: 'queue full (2 waiting)' }]
    });
  });

  it('counts every item given up but lists only the latest, however long the outage', async () => {
    const { queue, clock, set } = setup({ capacity: 1, maxTries: 100 });
    set('hang');
    for (let i = 0; i < 1000; i++) queue.push(`r${i}`);
    await clock.advance(0);
    const status = queue.status();
    expect(status.notDelivered).toEqual({ measurements: 999, labels: 0, comparisons: 0 });
    expect(status.undelivered.map(u => u.id)).toEqual(
      Array.from({ length: UNDELIVERED_LISTED }, (_, i) => `r${980 + i}`)
    );
    const text = sinksText([status]);
    expect(text).toContain('Test server: 0 delivered, 1 waiting, 999 not delivered');
    expect(text).toContain('the latest 20:');
    expect(text.split('\n').filter(l => l.includes('not delivered: r'))).toHaveLength(20);
  });

  it('flush retries now instead of after the backoff', async () => {
    const { queue, clock, set } = setup({ firstDelayMs: 60_000, maxTries: 100 });
    set('down');
    queue.push('a');
    await clock.advance(0);
    set('ok');
    const flushed = queue.flush(10_000);
    await clock.advance(0);
    expect(await flushed).toMatchObject({ delivered: 1, pending: 0 });
  });

  it('flush is bounded by its timeout against a hung server', async () => {
    const { queue, clock, set } = setup({ attemptTimeoutMs: 60_000 });
    set('hang');
    queue.push('a');
    let done = false;
    const flushed = queue.flush(2000).then(s => ((done = true), s));
    await clock.advance(1999);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(await flushed).toMatchObject({ delivered: 0, pending: 1 });
  });

  it('close lists what is still waiting as not delivered, and refuses later pushes', async () => {
    const { queue, clock, set } = setup({ maxTries: 100 });
    set('down');
    queue.push('a');
    await clock.advance(0);
    const closed = queue.close(1000);
    await clock.advance(1000);
    expect((await closed).undelivered).toEqual([
      { id: 'a', reason: 'still waiting at exit (fetch failed: ECONNREFUSED)' }
    ]);
    queue.push('b');
    await settle();
    expect(queue.status().undelivered.map(u => u.id)).toEqual(['a', 'b']);
  });

  it('close keeps retrying on the backoff until its bound, unlike flush', async () => {
    const { queue, clock, set, batches } = setup({ maxTries: 100 });
    set('down');
    queue.push('a');
    await clock.advance(0);
    let closed = false;
    const closing = queue.close(10_000).then(s => ((closed = true), s));
    // Tries at once, then at 2 s and at 6 s (the backoff goes on); the server is back at 5 s.
    await clock.advance(5000);
    expect(closed).toBe(false);
    set('ok');
    await clock.advance(2000);
    expect(await closing).toMatchObject({ delivered: 1, pending: 0, undelivered: [] });
    expect(batches).toHaveLength(4);
  });

  it('a cumulative queue re-sends after giving items up, until a delivery carries them', async () => {
    const { clock, warnings } = setup();
    const batches: string[][] = [];
    let up = false;
    const queue = new DeliveryQueue<string>({
      name: 'Totals',
      idOf: item => item,
      cumulative: true,
      clock,
      warn: text => warnings.push(text),
      bounds: { firstDelayMs: 1000, maxDelayMs: 8000, maxTries: 2, catchUpMs: 60_000 },
      deliver: items => {
        batches.push(items);
        return up ? Promise.resolve() : Promise.reject(new Error('HTTP 503'));
      }
    });
    queue.push('a');
    await clock.advance(1000); // tries at 0 and 1 s: given up
    expect(queue.status()).toMatchObject({ pending: 0, notDelivered: { measurements: 1 } });
    // No new item: the queue keeps trying on the backoff (2 s, 4 s, 8 s, 8 s...) with none.
    await clock.advance(2000 + 4000);
    expect(batches).toEqual([['a'], ['a'], [], []]);
    up = true;
    await clock.advance(8000);
    expect(batches).toHaveLength(5);
    expect(queue.status()).toMatchObject({
      delivered: 1,
      notDelivered: { measurements: 0 },
      undelivered: [],
      down: null
    });
    expect(warnings).toHaveLength(1);
    // Carried: nothing more is sent.
    await clock.advance(120_000);
    expect(batches).toHaveLength(5);
  });

  it('stops re-sending catchUpMs after the latest item was given up, and after a refusal', async () => {
    const clock = new FakeClock();
    let answer: 'down' | 'refuse' = 'down';
    let sent = 0;
    const make = () =>
      new DeliveryQueue<string>({
        name: 'Totals',
        idOf: item => item,
        cumulative: true,
        clock,
        warn: () => {},
        bounds: { firstDelayMs: 1000, maxDelayMs: 1000, maxTries: 1, catchUpMs: 10_000 },
        deliver: () => {
          sent++;
          return Promise.reject(
            answer === 'down' ? new Error('HTTP 503') : new DeliveryRefused('HTTP 400')
          );
        }
      });
    const queue = make();
    queue.push('a');
    await clock.advance(60_000);
    // The give-up at 0 s, then one try a second until 10 s after it.
    expect(sent).toBe(10);
    expect(queue.status().notDelivered.measurements).toBe(1);
    sent = 0;
    answer = 'refuse';
    make().push('b');
    await clock.advance(60_000);
    expect(sent).toBe(1);
  });

  it('a non-cumulative queue never re-sends what it gave up', async () => {
    const { queue, clock, set, batches } = setup({ maxTries: 1 });
    set('down');
    queue.push('a');
    await clock.advance(60_000);
    expect(batches).toEqual([['a']]);
  });

  it('close tries once more to carry what a cumulative queue owes', async () => {
    const clock = new FakeClock();
    let up = false;
    const batches: string[][] = [];
    const queue = new DeliveryQueue<string>({
      name: 'Totals',
      idOf: item => item,
      cumulative: true,
      clock,
      warn: () => {},
      bounds: { firstDelayMs: 60_000, maxTries: 1 },
      deliver: items => {
        batches.push(items);
        return up ? Promise.resolve() : Promise.reject(new Error('HTTP 503'));
      }
    });
    queue.push('a');
    await clock.advance(0);
    up = true;
    const closed = queue.close(1000);
    await clock.advance(0);
    expect(await closed).toMatchObject({ delivered: 1, notDelivered: { measurements: 0 } });
    expect(batches).toEqual([['a'], []]);
  });

  it('survives a deliver that throws instead of rejecting', async () => {
    const clock = new FakeClock();
    const queue = new DeliveryQueue<string>({
      name: 'T',
      idOf: i => i,
      clock,
      warn: () => {},
      bounds: { maxTries: 1 },
      deliver: () => {
        throw new Error('sync');
      }
    });
    queue.push('a');
    await clock.advance(0);
    expect(queue.status().undelivered).toEqual([
      { id: 'a', reason: '1 tries failed (last: sync)' }
    ]);
  });
});

describe('refusesRetry and reasonText', () => {
  it('treats 4xx but 408 and 429 as refusals', () => {
    expect([400, 401, 404, 408, 429, 500, 503].map(refusesRetry)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false
    ]);
  });

  it("names fetch's hidden cause", () => {
    expect(reasonText(Object.assign(new Error('fetch failed'), { cause: { code: 'EPIPE' } }))).toBe(
      'fetch failed: EPIPE'
    );
    expect(reasonText(new Error('plain'))).toBe('plain');
  });
});
