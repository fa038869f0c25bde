/**
 * The extension's charts, drawn as SVG with DOM calls: a `Figure` (axes, legend, marks in data
 * units, built beside each output's Vega-Lite spec) becomes an <svg> in a host element. No
 * chart library: a chart appears in the same task as its data, and a new figure redraws the
 * same <svg> in place. Payload strings only become text nodes or plain attribute values
 * (aria-label); numbers that are not finite are left out of every coordinate.
 */
import type { ThemeColors } from '../chart-theme';
import { numberFormat } from './number-format';
import { bandScale, linearScale, type LinearScale } from './scale';

export const SVG_NS = 'http://www.w3.org/2000/svg';

export interface QuantAxis {
  title: string;
  /** d3-format subset (number-format.ts), the same string the spec's axis names. */
  format?: string;
  /** Round the domain to ticks (default true). */
  nice?: boolean;
  /** Keep 0 in the domain (default true). */
  zero?: boolean;
  /** Pixels left free at both ends, for labels beside the marks. */
  padding?: number;
}

/** A y axis of named rows (the tornado's inputs), top to bottom. */
export interface RowAxis {
  rows: readonly string[];
  /** Pixels per row. */
  step: number;
}

export type Shape = 'circle' | 'square' | 'diamond';

/** Tooltip rows of a mark: its <title> (one per line) and its aria-label ('; ' between). */
export type Fields = ReadonlyArray<readonly [string, string]>;

export type Mark =
  | {
      type: 'area';
      color: string;
      opacity: number;
      fields: Fields;
      points: ReadonlyArray<{ x: number; y0: number; y1: number }>;
    }
  | {
      type: 'line';
      color: string;
      width: number;
      /** SVG stroke-dasharray, e.g. '6 4'. */
      dash?: string;
      fields: Fields;
      points: ReadonlyArray<{ x: number; y: number }>;
    }
  | {
      type: 'point';
      x: number;
      y: number;
      color: string;
      shape: Shape;
      filled: boolean;
      /** Area in px², as Vega's `size`. */
      size: number;
      fields: Fields;
    }
  | {
      /** A vertical bar from 0 to y, `width` x units wide, centred on x. */
      type: 'bar';
      x: number;
      y: number;
      width: number;
      color: string;
      opacity: number;
      fields: Fields;
    }
  | {
      /** A horizontal bar in a row of a RowAxis, from x0 to x1. */
      type: 'hbar';
      row: string;
      x0: number;
      x1: number;
      color: string;
      fillOpacity: number;
      fields: Fields;
    }
  | {
      type: 'rule';
      /** Across the plot at this y, or down it at this x. */
      axis: 'x' | 'y';
      value: number;
      color: string;
      width: number;
      dash?: string;
      fields?: Fields;
    }
  | {
      type: 'text';
      /** A number, or a row name on a RowAxis. */
      x: number;
      y: number | string;
      text: string;
      dx: number;
      dy: number;
      anchor: 'start' | 'middle' | 'end';
      color: string;
      size: number;
      bold?: boolean;
    };

export type LegendSymbol = 'area' | 'line' | 'dashed' | Shape | 'hollow';

export interface Figure {
  /** Plot height in px (a RowAxis sets its own). */
  height: number;
  x: QuantAxis;
  y: QuantAxis | RowAxis;
  legend: ReadonlyArray<{ label: string; color: string; symbol: LegendSymbol }>;
  marks: readonly Mark[];
  theme: ThemeColors;
}

/** Width drawn when the host has none yet (not laid out); a resize redraws at the real one. */
const FALLBACK_WIDTH = 480;
/**
 * The width a chart host was last laid out at, on this page. A new chart starts at it instead of
 * asking the page (which would force the layout of a notebook still being drawn); the resize
 * observer corrects it before the frame is painted when the host's width differs.
 */
let lastLaidOutWidth = 0;
const LABEL_SIZE = 10;
const TITLE_SIZE = 11;
/** Text width estimate per character: no measuring, so no layout is forced while drawing. */
const CHAR = 0.6;

type Attrs = Record<string, string | number | undefined>;

export function svgEl<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  text?: string
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined) node.setAttribute(name, String(value));
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

