/**
 * The ROI widget's three charts: cumulative cost (baseline vs optimized, break-even marked), CO2e
 * avoided over time, and the sensitivity tornado. Each is a Vega-Lite spec with named datasets
 * (the export contract; a spec changes only with its `key`: unit of the x axis, metric,
 * currency) and the figure the widget draws (shared/charts), both from the same rows. Pure, so it
 * is unit-tested without a browser.
 * Every series differs by more than colour: dashes, filled vs hollow bars, bars vs line, and the
 * break-even point carries a text label.
 */
import { finiteNumber, formatNumber } from '../../../core/format';
import type { RoiResult, RoiSensitivity, RoiSensitivityMetric } from '../../../core/roi';
import { chartConfig, themeColors, themeReader, type ThemeColors } from '../../shared/chart-theme';
import { numberFormat } from '../../shared/charts/number-format';
import type { Figure, Mark } from '../../shared/charts/svg-chart';

/** Colours resolved from the theme's CSS variables when a chart is drawn (light and dark). */
export interface RoiChartColors extends ThemeColors {
  baseline: string;
  optimized: string;
  low: string;
  high: string;
  co2: string;
}

/** The theme's colours as the browser resolved them for `node`; fallbacks outside a page. */
export function roiChartColors(node: HTMLElement): RoiChartColors {
  const read = themeReader(node);
  return {
    baseline: read('--gaissa-roi-baseline-color', '#f57c00'),
    optimized: read('--gaissa-roi-optimized-color', '#1976d2'),
    low: read('--gaissa-roi-low-color', '#1976d2'),
    high: read('--gaissa-roi-high-color', '#f57c00'),
    co2: read('--gaissa-roi-co2-color', '#388e3c'),
    ...themeColors(read)
  };
}

export interface ChartSpec {
  /** Same key, same spec: only the data changes. */
  key: string;
  spec: Record<string, unknown>;
}

export type ChartData = Record<string, Array<Record<string, unknown>>>;

/** A chart's spec, data and figure, or the sentence shown instead of it. */
export type ChartContent =
  | { kind: 'chart'; spec: ChartSpec; data: ChartData; figure: Figure; summary: string }
  | { kind: 'none'; reason: string };

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const HEIGHT = 180;
/**
 * Longer series are drawn without a symbol per point: on a 100-year horizon the symbols alone
 * doubled the marks redrawn on every slider move (bench/roi-slider.ts), and crowd the line.
 */
export const MAX_POINT_SYMBOLS = 24;

function base(colors: RoiChartColors): Record<string, unknown> {
  return {
    $schema: SCHEMA,
    width: 'container',
    height: HEIGHT,
    background: 'transparent',
    autosize: { type: 'fit-x', contains: 'padding' },
    config: chartConfig(colors)
  };
}

const unitSuffix = (currency: string | null) => (currency ? ` (${currency})` : '');
const tooltipNumber = numberFormat(',.4~g');

// ---- cumulative cost ---------------------------------------------------------------------

interface CostPoint {
  x: number;
  baseline: number;
  optimized: number;
}

/** The curve the chart draws: over days with a time scenario, else over inferences. */
export function costCurve(result: RoiResult): {
  unit: 'days' | 'inferences';
  points: CostPoint[];
  breakEven: number | null;
} {
  const take = (list: unknown, key: string): CostPoint[] =>
    (Array.isArray(list) ? list : [])
      .map((p: Record<string, unknown>) => ({
        x: finiteNumber(p[key]),
        baseline: finiteNumber(p.baseline),
        optimized: finiteNumber(p.optimized)
      }))
      .filter((p): p is CostPoint => p.x !== null && p.baseline !== null && p.optimized !== null);
  const byDay = take(result.costCurve, 'day');
  if (byDay.length >= 2) {
    return {
      unit: 'days',
      points: byDay,
      breakEven: result.paybackWithinHorizon === true ? finiteNumber(result.paybackDays) : null
    };
  }
  return {
    unit: 'inferences',
    points: take(result.inferenceCurve, 'inferences'),
    breakEven: finiteNumber(result.breakEvenInferences)
  };
}

