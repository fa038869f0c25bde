/**
 * Draws the ROI widget's charts as SVG (shared/charts) and keeps them live: a moving slider
 * redraws the same <svg> in place, and a move that leaves a chart's data as it was skips it.
 * Loaded through a dynamic import() with the widget's first charts.
 */
import { SvgChart } from '../../shared/charts/svg-chart';
import type { ChartContent } from './chart-spec';
import { recordDuration } from '../../shared/timing';

/** One chart host: draws the first figure, then redraws in place when the data changes. */
export class LiveChart {
  private chart: SvgChart | null = null;
  /** The spec key and data last drawn, as JSON. */
  private drawn: string | null = null;

  constructor(private readonly host: HTMLElement) {}

  /** Synchronous; a promise for the callers that awaited the lazily loaded drawing before. */
  async draw(content: ChartContent): Promise<void> {
    if (content.kind === 'none') {
      this.release();
      this.host.textContent = content.reason;
      for (const name of ['role', 'aria-label', 'aria-roledescription']) {
        this.host.removeAttribute(name);
      }
      return;
    }
    const drawn = JSON.stringify([content.spec.key, content.data]);
    // Many inputs leave a chart as it was (the price does not change the CO2e): skip the redraw.
    if (this.chart && drawn === this.drawn) return;
    this.chart ??= new SvgChart(this.host);
    this.chart.draw(content.figure);
    this.drawn = drawn;
    // The summary is the chart's accessible name; the drawing inside is its picture.
    this.host.setAttribute('role', 'img');
    this.host.setAttribute('aria-label', content.summary);
  }

  release(): void {
    this.chart?.dispose();
    this.chart = null;
    this.drawn = null;
  }
}

export interface RoiChartHosts {
  cost: HTMLElement;
  co2: HTMLElement;
  tornado: HTMLElement;
}

export interface RoiChartSet {
  draw(contents: { cost: ChartContent; co2: ChartContent; tornado: ChartContent }): Promise<void>;
  dispose(): void;
}

export function createRoiCharts(hosts: RoiChartHosts): RoiChartSet {
  const charts = {
    cost: new LiveChart(hosts.cost),
    co2: new LiveChart(hosts.co2),
    tornado: new LiveChart(hosts.tornado)
  };
  return {
    async draw(contents) {
      // One after the other: each is measured alone (bench/roi-slider.ts reads the entries).
      for (const name of ['cost', 'co2', 'tornado'] as const) {
        const start = performance.now();
        await charts[name].draw(contents[name]);
        recordDuration(`gaissa:roi-chart-${name}`, start);
      }
    },
    dispose() {
      for (const chart of Object.values(charts)) chart.release();
    }
  };
}
