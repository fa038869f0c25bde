/**
 * A tactics comparison's chart: energy (per inference, or per training run) against quality, one
 * point per variant, the Pareto front as a line through its points, the recommended variant
 * ringed, and the accuracy budget as a dashed rule. As a Vega-Lite spec (the export contract) and
 * as the figure the output draws (shared/charts), both from the same rows. Pure, so it is
 * unit-tested without a browser.
 */
import { chartConfig, type ThemeColors } from '../../shared/chart-theme';
import { numberFormat } from '../../shared/charts/number-format';
import type { Figure, Mark } from '../../shared/charts/svg-chart';
import { variantEnergy, type TacticsComparisonPayload } from './validation';

/** Colours resolved from the theme's CSS variables when the chart is drawn. */
export interface TacticsChartColors extends ThemeColors {
  point: string;
  pareto: string;
  recommended: string;
  budget: string;
}

export interface TacticsDatum {
  name: string;
  energy: number;
  quality: number;
  /** 'Pareto front' or 'dominated': the legend's words. */
  front: string;
  recommended: boolean;
  baseline: boolean;
}

/** Longest variant name drawn on the chart; the table has the full name. */
const MAX_LABEL = 24;

function short(name: string): string {
  const chars = Array.from(name.replace(/\s+/g, ' '));
  return chars.length <= MAX_LABEL ? chars.join('') : `${chars.slice(0, MAX_LABEL - 1).join('')}…`;
}

export function tacticsData(payload: TacticsComparisonPayload): TacticsDatum[] {
  return payload.variants.map(v => ({
    name: short(v.name),
    energy: variantEnergy(payload, v),
    quality: v.quality,
    front: v.pareto ? 'Pareto front' : 'dominated',
    recommended: v.recommended,
    baseline: v.baseline
  }));
}

export function energyTitle(payload: TacticsComparisonPayload): string {
  return payload.phase === 'training' ? 'energy per training run (J)' : 'energy per inference (J)';
}

/** What the chart shows, for screen readers (the chart host's aria-label). */
export function tacticsChartSummary(payload: TacticsComparisonPayload): string {
  const front = payload.variants.filter(v => v.pareto).map(v => v.name);
  return (
    `Scatter chart of ${energyTitle(payload)} against ${payload.metric} for ` +
    `${payload.variants.length} variants. Pareto front: ${front.join(', ') || 'none'}. ` +
    `Recommended: ${payload.recommended}. The table above lists the same figures.`
  );
}