const isRows = (axis: QuantAxis | RowAxis): axis is RowAxis => 'rows' in axis;
const finite = (...xs: number[]) => xs.every(Number.isFinite);
const px = (v: number) => Math.round(v * 10) / 10;
const textWidth = (text: string, size: number) => Array.from(text).length * size * CHAR;

function titled<T extends SVGElement>(node: T, fields: Fields | undefined, role?: string): T {
  if (!fields || fields.length === 0) return node;
  if (role) node.setAttribute('aria-roledescription', role);
  node.setAttribute('aria-label', fields.map(([k, v]) => `${k}: ${v}`).join('; '));
  node.appendChild(svgEl('title', {}, fields.map(([k, v]) => `${k}: ${v}`).join('\n')));
  return node;
}

/** Path of a symbol of `size` px² centred on (x, y). */
export function symbolPath(shape: Shape, x: number, y: number, size: number): string {
  if (shape === 'square') {
    const h = Math.sqrt(size) / 2;
    return `M${px(x - h)},${px(y - h)}h${px(2 * h)}v${px(2 * h)}h${px(-2 * h)}Z`;
  }
  if (shape === 'diamond') {
    const h = Math.sqrt(size / 2);
    return `M${px(x)},${px(y - h)}L${px(x + h)},${px(y)}L${px(x)},${px(y + h)}L${px(x - h)},${px(y)}Z`;
  }
  const r = px(Math.sqrt(size / Math.PI));
  return `M${px(x - r)},${px(y)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
}

/** Every x (and y) value the marks need inside the domain. */
function domainValues(figure: Figure): { xs: number[]; ys: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const m of figure.marks) {
    switch (m.type) {
      case 'area':
        for (const p of m.points) {
          xs.push(p.x);
          ys.push(p.y0, p.y1);
        }
        break;
      case 'line':
        for (const p of m.points) {
          xs.push(p.x);
          ys.push(p.y);
        }
        break;
      case 'point':
        xs.push(m.x);
        ys.push(m.y);
        break;
      case 'bar':
        xs.push(m.x - m.width / 2, m.x + m.width / 2);
        ys.push(0, m.y);
        break;
      case 'hbar':
        xs.push(m.x0, m.x1);
        break;
      case 'rule':
        (m.axis === 'x' ? xs : ys).push(m.value);
        break;
      case 'text':
        xs.push(m.x);
        if (typeof m.y === 'number') ys.push(m.y);
        break;
    }
  }
  return { xs, ys };
}

/** The scale's ticks; whole numbers only on an integer axis ('d'), so no label repeats. */
function ticks(scale: LinearScale, format = ''): number[] {
  const all = scale.ticks();
  return format.endsWith('d') ? all.filter(t => Number.isInteger(t)) : all;
}

interface Layout {
  width: number;
  height: number;
  x: LinearScale;
  y: (value: number | string) => number;
  rowStep: number;
  top: number;
  bottom: number;
  left: number;
  right: number;
}

function layout(figure: Figure, width: number): { layout: Layout; yScale: LinearScale | null } {
  const { xs, ys } = domainValues(figure);
  const legendHeight = figure.legend.length > 0 ? 22 : 0;
  const rows = isRows(figure.y) ? figure.y : null;
  const plotHeight = rows ? Math.max(1, rows.rows.length) * rows.step : figure.height;
  const top = legendHeight + 8;
  const bottom = top + plotHeight;
  let yScale: LinearScale | null = null;
  let left: number;
  if (rows) {
    left = 8 + Math.max(0, ...rows.rows.map(r => textWidth(r, LABEL_SIZE)));
  } else {
    const axis = figure.y as QuantAxis;
    yScale = linearScale(ys, [bottom, top], {
      nice: axis.nice,
      zero: axis.zero,
      ticks: Math.max(2, Math.round(plotHeight / 40))
    });
    const format = numberFormat(axis.format ?? '');
    const widest = Math.max(
      0,
      ...ticks(yScale, axis.format).map(t => textWidth(format(t), LABEL_SIZE))
    );
    left = 8 + widest + (axis.title ? TITLE_SIZE + 8 : 0);
  }
  left = Math.min(left, width / 3);
  // Room for half of the last x tick label (such as "1,200"), centred on the plot's end.
  const right = width - 18;
  const pad = figure.x.padding ?? 0;
  const xOptions = {
    nice: figure.x.nice,
    zero: figure.x.zero,
    ticks: Math.max(2, Math.round((right - left) / 80))
  };
  let x = linearScale(xs, [left + pad, right - pad], xOptions);
  // Labels beside marks (variant names) must stay inside: narrow the range by what overflows.
  let over = 0;
  for (const m of figure.marks) {
    if (m.type !== 'text' || !Number.isFinite(m.x)) continue;
    const at = x.map(m.x) + m.dx;
    const w = textWidth(m.text, m.size);
    const end = m.anchor === 'start' ? at + w : m.anchor === 'middle' ? at + w / 2 : at;
    over = Math.max(over, end - right);
  }
  if (over > 0) x = linearScale(xs, [left + pad, Math.max(left + 1, right - pad - over)], xOptions);
  const y = rows
    ? (() => {
        const band = bandScale(rows.rows, top, rows.step);
        return (value: number | string) =>
          typeof value === 'string' ? band.start(value) + rows.step / 2 : NaN;
      })()
    : (value: number | string) =>
        typeof value === 'number' ? (yScale as LinearScale).map(value) : NaN;
  const height = bottom + 8 + LABEL_SIZE + (figure.x.title ? TITLE_SIZE + 10 : 0);
  return {
    layout: { width, height, x, y, rowStep: rows?.step ?? 0, top, bottom, left, right },
    yScale
  };
}

function axes(figure: Figure, l: Layout, yScale: LinearScale | null): SVGGElement {
  const { theme } = figure;
  const g = svgEl('g', { class: 'axes' });
  const xFormat = numberFormat(figure.x.format ?? '');
  const grid = (x1: number, y1: number, x2: number, y2: number) =>
    svgEl('line', { x1: px(x1), y1: px(y1), x2: px(x2), y2: px(y2), stroke: theme.grid });
  const label = (x: number, y: number, text: string, anchor: string) =>
    svgEl(
      'text',
      { x: px(x), y: px(y), 'text-anchor': anchor, 'font-size': LABEL_SIZE, fill: theme.mutedText },
      text
    );
  const title = (x: number, y: number, text: string, rotate = false) =>
    svgEl(
      'text',
      {
        x: px(x),
        y: px(y),
        'text-anchor': 'middle',
        'font-size': TITLE_SIZE,
        'font-weight': 'bold',
        fill: theme.text,
        transform: rotate ? `rotate(-90 ${px(x)} ${px(y)})` : undefined
      },
      text
    );
  const xAxis = svgEl('g', { class: 'axis axis-x' });
  for (const t of ticks(l.x, figure.x.format)) {
    const x = l.x.map(t);
    xAxis.append(
      grid(x, l.top, x, l.bottom + 4),
      label(x, l.bottom + 6 + LABEL_SIZE, xFormat(t), 'middle')
    );
  }
  xAxis.append(grid(l.left, l.bottom, l.right, l.bottom));
  if (figure.x.title) {
    xAxis.append(
      title((l.left + l.right) / 2, l.bottom + 16 + LABEL_SIZE + TITLE_SIZE, figure.x.title)
    );
  }
  const yAxis = svgEl('g', { class: 'axis axis-y' });
  if (yScale) {
    const axis = figure.y as QuantAxis;
    const yFormat = numberFormat(axis.format ?? '');
    for (const t of ticks(yScale, axis.format)) {
      const y = yScale.map(t);
      yAxis.append(grid(l.left - 4, y, l.right, y), label(l.left - 6, y + 3, yFormat(t), 'end'));
    }
    if (axis.title) yAxis.append(title(TITLE_SIZE, (l.top + l.bottom) / 2, axis.title, true));
  } else {
    for (const row of (figure.y as RowAxis).rows) {
      yAxis.append(label(l.left - 6, l.y(row) + 3, row, 'end'));
    }
  }
  yAxis.append(grid(l.left, l.top, l.left, l.bottom));
  g.append(xAxis, yAxis);
  return g;
}

function legend(figure: Figure): SVGGElement | null {
  if (figure.legend.length === 0) return null;
  const g = svgEl('g', { class: 'legend' });
  let x = 4;
  for (const item of figure.legend) {
    const entry = svgEl('g', { class: 'legend-entry' });
    const y = 11;
    let symbol: SVGElement;
    if (item.symbol === 'line' || item.symbol === 'dashed') {
      symbol = svgEl('line', {
        x1: x,
        y1: y,
        x2: x + 14,
        y2: y,
        stroke: item.color,
        'stroke-width': 2,
        'stroke-dasharray': item.symbol === 'dashed' ? '4 3' : undefined
      });
    } else if (item.symbol === 'area' || item.symbol === 'hollow') {
      symbol = svgEl('rect', {
        x,
        y: y - 5,
        width: 14,
        height: 10,
        fill: item.color,
        'fill-opacity': item.symbol === 'hollow' ? 0.15 : 0.85,
        stroke: item.color
      });
    } else {
      symbol = svgEl('path', { d: symbolPath(item.symbol, x + 7, y, 60), fill: item.color });
    }
    entry.append(
      symbol,
      svgEl(
        'text',
        { x: x + 18, y: y + 4, 'font-size': LABEL_SIZE, fill: figure.theme.text },
        item.label
      )
    );
    g.append(entry);
    x += 18 + textWidth(item.label, LABEL_SIZE) + 14;
  }
  return g;
}

/** The SVG nodes of one mark; none when its numbers are not finite. */
function mark(m: Mark, l: Layout): SVGElement | null {
  switch (m.type) {
    case 'area': {
      const pts = m.points.filter(p => finite(p.x, p.y0, p.y1));
      if (pts.length === 0) return null;
      const upper = pts.map(p => `${px(l.x.map(p.x))},${px(l.y(p.y1))}`);
      const lower = pts.map(p => `${px(l.x.map(p.x))},${px(l.y(p.y0))}`).reverse();
      const d = `M${upper.join('L')}L${lower.join('L')}Z`;
      return titled(svgEl('path', { d, fill: m.color, 'fill-opacity': m.opacity }), m.fields);
    }
    case 'line': {
      const pts = m.points.filter(p => finite(p.x, p.y));
      if (pts.length === 0) return null;
      const d = `M${pts.map(p => `${px(l.x.map(p.x))},${px(l.y(p.y))}`).join('L')}`;
      const attrs = {
        d,
        fill: 'none',
        stroke: m.color,
        'stroke-width': m.width,
        'stroke-dasharray': m.dash
      };
      return titled(svgEl('path', attrs), m.fields);
    }
    case 'point': {
      if (!finite(m.x, m.y)) return null;
      const d = symbolPath(m.shape, l.x.map(m.x), l.y(m.y), m.size);
      const attrs = m.filled
        ? { d, fill: m.color, 'fill-opacity': 0.9 }
        : { d, fill: 'none', stroke: m.color, 'stroke-width': 2 };
      return titled(svgEl('path', attrs), m.fields, 'point');
    }
    case 'bar': {
      if (!finite(m.x, m.y, m.width)) return null;
      const x0 = l.x.map(m.x - (m.width * 0.8) / 2);
      const x1 = l.x.map(m.x + (m.width * 0.8) / 2);
      const y0 = l.y(0);
      const y1 = l.y(m.y);
      const attrs = {
        x: px(Math.min(x0, x1)),
        y: px(Math.min(y0, y1)),
        width: px(Math.abs(x1 - x0)),
        height: px(Math.abs(y1 - y0)),
        fill: m.color,
        'fill-opacity': m.opacity
      };
      return titled(svgEl('rect', attrs), m.fields, 'bar');
    }
    case 'hbar': {
      const mid = l.y(m.row);
      if (!finite(m.x0, m.x1, mid)) return null;
      const a = l.x.map(m.x0);
      const b = l.x.map(m.x1);
      const h = l.rowStep * 0.7;
      const attrs = {
        x: px(Math.min(a, b)),
        y: px(mid - h / 2),
        width: px(Math.abs(b - a)),
        height: px(h),
        fill: m.color,
        'fill-opacity': m.fillOpacity,
        stroke: m.color,
        'stroke-width': 1.5
      };
      return titled(svgEl('rect', attrs), m.fields, 'bar');
    }
    case 'rule': {
      if (!Number.isFinite(m.value)) return null;
      const at = m.axis === 'x' ? l.x.map(m.value) : l.y(m.value);
      const [x1, y1, x2, y2] =
        m.axis === 'x' ? [at, l.top, at, l.bottom] : [l.left, at, l.right, at];
      const attrs = {
        x1: px(x1),
        y1: px(y1),
        x2: px(x2),
        y2: px(y2),
        stroke: m.color,
        'stroke-width': m.width,
        'stroke-dasharray': m.dash
      };
      return titled(svgEl('line', attrs), m.fields);
    }
    case 'text': {
      const x = l.x.map(m.x);
      const y = l.y(m.y);
      if (!finite(x, y)) return null;
      return svgEl(
        'text',
        {
          x: px(x + m.dx),
          y: px(y + m.dy + m.size / 3),
          'text-anchor': m.anchor,
          'font-size': m.size,
          'font-weight': m.bold ? 'bold' : undefined,
          fill: m.color
        },
        m.text
      );
    }
  }
}

/** The children of the chart's <svg> for `figure` drawn `width` px wide. */
export function drawFigure(figure: Figure, width: number): { nodes: SVGElement[]; height: number } {
  const { layout: l, yScale } = layout(figure, width);
  const plot = svgEl('g', { class: 'marks' });
  // One group per kind of mark, in the order the figure first names them (later on top).
  const groups = new Map<string, SVGGElement>();
  for (const m of figure.marks) {
    const node = mark(m, l);
    if (!node) continue;
    let group = groups.get(m.type);
    if (!group) {
      group = svgEl('g', { class: `mark-${m.type}` });
      groups.set(m.type, group);
      plot.append(group);
    }
    group.append(node);
  }
  const nodes: SVGElement[] = [axes(figure, l, yScale), plot];
  const key = legend(figure);
  if (key) nodes.push(key);
  return { nodes, height: l.height };
}

/**
 * One chart in a host element: the first draw puts an <svg> there, later draws replace what it
 * shows in place (the slider's case), and a change of the host's width redraws the last figure.
 * A figure may be given as a function of the page (theme colours read from the host): drawn
 * while the host is not yet in the page (a notebook being built), it is built again once the
 * host is laid out, before that frame is painted.
 */
export class SvgChart {
  readonly svg: SVGSVGElement;
  private figure: Figure | null = null;
  private build: (() => Figure) | null = null;
  /** Built while the host was outside the page, so with fallback colours. */
  private stale = false;
  private width = 0;
  private observer: ResizeObserver | null = null;

  constructor(private readonly host: HTMLElement) {
    this.svg = svgEl('svg', { class: 'gaissa-chart' });
  }

  draw(figure: Figure | (() => Figure)): void {
    this.build = typeof figure === 'function' ? figure : null;
    this.stale = this.build !== null && !this.host.isConnected;
    this.figure = typeof figure === 'function' ? figure() : figure;
    const first = this.svg.parentNode !== this.host;
    if (first) {
      this.host.textContent = '';
      this.host.appendChild(this.svg);
    }
    // Later draws (a slider moving) take the width the resize observer reported, so a redraw
    // never forces the notebook's layout; the page is asked only by the page's first chart.
    this.render(this.width || lastLaidOutWidth || this.host.clientWidth || FALLBACK_WIDTH);
    // Observed only once a figure has drawn: one that throws must not be redrawn on each resize.
    if (!this.observer) this.observe();
  }

  dispose(): void {
    this.observer?.disconnect();
    this.observer = null;
    this.figure = null;
    this.build = null;
  }

  private render(width: number): void {
    if (!this.figure) return;
    this.width = width;
    const { nodes, height } = drawFigure(this.figure, width);
    this.svg.setAttribute('width', String(width));
    this.svg.setAttribute('height', String(Math.ceil(height)));
    this.svg.setAttribute('font-family', this.figure.theme.font);
    this.svg.replaceChildren(...nodes);
  }

  private observe(): void {
    if (this.observer || typeof ResizeObserver !== 'function') return;
    this.observer = new ResizeObserver(entries => {
      const width = Math.round(entries[entries.length - 1].contentRect.width);
      if (width <= 0) return;
      lastLaidOutWidth = width;
      if (this.stale && this.build) {
        this.stale = false;
        this.figure = this.build();
      } else if (Math.abs(width - this.width) < 1) return;
      this.render(width);
    });
    this.observer.observe(this.host);
  }
}