export function costChart(result: RoiResult, colors: RoiChartColors): ChartContent {
  const { unit, points, breakEven } = costCurve(result);
  if (points.length < 2) return { kind: 'none', reason: 'No cost curve to draw.' };
  const currency = result.currency;
  const lines = points.flatMap(p => [
    { x: p.x, series: 'baseline', cost: p.baseline },
    { x: p.x, series: 'optimized', cost: p.optimized }
  ]);
  const at = breakEven === null ? undefined : points.find(p => p.x === breakEven);
  const label =
    breakEven === null
      ? ''
      : unit === 'days'
        ? `break-even: day ${formatNumber(Math.ceil(breakEven))}`
        : `break-even: ${formatNumber(breakEven)} inferences`;
  const marker = at ? [{ x: at.x, cost: at.baseline, label }] : [];
  const xTitle = unit === 'days' ? 'days' : 'inferences';
  const symbols = points.length <= MAX_POINT_SYMBOLS;
  const yTitle = `cumulative cost${unitSuffix(currency)}`;
  const last = points[points.length - 1];
  const money = (x: number) => `${formatNumber(x)}${currency ? ` ${currency}` : ''}`;
  const summary =
    `Cumulative cost over ${formatNumber(last.x)} ${xTitle}: baseline ${money(last.baseline)}, ` +
    `optimized ${money(last.optimized)}; ` +
    (at ? `${label}.` : 'no break-even in this range.');
  const spec = {
    ...base(colors),
    layer: [
      {
        data: { name: 'lines' },
        mark: { type: 'line', point: symbols, strokeWidth: 2 },
        encoding: {
          x: {
            field: 'x',
            type: 'quantitative',
            title: xTitle,
            // Days read best as plain numbers; inference counts need SI prefixes (2M, 1.5G).
            axis: { format: unit === 'days' ? ',d' : '~s' }
          },
          y: { field: 'cost', type: 'quantitative', title: yTitle, axis: { format: '~s' } },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: {
              domain: ['baseline', 'optimized'],
              range: [colors.baseline, colors.optimized]
            },
            legend: { orient: 'top', direction: 'horizontal' }
          },
          strokeDash: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: {
              domain: ['baseline', 'optimized'],
              range: [
                [1, 0],
                [6, 4]
              ]
            },
            legend: null
          },
          shape: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: { domain: ['baseline', 'optimized'], range: ['circle', 'square'] },
            legend: null
          },
          tooltip: [
            { field: 'series', type: 'nominal' },
            { field: 'x', type: 'quantitative', title: xTitle, format: ',.4~g' },
            { field: 'cost', type: 'quantitative', title: yTitle, format: ',.4~g' }
          ]
        }
      },
      {
        data: { name: 'breakEven' },
        mark: { type: 'point', shape: 'diamond', size: 140, filled: true, color: colors.text },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'cost', type: 'quantitative' },
          tooltip: { field: 'label', type: 'nominal' }
        }
      },
      {
        data: { name: 'breakEven' },
        mark: { type: 'text', dy: -14, fontWeight: 'bold', align: 'center' },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'cost', type: 'quantitative' },
          text: { field: 'label', type: 'nominal' }
        }
      }
    ]
  };
  const series = [
    { name: 'baseline', key: 'baseline', color: colors.baseline, shape: 'circle' },
    { name: 'optimized', key: 'optimized', color: colors.optimized, shape: 'square' }
  ] as const;
  const marks: Mark[] = series.flatMap(s => [
    {
      type: 'line' as const,
      color: s.color,
      width: 2,
      dash: s.key === 'optimized' ? '6 4' : undefined,
      fields: [['series', s.name]] as const,
      points: points.map(p => ({ x: p.x, y: p[s.key] }))
    },
    ...(symbols
      ? points.map((p): Mark => ({
          type: 'point',
          x: p.x,
          y: p[s.key],
          color: s.color,
          shape: s.shape,
          filled: false,
          size: 30,
          fields: [
            ['series', s.name],
            [xTitle, tooltipNumber(p.x)],
            [yTitle, tooltipNumber(p[s.key])]
          ]
        }))
      : [])
  ]);
  for (const m of marker) {
    marks.push(
      {
        type: 'point',
        x: m.x,
        y: m.cost,
        color: colors.text,
        shape: 'diamond',
        filled: true,
        size: 140,
        fields: [['label', m.label]]
      },
      {
        type: 'text',
        x: m.x,
        y: m.cost,
        text: m.label,
        dx: 0,
        dy: -14,
        anchor: 'middle',
        color: colors.text,
        size: 11,
        bold: true
      }
    );
  }
  const figure: Figure = {
    height: HEIGHT,
    x: { title: xTitle, format: unit === 'days' ? ',d' : '~s' },
    y: { title: yTitle, format: '~s' },
    legend: [
      { label: 'baseline', color: colors.baseline, symbol: 'line' },
      { label: 'optimized', color: colors.optimized, symbol: 'dashed' }
    ],
    marks,
    theme: colors
  };
  return {
    kind: 'chart',
    spec: { key: `cost:${unit}:${currency ?? ''}:${symbols}`, spec },
    data: { lines, breakEven: marker },
    figure,
    summary
  };
}

