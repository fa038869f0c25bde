/**
 * "Where you stand": per rated metric, the population's indices as an empirical cumulative
 * distribution (x: the index, higher is better; y: the share of the population at or below it),
 * the A-E boundaries as vertical lines under their band letters, and the model as a point at its
 * index and percentile. Drawn into the label SVG (core/label/svg.ts), so the widget and the static
 * image/svg+xml output show the same chart.
 *
 * The record's distribution is the population's indices at evenly spaced shares (0, 5, ..., 100th
 * percentiles); the curve joins those points. Everything comes through the checks of
 * rated-against.ts, and every text through `escapeXml`.
 */
import { formatNumber } from '../format';
import { RATINGS, Rating, isRating } from './metrics';
import {
  metricTitle,
  modelIndex,
  modelPercentile,
  percentText,
  standingPhrase,
  populationDistribution,
  ratingBoundaries
} from './rated-against';
import { INK, MUTED, RATING_COLOURS, WIDTH, attrs, escapeXml, text } from './svg-primitives';

/** The plot's box within a panel: x from left to right, y (share 1 to 0) from top to bottom. */
export const ECDF_PLOT = { left: 56, right: WIDTH - 24, top: 34, bottom: 84 } as const;
/** One panel's height, and the section header's above the first panel. */
export const ECDF_PANEL_HEIGHT = 120;
export const ECDF_HEADER_HEIGHT = 48;
/** A log scale once the positive values span more than this ratio (two decades). */
const LOG_RATIO = 100;
const CURVE = '#1f5fa8';
const FRAME = '#9e9e9e';

/** One metric's chart data, already checked. */
export interface EcdfInput {
  name: string;
  /** Ascending indices at evenly spaced shares 0..1. */
  distribution: readonly number[];
  /** b1 >= b2 >= b3 >= b4, or null when the record has none usable. */
  boundaries: readonly number[] | null;
  index: number | null;
  /** As recorded (0..1), or null: then the point sits on the curve. */
  percentile: number | null;
  rating: Rating | null;
}

export interface EcdfScale {
  log: boolean;
  /** The domain's ends (for a log scale, the smallest positive value and the largest). */
  lo: number;
  hi: number;
  /** x of a value; 0 and anything below `lo` sit at the left edge on a log scale. */
  x(value: number): number;
  ticks: number[];
}

/** The x scale over all `values` (indices, boundaries), between pixel `left` and `right`. */
export function ecdfScale(values: readonly number[], left: number, right: number): EcdfScale {
  const positives = values.filter(v => v > 0);
  const minPositive = Math.min(...positives);
  const max = Math.max(...values);
  const span = right - left;
  const clamp = (x: number) => Math.min(right, Math.max(left, x));
  if (positives.length >= 2 && max / minPositive > LOG_RATIO) {
    const a = Math.log10(minPositive);
    const b = Math.log10(max);
    return {
      log: true,
      lo: minPositive,
      hi: max,
      x: v => clamp(left + ((Math.log10(Math.max(v, minPositive)) - a) / (b - a)) * span),
      ticks: decadeTicks(a, b)
    };
  }
  let lo = Math.min(...values);
  let hi = max;
  if (hi === lo) [lo, hi] = lo === 0 ? [0, 1] : [lo / 2, hi * 1.5];
  return {
    log: false,
    lo,
    hi,
    x: v => clamp(left + ((v - lo) / (hi - lo)) * span),
    ticks: niceTicks(lo, hi)
  };
}

/** Powers of ten within [10^a, 10^b], thinned to at most six. */
function decadeTicks(a: number, b: number): number[] {
  const powers: number[] = [];
  for (let k = Math.ceil(a - 1e-9); k <= Math.floor(b + 1e-9); k++) powers.push(k);
  const every = Math.ceil(powers.length / 6);
  return powers.filter((_, i) => i % every === 0).map(k => Number(`1e${k}`));
}

/** About four round ticks (1, 2 or 5 times a power of ten) within [lo, hi]. */
function niceTicks(lo: number, hi: number): number[] {
  // A span too narrow for the numbers' precision (or none) gets its two ends: stepping would
  // never move past lo.
  if (!(hi - lo > Math.abs(hi) * 1e-9)) return [lo];
  const raw = (hi - lo) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const f = raw / magnitude;
  const step = magnitude * (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10);
  const ticks: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  for (let k = first; k * step <= hi + step * 1e-9 && k - first < 12; k++) {
    ticks.push(Number((k * step).toPrecision(12)));
  }
  return ticks;
}

