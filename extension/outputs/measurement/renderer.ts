/**
 * The JupyterLab renderer of `application/vnd.gaissa.measurement.v1+json`. It stays tiny: the card
 * code (with its validator) and the chart (our SVG drawing) are separate chunks, fetched on the first
 * card, or earlier when a notebook holding cards is opened (saved-output-prefetch.ts). Once the
 * card code is there, a card is drawn in the same task as its output arrives.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { LazyRenderer, lazyRendererFactory, type ChartStep } from '../../renderers/lazy-renderer';
import { lazyModule, type ChunkLoader } from '../../shared/lazy-module';
import { TIMING } from '../../shared/timing';
import { MEASUREMENT_MIME } from '../../../core/mime-types';
import type { MeasurementView } from './view';

type ViewModule = typeof import('./view');
type ChartModule = typeof import('./chart');

export interface MeasurementLoaders {
  /** `loaded`: the card code when it has already loaded (then no await before the card). */
  view: ChunkLoader<ViewModule>;
  chart: () => Promise<ChartModule>;
}

/** Dynamic imports: the bundler turns each into a chunk loaded on demand. */
export const lazyLoaders = {
  view: lazyModule(() => import('./view')),
  chart: lazyModule(() => import('./chart'))
} satisfies MeasurementLoaders;

export class MeasurementRenderer extends LazyRenderer<ViewModule, MeasurementView> {
  constructor(
    mimeType: string = MEASUREMENT_MIME,
    private readonly loaders: MeasurementLoaders = lazyLoaders
  ) {
    super({
      mimeType,
      className: 'gaissa-measurement-output',
      load: loaders.view,
      name: 'measurement card',
      timing: { output: TIMING.card, chart: TIMING.chart }
    });
  }

  protected build({ renderMeasurement }: ViewModule, model: IRenderMime.IMimeModel) {
    return renderMeasurement(model.data[this.options.mimeType]);
  }

  protected override chart({ chart }: MeasurementView): ChartStep<ChartModule> | null {
    if (!chart) return null;
    return {
      load: this.loaders.chart,
      draw: ({ drawPowerChart }) => drawPowerChart(chart.host, chart.timeline),
      host: chart.host,
      name: 'power chart'
    };
  }
}

export const measurementRendererFactory = lazyRendererFactory(
  MEASUREMENT_MIME,
  mimeType => new MeasurementRenderer(mimeType)
);
