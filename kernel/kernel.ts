/**
 * The GAISSA Jupyter kernel: our protocol layer on zeromq 6 around tslab's TypeScript execution.
 * Shell requests run one at a time in arrival order; control requests (interrupt, shutdown) are
 * answered at once, even while a cell awaits.
 */
import { Router } from 'zeromq';
import { connectHelp, connectOutput, gaissa } from './api/gaissa';
import { CommManager } from './comms';
import { bundleOf, metadataOf, MimeBundle } from './display';
import { History, HistoryRequest } from './history';
import { allMagics, cellWrappers } from './magics/all';
import { closeMeasureSession } from './measure/current';
import { registerMeterComm } from './measure/meter-comm';
import { MagicContext } from './magics/context';
import { MagicError, ParsedCell, parseCell } from './magics/parse';
import { CellOutcome, MagicRegistry } from './magics/registry';
import { ConnectionInfo } from './protocol/connection';
import { codePointToIndex, indexToCodePoint } from './protocol/cursor';
import { bindSockets, KernelSockets, SendQueue } from './protocol/sockets';
import {
  decode,
  encode,
  Message,
  Outgoing,
  PROTOCOL_VERSION,
  Signer,
  WireError
} from './protocol/wire';
import { StreamCapture } from './streams';
import { ErrorContent, errorContent, interruptedError } from './execution/errors';
import { SigintCounter, startSigintRelay, type SigintRelay } from './execution/sigint-relay';
import type { TypeScriptRunner } from './execution/typescript';
import { packageVersion, typescriptVersion } from './versions';
import { randomUUID } from 'node:crypto';

/** Whether a cell holds anything besides its magic lines and whitespace. */
function hasCode(source: string, parsed: ParsedCell): boolean {
  const magicLines = new Set(parsed.lines.map(l => l.line));
  if (parsed.cell) magicLines.add(parsed.cell.line);
  return source.split('\n').some((line, i) => !magicLines.has(i) && line.trim() !== '');
}

export class Kernel {
  readonly session = randomUUID();
  readonly magics = new MagicRegistry<MagicContext>();
  readonly comms: CommManager;
  private readonly signer: Signer;
  private sockets!: KernelSockets;
  private shellSend!: SendQueue;
  private controlSend!: SendQueue;
  private iopubSend!: SendQueue;
  /** tslab's converter takes about a second to build: made after the first kernel_info_reply. */
  private runnerReady: Promise<TypeScriptRunner> | undefined;
  private runnerBuilt: TypeScriptRunner | undefined;
  /**
   * Shell requests are numbered as they arrive; an interrupt stops every request received before
   * it, running or still waiting (e.g. for TypeScript to warm up). Arrival order, not the
   * client's header date, which need not share the kernel's clock.
   */
  private received = 0;
  private readonly arrival = new WeakMap<Message, number>();
  private cancelledUpTo = 0;
  /** Requests waiting for TypeScript's warm-up, woken by an interrupt. */
  private readonly interruptWaiters = new Set<() => void>();
  private readonly sigints = new SigintCounter();
  private relay: SigintRelay | undefined;
  private streams!: StreamCapture;
  private readonly history = new History();
  private executionCount = 0;
  /** execute_reply payloads (pager) gathered while the current cell runs. */
  private payloads: Record<string, unknown>[] = [];
  /** The request whose outputs we are producing; late async output goes to the last one. */
  private parent: Message | undefined;
  private readonly shellQueue: Message[] = [];
  private shellBusy = false;
  private stopping = false;

  constructor(
    private readonly info: ConnectionInfo,
    private readonly rootDir: string = process.cwd()
  ) {
    this.signer = new Signer(info.key, info.signature_scheme);
    this.comms = new CommManager((msgType, content, metadata) =>
      this.publish({ msgType, content, metadata, parent: this.parent })
    );
    for (const magic of allMagics) this.magics.register(magic);
    registerMeterComm(this.comms);
  }

