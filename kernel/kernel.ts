/**
 * The GAISSA Jupyter kernel: what it does for each request (execute with magics, complete,
 * inspect, history, comms) around tslab's TypeScript execution. The protocol session
 * (protocol/session.ts) owns the wire, the order of requests and interrupts.
 */
import { connectHelp, connectOutput, gaissa } from './api/gaissa';
import { CommManager } from './comms';
import { completeReply } from './completion';
import { bundleOf, metadataOf, MimeBundle } from './display';
import { History } from './history';
import { allMagics, cellWrappers } from './magics/all';
import { closeMeasureSession } from './measure/current';
import { registerMeterComm } from './measure/meter-comm';
import { registerTeamViewComm } from './records/team-view-comm';
import { MagicContext } from './magics/context';
import { MagicError, ParsedCell, parseCell } from './magics/parse';
import { CellOutcome, MagicRegistry } from './magics/registry';
import { ConnectionInfo } from './protocol/connection';
import { codePointToIndex } from './protocol/cursor';
import type {
  CommInfoReply,
  CommInfoRequest,
  CommMsg,
  CommOpen,
  CompleteReply,
  CursorRequest,
  ExecuteReply,
  ExecuteRequest,
  HistoryReply,
  HistoryRequest,
  InspectReply,
  IsCompleteReply,
  IsCompleteRequest,
  KernelInfoReply,
  ShutdownReply,
  ShutdownRequest
} from './protocol/messages';
import { KernelHandler, ProtocolSession, RequestContext } from './protocol/session';
import { PROTOCOL_VERSION } from './protocol/wire';
import { StreamCapture } from './streams';
import { ErrorContent, errorContent, interruptedError } from './execution/errors';
import { SigintCounter, startSigintRelay, type SigintRelay } from './execution/sigint-relay';
import type { TypeScriptRunner } from './execution/typescript';
import { installAwaitCheck } from './execution/cell-module';
import { cellInterrupted } from './profile/cell-interrupts';
import { packageVersion, typescriptVersion } from './versions';

/** How often a cell looks for an interrupt after its top-level awaits, at most. */
const AWAIT_CHECK_MS = 5;
/** How long a SIGINT the relay did not count waits for it before it counts as sent to us alone. */
const OWN_SIGNAL_WAIT_MS = 1000;

/** Whether a cell holds anything besides its magic lines and whitespace. */
function hasCode(source: string, parsed: ParsedCell): boolean {
  const magicLines = new Set(parsed.lines.map(l => l.line));
  if (parsed.cell) magicLines.add(parsed.cell.line);
  return source.split('\n').some((line, i) => !magicLines.has(i) && line.trim() !== '');
}

export class Kernel implements KernelHandler {
  readonly magics = new MagicRegistry<MagicContext>();
  readonly comms: CommManager;
  private readonly session: ProtocolSession;
  /** tslab's converter takes about a second to build: made after the first kernel_info_reply. */
  private runnerReady: Promise<TypeScriptRunner> | undefined;
  private runnerBuilt: TypeScriptRunner | undefined;
  private readonly sigints = new SigintCounter(
    () => this.relay?.up ?? false,
    n => this.relay?.taken(n)
  );
  private relay: SigintRelay | undefined;
  /** Numbers the cells TypeScript runs, for the relay to tell one from the next. */
  private runs = 0;
  /** SIGINTs the kernel saw itself while the relay ran, and those it applied as its own. */
  private seenSignals = 0;
  private ownSignals = 0;
  private streams!: StreamCapture;
  private readonly cells = new History();
  private executionCount = 0;
  /** execute_reply payloads (pager) gathered while the current cell runs. */
  private payloads: Record<string, unknown>[] = [];

  constructor(
    private readonly info: ConnectionInfo,
    private readonly rootDir: string = process.cwd()
  ) {
    this.session = new ProtocolSession(info.key, info.signature_scheme, this, text =>
      this.log(text)
    );
    this.session.onInterrupt(() => this.runnerBuilt?.interrupt());
    this.session.onInterrupt(cellInterrupted);
    this.comms = new CommManager((msgType, content, metadata) =>
      this.session.publish(msgType, content, undefined, metadata)
    );
    for (const magic of allMagics) this.magics.register(magic);
    registerMeterComm(this.comms);
    registerTeamViewComm(this.comms);
  }

