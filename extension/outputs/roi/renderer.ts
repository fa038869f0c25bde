/**
 * The JupyterLab renderer of `application/vnd.gaissa.roi.v1+json`. It stays tiny: the widget
 * (with core/roi and the compiled validator) and the charts (our SVG drawing) are separate chunks,
 * fetched with the first ROI output.
 *
 * The slider state is saved in the output's metadata through the mime model (`setData`), so the
 * notebook file carries it: reopening or sharing the notebook shows the same scenario. Writing the
 * model makes JupyterLab call `renderModel` again with the same payload; the live widget is then
 * kept (focus and slider position included) and only a different saved state is applied.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { ControlValues } from './state';
import { LazyRenderer, lazyRendererFactory, type ChartStep } from '../../renderers/lazy-renderer';
import { lazyModule, type ChunkLoader } from '../../shared/lazy-module';
import { ROI_MIME } from '../../../core/mime-types';

type ViewModule = typeof import('./view');
/** The widget the view builds: its node, `ready` once the charts are drawn, saved state, dispose. */
type RoiHandle = ReturnType<ViewModule['renderRoi']>;

/** User Timing entries: output arrival to rendered widget / drawn charts. */
export const ROI_RENDER_TIMING = { widget: 'gaissa:roi-widget', charts: 'gaissa:roi-charts' };

export interface RoiLoaders {
  widget: ChunkLoader<ViewModule>;
  charts: () => Promise<typeof import('./charts')>;
}

/** Dynamic imports: the bundler turns each into a chunk loaded on demand. */
export const roiLoaders = {
  widget: lazyModule(() => import('./view')),
  charts: lazyModule(() => import('./charts'))
} satisfies RoiLoaders;

/** The payload's identity: JSON text (a payload is JSON; a cycle or other oddity gets a unique key). */
function identity(payload: unknown): string {
  try {
    return JSON.stringify(payload) ?? 'undefined';
  } catch {
    return `unserializable:${Math.random()}`;
  }
}

export class RoiRenderer extends LazyRenderer<ViewModule, RoiHandle> {
  private payloadKey: string | null = null;
  private withSavedState: ViewModule['withSavedState'] | null = null;

  constructor(
    mimeType: string = ROI_MIME,
    private readonly loaders: RoiLoaders = roiLoaders
  ) {
    super({
      mimeType,
      className: 'gaissa-roi-output',
      load: loaders.widget,
      name: 'ROI widget',
      timing: { output: ROI_RENDER_TIMING.widget, chart: ROI_RENDER_TIMING.charts }
    });
  }

  protected build({ renderRoi, withSavedState }: ViewModule, model: IRenderMime.IMimeModel) {
    const payload: unknown = model.data[this.options.mimeType];
    this.withSavedState = withSavedState;
    this.payloadKey = identity(payload);
    return renderRoi(payload, model.metadata, {
      persist: values => this.persist(model, values),
      loadCharts: this.loaders.charts
    });
  }

  /** Our own save (or another view of this output) changed the metadata only: keep the widget. */
  protected override showInPlace(handle: RoiHandle, model: IRenderMime.IMimeModel): boolean {
    if (identity(model.data[this.options.mimeType]) !== this.payloadKey) return false;
    handle.applySaved(model.metadata);
    return true;
  }

  /** The widget draws its own charts; the step only waits for them, for the timing. */
  protected override chart(handle: RoiHandle): ChartStep {
    return { draw: () => handle.ready };
  }

  /**
   * Writes the slider state into the metadata of the output it was built for (null removes it).
   * Once the renderer shows another output, a save still pending for the old one is dropped:
   * that state belongs to a payload no longer shown.
   */
  private persist(model: IRenderMime.IMimeModel, values: ControlValues | null): void {
    if (model !== this.model || !this.withSavedState) return;
    const metadata = this.withSavedState(model.metadata, values);
    try {
      model.setData({ metadata: metadata as IRenderMime.IMimeModel['metadata'] });
    } catch (error) {
      // The output went away (cleared by a re-run, notebook closed) before the last save.
      console.warn('GAISSA: the ROI slider state could not be saved', error);
    }
  }
}

export const roiRendererFactory = lazyRendererFactory(
  ROI_MIME,
  mimeType => new RoiRenderer(mimeType)
);
