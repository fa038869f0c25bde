/**
 * Why the kernel does not rely on `process.on('SIGINT')` alone:
 * - A SIGINT that arrives while the kernel's thread is busy (TypeScript warming up, or compiling
 *   a cell) waits in libuv's signal pipe. If tslab then runs code with vm's `breakOnSigint`, Node
 *   removes the process's SIGINT listeners for that run (lib/vm.js, sigintHandlersWrap), which
 *   closes the handle the waiting signal was addressed to, and libuv drops it: the cell would run
 *   forever.
 * - A cell that yields only to microtasks (`await Promise.resolve()` in a loop) never lets the
 *   kernel's event loop read a signal or a message at all.
 *
 * So every SIGINT is also counted outside the kernel's thread. Jupyter sends SIGINT to the
 * kernel's process group (jupyter_client's LocalProvisioner uses killpg): a tiny child in that
 * group numbers each one, writes the count into an 8-byte file the kernel holds open (and the child
 * unlinks at once, so nothing stays on disk), and sends the number over IPC. The kernel tells the
 * child which cell runs and how many signals it has taken (IPC from the kernel leaves at once,
 * even when its thread then stays busy), so:
 * - a cell reads the count after its top-level `await`s (cell-module.ts) and stops;
 * - the child sends SIGINT again to the kernel alone when a signal stays untaken while one same
 *   cell runs for two of its ticks: vm's watchdog, armed by then, stops that cell. It never fires
 *   while no cell runs, so a signal is not repeated into a later cell.
 * While the relay runs, the kernel counts its numbers; a signal the kernel sees itself is one the
 * relay numbers too, or the child's repeat (counted in the file's second slot), or one sent to
 * the kernel's pid alone (`kill -INT PID`), which the kernel applies once the relay's count has
 * not moved for a while.
 * A file, not a worker thread with shared memory: a worker costs the kernel about 10 MB.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How often the child looks for a signal the running cell missed. */
const TICK_MS = 100;

/** The child: numbers each SIGINT, repeats one the running cell missed, ends with its parent. Its
 * 0 says it listens (until then a SIGINT would end it). */
const RELAY_SOURCE = `
const fs = require('node:fs');
const file = process.argv[1];
const fd = fs.openSync(file, 'r+');
fs.unlinkSync(file);
const parent = process.ppid;
const counts = Buffer.alloc(8);
let n = 0, repeats = 0, taken = 0, running = 0, seenRunning = 0, watch;
function check() {
  if (process.ppid !== parent) process.exit(0); // the kernel is gone: signal nobody else
  if (n <= taken) { clearInterval(watch); watch = undefined; seenRunning = 0; return; }
  if (running !== 0 && running === seenRunning) {
    counts.writeInt32LE(++repeats, 4);
    fs.writeSync(fd, counts, 4, 4, 4);
    try { process.kill(parent, 'SIGINT'); } catch {}
  }
  seenRunning = running;
}
process.on('SIGINT', () => {
  counts.writeInt32LE(++n, 0);
  fs.writeSync(fd, counts, 0, 4, 0);
  process.send(n);
  watch ??= setInterval(check, ${TICK_MS});
});
process.on('message', m => {
  if (typeof m.running === 'number') running = m.running;
  if (typeof m.taken === 'number' && m.taken > taken) taken = m.taken;
});
process.on('disconnect', () => process.exit(0));
process.send(0);
`;

export interface SigintRelay {
  /** Whether the child runs: only then does it see every SIGINT. */
  readonly up: boolean;
  /** How many SIGINTs the child has seen (read from its file: right even while the thread is busy). */
  signals(): number;
  /** How many times the child has sent a missed signal again. */
  repeats(): number;
  /** The same, once it exceeds `count` or `ms` have passed (blocks the calling thread). */
  signalsBeyond(count: number, ms: number): number;
  /** The kernel has taken the first `n` signals. */
  taken(n: number): void;
  /** Cell number `sequence` (> 0) runs now; 0 when none does. */
  running(sequence: number): void;
  close(): void;
}

/** Starts the relay; `onSignal(n)` gets the number of each SIGINT the group received. */
export function startSigintRelay(
  onSignal: (n: number) => void,
  onProblem: (text: string) => void
): SigintRelay {
  let up = false;
  let closed = false;
  let child: ChildProcess | undefined;
  let fd: number | undefined;
  try {
    const file = join(tmpdir(), `gaissa-sigint-${process.pid}-${randomBytes(6).toString('hex')}`);
    fd = openSync(file, 'wx+', 0o600);
    child = spawn(process.execPath, ['-e', RELAY_SOURCE, file], {
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      env: {}
    });
    child.on('exit', (code, signal) => {
      if (up && !closed) {
        onProblem(
          `interrupt relay ended (${signal ?? `code ${code}`}): only the kernel's own SIGINT listener remains`
        );
      }
      up = false;
      // Unlinked by the child once open; gone already unless it failed before.
      try {
        unlinkSync(file);
      } catch {
        // gone, as it should be
      }
    });
  } catch (e) {
    onProblem(`interrupt relay not started: ${(e as Error).message}`);
  }
  child?.on('message', n => {
    if (n === 0) up = true;
    else if (typeof n === 'number') onSignal(n);
  });
  child?.on('error', e => onProblem(`interrupt relay: ${e.message}`));
  // The relay must not keep the kernel alive, nor its IPC channel.
  child?.unref();
  (child as unknown as { channel?: { unref(): void } } | undefined)?.channel?.unref();
  const counts = Buffer.alloc(8);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const read = (slot: 0 | 1): number => {
    if (fd === undefined) return 0;
    counts.fill(0);
    readSync(fd, counts, 0, 8, 0);
    return counts.readInt32LE(slot * 4);
  };
  const signals = (): number => read(0);
  const send = (message: object): void => {
    if (child?.connected) child.send(message);
  };
  return {
    get up() {
      return up;
    },
    signals,
    repeats: () => read(1),
    signalsBeyond: (since, ms) => {
      const end = Date.now() + ms;
      let n = signals();
      while (n <= since && Date.now() < end) {
        Atomics.wait(pause, 0, 0, 2);
        n = signals();
      }
      return n;
    },
    taken: n => send({ taken: n }),
    running: sequence => send({ running: sequence }),
    close: () => {
      closed = true;
      if (child?.connected) child.disconnect();
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    }
  };
}

/**
 * Counts SIGINTs: the relay's numbers while it runs, otherwise those the kernel sees itself (its
 * listener, or vm's watchdog when the signal stopped running code). Says which are new.
 */
export class SigintCounter {
  private seenHere = 0;
  private applied = 0;

  constructor(
    private readonly relayUp: () => boolean = () => false,
    private readonly onTaken: (n: number) => void = () => undefined
  ) {}

  /** How many signals the kernel has taken. */
  get taken(): number {
    return this.applied;
  }

  /** A signal the kernel saw itself; true when it is a new one to apply. */
  seenByKernel(): boolean {
    if (this.relayUp()) return false; // the relay numbers it (or it is the child's repeat)
    this.seenHere = Math.max(this.seenHere, this.applied) + 1;
    return this.apply(this.seenHere);
  }

  /** The relay's n-th signal; true when it had not been applied yet. */
  relayed(n: number): boolean {
    return this.apply(n);
  }

  private apply(n: number): boolean {
    if (n <= this.applied) return false;
    this.applied = n;
    this.onTaken(n);
    return true;
  }
}
