/**
 * Jupyter comms: a registry of targets that features (the live meter, settings) register, and the
 * comms open between this kernel and its frontends.
 */
import { randomUUID } from 'node:crypto';

export interface Comm {
  readonly commId: string;
  readonly targetName: string;
  send(data: unknown, metadata?: Record<string, unknown>): void;
  close(data?: unknown): void;
  onMessage(handler: (data: unknown) => void): void;
  onClose(handler: (data: unknown) => void): void;
  readonly closed: boolean;
}

/** Called when a frontend opens a comm to `target`: set up handlers, maybe send an initial state. */
export type CommTarget = (comm: Comm, data: unknown) => void;

/** How comms reach the frontend (iopub). */
export type CommPublish = (
  msgType: 'comm_open' | 'comm_msg' | 'comm_close',
  content: Record<string, unknown>,
  metadata?: Record<string, unknown>
) => void;

class OpenComm implements Comm {
  private messageHandlers: ((data: unknown) => void)[] = [];
  private closeHandlers: ((data: unknown) => void)[] = [];
  closed = false;

  constructor(
    readonly commId: string,
    readonly targetName: string,
    private readonly publish: CommPublish,
    private readonly forget: (id: string) => void
  ) {}

  send(data: unknown, metadata: Record<string, unknown> = {}): void {
    if (this.closed) throw new Error(`comm ${this.targetName} is closed`);
    this.publish('comm_msg', { comm_id: this.commId, data }, metadata);
  }

  close(data: unknown = {}): void {
    if (this.closed) return;
    this.publish('comm_close', { comm_id: this.commId, data });
    this.closedByPeer(data);
  }

  onMessage(handler: (data: unknown) => void): void {
    this.messageHandlers.push(handler);
  }

  onClose(handler: (data: unknown) => void): void {
    this.closeHandlers.push(handler);
  }

  received(data: unknown): void {
    for (const h of this.messageHandlers) h(data);
  }

  closedByPeer(data: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.forget(this.commId);
    for (const h of this.closeHandlers) h(data);
  }
}

export class CommManager {
  private readonly targets = new Map<string, CommTarget>();
  private readonly comms = new Map<string, OpenComm>();

  constructor(private readonly publish: CommPublish) {}

  registerTarget(name: string, target: CommTarget): void {
    this.targets.set(name, target);
  }

  /** A comm opened by the kernel (the frontend must have registered `targetName`). */
  open(targetName: string, data: unknown = {}): Comm {
    const comm = this.track(randomUUID(), targetName);
    this.publish('comm_open', { comm_id: comm.commId, target_name: targetName, data });
    return comm;
  }

  /** comm_open from a frontend; false when no such target (the caller then closes the comm). */
  handleOpen(commId: string, targetName: string, data: unknown): boolean {
    const target = this.targets.get(targetName);
    if (!target) return false;
    target(this.track(commId, targetName), data);
    return true;
  }

  handleMessage(commId: string, data: unknown): boolean {
    const comm = this.comms.get(commId);
    comm?.received(data);
    return comm !== undefined;
  }

  handleClose(commId: string, data: unknown): void {
    this.comms.get(commId)?.closedByPeer(data);
  }

  /** comm_info_reply content: open comms, optionally of one target. */
  info(targetName?: string): Record<string, { target_name: string }> {
    const out: Record<string, { target_name: string }> = {};
    for (const comm of this.comms.values()) {
      if (!targetName || comm.targetName === targetName)
        out[comm.commId] = { target_name: comm.targetName };
    }
    return out;
  }

  private track(commId: string, targetName: string): OpenComm {
    const comm = new OpenComm(commId, targetName, this.publish, id => this.comms.delete(id));
    this.comms.set(commId, comm);
    return comm;
  }
}
