/**
 * The sampler thread's latest rates, published in shared memory after every sample so that the
 * main thread can close a short window without a round trip to the thread (see short-window.ts).
 * A sequence lock keeps a read from mixing two samples: the writer makes the sequence odd while
 * it writes, and a reader retries until it sees the same even sequence before and after copying.
 */

/** What the main thread needs of the last sampled interval. */
export interface PublishedRates {
  /** Whether RAPL still answers (it can stop; the thread then falls back to the estimator). */
  rapl: boolean;
  /** Power of the CPU and RAM series in use over the last interval, W. */
  cpuW: number;
  ramW: number;
  /** Busy share of the machine's CPUs over the last interval, 0..1. */
  machineBusy: number;
  /** Resident memory of the measured process at the last sample, GB. */
  rssGB: number;
}

const FIELDS = ['rapl', 'cpuW', 'ramW', 'machineBusy', 'rssGB'] as const;

/** Bytes: an 8-byte sequence word, then one float64 per field. */
export const SHARED_STATE_BYTES = 8 * (1 + FIELDS.length);

export class SharedRates {
  private readonly seq: Int32Array;
  private readonly values: Float64Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.seq = new Int32Array(buffer, 0, 1);
    this.values = new Float64Array(buffer, 8, FIELDS.length);
  }

  static create(): SharedRates {
    return new SharedRates(new SharedArrayBuffer(SHARED_STATE_BYTES));
  }

  /** Writer side (the sampler thread only). */
  write(rates: PublishedRates): void {
    Atomics.add(this.seq, 0, 1);
    FIELDS.forEach((field, i) => (this.values[i] = Number(rates[field])));
    Atomics.add(this.seq, 0, 1);
  }

  /** A consistent copy, or null while nothing was published yet. */
  read(): PublishedRates | null {
    for (;;) {
      const before = Atomics.load(this.seq, 0);
      if (before === 0) return null;
      if (before % 2 === 1) continue; // a write is in progress: it takes a few ns
      const v = Array.from(this.values);
      if (Atomics.load(this.seq, 0) !== before) continue;
      return {
        rapl: v[0] === 1,
        cpuW: v[1],
        ramW: v[2],
        machineBusy: v[3],
        rssGB: v[4]
      };
    }
  }
}
