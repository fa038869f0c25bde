/**
 * Shell requests run one at a time in arrival order. Each is numbered as it arrives; an interrupt
 * stops every request received before it, running or still waiting (e.g. for TypeScript to warm
 * up). Arrival order, not the client's header date, which need not share the kernel's clock.
 */
export class Scheduler<T> {
  private received = 0;
  private cancelledUpTo = 0;
  /** Interrupts received whose setImmediate has not run yet. */
  private pending = 0;
  private readonly queue: { item: T; arrival: number }[] = [];
  private busy = false;
  /** Work raced against interrupts (waiting for TypeScript's warm-up), woken by one. */
  private readonly waiters = new Set<() => void>();
  private readonly interruptListeners: (() => void)[] = [];

  /** `run` handles one item; a failure it lets escape is logged and the queue goes on. */
  constructor(
    private readonly run: (item: T, arrival: number) => Promise<void>,
    private readonly log: (text: string) => void
  ) {}

  enqueue(item: T): void {
    this.queue.push({ item, arrival: ++this.received });
    if (!this.busy) void this.drain();
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      while (this.queue.length) {
        const { item, arrival } = this.queue.shift()!;
        try {
          await this.run(item, arrival);
        } catch (e) {
          this.log(`request failed: ${(e as Error)?.stack ?? e}`);
        }
      }
    } finally {
      this.busy = false;
    }
  }

  /** Called with each interrupt once it applies (to stop the running cell). */
  onInterrupt(listener: () => void): void {
    this.interruptListeners.push(listener);
  }

  /**
   * Stops the running request, and those received before the interrupt that still wait: the user
   * meant to stop what they had asked for. Applied from setImmediate: when the kernel was busy
   * (warming up) as both a request and the interrupt came, the two wait in the same turn of the
   * event loop in either order; the request's socket is read in that turn, so deferring to its
   * end numbers the request first and the interrupt stops it.
   */
  interrupt(): void {
    this.pending++;
    setImmediate(() => {
      this.pending--;
      this.cancelledUpTo = this.received;
      for (const listener of this.interruptListeners) listener();
      for (const wake of [...this.waiters]) wake();
    });
  }

  /** Whether an interrupt came after the request that arrived `arrival`-th (one still to be
   * applied stops every request received so far). */
  cancelled(arrival: number): boolean {
    return arrival <= this.cancelledUpTo || (this.pending > 0 && arrival <= this.received);
  }

  /** `work`'s result for a request, or null when an interrupt came for it before it settled. */
  async unlessInterrupted<R>(arrival: number, work: Promise<R>): Promise<R | null> {
    if (this.cancelled(arrival)) return null;
    let wake!: () => void;
    const interrupted = new Promise<null>(resolve => {
      wake = () => resolve(null);
      this.waiters.add(wake);
    });
    try {
      const result = await Promise.race([work, interrupted]);
      return result !== null && !this.cancelled(arrival) ? result : null;
    } finally {
      this.waiters.delete(wake);
    }
  }

  /** Takes the queued requests that `which` selects out of the queue, in arrival order. */
  takeQueued(which: (item: T) => boolean): T[] {
    const taken = this.queue.filter(q => which(q.item));
    for (const q of taken) this.queue.splice(this.queue.indexOf(q), 1);
    return taken.map(q => q.item);
  }
}
