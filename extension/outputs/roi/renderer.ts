/**
 * The JupyterLab renderer of `application/vnd.gaissa.roi.v1+json`. It stays tiny: the widget
 * (with core/roi and the compiled validator) and the charts (with Vega) are separate chunks,
 * fetched with the first ROI output.
 *
 * The slider state is saved in the output's metadata through the mime model (`setData`), so the
 * notebook file carries it: reopening or sharing the notebook shows the same scenario. Writing the
 * model makes JupyterLab call `renderModel` again with the same payload; the live widget is then
 * kept (focus and slider position included) and only a different saved state is applied.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import type { RoiWidgetHandle } from './view';
import type { ControlValues } from './state';
import { clear } from '../../shared/safe-dom';
import { recordDuration } from '../../shared/timing';
import { ROI_MIME } from '../../../core/mime-types';

/** User Timing entries: output arrival to rendered widget / drawn charts. */
export const ROI_RENDER_TIMING = { widget: 'gaissa:roi-widget', charts: 'gaissa:roi-charts' };

export interface RoiLoaders {
  widget: () => Promise<typeof import('./view')>;
  charts: () => Promise<typeof import('./charts')>;
}

/** Dynamic imports: the bundler turns each into a chunk loaded on demand. */
export const roiLoaders: RoiLoaders = {
  widget: () => import('./view'),
  charts: () => import('./charts')
};

/** The payload's identity: JSON text (a payload is JSON; a cycle or other oddity gets a unique key). */
function identity(payload: unknown): string {
  try {
    return JSON.stringify(payload) ?? 'undefined';
  } catch {
    return `unserializable:${Math.random()}`;
  }
}

export class RoiRenderer extends Widget implements IRenderMime.IRenderer {
  private handle: RoiWidgetHandle | null = null;
  private payloadKey: string | null = null;
  private model: IRenderMime.IMimeModel | null = null;
  private withSavedState: typeof import('./view').withSavedState | null = null;
  private renders = 0;

  constructor(
    private readonly mimeType: string = ROI_MIME,
    private readonly loaders: RoiLoaders = roiLoaders
  ) {
    super();
    this.addClass('gaissa-roi-output');
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const arrived = performance.now();
    this.model = model;
    const payload: unknown = model.data[this.mimeType];
    const key = identity(payload);
    if (this.handle && key === this.payloadKey) {
      // Our own save (or another view of this output) changed the metadata only.
      this.handle.applySaved(model.metadata);
      return;
    }
    const render = ++this.renders;
    const { renderRoi, withSavedState } = await this.loaders.widget();
    if (this.isDisposed || render !== this.renders) return;
    this.withSavedState = withSavedState;
    this.handle?.dispose();
    this.handle = renderRoi(payload, model.metadata, {
      persist: values => this.persist(values),
      loadCharts: this.loaders.charts
    });
    this.payloadKey = key;
    clear(this.node);
    this.node.appendChild(this.handle.node);
    recordDuration(ROI_RENDER_TIMING.widget, arrived);
    await this.handle.ready;
    if (!this.isDisposed && render === this.renders) {
      recordDuration(ROI_RENDER_TIMING.charts, arrived);
    }
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.handle?.dispose();
    this.handle = null;
    super.dispose();
  }

  /** Writes the slider state into the output's metadata (null removes it). */
  private persist(values: ControlValues | null): void {
    const model = this.model;
    if (!model || !this.withSavedState) return;
    const metadata = this.withSavedState(model.metadata, values);
    try {
      model.setData({ metadata: metadata as IRenderMime.IMimeModel['metadata'] });
    } catch (error) {
      // The output went away (cleared by a re-run, notebook closed) before the last save.
      console.warn('GAISSA: the ROI slider state could not be saved', error);
    }
  }
}

/** The rendermime factory: safe, because payload strings never become markup. */
export const roiRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [ROI_MIME],
  // Ahead of text/html (50), which the kernel sends along for viewers without the extension.
  defaultRank: 40,
  createRenderer: options => new RoiRenderer(options.mimeType)
};
