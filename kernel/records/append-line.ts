/**
 * Crash-safe, multi-process appends to a line-oriented file.
 *
 * - Each line goes out in one write(2) on a descriptor opened with O_APPEND: the kernel places
 *   it at the end atomically, so two processes never interleave or overwrite each other's lines
 *   (true for local file systems; NFS does not honour O_APPEND across clients).
 * - A header is created with the file in one atomic step: written to a temporary file, then
 *   hard-linked to the final name, which fails if another process got there first. So the
 *   header is written exactly once and no line can come before it.
 * - A writer killed mid-write can leave at most its own last line incomplete; the next append
 *   sees the missing newline and starts on a fresh line, so every earlier record stays parseable.
 *   Readers can also see another process's append half copied in (write(2) is atomic against
 *   other writes, not against reads), so a tail counts as torn only if it is still so a moment
 *   later; otherwise that append would gain a stray blank line before it.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  linkSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync
} from 'node:fs';

export interface AppendOptions {
  /** First line of a new file (with its newline); a file with another header is set aside. */
  header?: string;
  /** fsync after writing: survives power loss too, at a few ms per append. */
  fsync?: boolean;
}

const checkedHeaders = new Set<string>();
/** How long a tail that looks torn is given to complete: an append in flight takes microseconds. */
const SETTLE_MS = 5;
const settle = new Int32Array(new SharedArrayBuffer(4));

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

/** Create `path` holding exactly `header`, unless it exists. Safe against concurrent creators. */
function createWithHeader(path: string, header: string): void {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, header, { flag: 'wx' });
  try {
    linkSync(temporary, path);
  } catch (e) {
    if (code(e) === 'EEXIST') return;
    // No hard links on this file system: exclusive create, then the header. Another writer can
    // slip a line in between only on such file systems.
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, header);
      } finally {
        closeSync(fd);
      }
    } catch (inner) {
      if (code(inner) !== 'EEXIST') throw inner;
    }
  } finally {
    unlinkSync(temporary);
  }
}

function readHead(fd: number, length: number): string {
  const buffer = Buffer.alloc(length);
  const read = readSync(fd, buffer, 0, length, 0);
  return buffer.subarray(0, read).toString('utf8');
}

/** Move a file whose header is not `header` out of the way (CodeCarbon does the same). */
function setAsideIfHeaderDiffers(path: string, header: string): void {
  if (checkedHeaders.has(path)) return;
  let existing: string;
  const fd = openSync(path, 'r');
  try {
    existing = readHead(fd, Buffer.byteLength(header));
  } finally {
    closeSync(fd);
  }
  // A file with no complete header yet is another writer's fresh file: leave it alone.
  if (existing !== header && existing.includes('\n')) {
    try {
      renameSync(path, `${path}.${new Date().toISOString().replace(/[:.]/g, '-')}.bak`);
    } catch (e) {
      if (code(e) !== 'ENOENT') throw e;
    }
    createWithHeader(path, header);
  }
  checkedHeaders.add(path);
}

function endsWithNewline(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

/** Whether the file ends mid-line because a writer died there (not because one is writing). */
function endsTorn(fd: number): boolean {
  if (endsWithNewline(fd)) return false;
  Atomics.wait(settle, 0, 0, SETTLE_MS);
  return !endsWithNewline(fd);
}

/**
 * An open append descriptor on one file, so that a caller writing a record to several files can
 * open them all before writing any (an unwritable file fails here, before anything is written)
 * and take back its own line if a later file fails.
 */
export class LineAppender {
  /** The bytes of the last append and how many of them reached the file (for undo). */
  private pending: Buffer | null = null;
  private written = 0;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    private readonly options: AppendOptions
  ) {}

  static open(path: string, options: AppendOptions = {}): LineAppender {
    if (options.header !== undefined) {
      if (!existsSync(path)) createWithHeader(path, options.header);
      else setAsideIfHeaderDiffers(path, options.header);
    }
    return new LineAppender(path, openSync(path, 'a+'), options);
  }

  /** Append `line` (a newline is added if missing) as one write. */
  append(line: string): void {
    const text = line.endsWith('\n') ? line : line + '\n';
    // A torn last line (a writer killed mid-write) must not swallow this one.
    const prefix = endsTorn(this.fd) ? '\n' : '';
    const buffer = Buffer.from(prefix + text, 'utf8');
    this.pending = buffer;
    this.written = 0;
    while (this.written < buffer.length) {
      this.written += writeSync(this.fd, buffer, this.written, buffer.length - this.written);
    }
    if (this.options.fsync) fsyncSync(this.fd);
  }

  /**
   * Take the appended line (or the part of it a failed write left) back, if it is still the
   * file's tail; false when it could not be. Where O_APPEND placed it is known only from the end:
   * the file must end with exactly the bytes this appender wrote, so another process's line
   * (before ours or after it) is never cut.
   */
  undo(): boolean {
    const buffer = this.pending;
    const n = this.written;
    if (buffer === null || n === 0) {
      this.pending = null;
      return true;
    }
    try {
      const size = fstatSync(this.fd).size;
      const start = size - n;
      if (start < 0) return false;
      const tail = Buffer.alloc(n);
      if (readSync(this.fd, tail, 0, n, start) !== n) return false;
      if (!tail.equals(buffer.subarray(0, n))) return false;
      ftruncateSync(this.fd, start);
      if (this.options.fsync) fsyncSync(this.fd);
      this.pending = null;
      this.written = 0;
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Append `line` (a newline is added if missing) as one write. */
export function appendLine(path: string, line: string, options: AppendOptions = {}): void {
  const appender = LineAppender.open(path, options);
  try {
    appender.append(line);
  } finally {
    appender.close();
  }
}
