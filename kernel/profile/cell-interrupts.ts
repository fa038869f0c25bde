/**
 * Interrupts of the running cell, for kernel code that waits on the user's code: an interrupt
 * ends the cell, but a promise of the user's that never settles would keep such code (a profile
 * sampling every 100 µs, an open meter window) waiting for the rest of the kernel's life. The
 * kernel fires `cellInterrupted` from its interrupt listener. No imports: the kernel loads it at
 * start, before anything that profiles.
 */

/** What code waiting on an interrupted cell's promise ends with. */
export class CellInterrupted extends Error {
  constructor() {
    super('the cell was interrupted');
    this.name = 'CellInterrupted';
  }
}

const listeners = new Set<() => void>();

/** Calls `listener` at each interrupt until the returned function is called. */
export function onCellInterrupt(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The kernel's interrupt: every listener, once each. */
export function cellInterrupted(): void {
  for (const listener of [...listeners]) listener();
}

/** `work`, or a CellInterrupted rejection as soon as an interrupt comes first. */
export async function unlessCellInterrupted<T>(work: () => T | Promise<T>): Promise<T> {
  let stop = () => {};
  const interrupted = new Promise<never>((_, reject) => {
    stop = onCellInterrupt(() => reject(new CellInterrupted()));
  });
  try {
    // Started at once, as `await work()` would be: its synchronous part runs here.
    const running = (async () => work())();
    return await Promise.race([running, interrupted]);
  } finally {
    stop();
  }
}