// ---- CO2e over time ----------------------------------------------------------------------

export function co2Chart(result: RoiResult, colors: RoiChartColors): ChartContent {
  const yearly = Array.isArray(result.yearly) ? result.yearly : [];
  if (yearly.length === 0) {
    return {
      kind: 'none',
      reason:
        'CO2e over time needs a time scenario: switch on "Model over time" (inferences per day and a horizon).'
    };
  }
  const rows = yearly.flatMap(y => {
    const year = finiteNumber(y.year);
    const kg = finiteNumber(y.co2SavedKg);
    const total = finiteNumber(y.cumulativeCo2SavedKg);
    if (year === null || kg === null || total === null) return [];
    return [
      { year, kind: 'avoided that year', kg },
      { year, kind: 'cumulative', kg: total }
    ];
  });
  if (rows.length === 0) {
    return {
      kind: 'none',
      reason: 'CO2e avoided needs a grid carbon intensity: switch on "Count carbon".'
    };
  }
  const lastTotal = rows[rows.length - 1].kg;
  const summary = `CO2e avoided over ${formatNumber(rows.length / 2)} years: ${formatNumber(lastTotal)} kg in total.`;
  const kinds = ['avoided that year', 'cumulative'];
  const symbols = rows.length / 2 <= MAX_POINT_SYMBOLS;
  const spec = {
    ...base(colors),
    data: { name: 'co2' },
    encoding: {
      // Few years: one bar each. Many: an area (one shape instead of a bar per year) on a
      // numeric axis whose labels do not crowd.
      x: symbols
        ? { field: 'year', type: 'ordinal', title: 'year', axis: { labelAngle: 0 } }
        : { field: 'year', type: 'quantitative', title: 'year', axis: { format: 'd' } },
      y: { field: 'kg', type: 'quantitative', title: 'CO2e avoided (kg)', axis: { format: '~s' } },
      color: {
        field: 'kind',
        type: 'nominal',
        title: null,
        scale: { domain: kinds, range: [colors.co2, colors.text] },
        legend: { orient: 'top', direction: 'horizontal' }
      },
      tooltip: [
        { field: 'year', type: 'ordinal' },
        { field: 'kind', type: 'nominal' },
        { field: 'kg', type: 'quantitative', title: 'kg CO2e', format: ',.4~g' }
      ]
    },
    layer: [
      {
        transform: [{ filter: "datum.kind === 'avoided that year'" }],
        mark: symbols ? { type: 'bar', opacity: 0.8 } : { type: 'area', opacity: 0.6 }
      },
      {
        transform: [{ filter: "datum.kind === 'cumulative'" }],
        mark: { type: 'line', point: symbols, strokeWidth: 2 }
      }
    ]
  };
  const fields = (r: (typeof rows)[number]) =>
    [
      ['year', String(r.year)],
      ['kind', r.kind],
      ['kg CO2e', tooltipNumber(r.kg)]
    ] as const;
  const perYear = rows.filter(r => r.kind === kinds[0]);
  const cumulative = rows.filter(r => r.kind === kinds[1]);
  const marks: Mark[] = symbols
    ? perYear.map(r => ({
        type: 'bar',
        x: r.year,
        y: r.kg,
        width: 1,
        color: colors.co2,
        opacity: 0.8,
        fields: fields(r)
      }))
    : [
        {
          type: 'area',
          color: colors.co2,
          opacity: 0.6,
          fields: [['kind', kinds[0]]],
          points: perYear.map(r => ({ x: r.year, y0: 0, y1: r.kg }))
        }
      ];
  marks.push({
    type: 'line',
    color: colors.text,
    width: 2,
    fields: [['kind', kinds[1]]],
    points: cumulative.map(r => ({ x: r.year, y: r.kg }))
  });
  if (symbols) {
    for (const r of cumulative) {
      marks.push({
        type: 'point',
        x: r.year,
        y: r.kg,
        color: colors.text,
        shape: 'circle',
        filled: false,
        size: 30,
        fields: fields(r)
      });
    }
  }
  const figure: Figure = {
    height: HEIGHT,
    // Bars sit on whole years: no rounding of the axis past half a year either side.
    x: { title: 'year', format: 'd', zero: false, nice: !symbols },
    y: { title: 'CO2e avoided (kg)', format: '~s' },
    legend: [
      { label: kinds[0], color: colors.co2, symbol: 'area' },
      { label: kinds[1], color: colors.text, symbol: 'line' }
    ],
    marks,
    theme: colors
  };
  return {
    kind: 'chart',
    spec: { key: `co2:${symbols}`, spec },
    data: { co2: rows },
    figure,
    summary
  };
}

