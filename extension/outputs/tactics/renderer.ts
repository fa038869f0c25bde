/**
 * The JupyterLab renderer of `application/vnd.gaissa.tactics.v1+json` (tactics comparisons from
 * `gaissa.compare` and training comparisons). It stays tiny: the table (with the compiled
 * validator) and the chart (with Vega) are separate chunks, fetched with the first comparison.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { clear } from '../../shared/safe-dom';
import { recordDuration } from '../../shared/timing';
import { TACTICS_MIME } from '../../../core/mime-types';

/** User Timing entries: output arrival to rendered table / drawn chart. */
export const TACTICS_TIMING = { table: 'gaissa:tactics-table', chart: 'gaissa:tactics-chart' };

export interface TacticsLoaders {
  view: () => Promise<typeof import('./view')>;
  chart: () => Promise<typeof import('./chart')>;
}

/** Dynamic imports: the bundler turns each into a chunk loaded on demand. */
export const tacticsLoaders: TacticsLoaders = {
  view: () => import('./view'),
  chart: () => import('./chart')
};

export class TacticsRenderer extends Widget implements IRenderMime.IRenderer {
  private disposeChart: (() => void) | null = null;
  private renders = 0;

  constructor(
    private readonly mimeType: string = TACTICS_MIME,
    private readonly loaders: TacticsLoaders = tacticsLoaders
  ) {
    super();
    this.addClass('gaissa-tactics-output');
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const arrived = performance.now();
    const render = ++this.renders;
    const payload: unknown = model.data[this.mimeType];
    const { renderTactics } = await this.loaders.view();
    if (this.isDisposed || render !== this.renders) return;
    const view = renderTactics(payload);
    this.releaseChart();
    clear(this.node);
    this.node.appendChild(view.node);
    recordDuration(TACTICS_TIMING.table, arrived);
    if (!view.chart) return;
    const { host, payload: checked } = view.chart;
    try {
      const { drawTacticsChart } = await this.loaders.chart();
      if (this.isDisposed || render !== this.renders) return;
      const dispose = await drawTacticsChart(host, checked);
      if (this.isDisposed || render !== this.renders) {
        dispose();
        return;
      }
      this.disposeChart = dispose;
      recordDuration(TACTICS_TIMING.chart, arrived);
    } catch (error) {
      // The table stays readable; only the picture is missing.
      host.removeAttribute('role');
      host.textContent = `The chart could not be drawn (${(error as Error)?.message ?? String(error)}).`;
    }
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.releaseChart();
    super.dispose();
  }

  private releaseChart(): void {
    this.disposeChart?.();
    this.disposeChart = null;
  }
}

/** The rendermime factory: safe, because payload strings never become markup. */
export const tacticsRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [TACTICS_MIME],
  // Ahead of text/html (50), which the kernel sends along for viewers without the extension.
  defaultRank: 40,
  createRenderer: options => new TacticsRenderer(options.mimeType)
};