  async start(): Promise<void> {
    this.sockets = await bindSockets(this.info);
    this.shellSend = new SendQueue(this.sockets.shell);
    this.controlSend = new SendQueue(this.sockets.control);
    this.iopubSend = new SendQueue(this.sockets.iopub);
    this.streams = new StreamCapture((name, text) =>
      this.publish({ msgType: 'stream', content: { name, text }, parent: this.parent })
    );
    connectHelp(command => this.magics.help(command));
    connectOutput({
      display: (data, metadata, displayId) =>
        this.publish({
          msgType: 'display_data',
          content: { data, metadata, transient: displayId ? { display_id: displayId } : {} },
          parent: this.parent
        }),
      updateDisplay: (displayId, data, metadata) =>
        this.publish({
          msgType: 'update_display_data',
          content: { data, metadata, transient: { display_id: displayId } },
          parent: this.parent
        }),
      clearOutput: wait =>
        this.publish({ msgType: 'clear_output', content: { wait }, parent: this.parent }),
      page: data => this.payloads.push({ source: 'page', data, start: 0 })
    });
    process.on('SIGINT', () => this.onSigint());
    this.relay = startSigintRelay(
      n => {
        if (this.sigints.relayed(n)) this.interrupt();
      },
      text => this.log(text)
    );
    process.on('SIGTERM', () => void this.stop().finally(() => process.exit(0)));
    this.publish({ msgType: 'status', content: { execution_state: 'starting' } });
    void this.listen(this.sockets.shell, msg => this.enqueueShell(msg));
    void this.listen(this.sockets.control, msg => this.dispatch(msg, 'control'));
    void this.listen(this.sockets.stdin, () => undefined);
    // Frontends ask kernel_info first; warm TypeScript right after answering it (or soon anyway).
    setTimeout(() => void this.runner(), 2000).unref();
  }

  /** A SIGINT the kernel saw itself (its listener, or vm's watchdog stopping code). */
  private onSigint(): void {
    if (this.sigints.seenByKernel()) this.interrupt();
  }

  /**
   * Stops the running cell, and the requests received before the interrupt that were still
   * waiting: the user meant to stop what they had asked for. Applied from setImmediate: when the
   * kernel was busy (warming up) as both a request and the interrupt came, the two wait in the
   * same turn of the event loop in either order; the request's socket is read in that turn, so
   * deferring to its end numbers the request first and the interrupt stops it.
   */
  private interrupt(): void {
    setImmediate(() => {
      this.cancelledUpTo = this.received;
      this.runnerBuilt?.interrupt();
      for (const wake of [...this.interruptWaiters]) wake();
    });
  }

  /** The runner for a request, or null when an interrupt came for it (even during warm-up). */
  private async runnerFor(request: number): Promise<TypeScriptRunner | null> {
    if (request <= this.cancelledUpTo) return null;
    let wake!: () => void;
    const interrupted = new Promise<null>(resolve => {
      wake = () => resolve(null);
      this.interruptWaiters.add(wake);
    });
    try {
      const runner = await Promise.race([this.runner(), interrupted]);
      return runner && request > this.cancelledUpTo ? runner : null;
    } finally {
      this.interruptWaiters.delete(wake);
    }
  }

  private runner(): Promise<TypeScriptRunner> {
    this.runnerReady ??= (async () => {
      const { TypeScriptRunner } = await import('./execution/typescript');
      const runner = new TypeScriptRunner(this.rootDir, id =>
        id === 'gaissa' ? { ...gaissa, gaissa, default: gaissa } : undefined
      );
      await runner.provide('gaissa', "typeof import('gaissa').gaissa", gaissa, () =>
        this.onSigint()
      );
      this.runnerBuilt = runner;
      return runner;
    })();
    return this.runnerReady;
  }

  log(text: string): void {
    this.streams.log(`[gaissa kernel] ${text}`);
  }

