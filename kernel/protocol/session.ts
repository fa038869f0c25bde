/**
 * The kernel's side of the Jupyter protocol: signed messages in and out, busy/idle around each
 * request, and dispatch of shell and control requests to a typed handler. Shell requests run one
 * at a time in arrival order (Scheduler); control requests (interrupt, shutdown) are answered at
 * once, even while a cell awaits. No failure while handling or answering a request may leave the
 * shell busy: every path ends in idle, and what cannot be sent is logged.
 */
import { randomUUID } from 'node:crypto';
import type { Router } from 'zeromq';
import { errorContent } from '../execution/errors';
import { Scheduler } from '../scheduler';
import { ConnectionInfo } from './connection';
import {
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
  IopubContents,
  IopubType,
  IsCompleteReply,
  IsCompleteRequest,
  KernelInfoReply,
  readCommInfoRequest,
  readCommMsg,
  readCommOpen,
  readCursorRequest,
  readExecuteRequest,
  readIsCompleteRequest,
  readShutdownRequest,
  ReplyContents,
  ReplyType,
  ShutdownReply,
  ShutdownRequest
} from './messages';
import { bindSockets, KernelSockets, SendQueue } from './sockets';
import { decode, encode, Message, Outgoing, Signer, WireError } from './wire';

export type Channel = 'shell' | 'control';

/** What a shell request's handler knows of it besides its content. */
export interface RequestContext {
  /** Its place in arrival order (Scheduler). */
  arrival: number;
}

/** What the kernel does for each request; the session owns the wire, the order and the status. */
export interface KernelHandler {
  kernelInfo(): KernelInfoReply;
  /** Publishes execute_input and outputs through the session; resolves with the reply. */
  execute(request: ExecuteRequest, context: RequestContext): Promise<ExecuteReply>;
  complete(request: CursorRequest): Promise<CompleteReply>;
  inspect(request: CursorRequest): Promise<InspectReply>;
  isComplete(request: IsCompleteRequest): Promise<IsCompleteReply>;
  history(request: HistoryRequest): HistoryReply;
  commInfo(request: CommInfoRequest): CommInfoReply;
  /** False when no such target: the session then closes the comm. */
  commOpen(message: CommOpen): boolean;
  commMsg(message: CommMsg): void;
  commClose(message: CommMsg): void;
  /** After the reply has gone: stop the process. */
  shutdown(request: ShutdownRequest): ShutdownReply;
  /** Sends output still buffered for the request that just ended, before its idle status. */
  flushOutput(): void;
}

/** Where encoded frames go, by socket. */
export type Send = (socket: Channel | 'iopub', frames: Buffer[]) => Promise<void>;

export class ProtocolSession {
  readonly id = randomUUID();
  /** The shell request whose outputs we are producing; late async output goes to the last one. */
  parent: Message | undefined;
  private readonly signer: Signer;
  private readonly scheduler: Scheduler<Message>;
  private send: Send = () => Promise.resolve();
  private sockets: KernelSockets | undefined;
  private stopping = false;

  constructor(
    key: string,
    signatureScheme: string,
    private readonly handler: KernelHandler,
    private readonly log: (text: string) => void
  ) {
    this.signer = new Signer(key, signatureScheme);
    this.scheduler = new Scheduler((msg, arrival) => this.dispatch(msg, 'shell', arrival), log);
  }

  /** Binds the sockets of a connection file and starts reading them. */
  async start(info: ConnectionInfo): Promise<void> {
    const sockets = await bindSockets(info);
    this.sockets = sockets;
    const queues = {
      shell: new SendQueue(sockets.shell),
      control: new SendQueue(sockets.control),
      iopub: new SendQueue(sockets.iopub)
    };
    this.attach((socket, frames) => queues[socket].send(frames));
    this.publish('status', { execution_state: 'starting' });
    void this.listen(sockets.shell, 'shell');
    void this.listen(sockets.control, 'control');
    void this.listen(sockets.stdin, undefined);
  }

  /** Where outgoing frames go (the bound sockets, or a test's recorder). */
  attach(send: Send): void {
    this.send = send;
  }

  /** Hooks run when an interrupt applies (to stop the running cell). */
  onInterrupt(listener: () => void): void {
    this.scheduler.onInterrupt(listener);
  }

  /** Stops the running cell and the shell requests received before now. */
  interrupt(): void {
    this.scheduler.interrupt();
  }

  /** The result of `work` for a request, or null when an interrupt came for it first. */
  unlessInterrupted<R>(context: RequestContext, work: Promise<R>): Promise<R | null> {
    return this.scheduler.unlessInterrupted(context.arrival, work);
  }

  async close(): Promise<void> {
    this.stopping = true;
    await this.sockets?.close();
  }

  private async listen(socket: Router, channel: Channel | undefined): Promise<void> {
    try {
      for await (const frames of socket) if (channel) this.receive(channel, frames);
    } catch (e) {
      if (!this.stopping) this.log(`socket stopped: ${(e as Error).message}`);
    }
  }

  /** One incoming message: authenticated, then queued (shell) or handled at once (control). */
  receive(channel: Channel, frames: Buffer[]): void {
    let msg: Message;
    try {
      msg = decode(frames, this.signer);
      // Replies echo the header: one that cannot be written back (nested past JSON.stringify's
      // recursion) could never be answered, nor its busy status closed.
      JSON.stringify(msg.header);
    } catch (e) {
      // Never log the expected signature: it would hand out a valid one.
      const reason = e instanceof WireError ? e.message : (e as Error).message;
      this.log(`dropped a message: ${reason}`);
      return;
    }
    if (channel === 'shell') this.scheduler.enqueue(msg);
    else void this.dispatch(msg, 'control', 0);
  }