export function tacticsChartSpec(
  payload: TacticsComparisonPayload,
  colors: TacticsChartColors
): Record<string, unknown> {
  const data = tacticsData(payload);
  const front = data.filter(d => d.front === 'Pareto front').sort((a, b) => a.energy - b.energy);
  const base = payload.variants.find(v => v.baseline);
  const budget = base ? Math.max(0, base.quality - payload.maxAccuracyDrop) : null;
  const x = {
    field: 'energy',
    type: 'quantitative',
    title: energyTitle(payload),
    scale: { zero: false, nice: true },
    axis: { format: '.3~s' }
  };
  const y = {
    field: 'quality',
    type: 'quantitative',
    title: `${payload.metric} (%)`,
    scale: { zero: false, nice: true },
    axis: { format: '.1~%' }
  };
  const tooltip = [
    { field: 'name', type: 'nominal', title: 'variant' },
    { field: 'energy', type: 'quantitative', title: energyTitle(payload), format: '.3~s' },
    { field: 'quality', type: 'quantitative', title: payload.metric, format: '.2~%' }
  ];
  const layers: Record<string, unknown>[] = [
    {
      data: { values: front },
      mark: { type: 'line', color: colors.pareto, strokeWidth: 2, point: false },
      encoding: { x, y, order: { field: 'energy', type: 'quantitative' } }
    },
    {
      mark: { type: 'point', filled: true, size: 90, opacity: 0.9 },
      encoding: {
        x,
        y,
        color: {
          field: 'front',
          type: 'nominal',
          title: null,
          scale: { domain: ['Pareto front', 'dominated'], range: [colors.pareto, colors.point] },
          legend: { orient: 'top', direction: 'horizontal' }
        },
        shape: {
          field: 'front',
          type: 'nominal',
          // Same field as the colour: one legend, with shape as well as colour (not colour alone).
          scale: { domain: ['Pareto front', 'dominated'], range: ['circle', 'square'] }
        },
        tooltip
      }
    },
    {
      transform: [{ filter: 'datum.recommended' }],
      mark: { type: 'point', filled: false, size: 380, strokeWidth: 2, color: colors.recommended },
      encoding: { x, y, tooltip }
    },
    {
      mark: { type: 'text', align: 'left', dx: 9, dy: -7, fontSize: 11, color: colors.text },
      encoding: { x, y, text: { field: 'name', type: 'nominal' } }
    }
  ];
  if (budget !== null) {
    layers.push({
      data: { values: [{ budget }] },
      mark: { type: 'rule', strokeDash: [4, 4], color: colors.budget },
      encoding: {
        y: { field: 'budget', type: 'quantitative' },
        tooltip: [
          { field: 'budget', type: 'quantitative', title: 'accuracy budget', format: '.2~%' }
        ]
      }
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: 240,
    background: 'transparent',
    data: { values: data },
    layer: layers,
    config: chartConfig(colors)
  };
}

/** The figure the output draws: the spec's layers, formats and legend. */
export function tacticsFigure(
  payload: TacticsComparisonPayload,
  colors: TacticsChartColors
): Figure {
  const data = tacticsData(payload);
  const front = data.filter(d => d.front === 'Pareto front').sort((a, b) => a.energy - b.energy);
  const base = payload.variants.find(v => v.baseline);
  const budget = base ? Math.max(0, base.quality - payload.maxAccuracyDrop) : null;
  const energy = numberFormat('.3~s');
  const quality = numberFormat('.2~%');
  const fields = (d: TacticsDatum) =>
    [
      ['variant', d.name],
      [energyTitle(payload), energy(d.energy)],
      [payload.metric, quality(d.quality)]
    ] as const;
  const marks: Mark[] = [
    {
      type: 'line',
      color: colors.pareto,
      width: 2,
      fields: [['Pareto front', front.map(d => d.name).join(', ')]],
      points: front.map(d => ({ x: d.energy, y: d.quality }))
    },
    ...data.map((d): Mark => ({
      type: 'point',
      x: d.energy,
      y: d.quality,
      color: d.front === 'Pareto front' ? colors.pareto : colors.point,
      shape: d.front === 'Pareto front' ? 'circle' : 'square',
      filled: true,
      size: 90,
      fields: [['front', d.front], ...fields(d)]
    })),
    ...data
      .filter(d => d.recommended)
      .map((d): Mark => ({
        type: 'point',
        x: d.energy,
        y: d.quality,
        color: colors.recommended,
        shape: 'circle',
        filled: false,
        size: 380,
        fields: fields(d)
      })),
    ...data.map((d): Mark => ({
      type: 'text',
      x: d.energy,
      y: d.quality,
      text: d.name,
      dx: 9,
      dy: -7,
      anchor: 'start',
      color: colors.text,
      size: 11
    }))
  ];
  if (budget !== null) {
    marks.push({
      type: 'rule',
      axis: 'y',
      value: budget,
      color: colors.budget,
      width: 1,
      dash: '4 4',
      fields: [['accuracy budget', quality(budget)]]
    });
  }
  return {
    height: 240,
    x: { title: energyTitle(payload), format: '.3~s', zero: false },
    y: { title: `${payload.metric} (%)`, format: '.1~%', zero: false },
    legend: [
      { label: 'Pareto front', color: colors.pareto, symbol: 'circle' },
      { label: 'dominated', color: colors.point, symbol: 'square' }
    ],
    marks,
    theme: colors
  };
}