  private async listen(socket: Router, onMessage: (msg: Message) => void): Promise<void> {
    try {
      for await (const frames of socket) {
        try {
          onMessage(decode(frames, this.signer));
        } catch (e) {
          // Never log the expected signature: it would hand out a valid one.
          this.log(
            `dropped a message: ${e instanceof WireError ? e.message : (e as Error).message}`
          );
        }
      }
    } catch (e) {
      if (!this.stopping) this.log(`socket stopped: ${(e as Error).message}`);
    }
  }

  private publish(out: Outgoing): void {
    const frames = encode(
      { ...out, identities: [Buffer.from(`kernel.${this.session}.${out.msgType}`)] },
      this.session,
      this.signer
    );
    this.iopubSend.send(frames).catch(e => this.log(`iopub send failed: ${(e as Error).message}`));
  }

  private reply(
    channel: 'shell' | 'control',
    parent: Message,
    msgType: string,
    content: Record<string, unknown>
  ): void {
    const frames = encode({ msgType, content, parent }, this.session, this.signer);
    (channel === 'shell' ? this.shellSend : this.controlSend)
      .send(frames)
      .catch(e => this.log(`${channel} send failed: ${(e as Error).message}`));
  }

  private enqueueShell(msg: Message): void {
    this.arrival.set(msg, ++this.received);
    this.shellQueue.push(msg);
    if (!this.shellBusy) void this.drainShell();
  }

  private async drainShell(): Promise<void> {
    this.shellBusy = true;
    while (this.shellQueue.length) await this.dispatch(this.shellQueue.shift()!, 'shell');
    this.shellBusy = false;
  }

  private readonly handlers: Record<
    string,
    (msg: Message, channel: 'shell' | 'control') => Promise<void> | void
  > = {
    kernel_info_request: (msg, ch) => {
      this.reply(ch, msg, 'kernel_info_reply', this.kernelInfo());
      setImmediate(() => void this.runner());
    },
    execute_request: msg => this.execute(msg),
    complete_request: msg => this.complete(msg),
    inspect_request: msg => this.inspect(msg),
    is_complete_request: msg => this.isComplete(msg),
    history_request: msg =>
      this.reply('shell', msg, 'history_reply', {
        status: 'ok',
        history: this.history.query(msg.content as HistoryRequest)
      }),
    comm_info_request: msg =>
      this.reply('shell', msg, 'comm_info_reply', {
        status: 'ok',
        comms: this.comms.info(msg.content.target_name)
      }),
    comm_open: msg => {
      const { comm_id, target_name, data } = msg.content;
      if (!this.comms.handleOpen(comm_id, target_name, data)) {
        this.log(`no comm target '${target_name}'`);
        this.publish({ msgType: 'comm_close', content: { comm_id, data: {} }, parent: msg });
      }
    },
    comm_msg: msg => {
      if (!this.comms.handleMessage(msg.content.comm_id, msg.content.data))
        this.log(`comm_msg for unknown comm ${msg.content.comm_id}`);
    },
    comm_close: msg => this.comms.handleClose(msg.content.comm_id, msg.content.data),
    interrupt_request: (msg, ch) => {
      this.interrupt();
      this.reply(ch, msg, 'interrupt_reply', { status: 'ok' });
    },
    shutdown_request: (msg, ch) => this.shutdown(msg, ch)
  };

  private async dispatch(msg: Message, channel: 'shell' | 'control'): Promise<void> {
    const handler = this.handlers[msg.header.msg_type];
    if (!handler) {
      this.log(`ignored unknown message type '${msg.header.msg_type}' on ${channel}`);
      return;
    }
    const previous = this.parent;
    if (channel === 'shell') this.parent = msg;
    this.publish({ msgType: 'status', content: { execution_state: 'busy' }, parent: msg });
    try {
      await handler(msg, channel);
    } catch (e) {
      this.log(`error handling ${msg.header.msg_type}: ${(e as Error).stack ?? e}`);
      if (msg.header.msg_type.endsWith('_request')) {
        this.reply(channel, msg, msg.header.msg_type.replace(/_request$/, '_reply'), {
          status: 'error',
          ...errorContent(e)
        });
      }
    } finally {
      this.streams.flush();
      this.publish({ msgType: 'status', content: { execution_state: 'idle' }, parent: msg });
      if (channel === 'control') this.parent = previous;
    }
  }