  /** Publishes on iopub, for `parent` (the current shell request unless given). */
  publish<T extends IopubType>(
    msgType: T,
    content: IopubContents[T],
    parent: Message | undefined = this.parent,
    metadata?: Record<string, unknown>
  ): void {
    this.sendOut('iopub', {
      msgType,
      content,
      metadata,
      parent,
      identities: [Buffer.from(`kernel.${this.id}.${msgType}`)]
    });
  }

  private reply<T extends ReplyType>(
    channel: Channel,
    parent: Message,
    msgType: T,
    content: ReplyContents[T]
  ): void {
    this.sendOut(channel, { msgType, content: content as Record<string, unknown>, parent });
  }

  /** Encodes and sends; a message that cannot be encoded or sent is logged, never thrown. */
  private sendOut(socket: Channel | 'iopub', out: Outgoing): void {
    let frames: Buffer[];
    try {
      frames = encode(out, this.id, this.signer);
    } catch (e) {
      this.log(`could not encode ${out.msgType}: ${(e as Error).message}`);
      return;
    }
    this.send(socket, frames).catch(e =>
      this.log(`${socket} send failed: ${(e as Error).message}`)
    );
  }

  private async dispatch(msg: Message, channel: Channel, arrival: number): Promise<void> {
    const type = msg.header.msg_type;
    const handle = this.handlers[type];
    if (!handle) {
      this.log(`ignored unknown message type '${type}' on ${channel}`);
      return;
    }
    if (channel === 'shell') this.parent = msg;
    this.publish('status', { execution_state: 'busy' }, msg);
    try {
      await handle(msg, channel, { arrival });
    } catch (e) {
      this.log(`error handling ${type}: ${(e as Error)?.stack ?? e}`);
      if (type.endsWith('_request')) {
        this.sendOut(channel, {
          msgType: type.replace(/_request$/, '_reply'),
          content: { status: 'error', ...errorContent(e) },
          parent: msg
        });
      }
    } finally {
      try {
        this.handler.flushOutput();
      } catch (e) {
        this.log(`could not flush output: ${(e as Error).message}`);
      }
      this.publish('status', { execution_state: 'idle' }, msg);
    }
  }

  private readonly handlers: Record<
    string,
    (msg: Message, channel: Channel, context: RequestContext) => Promise<void> | void
  > = {
    kernel_info_request: (msg, ch) =>
      this.reply(ch, msg, 'kernel_info_reply', this.handler.kernelInfo()),
    execute_request: (msg, _ch, context) => this.execute(msg, context),
    complete_request: async msg =>
      this.reply(
        'shell',
        msg,
        'complete_reply',
        await this.handler.complete(readCursorRequest(msg.content))
      ),
    inspect_request: async msg =>
      this.reply(
        'shell',
        msg,
        'inspect_reply',
        await this.handler.inspect(readCursorRequest(msg.content))
      ),
    is_complete_request: async msg =>
      this.reply(
        'shell',
        msg,
        'is_complete_reply',
        await this.handler.isComplete(readIsCompleteRequest(msg.content))
      ),
    history_request: msg =>
      this.reply('shell', msg, 'history_reply', this.handler.history(msg.content)),
    comm_info_request: msg =>
      this.reply(
        'shell',
        msg,
        'comm_info_reply',
        this.handler.commInfo(readCommInfoRequest(msg.content))
      ),
    comm_open: msg => {
      const open = readCommOpen(msg.content);
      if (!this.handler.commOpen(open)) {
        this.log(`no comm target '${open.target_name}'`);
        this.publish('comm_close', { comm_id: open.comm_id, data: {} }, msg);
      }
    },
    comm_msg: msg => this.handler.commMsg(readCommMsg(msg.content)),
    comm_close: msg => this.handler.commClose(readCommMsg(msg.content)),
    interrupt_request: (msg, ch) => {
      this.interrupt();
      this.reply(ch, msg, 'interrupt_reply', { status: 'ok' });
    },
    shutdown_request: (msg, ch) => {
      this.stopping = true;
      this.reply(
        ch,
        msg,
        'shutdown_reply',
        this.handler.shutdown(readShutdownRequest(msg.content))
      );
    }
  };

  private async execute(msg: Message, context: RequestContext): Promise<void> {
    const request = readExecuteRequest(msg.content);
    const reply = await this.handler.execute(request, context);
    this.reply('shell', msg, 'execute_reply', reply);
    if (reply.status === 'error' && request.stop_on_error) this.abortQueued(reply.execution_count);
  }

  /** After a failed cell, requests already queued behind it are answered `aborted`, as ipykernel does. */
  private abortQueued(executionCount: number): void {
    const queued = this.scheduler.takeQueued(m => m.header.msg_type === 'execute_request');
    for (const msg of queued) {
      this.publish('status', { execution_state: 'busy' }, msg);
      this.reply('shell', msg, 'execute_reply', {
        status: 'aborted',
        execution_count: executionCount
      });
      this.publish('status', { execution_state: 'idle' }, msg);
    }
  }
}