  async start(): Promise<void> {
    this.streams = new StreamCapture((name, text) =>
      this.session.publish('stream', { name, text })
    );
    connectHelp(command => this.magics.help(command));
    connectOutput({
      display: (data, metadata, displayId) =>
        this.session.publish('display_data', {
          data,
          metadata,
          transient: displayId ? { display_id: displayId } : {}
        }),
      updateDisplay: (displayId, data, metadata) =>
        this.session.publish('update_display_data', {
          data,
          metadata,
          transient: { display_id: displayId }
        }),
      clearOutput: wait => this.session.publish('clear_output', { wait }),
      page: data => this.payloads.push({ source: 'page', data, start: 0 })
    });
    process.on('SIGINT', () => this.onSigint());
    const relay = startSigintRelay(
      n => this.takeRelayed(n),
      text => this.log(text)
    );
    this.relay = relay;
    // A cell holding the thread with microtasks checks the relay's count after its top-level
    // awaits (a read of the relay's file, at most every AWAIT_CHECK_MS): a signal beyond what the
    // kernel had taken when the cell began stops it.
    installAwaitCheck(() => {
      const taken = this.sigints.taken;
      let next = 0;
      return () => {
        const now = performance.now();
        if (now < next) return false;
        next = now + AWAIT_CHECK_MS;
        // A relay that ended may have counted a signal it could not send: only a live one counts.
        return relay.up && relay.signals() > taken;
      };
    });
    process.on('SIGTERM', () => void this.stop().finally(() => process.exit(0)));
    await this.session.start(this.info);
    // Frontends ask kernel_info first; warm TypeScript right after answering it (or soon anyway).
    setTimeout(() => void this.runner(), 2000).unref();
  }

  /**
   * A SIGINT the kernel's listener saw. With the relay up, it is one the relay numbers too (its
   * number applies it), the relay's repeat of one, or one sent to this process alone, which the
   * relay never counts: that one is applied once the relay has not accounted for it within
   * OWN_SIGNAL_WAIT_MS.
   */
  private onSigint(): void {
    const relay = this.relay;
    if (!relay?.up) {
      if (this.sigints.seenByKernel()) this.session.interrupt();
      return;
    }
    this.seenSignals++;
    const deadline = Date.now() + OWN_SIGNAL_WAIT_MS;
    const look = (): void => {
      if (this.relayAccounts(relay)) return;
      if (Date.now() < deadline) {
        setTimeout(look, 20);
        return;
      }
      this.ownSignals++;
      this.session.interrupt();
    };
    look();
  }

  /**
   * Whether every signal the kernel saw itself is one the relay numbered or repeated (or one
   * applied as the kernel's own). Signals libuv dropped only make the kernel's count smaller.
   */
  private relayAccounts(relay: SigintRelay): boolean {
    return relay.signals() + relay.repeats() + this.ownSignals >= this.seenSignals;
  }

  /** The relay's n-th signal. */
  private takeRelayed(n: number): void {
    if (this.sigints.relayed(n)) this.session.interrupt();
  }

  /**
   * A cell stopped by an interrupt: it applies now, before the cell's reply lets the client send
   * its next request, not once the relay's message is read. vm's watchdog may have taken the
   * signal before the relay counted it, so its count is briefly waited for.
   */
  private onCellInterrupted(byWatchdog: boolean): void {
    const relay = this.relay;
    if (!relay?.up) {
      if (byWatchdog && this.sigints.seenByKernel()) this.session.interrupt();
      return;
    }
    if (byWatchdog) {
      this.seenSignals++;
      const end = Date.now() + OWN_SIGNAL_WAIT_MS;
      while (!this.relayAccounts(relay) && Date.now() < end) {
        relay.signalsBeyond(relay.signals(), end - Date.now());
      }
      if (!this.relayAccounts(relay)) {
        this.ownSignals++; // sent to this process alone: the relay never saw it
        this.session.interrupt();
        return;
      }
    }
    const n = relay.signals();
    if (n > this.sigints.taken) this.takeRelayed(n);
  }

  private runner(): Promise<TypeScriptRunner> {
    this.runnerReady ??= (async () => {
      const { TypeScriptRunner } = await import('./execution/typescript');
      const runner = new TypeScriptRunner(this.rootDir, id =>
        id === 'gaissa' ? { ...gaissa, gaissa, default: gaissa } : undefined
      );
      await runner.provide('gaissa', "typeof import('gaissa').gaissa", gaissa, () =>
        this.onCellInterrupted(true)
      );
      this.runnerBuilt = runner;
      return runner;
    })();
    return this.runnerReady;
  }

  log(text: string): void {
    this.streams.log(`[gaissa kernel] ${text}`);
  }

  flushOutput(): void {
    this.streams.flush();
  }

