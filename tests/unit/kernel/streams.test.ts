/** stdout/stderr capture: batched into stream messages, restored afterwards. */
import { StreamCapture, StreamName } from '../../../kernel/streams';

describe('StreamCapture', () => {
  let capture: StreamCapture | undefined;
  let emitted: [StreamName, string][];
  const realStdout = process.stdout.write;
  const realStderr = process.stderr.write;

  beforeEach(() => {
    jest.useFakeTimers();
    emitted = [];
    capture = new StreamCapture((name, text) => emitted.push([name, text]));
  });

  afterEach(() => {
    capture?.restore();
    capture = undefined;
    jest.useRealTimers();
    // Whatever happened, the real writers are back.
    expect(process.stdout.write).toBe(realStdout);
    expect(process.stderr.write).toBe(realStderr);
  });

  test('writes are batched per stream and sent after the flush delay', () => {
    process.stdout.write('a');
    process.stdout.write(Buffer.from('b\n', 'utf8'));
    process.stderr.write(new Uint8Array([0xc3, 0xa9])); // é
    process.stdout.write('c');
    expect(emitted).toEqual([]);
    jest.advanceTimersByTime(49);
    expect(emitted).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(emitted).toEqual([
      ['stdout', 'ab\nc'],
      ['stderr', 'é']
    ]);
    jest.advanceTimersByTime(1000);
    expect(emitted).toHaveLength(2);
  });

  test('write reports success and calls its callback (with or without an encoding)', () => {
    const done = jest.fn();
    const done2 = jest.fn();
    expect(process.stdout.write('x', done)).toBe(true);
    expect(process.stdout.write('y', 'utf8', done2)).toBe(true);
    expect(done).not.toHaveBeenCalled();
    jest.runAllTicks();
    expect(done).toHaveBeenCalledTimes(1);
    expect(done2).toHaveBeenCalledTimes(1);
  });

  test('a large burst is sent at once, without waiting for the timer', () => {
    const big = 'x'.repeat(64 * 1024 + 1);
    process.stdout.write(big);
    expect(emitted).toEqual([['stdout', big]]);
    process.stdout.write('tail');
    capture!.flush();
    expect(emitted[1]).toEqual(['stdout', 'tail']);
  });

  test('flush sends nothing when nothing was written', () => {
    capture!.flush();
    expect(emitted).toEqual([]);
  });

  test('restore flushes what is pending and puts the real writers back', () => {
    process.stderr.write('last words');
    capture!.restore();
    expect(emitted).toEqual([['stderr', 'last words']]);
    expect(process.stdout.write).toBe(realStdout);
    expect(process.stderr.write).toBe(realStderr);
    capture = undefined;
  });

  test('log goes to the real stderr with a newline, bypassing the capture', () => {
    const spy = jest.fn(() => true);
    capture!.restore();
    process.stderr.write = spy as unknown as typeof process.stderr.write;
    try {
      // The capture remembers the stderr writer it replaced.
      const c = new StreamCapture(() => undefined);
      c.log('hello');
      c.log('done\n');
      c.restore();
    } finally {
      process.stderr.write = realStderr;
    }
    expect(spy.mock.calls).toEqual([['hello\n'], ['done\n']]);
    capture = undefined;
  });
});
