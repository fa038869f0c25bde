/**
 * Where the team view reads from: a `gaissa.team` comm to a GAISSA kernel, which queries the
 * team server with its own settings and credentials (the browser could not reach MLflow across
 * origins, and must not hold its token). The kernel is the active notebook's when that is a
 * GAISSA kernel, else one started for the view alone and shut down with it.
 */
import type { Kernel } from '@jupyterlab/services';
import { TEAM_VIEW_COMM_TARGET } from '../../../core/mime-types';
import type { TeamView } from '../../../core/team-view';
import { fetchMessage, parseTeamView } from './team-view-messages';

export type TeamViewState =
  | { kind: 'connecting'; detail: string }
  /** `refreshing`: a newer view was asked for. */
  | { kind: 'view'; view: TeamView; refreshing: boolean }
  | { kind: 'failed'; reason: string };

/** The part of a kernel connection this uses (fakes in the unit tests implement just this). */
export type TeamKernel = Pick<Kernel.IKernelConnection, 'createComm' | 'isDisposed' | 'status'>;

/** How kernels are found and started (the plugin's is JupyterLab's; tests give fakes). */
export interface KernelSource {
  /** The active notebook's kernel when it is a GAISSA kernel. */
  active(): TeamKernel | null;
  /** A GAISSA kernel of the view's own. */
  start(): Promise<TeamKernel>;
  shutdown(kernel: TeamKernel): Promise<void>;
}

/** How long an ask waits for the kernel's answer (its own read gives up after 30 s). */
export const ANSWER_TIMEOUT_MS = 45_000;

const usable = (k: TeamKernel | null): k is TeamKernel =>
  k !== null && !k.isDisposed && k.status !== 'dead';

export class TeamViewSource {
  private kernel: TeamKernel | null = null;
  private owned = false;
  private comm: Kernel.IComm | null = null;
  private last: TeamView | null = null;
  private disposed = false;
  private starting: Promise<TeamKernel> | null = null;
  private waiting: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly kernels: KernelSource,
    private readonly onState: (state: TeamViewState) => void
  ) {}

  /** Asks for a new view, on the active notebook's GAISSA kernel if there is one now. */
  async refresh(): Promise<void> {
    const active = this.kernels.active();
    if (usable(active) && active !== this.kernel) this.use(active, false);
    if (!usable(this.kernel)) {
      this.use(null, false);
      // A refresh while a kernel starts waits for that one: it is asked once it is up.
      if (this.starting) return;
      this.emit({
        kind: 'connecting',
        detail: 'Starting a GAISSA kernel to read the team server…'
      });
      let started: TeamKernel;
      try {
        this.starting = this.kernels.start();
        started = await this.starting;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.emit({ kind: 'failed', reason: `No GAISSA kernel could be started (${reason}).` });
        return;
      } finally {
        this.starting = null;
      }
      if (this.disposed) {
        void this.kernels.shutdown(started).catch(() => undefined);
        return;
      }
      this.use(started, true);
    }
    this.ask();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.use(null, false);
  }

  private use(kernel: TeamKernel | null, owned: boolean): void {
    this.stopWaiting();
    // Dropped before closing: close() calls onClose at once, which must not take it for a refusal.
    const comm = this.comm;
    this.comm = null;
    if (comm && !comm.isDisposed) {
      try {
        comm.close();
      } catch {
        // the kernel is gone already
      }
    }
    if (this.owned && this.kernel && this.kernel !== kernel) {
      void this.kernels.shutdown(this.kernel).catch(() => undefined);
    }
    this.kernel = kernel;
    this.owned = owned;
  }

  private ask(): void {
    this.emit(
      this.last
        ? { kind: 'view', view: this.last, refreshing: true }
        : { kind: 'connecting', detail: 'Reading the team server…' }
    );
    // A kernel that never answers (busy, or hung) must not leave the view waiting for good.
    this.stopWaiting();
    this.waiting = setTimeout(() => {
      this.waiting = null;
      this.emit({
        kind: 'failed',
        reason: `The kernel did not answer within ${ANSWER_TIMEOUT_MS / 1000} s (it may be busy running a cell); refresh to ask again.`
      });
    }, ANSWER_TIMEOUT_MS);
    if (this.comm && !this.comm.isDisposed) {
      this.comm.send(fetchMessage() as never);
      return;
    }
    const comm = this.kernel!.createComm(TEAM_VIEW_COMM_TARGET);
    this.comm = comm;
    comm.onMsg = msg => {
      if (this.comm !== comm) return;
      this.stopWaiting();
      const parsed = parseTeamView(msg.content.data);
      if ('errors' in parsed) {
        this.emit({
          kind: 'failed',
          reason: `The kernel's answer was refused: ${parsed.errors.join('; ')}`
        });
        return;
      }
      this.last = parsed.view;
      this.emit({ kind: 'view', view: parsed.view, refreshing: false });
    };
    comm.onClose = () => {
      if (this.comm !== comm) return;
      this.comm = null;
      this.stopWaiting();
      this.emit({
        kind: 'failed',
        reason: 'This kernel has no team view: it is a GAISSA kernel older than this extension.'
      });
    };
    comm.open(fetchMessage() as never);
  }

  private stopWaiting(): void {
    if (this.waiting !== null) clearTimeout(this.waiting);
    this.waiting = null;
  }

  private emit(state: TeamViewState): void {
    if (!this.disposed) this.onState(state);
  }
}
