/**
 * A running total sampled over time (energy in J, CPU seconds, GB-seconds...), read back at any
 * instant: linear between samples, and past either end along the nearest interval's slope. Every
 * meter feeds one, so a window's energy is total(end) - total(begin) whatever the meter's rate.
 */
export class CumulativeSeries {
  private times: number[] = [];
  private totals: number[] = [];

  /** Add a sample at `t` (ms, increasing); samples out of order are ignored. */
  push(t: number, total: number): void {
    const n = this.times.length;
    if (n > 0 && t <= this.times[n - 1]) {
      // Same instant twice: keep the newer total.
      if (t === this.times[n - 1]) this.totals[n - 1] = total;
      return;
    }
    this.times.push(t);
    this.totals.push(total);
  }

  get length(): number {
    return this.times.length;
  }

  get firstTime(): number | undefined {
    return this.times[0];
  }

  get lastTime(): number | undefined {
    return this.times[this.times.length - 1];
  }

  get lastTotal(): number | undefined {
    return this.totals[this.totals.length - 1];
  }

  /** Rate (per ms) of the last interval; 0 with fewer than two samples. */
  lastRatePerMs(): number {
    const n = this.times.length;
    if (n < 2) return 0;
    return (this.totals[n - 1] - this.totals[n - 2]) / (this.times[n - 1] - this.times[n - 2]);
  }

  /** Total at `t`; 0 for an empty series. */
  at(t: number): number {
    const n = this.times.length;
    if (n === 0) return 0;
    if (n === 1) return this.totals[0];
    let i: number;
    if (t <= this.times[0]) i = 0;
    else if (t >= this.times[n - 1]) i = n - 2;
    else {
      // Binary search for the interval [times[i], times[i + 1]] holding t.
      let lo = 0;
      let hi = n - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (this.times[mid] <= t) lo = mid;
        else hi = mid;
      }
      i = lo;
    }
    const t0 = this.times[i];
    const t1 = this.times[i + 1];
    const v0 = this.totals[i];
    const v1 = this.totals[i + 1];
    return v0 + ((t - t0) / (t1 - t0)) * (v1 - v0);
  }

  /** Sample times strictly inside (from, to). */
  timesBetween(from: number, to: number): number[] {
    return this.times.filter(t => t > from && t < to);
  }

  /** Samples within [from, to]. */
  countBetween(from: number, to: number): number {
    let count = 0;
    for (const t of this.times) if (t >= from && t <= to) count++;
    return count;
  }

  /** Drop samples before `t`, keeping one before it so `at(t)` still interpolates. */
  trimBefore(t: number): void {
    let drop = 0;
    while (drop < this.times.length - 2 && this.times[drop + 1] <= t) drop++;
    if (drop > 0) {
      this.times.splice(0, drop);
      this.totals.splice(0, drop);
    }
  }
}
