/** The in-notebook `gaissa` API, driven through a fake OutputSink as the kernel connects it. */
import gaissaDefault, { connectHelp, connectOutput, gaissa } from '../../../../kernel/api';
import { startStopwatch, timeCall } from '../../../../kernel/api/time';
import { MimeBundle, OutputSink } from '../../../../kernel/display';

type Call =
  | ['display', MimeBundle, Record<string, unknown>, string | undefined]
  | ['update', string, MimeBundle, Record<string, unknown>]
  | ['clear', boolean]
  | ['page', MimeBundle];

function fakeSink(): OutputSink & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    display: (data, metadata, displayId) => calls.push(['display', data, metadata, displayId]),
    updateDisplay: (displayId, data, metadata) => calls.push(['update', displayId, data, metadata]),
    clearOutput: wait => calls.push(['clear', wait]),
    page: data => calls.push(['page', data])
  };
}

function busyWait(ms: number): number {
  const end = process.hrtime.bigint() + BigInt(ms * 1e6);
  let spins = 0;
  while (process.hrtime.bigint() < end) spins++;
  return spins;
}

afterEach(() => connectOutput(undefined));

describe('gaissa.display / updateDisplay / clearOutput', () => {
  test('the default export is the same object', () => {
    expect(gaissaDefault).toBe(gaissa);
  });

  test('display sends a normalized bundle (text/plain added) and metadata', () => {
    const sink = fakeSink();
    connectOutput(sink);
    const result = gaissa.display({ 'text/html': '<b>hi</b>' }, { metadata: { isolated: true } });
    expect(result).toBeUndefined();
    expect(sink.calls).toHaveLength(1);
    const [kind, data, metadata, id] = sink.calls[0] as Extract<Call, ['display', ...unknown[]]>;
    expect(kind).toBe('display');
    expect(data['text/html']).toBe('<b>hi</b>');
    expect(typeof data['text/plain']).toBe('string');
    expect(metadata).toEqual({ isolated: true });
    expect(id).toBeUndefined();
  });

  test('display with a display id returns a handle that updates that output', () => {
    const sink = fakeSink();
    connectOutput(sink);
    const handle = gaissa.display({ 'text/plain': '0%' }, { displayId: 'progress' });
    expect(handle.displayId).toBe('progress');
    handle.update({ 'text/plain': '50%' });
    handle.update({ 'text/plain': '100%', 'text/html': '<b>done</b>' }, { final: true });
    expect(sink.calls).toEqual([
      ['display', { 'text/plain': '0%' }, {}, 'progress'],
      ['update', 'progress', { 'text/plain': '50%' }, {}],
      ['update', 'progress', { 'text/plain': '100%', 'text/html': '<b>done</b>' }, { final: true }]
    ]);
  });

  test('displayId: true gives a fresh id each time', () => {
    const sink = fakeSink();
    connectOutput(sink);
    const a = gaissa.display({ 'text/plain': 'a' }, { displayId: true });
    const b = gaissa.display({ 'text/plain': 'b' }, { displayId: true });
    expect(a.displayId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(b.displayId).not.toBe(a.displayId);
    expect(sink.calls.map(c => c[3])).toEqual([a.displayId, b.displayId]);
  });

  test('updateDisplay by id, validating id and bundle', () => {
    const sink = fakeSink();
    connectOutput(sink);
    gaissa.updateDisplay('x', { 'text/markdown': '**new**' });
    expect(sink.calls[0][0]).toBe('update');
    expect(sink.calls[0][1]).toBe('x');
    expect((sink.calls[0][2] as MimeBundle)['text/markdown']).toBe('**new**');
    expect(() => gaissa.updateDisplay('', { 'text/plain': 'x' })).toThrow(
      'updateDisplay needs a display id'
    );
    expect(() => gaissa.updateDisplay(7 as unknown as string, { 'text/plain': 'x' })).toThrow(
      TypeError
    );
    expect(() => gaissa.updateDisplay('x', { html: 'x' })).toThrow(/not a mime type/);
    expect(sink.calls).toHaveLength(1);
  });

  test('invalid bundles never reach the sink', () => {
    const sink = fakeSink();
    connectOutput(sink);
    expect(() => gaissa.display('text' as unknown as MimeBundle)).toThrow(/must be an object/);
    expect(() => gaissa.display({ 'application/json': 1n })).toThrow(/cannot be sent as JSON/);
    expect(sink.calls).toEqual([]);
  });

  test('clearOutput forwards wait, false by default', () => {
    const sink = fakeSink();
    connectOutput(sink);
    gaissa.clearOutput();
    gaissa.clearOutput(true);
    expect(sink.calls).toEqual([
      ['clear', false],
      ['clear', true]
    ]);
  });

  test('page takes text or a bundle', () => {
    const sink = fakeSink();
    connectOutput(sink);
    gaissa.page('some help');
    gaissa.page({ 'text/html': '<p>x</p>', 'text/plain': 'x' });
    expect(sink.calls).toEqual([
      ['page', { 'text/plain': 'some help' }],
      ['page', { 'text/html': '<p>x</p>', 'text/plain': 'x' }]
    ]);
  });

  test('without a kernel attached, outputs fail with a clear error', () => {
    connectOutput(undefined);
    const msg = 'gaissa: displays need the GAISSA kernel (no notebook is attached)';
    expect(() => gaissa.display({ 'text/plain': 'x' })).toThrow(msg);
    expect(() => gaissa.updateDisplay('id', { 'text/plain': 'x' })).toThrow(msg);
    expect(() => gaissa.clearOutput()).toThrow(msg);
    expect(() => gaissa.page('x')).toThrow(msg);
  });

  test('a sink connected later is used; disconnecting stops it', () => {
    const first = fakeSink();
    const second = fakeSink();
    connectOutput(first);
    gaissa.clearOutput();
    connectOutput(second);
    gaissa.clearOutput(true);
    expect(first.calls).toEqual([['clear', false]]);
    expect(second.calls).toEqual([['clear', true]]);
  });
});

describe('gaissa.version / help', () => {
  test('version reports real versions', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require('../../../../package.json') as { version: string };
    const v = gaissa.version();
    expect(v.gaissa).toBe(pkg.version);
    expect(v.node).toBe(process.versions.node);
    expect(v.tslab).toMatch(/^\d+\.\d+\.\d+/);
    expect(v.typescript).toMatch(/^\d+\.\d+\.\d+/);
  });

  test('help is a placeholder until the kernel connects its registry', () => {
    expect(gaissa.help()).toBe('help is available inside the GAISSA kernel');
    const asked: (string | undefined)[] = [];
    connectHelp(cmd => {
      asked.push(cmd);
      return `help for ${cmd ?? 'all'}`;
    });
    expect(gaissa.help()).toBe('help for all');
    expect(gaissa.help('time')).toBe('help for time');
    expect(asked).toEqual([undefined, 'time']);
  });
});