  kernelInfo(): KernelInfoReply {
    setImmediate(() => void this.runner());
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

  history(request: HistoryRequest): HistoryReply {
    return { status: 'ok', history: this.cells.query(request) };
  }

  commInfo(request: CommInfoRequest): CommInfoReply {
    return { status: 'ok', comms: this.comms.info(request.target_name) };
  }

  commOpen({ comm_id, target_name, data }: CommOpen): boolean {
    return this.comms.handleOpen(comm_id, target_name, data);
  }

  commMsg({ comm_id, data }: CommMsg): void {
    if (!this.comms.handleMessage(comm_id, data)) this.log(`comm_msg for unknown comm ${comm_id}`);
  }

  commClose({ comm_id, data }: CommMsg): void {
    this.comms.handleClose(comm_id, data);
  }

  private magicContext(): MagicContext {
    return {
      api: gaissa,
      comms: this.comms,
      registry: this.magics,
      print: text => process.stdout.write(text)
    };
  }

  async execute(request: ExecuteRequest, context: RequestContext): Promise<ExecuteReply> {
    const { code, silent, store_history: storeHistory } = request;
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    if (!silent) this.session.publish('execute_input', { code, execution_count: count });
    if (storeHistory) this.cells.add(count, code);
    this.payloads = [];

    let outcome: CellOutcome & { error?: ErrorContent };
    try {
      outcome = await this.runCell(code, context, count);
    } catch (e) {
      outcome = { status: 'error', error: errorContent(e) };
    }
    this.streams.flush();
    if (outcome.status === 'ok') {
      if (outcome.value !== undefined && !silent) {
        const data = this.safeBundle(outcome.value);
        this.session.publish('execute_result', {
          execution_count: count,
          data,
          metadata: metadataOf(outcome.value)
        });
        if (storeHistory && typeof data['text/plain'] === 'string')
          this.cells.setOutput(count, data['text/plain']);
      }
      return {
        status: 'ok',
        execution_count: count,
        payload: this.payloads,
        user_expressions: {}
      };
    }
    const error = outcome.error ?? { ename: 'Error', evalue: 'execution failed', traceback: [] };
    if (!silent) this.session.publish('error', error);
    return { status: 'error', execution_count: count, ...error };
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
    context: RequestContext,
    count: number
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
        const runner = await this.session.unlessInterrupted(context, this.runner());
        if (!runner) {
          failure = interruptedError();
          return { status: 'interrupted', error: failure };
        }
        const bodyStart = parsed.cell ? parsed.cell.line + 1 : 0;
        this.relay?.running(++this.runs);
        const run = await runner
          .execute(parsed.code, { count, bodyStart })
          .finally(() => this.relay?.running(0));
        if (run.status === 'interrupted') this.onCellInterrupted(run.bySignal === true);
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
        ? await cell.command.cell!(cell.args, ctx, body, parsed.code)
        : wrapper
          ? await wrapper.wrap(ctx, body)
          : await body();
      return { ...outcome, error: failure };
    } catch (e) {
      return { ...fail(e), error: failure };
    }
  }

  /** Masks magics (same length) and converts the protocol's code-point cursor to a string index. */
  private prepare(request: CursorRequest): { code: string; source: string; index: number } {
    const source = request.code;
    let code = source;
    try {
      code = parseCell(source).code;
    } catch {
      // An unfinished magic still gets TypeScript help on the rest of the cell.
    }
    return { code, source, index: codePointToIndex(source, request.cursor_pos) };
  }

  async complete(request: CursorRequest): Promise<CompleteReply> {
    const { code, source, index } = this.prepare(request);
    return completeReply(source, index, (await this.runner()).complete(code, index));
  }

  async inspect(request: CursorRequest): Promise<InspectReply> {
    const { code, index } = this.prepare(request);
    const text = (await this.runner()).inspect(code, index);
    return {
      status: 'ok',
      found: Boolean(text),
      data: text ? { 'text/plain': text } : {},
      metadata: {}
    };
  }

  async isComplete(request: IsCompleteRequest): Promise<IsCompleteReply> {
    let code: string;
    try {
      code = parseCell(request.code).code;
    } catch {
      return { status: 'invalid' };
    }
    const r = (await this.runner()).isComplete(code);
    return r.completed ? { status: 'complete' } : { status: 'incomplete', indent: r.indent ?? '' };
  }

  shutdown(request: ShutdownRequest): ShutdownReply {
    // Let the reply and the idle status leave before the sockets close.
    setTimeout(() => void this.stop().finally(() => process.exit(0)), 100);
    return { status: 'ok', restart: request.restart };
  }

  async stop(): Promise<void> {
    this.streams?.restore();
    this.runnerBuilt?.close();
    this.relay?.close();
    await closeMeasureSession();
    await this.session.close();
  }
}
