/**
 * @jest-environment jsdom
 */
const embedded: Array<{ host: HTMLElement; spec: Record<string, unknown> }> = [];
const views: Array<Record<string, jest.Mock>> = [];

jest.mock('vega-embed', () => ({
  __esModule: true,
  default: jest.fn(async (host: HTMLElement, spec: Record<string, unknown>) => {
    embedded.push({ host, spec });
    host.textContent = 'chart';
    const view = {
      data: jest.fn(),
      description: jest.fn(),
      runAsync: jest.fn(async () => undefined)
    };
    views.push(view);
    return { view, finalize: jest.fn() };
  })
}));

import { computeRoi } from '../../../../../core/roi';
import {
  co2Chart,
  costChart,
  type RoiChartColors
} from '../../../../../extension/outputs/roi/chart-spec';
import { LiveChart } from '../../../../../extension/outputs/roi/charts';
import { TIMED_SCENARIO } from '../../fixtures/roi-payload';

const colors = {
  baseline: '#f57c00',
  optimized: '#1976d2',
  low: '#1976d2',
  high: '#f57c00',
  co2: '#388e3c',
  text: '#000',
  mutedText: '#555',
  grid: '#ccc',
  font: 'sans-serif'
} as RoiChartColors;

beforeEach(() => {
  embedded.length = 0;
  views.length = 0;
});

describe('LiveChart', () => {
  it('embeds once, then swaps data; skips identical data; re-embeds on a new spec', async () => {
    const host = document.createElement('div');
    const chart = new LiveChart(host);
    await chart.draw(costChart(computeRoi(TIMED_SCENARIO), colors));
    expect(embedded).toHaveLength(1);
    expect(embedded[0].spec.datasets).toHaveProperty('lines');
    expect(String(embedded[0].spec.description)).toMatch(/^Cumulative cost over/);

    await chart.draw(costChart(computeRoi({ ...TIMED_SCENARIO, pricePerKWh: 0.4 }), colors));
    expect(embedded).toHaveLength(1);
    expect(views[0].data).toHaveBeenCalledWith('lines', expect.any(Array));
    expect(views[0].description).toHaveBeenCalledWith(expect.stringMatching(/^Cumulative cost/));
    expect(views[0].runAsync).toHaveBeenCalledTimes(1);

    await chart.draw(costChart(computeRoi({ ...TIMED_SCENARIO, pricePerKWh: 0.4 }), colors));
    expect(views[0].runAsync).toHaveBeenCalledTimes(1);

    await chart.draw(costChart(computeRoi({ ...TIMED_SCENARIO, horizonYears: 60 }), colors));
    expect(embedded).toHaveLength(2);
  });

  it('shows the reason as text when there is nothing to draw', async () => {
    const host = document.createElement('div');
    const chart = new LiveChart(host);
    const { inferencesPerDay: _, horizonYears: __, ...plain } = TIMED_SCENARIO;
    const content = co2Chart(
      computeRoi({ ...plain, annualGrowth: undefined, discountRate: undefined }),
      colors
    );
    await chart.draw(content);
    expect(embedded).toHaveLength(0);
    expect(host.textContent).toContain('needs a time scenario');
    expect(host.hasAttribute('aria-label')).toBe(false);
  });

  it('drops an embed that a newer draw overtook', async () => {
    const host = document.createElement('div');
    const chart = new LiveChart(host);
    const first = chart.draw(costChart(computeRoi(TIMED_SCENARIO), colors));
    const second = chart.draw(costChart(computeRoi({ ...TIMED_SCENARIO, pue: 1.5 }), colors));
    await Promise.all([first, second]);
    expect(embedded).toHaveLength(2);
    // The chart keeps the second view: the next move updates it, not the first.
    await chart.draw(costChart(computeRoi({ ...TIMED_SCENARIO, pue: 1.7 }), colors));
    expect(views[1].runAsync).toHaveBeenCalledTimes(1);
    expect(views[0].runAsync).not.toHaveBeenCalled();
  });
});
