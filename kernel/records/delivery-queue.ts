/**
 * A bounded in-memory queue that delivers items to a team server in the background: the caller
 * pushes and returns at once; attempts are cut off after a timeout, retried with exponential
 * backoff, and given up after a number of tries or an age, so a server that is down, slow or
 * refusing costs memory and time that are both bounded. A failure is reported once per outage on
 * the warning stream; every item given up is counted in `status()`, the latest with its reason.
 */
import { printable } from './server-text';

/** Time, injectable so tests drive backoff and timeouts with a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real time; timers never keep the process alive (the CLI waits on `close` explicitly). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: handle => clearTimeout(handle as NodeJS.Timeout)
};

export interface DeliveryBounds {
  /** Items waiting at most; one more is not queued (and listed as not delivered). */
  capacity: number;
  /** Items sent in one attempt. */
  batchSize: number;
  /** Attempts per item before it is given up. */
  maxTries: number;
  /** Age after which an item is given up, ms. */
  maxAgeMs: number;
  /** Wait before the first retry, doubled after each failure up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** One attempt is abandoned (and counts as failed) after this, ms. */
  attemptTimeoutMs: number;
  /**
   * A cumulative queue whose items were given up keeps re-sending (on the backoff) for this long
   * after the latest was, so the totals arrive once the server is back without waiting for a
   * new item, ms.
   */
  catchUpMs: number;
}

export const DEFAULT_BOUNDS: Readonly<DeliveryBounds> = {
  capacity: 1000,
  batchSize: 50,
  maxTries: 10,
  maxAgeMs: 5 * 60_000,
  firstDelayMs: 1000,
  maxDelayMs: 15_000,
  attemptTimeoutMs: 5000,
  catchUpMs: 30 * 60_000
};

/** A server's answer that retrying cannot change (a 4xx): the batch is given up at once. */
export class DeliveryRefused extends Error {
  override name = 'DeliveryRefused';
}

