/**
 * Why the kernel does not rely on `process.on('SIGINT')` alone: a SIGINT that arrives while the
 * kernel's thread is busy (TypeScript warming up, or checking a cell) waits in libuv's signal
 * pipe. If tslab then runs code with vm's `breakOnSigint`, Node removes the process's SIGINT
 * listeners for that run (lib/vm.js, sigintHandlersWrap), which closes the signal handle the
 * waiting signal was addressed to, and libuv drops it. The cell then waits forever (issue #2: an
 * interrupt sent 0.5 s after a cold start was lost in 6 of 12 runs here).
 *
 * Jupyter sends SIGINT to the kernel's process group (jupyter_client's LocalProvisioner uses
 * killpg), so a tiny child in that group sees every interrupt and relays it over IPC, which
 * nothing drops. Signals are numbered on both sides so that one signal seen twice (by the kernel
 * and through the relay) interrupts once.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** The child: numbers each SIGINT, sends the number, and ends with its parent. */
const RELAY_SOURCE = [
  'let n = 0;',
  "process.on('SIGINT', () => process.send(++n));",
  "process.on('disconnect', () => process.exit(0));"
].join('\n');

export interface SigintRelay {
  /** The child's pid, or undefined when it could not start. */
  readonly pid: number | undefined;
  close(): void;
}

/** Starts the relay; `onSignal(n)` gets the number of each SIGINT the group received. */
export function startSigintRelay(
  onSignal: (n: number) => void,
  onProblem: (text: string) => void
): SigintRelay {
  let child: ChildProcess | undefined;
  try {
    child = spawn(process.execPath, ['-e', RELAY_SOURCE], {
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      env: {}
    });
  } catch (e) {
    onProblem(`interrupt relay not started: ${(e as Error).message}`);
  }
  child?.on('message', n => typeof n === 'number' && onSignal(n));
  child?.on('error', e => onProblem(`interrupt relay: ${e.message}`));
  // The relay must not keep the kernel alive, nor its IPC channel.
  child?.unref();
  (child as unknown as { channel?: { unref(): void } } | undefined)?.channel?.unref();
  return {
    pid: child?.pid,
    close: () => {
      if (child?.connected) child.disconnect();
    }
  };
}

/**
 * Counts SIGINTs from the two places that see them, the kernel itself (its listener, or vm's
 * watchdog when the signal stopped running code) and the relay, and says which are new.
 */
export class SigintCounter {
  private seenHere = 0;
  private applied = 0;

  /** A signal the kernel saw itself; true when it had not been applied yet. */
  seenByKernel(): boolean {
    this.seenHere++;
    return this.apply(this.seenHere);
  }

  /** The relay's n-th signal; true when it had not been applied yet. */
  relayed(n: number): boolean {
    return this.apply(n);
  }

  private apply(n: number): boolean {
    if (n <= this.applied) return false;
    this.applied = n;
    return true;
  }
}