  private kernelInfo(): Record<string, unknown> {
    return {
      status: 'ok',
      protocol_version: PROTOCOL_VERSION,
      implementation: 'gaissa',
      implementation_version: packageVersion,
      language_info: {
        name: 'typescript',
        version: typescriptVersion,
        mimetype: 'text/typescript',
        file_extension: '.ts',
        codemirror_mode: { name: 'javascript', typescript: true },
        pygments_lexer: 'typescript'
      },
      banner: `GAISSA ${packageVersion}: TypeScript (tslab) with energy, carbon and cost tooling. %gaissa help lists the magics.`,
      help_links: [{ text: 'GAISSA magics: %gaissa help', url: 'https://github.com/' }],
      debugger: false
    };
  }

  private magicContext(): MagicContext {
    return {
      api: gaissa,
      comms: this.comms,
      registry: this.magics,
      print: text => process.stdout.write(text)
    };
  }

  private async execute(msg: Message): Promise<void> {
    const code = typeof msg.content.code === 'string' ? msg.content.code : '';
    const silent = Boolean(msg.content.silent);
    const storeHistory = msg.content.store_history !== false && !silent;
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    if (!silent)
      this.publish({
        msgType: 'execute_input',
        content: { code, execution_count: count },
        parent: msg
      });
    if (storeHistory) this.history.add(count, code);
    this.payloads = [];

    let outcome: CellOutcome & { error?: ErrorContent };
    try {
      outcome = await this.runCell(code, this.arrival.get(msg) ?? this.received);
    } catch (e) {
      outcome = { status: 'error', error: errorContent(e) };
    }
    this.streams.flush();
    if (outcome.status === 'ok') {
      if (outcome.value !== undefined && !silent) {
        const data = this.safeBundle(outcome.value);
        this.publish({
          msgType: 'execute_result',
          content: { execution_count: count, data, metadata: metadataOf(outcome.value) },
          parent: msg
        });
        if (storeHistory && typeof data['text/plain'] === 'string')
          this.history.setOutput(count, data['text/plain']);
      }
      this.reply('shell', msg, 'execute_reply', {
        status: 'ok',
        execution_count: count,
        payload: this.payloads,
        user_expressions: {}
      });
      return;
    }
    const error = outcome.error ?? { ename: 'Error', evalue: 'execution failed', traceback: [] };
    if (!silent) this.publish({ msgType: 'error', content: error, parent: msg });
    this.reply('shell', msg, 'execute_reply', {
      status: 'error',
      execution_count: count,
      ...error
    });
    if (msg.content.stop_on_error !== false) this.abortQueuedExecutions();
  }

  private safeBundle(value: unknown): MimeBundle {
    try {
      return bundleOf(value);
    } catch (e) {
      return { 'text/plain': `(could not display the value: ${(e as Error).message})` };
    }
  }

  /** Runs magics, then the TypeScript; a cell magic wraps the TypeScript run. */
  private async runCell(
    code: string,
    request: number
  ): Promise<CellOutcome & { error?: ErrorContent }> {
    let failure: ErrorContent | undefined;
    const fail = (e: unknown): CellOutcome => {
      failure =
        e instanceof MagicError
          ? { ename: e.name, evalue: e.message, traceback: [`${e.name}: ${e.message}`] }
          : errorContent(e);
      return { status: 'error' };
    };
    try {
      const parsed = parseCell(code);
      const ctx = this.magicContext();
      const cell = parsed.cell ? this.magics.resolve(parsed.cell) : undefined;
      const lines = parsed.lines.map(call => this.magics.resolve(call));
      for (const { command, args } of lines) await command.line!(args, ctx);
      const body = async (): Promise<CellOutcome> => {
        // Nothing but magics: no TypeScript to compile (and no need to wait for its warm-up).
        if (!hasCode(code, parsed)) return { status: 'ok' };
        const runner = await this.runnerFor(request);
        if (!runner) {
          failure = interruptedError();
          return { status: 'interrupted', error: failure };
        }
        const run = await runner.execute(parsed.code);
        if (run.bySignal) this.onSigint();
        if (run.error) failure = run.error;
        return {
          status: run.status,
          value: run.hasValue ? run.value : undefined,
          error: run.error
        };
      };
      // Auto-measure and the like wrap plain cells only: a cell with magics is configuration.
      const wrapper = !cell && lines.length === 0 ? cellWrappers.find(w => w.applies()) : undefined;
      const outcome = cell
        ? await cell.command.cell!(cell.args, ctx, body)
        : wrapper
          ? await wrapper.wrap(ctx, body)
          : await body();
      return { ...outcome, error: failure };
    } catch (e) {
      return { ...fail(e), error: failure };
    }
  }

