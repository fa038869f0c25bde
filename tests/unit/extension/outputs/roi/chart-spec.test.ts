import { computeRoi, roiSensitivity } from '../../../../../core/roi';
import {
  co2Chart,
  costChart,
  costCurve,
  tornadoChart,
  type RoiChartColors
} from '../../../../../extension/outputs/roi/chart-spec';
import type { Mark } from '../../../../../extension/shared/charts/svg-chart';
import { PLAIN_SCENARIO, TIMED_SCENARIO } from '../../fixtures/roi-payload';

const colors: RoiChartColors = {
  baseline: '#f57c00',
  optimized: '#1976d2',
  low: '#1976d2',
  high: '#f57c00',
  co2: '#388e3c',
  text: '#000',
  mutedText: '#555',
  grid: '#ccc',
  font: 'sans-serif'
};

const finiteEverywhere = (data: unknown) =>
  JSON.stringify(data, (_, v) => {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`non-finite ${v}`);
    return v;
  });

describe('ROI chart specs', () => {
  it('draws cost over days with the payback day marked', () => {
    const result = computeRoi(TIMED_SCENARIO);
    const chart = costChart(result, colors);
    expect(chart.kind).toBe('chart');
    if (chart.kind !== 'chart') return;
    expect(chart.spec.key).toBe('cost:days:EUR:true');
    expect(chart.data.lines).toHaveLength((result.costCurve?.length ?? 0) * 2);
    expect(chart.data.breakEven).toEqual([
      expect.objectContaining({
        x: result.paybackDays,
        label: `break-even: day ${Math.ceil(result.paybackDays as number)}`
      })
    ]);
    expect(chart.summary).toContain('break-even: day');
    expect(() => finiteEverywhere(chart)).not.toThrow();
    // The series differ by dashes and point shapes too, not only by colour.
    const layer = (chart.spec.spec.layer as Array<{ encoding: Record<string, unknown> }>)[0];
    expect(layer.encoding.strokeDash).toBeDefined();
    expect(layer.encoding.shape).toBeDefined();
  });

  it('draws cost over inferences without a time scenario, break-even included', () => {
    const result = computeRoi(PLAIN_SCENARIO);
    const { unit, breakEven } = costCurve(result);
    expect(unit).toBe('inferences');
    expect(breakEven).toBe(result.breakEvenInferences);
    const chart = costChart(result, colors);
    if (chart.kind !== 'chart') throw new Error('no chart');
    expect(chart.spec.key).toBe('cost:inferences::true');
    expect(chart.data.breakEven).toHaveLength(1);
  });

  it('marks no break-even when there is no saving', () => {
    const result = computeRoi({ ...PLAIN_SCENARIO, optimizedEnergyJ: 12 });
    const chart = costChart(result, colors);
    if (chart.kind !== 'chart') throw new Error('no chart');
    expect(chart.data.breakEven).toEqual([]);
    expect(chart.summary).toContain('no break-even');
  });

  it('drops point symbols on long series (fewer marks to redraw per move)', () => {
    const result = computeRoi({ ...TIMED_SCENARIO, horizonYears: 100 });
    const cost = costChart(result, colors);
    const co2 = co2Chart(result, colors);
    if (cost.kind !== 'chart' || co2.kind !== 'chart') throw new Error('no chart');
    expect(cost.spec.key).toBe('cost:days:EUR:false');
    expect(co2.spec.key).toBe('co2:false');
    expect(JSON.stringify(cost.spec.spec)).toContain('"point":false');
  });

  it('draws CO2e per year and cumulative, or says what it needs', () => {
    const chart = co2Chart(computeRoi(TIMED_SCENARIO), colors);
    if (chart.kind !== 'chart') throw new Error('no chart');
    expect(chart.data.co2).toHaveLength(TIMED_SCENARIO.horizonYears! * 2);
    expect(co2Chart(computeRoi(PLAIN_SCENARIO), colors)).toEqual({
      kind: 'none',
      reason: expect.stringContaining('needs a time scenario')
    });
  });

  it('draws the tornado from core roiSensitivity, largest swing first', () => {
    const sensitivity = roiSensitivity(TIMED_SCENARIO);
    const chart = tornadoChart(sensitivity, 'EUR', colors);
    if (chart.kind !== 'chart') throw new Error('no chart');
    expect(chart.spec.key).toBe('tornado:npv:EUR');
    expect(chart.data.base).toEqual([{ base: sensitivity.base }]);
    const first = chart.data.tornado[0];
    expect(first.order).toBe(0);
    expect(first.to).toBe(sensitivity.entries[0].low);
    expect(chart.summary).toMatch(/^Sensitivity of the NPV/);
    // Lower and higher inputs differ by fill (filled vs hollow), not only by colour.
    expect(JSON.stringify(chart.spec.spec)).toContain('fillOpacity');
    expect(() => finiteEverywhere(chart)).not.toThrow();
  });
});

