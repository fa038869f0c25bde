/**
 * Captures the kernel process's stdout and stderr (console.log in cells writes there) and turns
 * them into `stream` messages, batched so a tight print loop sends a few messages, not thousands.
 */
export type StreamName = 'stdout' | 'stderr';

const FLUSH_MS = 50;
const MAX_BUFFER = 64 * 1024;

export class StreamCapture {
  private buffers: Record<StreamName, string> = { stdout: '', stderr: '' };
  private timer: NodeJS.Timeout | null = null;
  private readonly originals: Record<StreamName, typeof process.stdout.write>;

  constructor(private readonly emit: (name: StreamName, text: string) => void) {
    this.originals = { stdout: process.stdout.write, stderr: process.stderr.write };
    for (const name of ['stdout', 'stderr'] as const) {
      const stream = process[name];
      stream.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
        const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        this.push(name, text);
        const done = typeof encoding === 'function' ? encoding : callback;
        if (typeof done === 'function') process.nextTick(done as () => void);
        return true;
      }) as typeof stream.write;
    }
  }

  /** Writes to the real stderr (the Jupyter server's log), bypassing the capture. */
  log(text: string): void {
    this.originals.stderr.call(process.stderr, text.endsWith('\n') ? text : text + '\n');
  }

  private push(name: StreamName, text: string): void {
    this.buffers[name] += text;
    if (this.buffers[name].length > MAX_BUFFER) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const name of ['stdout', 'stderr'] as const) {
      const text = this.buffers[name];
      this.buffers[name] = '';
      if (text) this.emit(name, text);
    }
  }

  restore(): void {
    this.flush();
    process.stdout.write = this.originals.stdout;
    process.stderr.write = this.originals.stderr;
  }
}