/** An HTTP status the same request would get again: 4xx but timeouts and rate limits. */
export function refusesRetry(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** How many of the items given up a status lists by name: the latest. */
export const UNDELIVERED_LISTED = 20;

/** What an item is: measurements are also in the local files, labels and comparisons not. */
export type ItemKind = 'measurement' | 'label' | 'comparison';

/** Items given up, by kind. */
export interface UndeliveredCount {
  measurements: number;
  labels: number;
  comparisons: number;
}

const KINDS = { measurement: 'measurements', label: 'labels', comparison: 'comparisons' } as const;
const countAll = (c: UndeliveredCount) => c.measurements + c.labels + c.comparisons;

export interface Undelivered {
  id: string;
  reason: string;
  /** Set for a label or a comparison (the others are measurements). */
  label?: true;
  comparison?: true;
}

export interface DeliveryStatus {
  /** What the items go to, e.g. `MLflow at http://host:5000`. */
  name: string;
  delivered: number;
  /** Waiting for an attempt or a retry. */
  pending: number;
  /** How many were given up: too many tries, too old, refused, queue full or closed. */
  notDelivered: UndeliveredCount;
  /** The latest of them (at most UNDELIVERED_LISTED), oldest first. */
  undelivered: Undelivered[];
  /** The last failure while it lasts; null once an attempt succeeds. */
  down: string | null;
  /** Each delivery carries all pushed before it: what was given up is then only not yet pushed. */
  cumulative: boolean;
}

export interface DeliveryQueueOptions<T> {
  name: string;
  /** Sends a batch; throws to fail it (DeliveryRefused: do not retry). */
  deliver(items: T[], signal: AbortSignal): Promise<void>;
  idOf(item: T): string;
  /** What an item is (default: a measurement). */
  kindOf?(item: T): ItemKind;
  /** Items of one batch share this key (default: any items go together). */
  batchKey?(item: T): string;
  bounds?: Partial<DeliveryBounds>;
  clock?: Clock;
  /** The warning stream (default: stderr). */
  warn?: (text: string) => void;
  /** Each delivered item and how long it waited since it was pushed, ms (for the bench). */
  onDelivered?: (item: T, latencyMs: number) => void;
  /**
   * Each delivery carries everything pushed before it (a Pushgateway's running totals), so a
   * success also delivers what was given up before that attempt began.
   */
  cumulative?: boolean;
}

interface Entry<T> {
  item: T;
  pushedAt: number;
  tries: number;
}

export function reasonText(e: unknown): string {
  const error = e as Error & { cause?: { code?: string; message?: string } };
  // fetch's "fetch failed" hides the useful part (ECONNREFUSED...) in its cause.
  const cause = error?.cause?.code ?? error?.cause?.message;
  const message = String(error?.message ?? e);
  return printable(cause && !message.includes(cause) ? `${message}: ${cause}` : message);
}

export class DeliveryQueue<T> {
  readonly name: string;
  private readonly bounds: DeliveryBounds;
  private readonly clock: Clock;
  private readonly entries: Entry<T>[] = [];
  /** The latest items given up, each with its number among all given up (0, 1, ...). */
  private latest: Array<{ seq: number; entry: Undelivered }> = [];
  /** All given up so far, and those a cumulative delivery carried after all. */
  private readonly givenUp: UndeliveredCount = { measurements: 0, labels: 0, comparisons: 0 };
  private readonly carried: UndeliveredCount = { measurements: 0, labels: 0, comparisons: 0 };
  /** When the latest item was given up: a cumulative queue catches up until catchUpMs after. */
  private lastGivenUpAt = 0;
  /** The last failure was a refusal: the same totals would be refused again. */
  private refused = false;
  private delivered = 0;
  private failures = 0;
  private down: string | null = null;
  private busy = false;
  private retryTimer: unknown = null;
  private closed = false;
  private waiters: Array<{ untilEmpty: boolean; done: () => void }> = [];

  constructor(private readonly options: DeliveryQueueOptions<T>) {
    this.name = options.name;
    this.bounds = { ...DEFAULT_BOUNDS, ...options.bounds };
    this.clock = options.clock ?? systemClock;
  }

  /** Queues an item and returns at once; never throws. */
  push(item: T): void {
    if (this.closed) return this.giveUp([item], 'the sink was closed');
    if (this.entries.length >= this.bounds.capacity) {
      this.giveUp([item], `queue full (${this.bounds.capacity} waiting)`);
      this.report(`its queue is full (${this.bounds.capacity} records waiting)`);
      return;
    }
    this.entries.push({ item, pushedAt: this.clock.now(), tries: 0 });
    if (this.retryTimer === null) this.pump();
  }

  status(): DeliveryStatus {
    return {
      name: this.name,
      delivered: this.delivered,
      pending: this.entries.length,
      notDelivered: {
        measurements: this.givenUp.measurements - this.carried.measurements,
        labels: this.givenUp.labels - this.carried.labels,
        comparisons: this.givenUp.comparisons - this.carried.comparisons
      },
      undelivered: this.latest.map(u => u.entry),
      down: this.down,
      cumulative: this.options.cumulative === true
    };
  }

  /** Tries now what is waiting and resolves once it is sent, waiting on a retry, or timeoutMs passed. */
  flush(timeoutMs: number): Promise<DeliveryStatus> {
    return this.wait(timeoutMs, false);
  }

  /**
   * Keeps trying (on the backoff) until everything is sent or timeoutMs passed; what is still
   * waiting then is listed as not delivered, and later pushes are refused.
   */
  async close(timeoutMs: number): Promise<DeliveryStatus> {
    await this.wait(timeoutMs, true);
    this.closed = true;
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const left = this.entries.splice(0);
    this.giveUp(
      left.map(e => e.item),
      `still waiting at exit${this.down ? ` (${this.down})` : ''}`
    );
    return this.status();
  }

  /** Retries now, then resolves when idle (untilEmpty: when nothing waits) or at the timeout. */
  private wait(timeoutMs: number, untilEmpty: boolean): Promise<DeliveryStatus> {
    if (this.retryTimer !== null) {
      this.clock.clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.pump();
    }
    return new Promise(resolve => {
      const waiter = {
        untilEmpty,
        done: () => {
          this.clock.clearTimeout(timer);
          this.waiters = this.waiters.filter(w => w !== waiter);
          resolve(this.status());
        }
      };
      const timer = this.clock.setTimeout(waiter.done, timeoutMs);
      // Unlike the retry timers, a wait someone asked for keeps the process alive (the CLI's
      // last delivery): without it Node would exit in a backoff pause, saying nothing.
      (timer as { ref?: () => void }).ref?.();
      this.waiters.push(waiter);
      this.settle();
    });
  }

  private giveUp(items: T[], reason: string): void {
    for (const item of items) {
      const id = this.options.idOf(item);
      const kind = this.options.kindOf?.(item) ?? 'measurement';
      const seq = countAll(this.givenUp);
      this.givenUp[KINDS[kind]]++;
      this.latest.push({
        seq,
        entry: kind === 'measurement' ? { id, reason } : { id, reason, [kind]: true }
      });
      this.lastGivenUpAt = this.clock.now();
    }
    if (this.latest.length > UNDELIVERED_LISTED)
      this.latest.splice(0, this.latest.length - UNDELIVERED_LISTED);
  }

  /** A cumulative delivery also delivered the items given up before it began. */
  private carry(before: UndeliveredCount): void {
    for (const kind of Object.values(KINDS)) {
      this.delivered += Math.max(0, before[kind] - this.carried[kind]);
      this.carried[kind] = Math.max(this.carried[kind], before[kind]);
    }
    const seq = countAll(before);
    this.latest = this.latest.filter(u => u.seq >= seq);
  }

  /** Once per outage: the first failure after a success (or ever) is reported. */
  private report(what: string): void {
    if (this.down !== null) return;
    (this.options.warn ?? (text => process.stderr.write(text)))(
      `warning: ${this.name}: ${what}. Measurements stay in the local files; ` +
        `%gaissa sinks lists what is not delivered.\n`
    );
  }

  /** Resolves the waiters that are done: nothing in flight, and nothing waits or a retry does. */
  private settle(): void {
    if (this.busy) return;
    const empty = this.entries.length === 0;
    const resting = empty || this.retryTimer !== null || this.closed;
    for (const w of [...this.waiters]) if (empty || (resting && !w.untilEmpty)) w.done();
  }

  /**
   * A cumulative queue owes the server what it gave up (after a failure that was not a refusal)
   * until a delivery carries it, or catchUpMs after the latest was given up.
   */
  private owes(): boolean {
    return (
      this.options.cumulative === true &&
      !this.closed &&
      !this.refused &&
      countAll(this.givenUp) > countAll(this.carried) &&
      this.clock.now() - this.lastGivenUpAt < this.bounds.catchUpMs
    );
  }

  private pump(): void {
    if (this.busy) return this.settle();
    if (this.entries.length === 0) return this.owes() ? this.catchUp() : this.settle();
    const key = this.options.batchKey;
    const limit = Math.min(this.entries.length, this.bounds.batchSize);
    let size = 1;
    while (size < limit && (!key || key(this.entries[size].item) === key(this.entries[0].item)))
      size++;
    const batch = this.entries.slice(0, size);
    const givenUpBefore = { ...this.givenUp };
    this.busy = true;
    void this.attempt(batch.map(e => e.item)).then(error => {
      this.busy = false;
      if (error === null) {
        this.entries.splice(0, batch.length);
        const now = this.clock.now();
        this.delivered += batch.length;
        if (this.options.cumulative) this.carry(givenUpBefore);
        for (const e of batch) this.options.onDelivered?.(e.item, now - e.pushedAt);
        this.failures = 0;
        this.down = null;
        this.refused = false;
        return this.pump();
      }
      this.failed(batch, error);
    });
  }

  /**
   * Nothing waits but what was given up is owed: a delivery of no new item carries it (the
   * items of a cumulative queue are all in each delivery), retried on the same backoff.
   */
  private catchUp(): void {
    const givenUpBefore = { ...this.givenUp };
    this.busy = true;
    void this.attempt([]).then(error => {
      this.busy = false;
      if (error === null) {
        this.carry(givenUpBefore);
        this.failures = 0;
        this.down = null;
        this.refused = false;
        return this.pump();
      }
      this.failed([], error);
    });
  }

  private failed(batch: Entry<T>[], error: unknown): void {
    const reason = reasonText(error);
    const { maxTries, maxAgeMs } = this.bounds;
    const refused = error instanceof DeliveryRefused;
    this.report(
      refused
        ? `refused the records (${reason}), which are not retried`
        : `cannot deliver (${reason}); retrying in the background ` +
            `(up to ${maxTries} tries or ${Math.round(maxAgeMs / 1000)} s each)`
    );
    this.down = reason;
    this.refused = refused;
    this.failures++;
    const now = this.clock.now();
    for (const e of batch) e.tries++;
    // A refusal is about the batch sent, not the items waiting behind it.
    const whyNot = (e: Entry<T>): string | null =>
      refused && batch.includes(e)
        ? `refused: ${reason}`
        : e.tries >= maxTries
          ? `${e.tries} tries failed (last: ${reason})`
          : now - e.pushedAt >= maxAgeMs
            ? `older than ${Math.round(maxAgeMs / 1000)} s (last: ${reason})`
            : null;
    const kept: Entry<T>[] = [];
    for (const e of this.entries) {
      const why = whyNot(e);
      if (why === null) kept.push(e);
      else this.giveUp([e.item], why);
    }
    this.entries.splice(0, this.entries.length, ...kept);
    if (this.entries.length === 0 && !this.owes()) return this.settle();
    const delay = Math.min(
      this.bounds.maxDelayMs,
      this.bounds.firstDelayMs * 2 ** (this.failures - 1)
    );
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      this.pump();
    }, delay);
    this.settle();
  }

  /** One attempt, cut off at the timeout; resolves to the error, or null on success. */
  private attempt(items: T[]): Promise<unknown> {
    const controller = new AbortController();
    return new Promise(resolve => {
      const timer = this.clock.setTimeout(() => {
        controller.abort();
        resolve(new Error(`no answer within ${this.bounds.attemptTimeoutMs / 1000} s`));
      }, this.bounds.attemptTimeoutMs);
      const finish = (error: unknown) => {
        this.clock.clearTimeout(timer);
        resolve(error);
      };
      try {
        this.options.deliver(items, controller.signal).then(() => finish(null), finish);
      } catch (e) {
        finish(e);
      }
    });
  }
}