  /** After a failed cell, requests already queued behind it are answered `aborted`, as ipykernel does. */
  private abortQueuedExecutions(): void {
    for (const queued of this.shellQueue.filter(m => m.header.msg_type === 'execute_request')) {
      this.shellQueue.splice(this.shellQueue.indexOf(queued), 1);
      this.publish({ msgType: 'status', content: { execution_state: 'busy' }, parent: queued });
      this.reply('shell', queued, 'execute_reply', {
        status: 'aborted',
        execution_count: this.executionCount
      });
      this.publish({ msgType: 'status', content: { execution_state: 'idle' }, parent: queued });
    }
  }

  /** Masks magics (same length) and converts the protocol's code-point cursor to a string index. */
  private prepare(msg: Message): { code: string; source: string; index: number } {
    const source = typeof msg.content.code === 'string' ? msg.content.code : '';
    const cursor =
      typeof msg.content.cursor_pos === 'number' ? msg.content.cursor_pos : source.length;
    let code = source;
    try {
      code = parseCell(source).code;
    } catch {
      // An unfinished magic still gets TypeScript help on the rest of the cell.
    }
    return { code, source, index: codePointToIndex(source, cursor) };
  }

  private async complete(msg: Message): Promise<void> {
    const { code, source, index } = this.prepare(msg);
    const c = (await this.runner()).complete(code, index);
    this.reply('shell', msg, 'complete_reply', {
      status: 'ok',
      matches: c.matches,
      cursor_start: indexToCodePoint(source, c.start),
      cursor_end: indexToCodePoint(source, c.end),
      metadata: {}
    });
  }

  private async inspect(msg: Message): Promise<void> {
    const { code, index } = this.prepare(msg);
    const text = (await this.runner()).inspect(code, index);
    this.reply('shell', msg, 'inspect_reply', {
      status: 'ok',
      found: Boolean(text),
      data: text ? { 'text/plain': text } : {},
      metadata: {}
    });
  }

  private async isComplete(msg: Message): Promise<void> {
    const source = typeof msg.content.code === 'string' ? msg.content.code : '';
    let code: string;
    try {
      code = parseCell(source).code;
    } catch {
      this.reply('shell', msg, 'is_complete_reply', { status: 'invalid' });
      return;
    }
    const r = (await this.runner()).isComplete(code);
    this.reply(
      'shell',
      msg,
      'is_complete_reply',
      r.completed ? { status: 'complete' } : { status: 'incomplete', indent: r.indent ?? '' }
    );
  }

  private async shutdown(msg: Message, channel: 'shell' | 'control'): Promise<void> {
    const restart = Boolean(msg.content.restart);
    this.reply(channel, msg, 'shutdown_reply', { status: 'ok', restart });
    this.stopping = true;
    // Let the reply and the idle status leave before the sockets close.
    setTimeout(() => void this.stop().finally(() => process.exit(0)), 100);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.streams?.restore();
    this.runnerBuilt?.close();
    this.relay?.close();
    await closeMeasureSession();
    await this.sockets?.close();
  }
}
