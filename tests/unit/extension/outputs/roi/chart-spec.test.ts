import { computeRoi, roiSensitivity } from '../../../../../core/roi';
import {
  co2Chart,
  costChart,
  costCurve,
  tornadoChart,
  type RoiChartColors
} from '../../../../../extension/outputs/roi/chart-spec';
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
