/**
 * Draws the ROI widget's charts with vega-embed and keeps them live: a moving slider only swaps
 * the named datasets of the existing Vega view; a new spec (another x unit or metric) re-embeds.
 * Imported only through a dynamic import(), so Vega stays out of JupyterLab's start.
 */
import embed, { type Result } from 'vega-embed';
import type { ChartContent } from './chart-spec';
import { recordDuration } from '../../shared/timing';

/** One chart host: embeds on the first draw or a new spec, otherwise swaps data. */
export class LiveChart {
  private result: Result | null = null;
  private key: string | null = null;
  /** The data last drawn, as JSON. */
  private dataKey: string | null = null;
  /** Bumped on every release, so an embed that finishes after a newer one started is dropped. */
  private generation = 0;

  constructor(private readonly host: HTMLElement) {}

  async draw(content: ChartContent): Promise<void> {
    if (content.kind === 'none') {
      this.release();
      this.host.textContent = content.reason;
      for (const name of ['role', 'aria-label', 'aria-roledescription']) {
        this.host.removeAttribute(name);
      }
      return;
    }
    const dataKey = JSON.stringify(content.data);
    if (this.result && this.key === content.spec.key) {
      // Many inputs leave a chart as it was (the price does not change the CO2e): skip the redraw.
      if (dataKey === this.dataKey) return;
      this.dataKey = dataKey;
      const view = this.result.view;
      for (const [name, values] of Object.entries(content.data)) view.data(name, values);
      // Vega keeps the container's aria-label equal to the view's description: the summary.
      view.description(content.summary);
      await view.runAsync();
      return;
    }
    this.release();
    const generation = this.generation;
    // Data goes in as top-level datasets, so later updates can replace them by name; the
    // summary becomes the chart's accessible description (Vega's container aria-label).
    const spec = { ...content.spec.spec, description: content.summary, datasets: content.data };
    this.host.textContent = '';
    // No actions menu: it would offer to send the data to the online Vega editor.
    const result = await embed(this.host, spec as never, { actions: false, renderer: 'svg' });
    if (generation !== this.generation) {
      result.finalize();
      return;
    }
    this.result = result;
    this.key = content.spec.key;
    this.dataKey = dataKey;
  }

  release(): void {
    this.generation++;
    this.result?.finalize();
    this.result = null;
    this.key = null;
    this.dataKey = null;
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