// ---- sensitivity tornado -----------------------------------------------------------------

export const METRIC_NAMES: Readonly<Record<RoiSensitivityMetric, string>> = {
  roi: 'ROI',
  roiUnlimited: 'ROI for unlimited use',
  netSavings: 'net savings',
  npv: 'NPV',
  paybackDays: 'payback (days)',
  breakEvenInferences: 'break-even (inferences)',
  co2SavedKg: 'CO2e avoided (kg)'
};

/** Scenario fields as the tornado's rows name them. */
export const FIELD_NAMES: Readonly<Record<string, string>> = {
  baselineEnergyJ: 'baseline energy per inference',
  optimizedEnergyJ: 'optimized energy per inference',
  pricePerKWh: 'electricity price',
  implementationCost: 'implementation cost',
  inferences: 'inferences for the ROI',
  carbonIntensity: 'carbon intensity',
  pue: 'PUE',
  inferencesPerDay: 'inferences per day',
  annualGrowth: 'annual growth',
  horizonYears: 'horizon',
  discountRate: 'discount rate',
  carbonPricePerTonne: 'carbon price',
  hardwareSavingsPerYear: 'hardware savings per year'
};

export function formatMetric(metric: RoiSensitivityMetric, value: number, currency: string | null) {
  if (metric === 'roi' || metric === 'roiUnlimited') {
    return Math.abs(value) < 1e4 ? `${(value * 100).toFixed(1)} %` : formatNumber(value);
  }
  if (metric === 'npv' || metric === 'netSavings') {
    return `${formatNumber(value)}${currency ? ` ${currency}` : ''}`;
  }
  return formatNumber(value);
}

