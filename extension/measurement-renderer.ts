/**
 * The JupyterLab renderer of `application/vnd.gaissa.measurement.v1+json`. It stays tiny: the card
 * code (with ajv) and the chart (with Vega) are separate chunks, fetched on the first card.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { MEASUREMENT_MIME } from './measurement-summary';
import { clear } from './safe-dom';
import { recordDuration, TIMING } from './timing';

export interface MeasurementLoaders {
  view: () => Promise<typeof import('./measurement-view')>;
  chart: () => Promise<typeof import('./power-chart')>;
}

/** Dynamic imports: the bundler turns each into a chunk loaded on demand. */
export const lazyLoaders: MeasurementLoaders = {
  view: () => import('./measurement-view'),
  chart: () => import('./power-chart')
};

export class MeasurementRenderer extends Widget implements IRenderMime.IRenderer {
  private disposeChart: (() => void) | null = null;

  constructor(
    private readonly mimeType: string = MEASUREMENT_MIME,
    private readonly loaders: MeasurementLoaders = lazyLoaders
  ) {
    super();
    this.addClass('gaissa-measurement-output');
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    // JupyterLab creates the renderer as the output arrives: this is the arrival time.
    const arrived = performance.now();
    const payload: unknown = model.data[this.mimeType];
    const { renderMeasurement } = await this.loaders.view();
    if (this.isDisposed) return;
    const view = renderMeasurement(payload);
    this.releaseChart();
    clear(this.node);
    this.node.appendChild(view.node);
    recordDuration(TIMING.card, arrived);
    if (!view.chart) return;
    const { host, timeline } = view.chart;
    try {
      const { drawPowerChart } = await this.loaders.chart();
      if (this.isDisposed) return;
      this.disposeChart = await drawPowerChart(host, timeline);
      recordDuration(TIMING.chart, arrived);
    } catch (error) {
      // The numbers above stay readable; only the picture is missing.
      host.textContent = `The power chart could not be drawn (${(error as Error).message ?? error}).`;
    }
  }

  override dispose(): void {
    this.releaseChart();
    super.dispose();
  }

  private releaseChart(): void {
    this.disposeChart?.();
    this.disposeChart = null;
  }
}

/** The rendermime factory: safe, because payload strings never become markup. */
export const measurementRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [MEASUREMENT_MIME],
  // Ahead of text/html (50), which the kernel sends along for viewers without the extension.
  defaultRank: 40,
  createRenderer: options => new MeasurementRenderer(options.mimeType)
};
