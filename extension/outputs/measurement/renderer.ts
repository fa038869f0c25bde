/**
 * The JupyterLab renderer of `application/vnd.gaissa.measurement.v1+json`. It stays tiny: the card
 * code (with its validator) and the chart (with Vega) are separate chunks, fetched on the first
 * card, or earlier when a notebook holding cards is opened (saved-output-prefetch.ts). Once the
 * card code is there, a card is drawn in the same task as its output arrives.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { lazyModule } from '../../shared/lazy-module';
import { clear } from '../../shared/safe-dom';
import { recordDuration, TIMING } from '../../shared/timing';
import { MEASUREMENT_MIME } from '../../../core/mime-types';

type ViewModule = typeof import('./view');

export interface MeasurementLoaders {
  /** `loaded`: the card code when it has already loaded (then no await before the card). */
  view: { (): Promise<ViewModule>; readonly loaded?: ViewModule | null };
  chart: () => Promise<typeof import('./chart')>;
}

/** Dynamic imports: the bundler turns each into a chunk loaded on demand. */
export const lazyLoaders = {
  view: lazyModule(() => import('./view')),
  chart: lazyModule(() => import('./chart'))
} satisfies MeasurementLoaders;

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
    const { renderMeasurement } = this.loaders.view.loaded ?? (await this.loaders.view());
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