export function tornadoChart(
  sensitivity: RoiSensitivity,
  currency: string | null,
  colors: RoiChartColors
): ChartContent {
  const baseValue = sensitivity.base;
  const metricName = METRIC_NAMES[sensitivity.metric];
  if (baseValue === null) {
    return {
      kind: 'none',
      reason: `No sensitivity: the ${metricName} is undefined for this scenario.`
    };
  }
  const pct = `${formatNumber(sensitivity.variation * 100)} %`;
  const sides = [`input −${pct}`, `input +${pct}`];
  const rows = sensitivity.entries.flatMap((entry, order) => {
    const name = FIELD_NAMES[entry.field] ?? entry.field;
    const ends = [
      { side: sides[0], value: entry.low, input: entry.lowInput },
      { side: sides[1], value: entry.high, input: entry.highInput }
    ];
    return ends.flatMap(end =>
      end.value === null
        ? []
        : [
            {
              field: name,
              order,
              side: end.side,
              from: baseValue,
              to: end.value,
              dir: end.value >= baseValue ? 'right' : 'left',
              valueText: formatMetric(sensitivity.metric, end.value, currency)
            }
          ]
    );
  });
  if (rows.length === 0) {
    return { kind: 'none', reason: 'No input changes the result.' };
  }
  const top = sensitivity.entries.filter(e => e.swing !== null).slice(0, 3);
  const summary =
    `Sensitivity of the ${metricName} (base ${formatMetric(sensitivity.metric, baseValue, currency)}) ` +
    `to each input moved by ${pct}; largest first: ` +
    top
      .map(
        e =>
          `${FIELD_NAMES[e.field] ?? e.field} ${formatMetric(sensitivity.metric, e.low as number, currency)} to ${formatMetric(sensitivity.metric, e.high as number, currency)}`
      )
      .join('; ') +
    '.';
  const percentAxis = sensitivity.metric === 'roi' || sensitivity.metric === 'roiUnlimited';
  const xTitle =
    sensitivity.metric === 'npv' || sensitivity.metric === 'netSavings'
      ? `${metricName}${unitSuffix(currency)}`
      : metricName;
  const y = {
    field: 'field',
    type: 'nominal',
    title: null,
    sort: { field: 'order', op: 'min', order: 'ascending' }
  };
  const x = {
    field: 'from',
    type: 'quantitative',
    title: xTitle,
    // Room at both ends for the value labels beside the bars.
    scale: { zero: false, nice: true, padding: 64 },
    axis: { format: percentAxis ? '.0%' : '~s' }
  };
  const text = (dir: 'left' | 'right') => ({
    transform: [{ filter: `datum.dir === '${dir}'` }],
    mark: {
      type: 'text',
      align: dir === 'right' ? 'left' : 'right',
      dx: dir === 'right' ? 3 : -3,
      fontSize: 10,
      color: colors.mutedText
    },
    encoding: { y, x: { field: 'to', type: 'quantitative' }, text: { field: 'valueText' } }
  });
  const spec = {
    ...base(colors),
    height: { step: 22 },
    autosize: { type: 'fit-x', contains: 'padding' },
    layer: [
      {
        data: { name: 'tornado' },
        layer: [
          {
            mark: { type: 'bar', height: { band: 0.7 }, strokeWidth: 1.5 },
            encoding: {
              y,
              x,
              x2: { field: 'to' },
              color: {
                field: 'side',
                type: 'nominal',
                title: null,
                scale: { domain: sides, range: [colors.low, colors.high] },
                legend: { orient: 'top', direction: 'horizontal' }
              },
              stroke: {
                field: 'side',
                type: 'nominal',
                scale: { domain: sides, range: [colors.low, colors.high] },
                legend: null
              },
              // Filled for the lower input, hollow for the higher: readable without colour.
              fillOpacity: {
                field: 'side',
                type: 'nominal',
                scale: { domain: sides, range: [0.9, 0.15] },
                legend: null
              },
              tooltip: [
                { field: 'field', type: 'nominal', title: 'input' },
                { field: 'side', type: 'nominal', title: 'change' },
                { field: 'valueText', type: 'nominal', title: metricName }
              ]
            }
          },
          text('right'),
          text('left')
        ]
      },
      {
        data: { name: 'base' },
        mark: { type: 'rule', color: colors.text, strokeWidth: 1.5 },
        encoding: { x: { field: 'base', type: 'quantitative' } }
      }
    ]
  };
  const sideColors = [colors.low, colors.high];
  const marks: Mark[] = [
    ...rows.map((r): Mark => ({
      type: 'hbar',
      row: r.field,
      x0: r.from,
      x1: r.to,
      color: sideColors[sides.indexOf(r.side)],
      // Filled for the lower input, hollow for the higher: readable without colour.
      fillOpacity: r.side === sides[0] ? 0.9 : 0.15,
      fields: [
        ['input', r.field],
        ['change', r.side],
        [metricName, r.valueText]
      ]
    })),
    ...rows.map((r): Mark => ({
      type: 'text',
      x: r.to,
      y: r.field,
      text: r.valueText,
      dx: r.dir === 'right' ? 3 : -3,
      dy: 0,
      anchor: r.dir === 'right' ? 'start' : 'end',
      color: colors.mutedText,
      size: 10
    })),
    { type: 'rule', axis: 'x', value: baseValue, color: colors.text, width: 1.5 }
  ];
  const figure: Figure = {
    height: 0,
    x: {
      title: xTitle,
      format: percentAxis ? '.0%' : '~s',
      zero: false,
      // Room at both ends for the value labels beside the bars.
      padding: 64
    },
    y: { rows: [...new Set(rows.map(r => r.field))], step: 22 },
    legend: [
      { label: sides[0], color: colors.low, symbol: 'area' },
      { label: sides[1], color: colors.high, symbol: 'hollow' }
    ],
    marks,
    theme: colors
  };
  return {
    kind: 'chart',
    spec: { key: `tornado:${sensitivity.metric}:${currency ?? ''}`, spec },
    data: { tornado: rows, base: [{ base: baseValue }] },
    figure,
    summary
  };
}
