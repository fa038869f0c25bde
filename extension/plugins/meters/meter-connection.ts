/**
 * One `gaissa.meter` comm to one GAISSA kernel: opens it (with the settings), reopens it after a
 * restart, keeps the latest live sample, and tells listeners when anything changes.
 */
import type { Kernel } from '@jupyterlab/services';
import { Signal, type ISignal } from '@lumino/signaling';
import type { KernelSettings } from '../settings/gaissa-settings';
import {
  helloMessage,
  parseKernelMessage,
  settingsMessage,
  type AppliedSettings,
  type PowerMessage
} from './meter-messages';
import { METER_COMM_TARGET } from '../../../core/mime-types';

/** A sample older than this means the kernel stopped sending: the meter shows idle. */
export const STALE_AFTER_MS = 5000;

export type MeterState =
  | { kind: 'connecting' }
  /** The kernel has no live meter (an older kernel closes the comm; a newer one says why). */
  | { kind: 'unavailable'; reason: string }
  | { kind: 'live'; sample: PowerMessage }
  | { kind: 'idle'; sample: PowerMessage | null };

/** The part of a kernel connection this uses (fakes in the unit tests implement just this). */
export type MeterKernel = Pick<
  Kernel.IKernelConnection,
  'createComm' | 'statusChanged' | 'disposed' | 'status'
>;

export class MeterConnection {
  private comm: Kernel.IComm | null = null;
  private staleTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly stateChanged = new Signal<this, MeterState>(this);
  private readonly settingsReply = new Signal<
    this,
    { applied: AppliedSettings } | { field: string; message: string }
  >(this);
  private current: MeterState = { kind: 'connecting' };
  private isDisposedFlag = false;
  /** What the kernel said it will use for the next measurement. */
  applied: AppliedSettings | null = null;

  constructor(
    private readonly kernel: MeterKernel,
    private settings: KernelSettings
  ) {
    kernel.statusChanged.connect(this.onStatus, this);
    kernel.disposed.connect(this.dispose, this);
    if (kernel.status !== 'dead' && kernel.status !== 'restarting') this.open();
  }

  get state(): MeterState {
    return this.current;
  }

  get changed(): ISignal<this, MeterState> {
    return this.stateChanged;
  }

  /** The kernel's answer to each settings message: applied, or refused with a reason. */
  get settingsAnswered(): ISignal<
    this,
    { applied: AppliedSettings } | { field: string; message: string }
  > {
    return this.settingsReply;
  }

  get isDisposed(): boolean {
    return this.isDisposedFlag;
  }

  updateSettings(settings: KernelSettings): void {
    this.settings = settings;
    if (this.comm && !this.comm.isDisposed) {
      this.comm.send(settingsMessage(settings) as never);
    }
  }

  dispose(): void {
    if (this.isDisposedFlag) return;
    this.isDisposedFlag = true;
    this.clearStale();
    this.kernel.statusChanged.disconnect(this.onStatus, this);
    this.kernel.disposed.disconnect(this.dispose, this);
    if (this.comm && !this.comm.isDisposed) {
      try {
        this.comm.close();
      } catch {
        // The kernel is already gone: nothing to close.
      }
    }
    this.comm = null;
    Signal.clearData(this);
  }

  private open(): void {
    const comm = this.kernel.createComm(METER_COMM_TARGET);
    this.comm = comm;
    comm.onMsg = msg => this.onMessage(msg.content.data);
    comm.onClose = () => {
      if (this.comm !== comm) return;
      this.comm = null;
      this.setState({ kind: 'unavailable', reason: 'this kernel has no live meter' });
    };
    this.setState({ kind: 'connecting' });
    comm.open(helloMessage(this.settings) as never);
  }

  private onStatus(_: unknown, status: string): void {
    if (status === 'restarting' || status === 'autorestarting') {
      // The kernel forgets its comms when it restarts; a new one opens once it is idle again.
      this.comm = null;
      this.clearStale();
      this.setState({ kind: 'connecting' });
    } else if (status === 'dead') {
      this.comm = null;
      this.clearStale();
      this.setState({ kind: 'unavailable', reason: 'the kernel is dead' });
    } else if (status === 'idle' && this.comm === null && this.current.kind === 'connecting') {
      this.open();
    }
  }

  private onMessage(data: unknown): void {
    const message = parseKernelMessage(data);
    if (!message) return;
    switch (message.type) {
      case 'power':
        this.setState({ kind: 'live', sample: message });
        this.clearStale();
        this.staleTimer = setTimeout(() => {
          this.staleTimer = null;
          this.setState({ kind: 'idle', sample: message });
        }, STALE_AFTER_MS);
        break;
      case 'unavailable':
        this.setState({ kind: 'unavailable', reason: message.reason });
        break;
      case 'settings-applied':
        this.applied = message.settings;
        this.settingsReply.emit({ applied: message.settings });
        break;
      case 'settings-error':
        this.settingsReply.emit({ field: message.field, message: message.message });
        break;
    }
  }

  private clearStale(): void {
    if (this.staleTimer !== null) clearTimeout(this.staleTimer);
    this.staleTimer = null;
  }

  private setState(state: MeterState): void {
    if (this.isDisposedFlag) return;
    this.current = state;
    this.stateChanged.emit(state);
  }
}