/** The curve's share at `index`: the highest share whose index is <= it, linear between points. */
export function shareAt(distribution: readonly number[], index: number): number {
  const last = distribution.length - 1;
  if (index < distribution[0]) return 0;
  let k = 0;
  while (k < last && distribution[k + 1] <= index) k++;
  if (k === last) return 1;
  const [q0, q1] = [distribution[k], distribution[k + 1]];
  return (k + (index - q0) / (q1 - q0)) / last;
}

/** The chart data of `name` from a record, or null when it has no usable distribution. */
export function ecdfInput(record: object, name: string): EcdfInput | null {
  const distribution = populationDistribution(record, name);
  if (!distribution) return null;
  const metric = (record as { metrics?: Record<string, { rating?: unknown }> }).metrics?.[name];
  return {
    name,
    distribution,
    boundaries: ratingBoundaries(record, name),
    index: modelIndex(record, name),
    percentile: modelPercentile(record, name),
    rating: isRating(metric?.rating) ? metric.rating : null
  };
}

const round = (v: number) => Math.round(v * 100) / 100;

/** The sentence under a chart, also its description's end. */
export function standingText(input: EcdfInput): string {
  if (input.index === null) return "This model's index is not recorded";
  const rating = input.rating ? ` (${input.rating})` : '';
  const standing =
    input.percentile !== null
      ? standingPhrase(input.percentile)
      : `at least as good as about ${percentText(shareAt(input.distribution, input.index))} of the population`;
  return `Index ${formatNumber(input.index)}${rating}: ${standing}`;
}

function bandsSentence(boundaries: readonly number[] | null): string {
  if (!boundaries) return 'No rating boundaries recorded.';
  return (
    'Boundaries: ' +
    boundaries.map((b, i) => `${RATINGS[i]} above ${formatNumber(b)}`).join(', ') +
    ', else E.'
  );
}

