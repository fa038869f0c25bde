// Taking back a line (a record one of the two log files could not take) must never cut another
// writer's line. Another process is stood in for by a second descriptor on the same file, which
// the kernel treats the same way (O_APPEND places each write at the end, whoever makes it).
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendLine, LineAppender } from '../../../../kernel/records/append-line';

// A hook run once just before the appender's next write(2): where another writer can slip in.
let mockBeforeWrite: (() => void) | null = null;
jest.mock('node:fs', () => {
  const actual = jest.requireActual<typeof import('node:fs')>('node:fs');
  return {
    ...actual,
    writeSync: (...args: unknown[]) => {
      const hook = mockBeforeWrite;
      mockBeforeWrite = null;
      hook?.();
      return (actual.writeSync as (...a: unknown[]) => number)(...args);
    }
  };
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gaissa-append-'));
});
afterEach(() => {
  mockBeforeWrite = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('LineAppender.undo', () => {
  it('takes its own line back', () => {
    const path = join(dir, 'log');
    writeFileSync(path, 'head\n');
    const a = LineAppender.open(path);
    a.append('ours');
    expect(a.undo()).toBe(true);
    a.close();
    expect(readFileSync(path, 'utf8')).toBe('head\n');
  });

  it('leaves the file alone when another writer appended after its line', () => {
    const path = join(dir, 'log');
    writeFileSync(path, 'head\n');
    const a = LineAppender.open(path);
    a.append('ours');
    appendLine(path, 'theirs');
    expect(a.undo()).toBe(false);
    a.close();
    expect(readFileSync(path, 'utf8')).toBe('head\nours\ntheirs\n');
  });

  // The review's race: another process appends between this appender's look at the file size and
  // its own write, so its line lands after theirs. Undo used to truncate to the size it had seen,
  // deleting their line with ours.
  it('keeps a line another writer slipped in just before its own', () => {
    const path = join(dir, 'log');
    writeFileSync(path, 'head\n');
    const a = LineAppender.open(path);
    let raced = false;
    mockBeforeWrite = () => {
      raced = true;
      const fd = openSync(path, 'a');
      writeFileSync(fd, 'theirs\n');
      closeSync(fd);
    };
    a.append('ours');
    expect(raced).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('head\ntheirs\nours\n');
    expect(a.undo()).toBe(true);
    a.close();
    expect(readFileSync(path, 'utf8')).toBe('head\ntheirs\n');
  });
});
