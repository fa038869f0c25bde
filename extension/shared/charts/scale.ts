/**
 * Scales of the extension's SVG charts: a linear scale (data to pixels, with round ticks) and a
 * band scale (one row per name). Non-finite values never reach a coordinate: callers filter
 * them, and a scale built from nothing or from one value still has a usable domain.
 */

export interface LinearOptions {
  /** Stretch the domain to the ticks' round ends (Vega-Lite's `nice`); default true. */
  nice?: boolean;
  /** Keep 0 inside the domain (Vega-Lite's default for quantities); default true. */
  zero?: boolean;
  /** About how many ticks to aim for. */
  ticks?: number;
}

export interface LinearScale {
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  /** The pixel of `value`. */
  map(value: number): number;
  /** Round values inside the domain, 1, 2 or 5 times a power of ten apart. */
  ticks(): number[];
}

/** A round step (1, 2 or 5 × 10^k) giving about `count` intervals over `span`. */
export function tickStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const factor = raw / power;
  return power * (factor >= 7.5 ? 10 : factor >= 3.5 ? 5 : factor >= 1.5 ? 2 : 1);
}

const LIMIT = 1e300;
/** At most this many ticks, whatever the domain: a hostile one must not loop for long. */
const MAX_TICKS = 1000;

/** The domain of `values` (non-finite ones skipped), never empty nor zero-wide. */
export function extent(values: Iterable<number>, zero: boolean): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const raw of values) {
    if (!Number.isFinite(raw)) continue;
    // Beyond ±1e300 a span overflows to Infinity; no real figure is that large.
    const v = Math.min(Math.max(raw, -LIMIT), LIMIT);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [0, 1];
  if (zero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  // Values a few ulps apart (0.1 + 0.2 vs 0.3) are one value: a round tick step over such a span
  // would be far below the values' own precision.
  if (hi - lo <= Math.max(Math.abs(lo), Math.abs(hi)) * 1e-9) hi = lo;
  if (lo === hi) {
    // One value: a domain around it, so it is drawn in the middle with ticks either side.
    const half = lo === 0 ? 1 : Math.abs(lo) / 10;
    return [lo - half, hi + half];
  }
  return [lo, hi];
}

export function linearScale(
  values: Iterable<number>,
  range: readonly [number, number],
  options: LinearOptions = {}
): LinearScale {
  const count = options.ticks ?? 5;
  let [lo, hi] = extent(values, options.zero ?? true);
  const step = tickStep(hi - lo, count);
  if (options.nice ?? true) {
    lo = Math.floor(lo / step) * step;
    hi = Math.ceil(hi / step) * step;
  }
  const [r0, r1] = range;
  const k = (r1 - r0) / (hi - lo);
  return {
    domain: [lo, hi],
    range,
    map: value => r0 + (value - lo) * k,
    ticks() {
      const first = Math.ceil(lo / step - 1e-9);
      const last = Math.floor(hi / step + 1e-9);
      const out: number[] = [];
      if (!(step > 0) || !Number.isFinite(first) || !Number.isFinite(last)) return out;
      // Multiplying (not adding) keeps 0.1 + 0.2 drift out of the labels; counting n (not i)
      // ends the loop even where i + 1 === i (beyond 2^53).
      for (let n = 0; n <= last - first && n < MAX_TICKS; n++) {
        out.push(Number(((first + n) * step).toPrecision(12)));
      }
      return out;
    }
  };
}

export interface BandScale {
  /** The top of `name`'s row; NaN for a name not in the scale. */
  start(name: string): number;
  /** The height of a row. */
  readonly step: number;
}

/** Rows of equal height, in the order given, from `top` on. */
export function bandScale(names: readonly string[], top: number, step: number): BandScale {
  const index = new Map(names.map((n, i) => [n, i]));
  return {
    step,
    start: name => {
      const i = index.get(name);
      return i === undefined ? NaN : top + i * step;
    }
  };
}
