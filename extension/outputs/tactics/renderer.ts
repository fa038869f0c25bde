/**
 * The JupyterLab renderer of `application/vnd.gaissa.tactics.v1+json` (tactics comparisons from
 * `gaissa.compare` and training comparisons). It stays tiny: the table (with the compiled
 * validator) and the chart (our SVG drawing) are separate chunks, fetched with the first comparison.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { LazyRenderer, lazyRendererFactory, type ChartStep } from '../../renderers/lazy-renderer';
import { lazyModule, type ChunkLoader } from '../../shared/lazy-module';
import { TACTICS_MIME } from '../../../core/mime-types';
import type { TacticsView } from './view';

type ViewModule = typeof import('./view');
type ChartModule = typeof import('./chart');

/** User Timing entries: output arrival to rendered table / drawn chart. */
export const TACTICS_TIMING = { table: 'gaissa:tactics-table', chart: 'gaissa:tactics-chart' };

export interface TacticsLoaders {
  view: ChunkLoader<ViewModule>;
  chart: () => Promise<ChartModule>;
}

/** Dynamic imports: the bundler turns each into a chunk loaded on demand. */
export const tacticsLoaders = {
  view: lazyModule(() => import('./view')),
  chart: lazyModule(() => import('./chart'))
} satisfies TacticsLoaders;

export class TacticsRenderer extends LazyRenderer<ViewModule, TacticsView> {
  constructor(
    mimeType: string = TACTICS_MIME,
    private readonly loaders: TacticsLoaders = tacticsLoaders
  ) {
    super({
      mimeType,
      className: 'gaissa-tactics-output',
      load: loaders.view,
      name: 'tactics comparison',
      timing: { output: TACTICS_TIMING.table, chart: TACTICS_TIMING.chart }
    });
  }

  protected build({ renderTactics }: ViewModule, model: IRenderMime.IMimeModel) {
    return renderTactics(model.data[this.options.mimeType]);
  }

  protected override chart({ chart }: TacticsView): ChartStep<ChartModule> | null {
    if (!chart) return null;
    return {
      load: this.loaders.chart,
      draw: ({ drawTacticsChart }) => drawTacticsChart(chart.host, chart.payload),
      host: chart.host,
      name: 'energy-vs-quality chart'
    };
  }
}

export const tacticsRendererFactory = lazyRendererFactory(
  TACTICS_MIME,
  mimeType => new TacticsRenderer(mimeType)
);
