/**
 * A minimal Jupyter client for benchmarks: starts a kernel process from an argv template, talks
 * to it over zeromq with signed messages (our wire module), and shuts it down.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dealer, Subscriber } from 'zeromq';
import { decode, encode, Message, Signer } from '../kernel/protocol/wire';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** How a kernelspec starts a kernel. */
export interface KernelCommand {
  argv: string[];
  env?: Record<string, string>;
}

export class BenchKernel {
  private readonly signer: Signer;
  private readonly session = 'bench';
  readonly shell = new Dealer();
  readonly control = new Dealer();
  readonly iopub = new Subscriber();
  process!: ChildProcess;

  private constructor(
    readonly connection: Record<string, number | string>,
    readonly key: string
  ) {
    this.signer = new Signer(key);
  }

  /**
   * Spawns the kernel as its kernelspec says: `argv` contains '{connection_file}' where the file
   * path goes, `env` adds to this process's environment.
   */
  static async start({ argv, env = {} }: KernelCommand, cwd: string): Promise<BenchKernel> {
    const key = randomBytes(16).toString('hex');
    const ports = await Promise.all([1, 2, 3, 4, 5].map(freePort));
    const connection = {
      ip: '127.0.0.1',
      transport: 'tcp',
      key,
      signature_scheme: 'hmac-sha256',
      shell_port: ports[0],
      iopub_port: ports[1],
      stdin_port: ports[2],
      control_port: ports[3],
      hb_port: ports[4]
    };
    const file = join(mkdtempSync(join(tmpdir(), 'gaissa-bench-')), 'connection.json');
    writeFileSync(file, JSON.stringify(connection));
    const k = new BenchKernel(connection, key);
    const args = argv.map(a => a.replace('{connection_file}', file));
    k.process = spawn(args[0], args.slice(1), {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit']
    });
    k.shell.connect(`tcp://127.0.0.1:${connection.shell_port}`);
    k.control.connect(`tcp://127.0.0.1:${connection.control_port}`);
    k.iopub.connect(`tcp://127.0.0.1:${connection.iopub_port}`);
    k.iopub.subscribe();
    return k;
  }

  async request(
    socket: Dealer,
    msgType: string,
    content: Record<string, unknown>
  ): Promise<string> {
    const frames = encode({ msgType, content, identities: [] }, this.session, this.signer);
    await socket.send(frames);
    // frames: <IDS|MSG>, signature, header, ...
    return JSON.parse(frames[2].toString()).msg_id as string;
  }

  async receive(socket: Dealer | Subscriber): Promise<Message> {
    const frames = (await socket.receive()) as Buffer[];
    return decode(frames, this.signer);
  }

  /**
   * The next message on `socket` that `wanted` accepts, by `deadline` (Date.now() ms); throws a
   * message naming `what` after it. An EAGAIN before the deadline is retried rather than trusted.
   */
  async receiveUntil(
    socket: Dealer | Subscriber,
    deadline: number,
    what: string,
    wanted: (msg: Message) => boolean = () => true
  ): Promise<Message> {
    try {
      for (;;) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('timed out');
        socket.receiveTimeout = Math.ceil(left);
        let msg: Message;
        try {
          msg = await this.receive(socket);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
          throw e;
        }
        if (wanted(msg)) return msg;
      }
    } catch (e) {
      throw new Error(
        `kernel ${this.process.spawnargs.slice(1, 3).join(' ')}: no ${what} (${(e as Error).message})`,
        { cause: e }
      );
    } finally {
      socket.receiveTimeout = -1;
    }
  }

  /**
   * Sends kernel_info_request and waits for its reply (sent at once: zeromq queues until bound).
   * Gives up after `timeoutMs`, so that a kernel that never answers fails the run, not hangs it.
   */
  async kernelInfo(timeoutMs = 60_000): Promise<Message> {
    const id = await this.request(this.shell, 'kernel_info_request', {});
    return this.receiveUntil(
      this.shell,
      Date.now() + timeoutMs,
      'kernel_info_reply',
      msg => msg.parent_header.msg_id === id
    );
  }

  /**
   * Waits until our iopub subscription is live (zeromq's slow joiner: messages published before
   * it connects are lost), by sending kernel_info requests until their status messages arrive.
   */
  async waitForIopub(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.kernelInfo();
      try {
        await this.receiveUntil(this.iopub, Math.min(deadline, Date.now() + 200), 'iopub');
        break;
      } catch (e) {
        if (Date.now() >= deadline) throw e;
      }
    }
    // Drain what is already queued so later waits see only their own messages.
    try {
      for (;;) await this.receiveUntil(this.iopub, Date.now() + 100, 'iopub');
    } catch {
      // nothing more queued
    }
  }

  /**
   * Runs `code`; returns the round trip in ms, from execute_request to the idle status on iopub.
   * Then reads the execute_reply (untimed), as a real client does, so replies do not pile up.
   * `output` sees each of the cell's iopub messages.
   */
  async execute(
    code: string,
    timeoutMs = 120_000,
    output: (msg: Message) => void = () => undefined
  ): Promise<number> {
    const t0 = process.hrtime.bigint();
    const id = await this.request(this.shell, 'execute_request', {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true
    });
    const deadline = Date.now() + timeoutMs;
    await this.receiveUntil(this.iopub, deadline, 'idle status', msg => {
      if (msg.parent_header.msg_id !== id) return false;
      output(msg);
      return msg.header.msg_type === 'status' && msg.content.execution_state === 'idle';
    });
    const roundTrip = Number(process.hrtime.bigint() - t0) / 1e6;
    await this.receiveUntil(
      this.shell,
      deadline,
      'execute_reply',
      msg => msg.parent_header.msg_id === id
    );
    return roundTrip;
  }

  async shutdown(): Promise<void> {
    const exited = new Promise(resolve => this.process.once('exit', resolve));
    await this.request(this.control, 'shutdown_request', { restart: false });
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    for (const s of [this.shell, this.control, this.iopub]) s.close();
  }
}