describe('gaissa.time', () => {
  test('is the timeCall function', () => {
    expect(gaissa.time).toBe(timeCall);
  });

  test('measures the wall and CPU time of a busy wait and returns its value', async () => {
    const r = await gaissa.time(() => {
      busyWait(60);
      return 'done';
    });
    expect(r.value).toBe('done');
    expect(r.wallMs).toBeGreaterThanOrEqual(60);
    expect(r.wallMs).toBeLessThan(5000);
    // Spinning burns CPU; leave room for a busy shared machine.
    expect(r.cpuMs).toBeGreaterThan(10);
    expect(r.cpuMs).toBeCloseTo(r.userMs + r.systemMs, 9);
    expect(r.userMs).toBeGreaterThan(0);
    expect(r.systemMs).toBeGreaterThanOrEqual(0);
    expect(r.toMimeBundle()['text/plain']).toMatch(
      /^wall \d+(\.\d+)? (ms|s), CPU \d+(\.\d+)? (µs|ms|s) \(user \d+(\.\d+)? (µs|ms|s), sys \d+(\.\d+)? (µs|ms|s)\)$/
    );
  });

  test('awaits async work: sleeping costs wall time, not CPU time', async () => {
    const r = await gaissa.time(async () => {
      await new Promise(resolve => setTimeout(resolve, 80));
      return 42;
    });
    expect(r.value).toBe(42);
    expect(r.wallMs).toBeGreaterThanOrEqual(75);
    expect(r.cpuMs).toBeLessThan(r.wallMs);
  });

  test('an error in the timed function propagates', async () => {
    await expect(
      gaissa.time(() => {
        throw new RangeError('boom');
      })
    ).rejects.toThrow('boom');
    await expect(gaissa.time(async () => Promise.reject(new Error('async boom')))).rejects.toThrow(
      'async boom'
    );
  });

  test('needs a function', async () => {
    await expect(gaissa.time(42 as unknown as () => number)).rejects.toThrow(
      'gaissa.time needs a function to run'
    );
  });

  test('the stopwatch formats µs, ms and s', () => {
    const realNow = process.hrtime.bigint;
    try {
      // A stubbed clock: a loaded machine must not turn microseconds into milliseconds.
      let t = 0n;
      process.hrtime.bigint = () => t;
      const started = startStopwatch();
      t += 800_000n; // 800 µs
      const fast = started.stop(1);
      expect(fast.value).toBe(1);
      expect(fast.toMimeBundle()['text/plain']).toMatch(/^wall 800 µs, /);
      const watch = startStopwatch();
      t += 2_500_000_000n; // 2.5 s
      expect(watch.stop().toMimeBundle()['text/plain']).toMatch(/^wall 2\.500 s, /);
      const w2 = startStopwatch();
      t += 12_340_000n; // 12.34 ms
      expect(w2.stop().wallMs).toBeCloseTo(12.34, 6);
      const w3 = startStopwatch();
      t += 5_678_000n; // 5.678 ms
      expect(w3.stop().toMimeBundle()['text/plain']).toMatch(/^wall 5\.68 ms, /);
    } finally {
      process.hrtime.bigint = realNow;
    }
  });
});

describe('gaissa.train: a model that is not a tfjs LayersModel', () => {
  // One gate in kernel/api/train.ts; tfjs never loads for these calls.
  test.each([
    ['fit', () => gaissa.train.fit({} as never, {} as never, { epochs: 1 })],
    ['freeze', () => gaissa.train.freeze({} as never, 1)],
    ['unfreeze', () => gaissa.train.unfreeze(null as never)],
    ['exportOnnx', () => gaissa.train.exportOnnx('model' as never, '/nonexistent/x.onnx')]
  ])('%s rejects naming the model field', async (_name, call) => {
    await expect(call()).rejects.toMatchObject({
      name: 'FieldError',
      field: 'model',
      message: 'model: must be a tfjs LayersModel (tf.sequential() or tf.model())'
    });
  });
});