/** One metric's chart, its top at `top`, as an accessible group (role img, title, desc). */
export function drawEcdfPanel(input: EcdfInput, top: number): string {
  const { left, right } = ECDF_PLOT;
  const plotTop = top + ECDF_PLOT.top;
  const plotBottom = top + ECDF_PLOT.bottom;
  const values = [...input.distribution, ...(input.boundaries ?? [])];
  if (input.index !== null) values.push(input.index);
  const scale = ecdfScale(values, left, right);
  const y = (share: number) => round(plotBottom - share * (plotBottom - plotTop));
  const x = (v: number) => round(scale.x(v));
  const title = metricTitle(input.name);
  const sentence = standingText(input);
  const desc =
    `Share of the population (y, 0 to 1) whose index is at or below each index (x, ` +
    `${scale.log ? 'log' : 'linear'} scale; a higher index is better). ` +
    `${bandsSentence(input.boundaries)} ${sentence}.`;
  const parts: string[] = [
    `<title>${escapeXml(`${title}: where this model stands in the population`)}</title>`,
    `<desc>${escapeXml(desc)}</desc>`,
    text(16, top + 16, title, { 'font-size': 12, 'font-weight': 'bold' }),
    text(right, top + 16, scale.log ? 'index, log scale' : 'index', {
      'font-size': 9.5,
      fill: MUTED,
      'text-anchor': 'end'
    })
  ];

  // Bands E (left, lowest index) to A (right) under the boundary lines.
  if (input.boundaries) {
    const edges = [scale.lo, ...[...input.boundaries].reverse(), scale.hi].map(x);
    const letters = [...RATINGS].reverse();
    letters.forEach((letter, i) => {
      const [x0, x1] = [edges[i], edges[i + 1]];
      if (x1 - x0 <= 0) return;
      const c = RATING_COLOURS[letter];
      parts.push(
        `<rect${attrs({ x: x0, y: top + 22, width: round(x1 - x0), height: 12, fill: c.fill })}/>`
      );
      if (x1 - x0 >= 10) {
        parts.push(
          text(round((x0 + x1) / 2), top + 31.5, letter, {
            'font-size': 9.5,
            'font-weight': 'bold',
            fill: c.text,
            'text-anchor': 'middle'
          })
        );
      }
    });
  }

  // Frame, the 50 % line and the share labels.
  parts.push(
    `<rect${attrs({ x: left, y: plotTop, width: right - left, height: plotBottom - plotTop, fill: '#ffffff', stroke: FRAME, 'stroke-width': 1 })}/>`,
    `<line${attrs({ x1: left, y1: y(0.5), x2: right, y2: y(0.5), stroke: '#dddddd', 'stroke-width': 1 })}/>`
  );
  for (const [share, label] of [
    [1, '100 %'],
    [0.5, '50 %'],
    [0, '0']
  ] as const) {
    parts.push(
      text(left - 4, y(share) + 3, label, { 'font-size': 9, fill: MUTED, 'text-anchor': 'end' })
    );
  }
  for (const tick of scale.ticks) {
    parts.push(
      `<line${attrs({ x1: x(tick), y1: plotBottom, x2: x(tick), y2: plotBottom + 3, stroke: FRAME, 'stroke-width': 1 })}/>`,
      text(x(tick), plotBottom + 12, formatNumber(tick), {
        'font-size': 9,
        fill: MUTED,
        'text-anchor': 'middle'
      })
    );
  }

  // The boundaries, through the band strip and the plot.
  for (const b of input.boundaries ?? []) {
    parts.push(
      `<line${attrs({ class: 'gaissa-ecdf-boundary', x1: x(b), y1: top + 22, x2: x(b), y2: plotBottom, stroke: INK, 'stroke-width': 1, 'stroke-dasharray': '3 2' })}/>`
    );
  }

  // The curve: flat at 0 up to the smallest index, through the points, flat at 1 after.
  const last = input.distribution.length - 1;
  const points = input.distribution.map((q, k) => `${x(q)} ${y(k / last)}`);
  parts.push(
    `<path${attrs({ class: 'gaissa-ecdf-curve', d: `M${left} ${y(0)} L${points.join(' L')} L${right} ${y(1)}`, fill: 'none', stroke: CURVE, 'stroke-width': 1.8, 'stroke-linejoin': 'round' })}/>`
  );

  if (input.index !== null) {
    const share = input.percentile ?? shareAt(input.distribution, input.index);
    const [cx, cy] = [x(input.index), y(share)];
    parts.push(
      `<line${attrs({ x1: left, y1: cy, x2: cx, y2: cy, stroke: INK, 'stroke-width': 0.8, 'stroke-dasharray': '1 2' })}/>`,
      `<circle${attrs({ class: 'gaissa-ecdf-point', cx, cy, r: 4.5, fill: INK, stroke: '#ffffff', 'stroke-width': 1.5 })}/>`
    );
  }
  parts.push(text(16, plotBottom + 28, sentence, { 'font-size': 10.5 }));

  return (
    `<g${attrs({ class: 'gaissa-label-ecdf', 'data-metric': input.name, role: 'img' })}>` +
    parts.join('') +
    '</g>'
  );
}

/**
 * The "where you stand" section for the `names` that have a distribution, its top at `top`, or
 * null when none has one.
 */
export function drawEcdfSection(
  record: object,
  names: readonly string[],
  top: number
): { svg: string; height: number } | null {
  const inputs = names.map(n => ecdfInput(record, n)).filter((i): i is EcdfInput => i !== null);
  if (inputs.length === 0) return null;
  const muted = { 'font-size': 10, fill: MUTED };
  const parts = [
    `<line${attrs({ x1: 16, y1: top, x2: WIDTH - 16, y2: top, stroke: INK, 'stroke-width': 1 })}/>`,
    text(16, top + 20, 'Where you stand', { 'font-weight': 'bold' }),
    text(16, top + 34, 'Share of the population at or below each index; a higher', muted),
    text(16, top + 46, 'index is better. Dashed lines: the A–E boundaries.', muted)
  ];
  let y = top + ECDF_HEADER_HEIGHT;
  for (const input of inputs) {
    parts.push(drawEcdfPanel(input, y));
    y += ECDF_PANEL_HEIGHT;
  }
  return { svg: parts.join(''), height: y - top };
}