describe('ROI chart figures (what the widget draws)', () => {
  const of = <T extends Mark['type']>(marks: readonly Mark[], type: T) =>
    marks.filter((m): m is Extract<Mark, { type: T }> => m.type === type);

  it('cost: a solid baseline and a dashed optimized line over the curve, break-even marked', () => {
    const result = computeRoi(TIMED_SCENARIO);
    const chart = costChart(result, colors);
    if (chart.kind !== 'chart') throw new Error('no chart');
    const { points } = costCurve(result);
    const [baseline, optimized] = of(chart.figure.marks, 'line');
    expect(baseline.points).toEqual(points.map(p => ({ x: p.x, y: p.baseline })));
    expect(optimized.points).toEqual(points.map(p => ({ x: p.x, y: p.optimized })));
    expect(baseline.dash).toBeUndefined();
    expect(optimized.dash).toBe('6 4');
    expect(chart.figure.x).toMatchObject({ title: 'days', format: ',d' });
    expect(chart.figure.y).toMatchObject({ title: 'cumulative cost (EUR)', format: '~s' });
    const diamond = of(chart.figure.marks, 'point').filter(p => p.shape === 'diamond');
    expect(chart.data.breakEven).toHaveLength(1);
    expect(diamond).toHaveLength(1);
    const [label] = of(chart.figure.marks, 'text');
    expect(label.text).toBe(chart.data.breakEven[0].label);
  });

  it('cost and CO2e: no symbol per point on long series, bars become an area', () => {
    const long = computeRoi({ ...TIMED_SCENARIO, horizonYears: 100 });
    const cost = costChart(long, colors);
    const co2 = co2Chart(long, colors);
    if (cost.kind !== 'chart' || co2.kind !== 'chart') throw new Error('no chart');
    expect(of(cost.figure.marks, 'point').filter(p => p.shape !== 'diamond')).toEqual([]);
    expect(of(co2.figure.marks, 'bar')).toEqual([]);
    expect(of(co2.figure.marks, 'area')).toHaveLength(1);
    const short = co2Chart(computeRoi(TIMED_SCENARIO), colors);
    if (short.kind !== 'chart') throw new Error('no chart');
    const bars = of(short.figure.marks, 'bar');
    expect(bars).toHaveLength(TIMED_SCENARIO.horizonYears!);
    expect(bars.map(b => b.y)).toEqual(
      short.data.co2.filter(r => r.kind === 'avoided that year').map(r => r.kg)
    );
    const [cumulative] = of(short.figure.marks, 'line');
    expect(cumulative.points.map(p => p.y)).toEqual(
      short.data.co2.filter(r => r.kind === 'cumulative').map(r => r.kg)
    );
  });

  it('tornado: one row per input in order, bars from the base, filled below and hollow above', () => {
    const sensitivity = roiSensitivity(TIMED_SCENARIO);
    const chart = tornadoChart(sensitivity, 'EUR', colors);
    if (chart.kind !== 'chart') throw new Error('no chart');
    const rows = chart.data.tornado;
    expect(chart.figure.y).toEqual({ rows: [...new Set(rows.map(r => r.field))], step: 22 });
    const bars = of(chart.figure.marks, 'hbar');
    expect(bars.map(b => [b.row, b.x0, b.x1])).toEqual(rows.map(r => [r.field, r.from, r.to]));
    expect(new Set(bars.map(b => b.fillOpacity))).toEqual(new Set([0.9, 0.15]));
    expect(of(chart.figure.marks, 'text').map(t => t.text)).toEqual(rows.map(r => r.valueText));
    expect(of(chart.figure.marks, 'rule')).toEqual([
      expect.objectContaining({ axis: 'x', value: sensitivity.base })
    ]);
    expect(chart.figure.x).toMatchObject({ title: 'NPV (EUR)', padding: 64 });
  });
});
