/**
 * @jest-environment jsdom
 */
import { computeRoi } from '../../../../../core/roi';
import {
  co2Chart,
  costChart,
  type ChartContent,
  type RoiChartColors
} from '../../../../../extension/outputs/roi/chart-spec';
import { createRoiCharts, LiveChart } from '../../../../../extension/outputs/roi/charts';
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

const points = (host: HTMLElement) =>
  [...host.querySelectorAll('svg [aria-roledescription="point"]')].map(p =>
    p.getAttribute('aria-label')
  );

const summary = (content: ChartContent) => (content.kind === 'chart' ? content.summary : '');

describe('LiveChart', () => {
  it('draws once, then redraws the same <svg> in place; skips identical data; follows a new spec', async () => {
    const host = document.createElement('div');
    const chart = new LiveChart(host);
    const first = costChart(computeRoi(TIMED_SCENARIO), colors);
    await chart.draw(first);
    const svg = host.querySelector('svg');
    expect(svg).not.toBeNull();
    expect(host.getAttribute('role')).toBe('img');
    expect(host.getAttribute('aria-label')).toMatch(/^Cumulative cost over/);
    const before = points(host);
    expect(before.length).toBeGreaterThan(0);

    const pricier = costChart(computeRoi({ ...TIMED_SCENARIO, pricePerKWh: 0.4 }), colors);
    await chart.draw(pricier);
    expect(host.querySelector('svg')).toBe(svg);
    expect(host.querySelectorAll('svg')).toHaveLength(1);
    expect(points(host)).not.toEqual(before);
    expect(host.getAttribute('aria-label')).toBe(summary(pricier));

    // The same data again: nothing is redrawn (the drawn nodes stay the very same).
    const marks = svg?.querySelector('.marks');
    await chart.draw(costChart(computeRoi({ ...TIMED_SCENARIO, pricePerKWh: 0.4 }), colors));
    expect(svg?.querySelector('.marks')).toBe(marks);

    // A 60-year horizon: a new spec key (no symbol per point), still the same <svg>.
    await chart.draw(costChart(computeRoi({ ...TIMED_SCENARIO, horizonYears: 60 }), colors));
    expect(host.querySelector('svg')).toBe(svg);
    expect(points(host).every(label => /^label: break-even/.test(label ?? ''))).toBe(true);
    expect(svg?.querySelector('.marks')).not.toBe(marks);
  });

  it('shows the reason as text when there is nothing to draw', async () => {
    const host = document.createElement('div');
    const chart = new LiveChart(host);
    await chart.draw(costChart(computeRoi(TIMED_SCENARIO), colors));
    const { inferencesPerDay: _, horizonYears: __, ...plain } = TIMED_SCENARIO;
    const content = co2Chart(
      computeRoi({ ...plain, annualGrowth: undefined, discountRate: undefined }),
      colors
    );
    await chart.draw(content);
    expect(host.querySelector('svg')).toBeNull();
    expect(host.textContent).toContain('needs a time scenario');
    expect(host.hasAttribute('aria-label')).toBe(false);
    expect(host.hasAttribute('role')).toBe(false);
  });

  it('shows the last of several draws started together, and updates that one next', async () => {
    const host = document.createElement('div');
    const chart = new LiveChart(host);
    const second = costChart(computeRoi({ ...TIMED_SCENARIO, pue: 1.5 }), colors);
    await Promise.all([
      chart.draw(costChart(computeRoi(TIMED_SCENARIO), colors)),
      chart.draw(second)
    ]);
    expect(host.querySelectorAll('svg')).toHaveLength(1);
    expect(host.getAttribute('aria-label')).toBe(summary(second));
    const third = costChart(computeRoi({ ...TIMED_SCENARIO, pue: 1.7 }), colors);
    await chart.draw(third);
    expect(host.querySelectorAll('svg')).toHaveLength(1);
    expect(host.getAttribute('aria-label')).toBe(summary(third));
  });
});

describe('createRoiCharts', () => {
  it('draws each of the three charts into its host, or the reason there is none', async () => {
    const hosts = {
      cost: document.createElement('div'),
      co2: document.createElement('div'),
      tornado: document.createElement('div')
    };
    const set = createRoiCharts(hosts);
    const result = computeRoi(TIMED_SCENARIO);
    await set.draw({
      cost: costChart(result, colors),
      co2: co2Chart(result, colors),
      tornado: { kind: 'none', reason: 'No sensitivity for this scenario.' }
    });
    expect(hosts.cost.querySelector('svg')).not.toBeNull();
    expect(hosts.co2.querySelector('svg')).not.toBeNull();
    expect(hosts.tornado.textContent).toBe('No sensitivity for this scenario.');
    set.dispose();
  });
});
