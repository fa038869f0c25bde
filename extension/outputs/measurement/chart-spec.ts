/**
 * The Vega-Lite spec of a measurement's power over time: one stacked area per component that drew
 * any power. Pure (no Vega import), so it is unit-tested without loading Vega.
 */
import type { TimelinePoint } from '../../../core/measurement';
import { chartConfig, type ThemeColors } from '../../shared/chart-theme';

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
  const present = COMPONENTS.filter(([key]) => timeline.some(p => p[key] > 0));
  const stretch = segments(timeline.map(p => p.t));
  return timeline.flatMap((p, i) =>
    present.map(([key, name]) => ({ t: p.t, component: name, watts: p[key], segment: stretch[i] }))
  );
}

export function powerChartSpec(
  timeline: readonly TimelinePoint[],
  colors: ChartColors
): Record<string, unknown> {
  const data = powerData(timeline);
  const names = [...new Set(data.map(d => d.component))];
  const range = names.map(name => {
    const entry = COMPONENTS.find(([, n]) => n === name);
    return entry ? colors[entry[2]] : colors.text;
  });
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
