/**
 * A measurement's power over time, one stacked area per component that drew any power: the
 * Vega-Lite spec (the chart's export contract) and the figure the card draws (shared/charts),
 * both from the same rows. Pure, so it is unit-tested without a browser.
 */
import type { TimelinePoint } from '../../../core/measurement';
import { chartConfig, type ThemeColors } from '../../shared/chart-theme';
import { numberFormat } from '../../shared/charts/number-format';
import type { Figure, Mark } from '../../shared/charts/svg-chart';

/** Colours resolved from the theme's CSS variables when the chart is drawn. */
export interface ChartColors extends ThemeColors {
  cpu: string;
  gpu: string;
  ram: string;
}

const COMPONENTS = [
  ['cpuW', 'CPU', 'cpu'],
  ['gpuW', 'GPU', 'gpu'],
  ['ramW', 'RAM', 'ram']
] as const;

export interface PowerDatum {
  t: number;
  component: string;
  watts: number;
  /** Stretches of samples without a pause; the chart draws no line across the pauses. */
  segment: number;
}

/** A step this many times the typical one is a pause between runs (warm-ups, repeats). */
const PAUSE_FACTOR = 3;

/** For each point, the stretch it belongs to: a new one starts after each pause. */
export function segments(times: readonly number[]): number[] {
  const steps = times.slice(1).map((t, i) => t - times[i]);
  const typical = [...steps].sort((a, b) => a - b)[Math.floor(steps.length / 2)] ?? 0;
  let segment = 0;
  return times.map((_, i) =>
    i > 0 && typical > 0 && steps[i - 1] > PAUSE_FACTOR * typical ? ++segment : segment
  );
}

/** Long-form rows for the chart; components that stayed at 0 W are left out of the legend. */
export function powerData(timeline: readonly TimelinePoint[]): PowerDatum[] {
  // In time order, as Vega-Lite draws areas: a payload is untrusted and may list points out of
  // order; a point without a finite time has no place on the axis.
  const points = timeline.filter(p => Number.isFinite(p.t)).sort((a, b) => a.t - b.t);
  const present = COMPONENTS.filter(([key]) => points.some(p => p[key] > 0));
  const stretch = segments(points.map(p => p.t));
  return points.flatMap((p, i) =>
    present.map(([key, name]) => ({ t: p.t, component: name, watts: p[key], segment: stretch[i] }))
  );
}

/** One colour per component, in the legend's order (components that drew power). */
function componentColors(names: readonly string[], colors: ChartColors): string[] {
  return names.map(name => {
    const entry = COMPONENTS.find(([, n]) => n === name);
    return entry ? colors[entry[2]] : colors.text;
  });
}

/** The figure the card draws: the same stacked areas, axes and legend as the spec. */
export function powerFigure(timeline: readonly TimelinePoint[], colors: ChartColors): Figure {
  const data = powerData(timeline);
  const names = [...new Set(data.map(d => d.component))];
  const range = componentColors(names, colors);
  const watts = numberFormat('.3~g');
  // powerData gives each time point's components in legend order: stack them in that order.
  const stacks = names.map(() => new Map<number, Array<{ x: number; y0: number; y1: number }>>());
  for (let i = 0; i < data.length; i += names.length) {
    let base = 0;
    names.forEach((_, c) => {
      const d = data[i + c];
      const top = base + (Number.isFinite(d.watts) ? d.watts : 0);
      const stretch = stacks[c].get(d.segment) ?? [];
      stretch.push({ x: d.t, y0: base, y1: top });
      stacks[c].set(d.segment, stretch);
      base = top;
    });
  }
  const marks: Mark[] = names.flatMap((name, c) => {
    const own = data.filter(d => d.component === name).map(d => d.watts);
    const mean = own.reduce((a, w) => a + w, 0) / own.length;
    const peak = own.reduce((a, w) => Math.max(a, w), -Infinity);
    const fields = [
      ['component', name],
      ['power (W)', `mean ${watts(mean)}, peak ${watts(peak)}`]
    ] as const;
    return [...stacks[c].values()].map(points => ({
      type: 'area' as const,
      color: range[c],
      opacity: 0.85,
      fields,
      points
    }));
  });
  return {
    height: 160,
    x: { title: 'time (s)' },
    y: { title: 'power (W)' },
    legend: names.map((label, c) => ({ label, color: range[c], symbol: 'area' as const })),
    marks,
    theme: colors
  };
}

export function powerChartSpec(
  timeline: readonly TimelinePoint[],
  colors: ChartColors
): Record<string, unknown> {
  const data = powerData(timeline);
  const names = [...new Set(data.map(d => d.component))];
  const range = componentColors(names, colors);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: 160,
    background: 'transparent',
    data: { values: data },
    mark: { type: 'area', interpolate: 'linear', opacity: 0.85 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'time (s)' },
      y: { field: 'watts', type: 'quantitative', title: 'power (W)', stack: 'zero' },
      color: {
        field: 'component',
        type: 'nominal',
        title: null,
        scale: { domain: names, range },
        legend: { orient: 'top', direction: 'horizontal' }
      },
      detail: { field: 'segment', type: 'nominal' },
      tooltip: [
        { field: 't', type: 'quantitative', title: 'time (s)', format: '.3~g' },
        { field: 'component', type: 'nominal' },
        { field: 'watts', type: 'quantitative', title: 'power (W)', format: '.3~g' }
      ]
    },
    config: chartConfig(colors)
  };
}
