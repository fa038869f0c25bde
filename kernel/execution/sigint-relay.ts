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
 * group numbers each one and sends the number over IPC to a worker thread, which writes it into
 * shared memory. The kernel's thread records there how many it has taken and which cell runs:
 * - a cell reads the count after each top-level `await` (cell-module.ts) and stops;
 * - the worker sends SIGINT again to the kernel alone when a signal stays untaken while one same
 *   cell runs for two of its ticks: vm's watchdog, armed by then, stops that cell. It never fires
 *   for another cell or while no cell runs, so no stale signal reaches the next one.
 * While the relay runs, the kernel counts only its numbers, never a signal it sees itself (that
 * one is numbered by the relay too, or is the worker's repeat).
 */
import { Worker } from 'node:worker_threads';

/** Slots of the shared Int32Array. */
const SIGNALS = 0;
const TAKEN = 1;
const RUNNING = 2;
/** How often the worker looks for a signal the running cell missed. */
const TICK_MS = 100;

/** The child: numbers each SIGINT, sends the number, ends with its parent. Its 0 says it listens
 * (until then a SIGINT would end it). */
const RELAY_SOURCE = [
  'let n = 0;',
  "process.on('SIGINT', () => process.send(++n));",
  'process.send(0);',
  "process.on('disconnect', () => process.exit(0));"
].join('\n');

/** The worker: starts the child, stores each number, repeats a signal the running cell missed. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const shared = new Int32Array(workerData.shared);
let child;
try {
  child = spawn(workerData.execPath, ['-e', workerData.relay], {
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: {}
  });
} catch (e) {
  parentPort.postMessage({ problem: 'interrupt relay not started: ' + e.message });
}
let watch;
let seenRunning = 0;
function check() {
  const running = Atomics.load(shared, ${RUNNING});
  if (Atomics.load(shared, ${SIGNALS}) <= Atomics.load(shared, ${TAKEN})) {
    clearInterval(watch);
    watch = undefined;
    seenRunning = 0;
    return;
  }
  if (running !== 0 && running === seenRunning) {
    try { process.kill(process.pid, 'SIGINT'); } catch {}
  }
  seenRunning = running;
}
if (child) {
  child.on('message', n => {
    if (n === 0) return parentPort.postMessage({ up: true });
    if (typeof n !== 'number') return;
    Atomics.store(shared, ${SIGNALS}, n);
    Atomics.notify(shared, ${SIGNALS});
    parentPort.postMessage({ signal: n });
    watch ??= setInterval(check, ${TICK_MS});
  });
  child.on('error', e => parentPort.postMessage({ problem: 'interrupt relay: ' + e.message }));
  child.on('exit', () => parentPort.postMessage({ up: false }));
}
parentPort.on('message', () => {
  clearInterval(watch);
  if (child && child.connected) child.disconnect();
  parentPort.close();
});
`;

export interface SigintRelay {
  /** Whether the child runs: only then does it see every SIGINT. */
  readonly up: boolean;
  /** How many SIGINTs the child has seen (shared memory: right even while the thread is busy). */
  signals(): number;
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
  const shared = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  let up = false;
  let worker: Worker | undefined;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { shared: shared.buffer, execPath: process.execPath, relay: RELAY_SOURCE }
    });
  } catch (e) {
    onProblem(`interrupt relay not started: ${(e as Error).message}`);
  }
  worker?.on('message', (m: { up?: unknown; signal?: unknown; problem?: unknown }) => {
    if (typeof m.up === 'boolean') up = m.up;
    if (typeof m.signal === 'number') onSignal(m.signal);
    if (typeof m.problem === 'string') onProblem(m.problem);
  });
  worker?.on('error', e => {
    up = false;
    onProblem(`interrupt relay: ${e.message}`);
  });
  // The relay must not keep the kernel alive.
  worker?.unref();
  return {
    get up() {
      return up;
    },
    signals: () => Atomics.load(shared, SIGNALS),
    signalsBeyond: (count, ms) => {
      Atomics.wait(shared, SIGNALS, count, ms);
      return Atomics.load(shared, SIGNALS);
    },
    taken: n => Atomics.store(shared, TAKEN, n),
    running: sequence => Atomics.store(shared, RUNNING, sequence),
    close: () => worker?.postMessage('stop')
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
    if (this.relayUp()) return false; // the relay numbers it (or it is the worker's repeat)
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
