/**
 * Issue #4: a notebook opened from disk that already holds GAISSA outputs. Each renderer's code is
 * a chunk fetched on demand, so the first card used to wait for that fetch after its output
 * arrived (217 ms). JupyterLab draws the outputs in the very task that fills the notebook model
 * from the file, so the model is too late a cue for the first card. Hence two steps:
 *  - when a notebook widget is created (before its file is read), the card's chunk, the most
 *    common GAISSA output, starts loading: once per page, never at JupyterLab's start;
 *  - as the model fills, the chunks of the renderers of the GAISSA outputs found in it (charts
 *    included) are fetched, ahead of cells drawn later (JupyterLab draws cells out of view on
 *    idle). Notebooks without GAISSA outputs fetch nothing more.
 */
import type { ICellModel, ICodeCellModel } from '@jupyterlab/cells';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { loadLabelView } from '../../outputs/label/renderer';
import { lazyLoaders } from '../../outputs/measurement/renderer';
import { profileLoader } from '../../outputs/profile/renderer';
import { roiLoaders } from '../../outputs/roi/renderer';
import { tacticsLoaders } from '../../outputs/tactics/renderer';
import {
  LABEL_MIME,
  MEASUREMENT_MIME,
  PROFILE_MIME,
  ROI_MIME,
  TACTICS_MIME
} from '../../../core/mime-types';

type Loader = () => Promise<unknown>;

/**
 * Per mime type, the chunks its renderer loads, all fetched at once: the charts are our own small
 * SVG drawing (a few KB), so a chart can draw in the same task as its output.
 */
export const RENDERER_CHUNKS: Readonly<Record<string, readonly Loader[]>> = {
  [MEASUREMENT_MIME]: [lazyLoaders.view, lazyLoaders.chart],
  [TACTICS_MIME]: [tacticsLoaders.view, tacticsLoaders.chart],
  [ROI_MIME]: [roiLoaders.widget, roiLoaders.charts],
  [LABEL_MIME]: [loadLabelView],
  [PROFILE_MIME]: [profileLoader]
};

/** The GAISSA mime types among the outputs of these cells. */
export function gaissaMimeTypes(cells: Iterable<ICellModel>): Set<string> {
  const found = new Set<string>();
  for (const cell of cells) {
    if (cell.type !== 'code') continue;
    const outputs = (cell as ICodeCellModel).outputs;
    for (let i = 0; i < outputs.length; i++) {
      for (const mime of Object.keys(outputs.get(i).data)) {
        if (Object.prototype.hasOwnProperty.call(RENDERER_CHUNKS, mime)) found.add(mime);
      }
    }
  }
  return found;
}

/**
 * Fetches the chunks of the renderers of `mimeTypes`, each mime type once per page. A failed
 * fetch is only logged: the renderer asks again when it draws, and shows its own error then.
 */
export class RendererPrefetch {
  private readonly started = new Set<string>();
  private readonly watched = new WeakSet<NotebookPanel>();

  constructor(
    private readonly chunks: Readonly<Record<string, readonly Loader[]>> = RENDERER_CHUNKS,
    private readonly onOpen: readonly Loader[] = [lazyLoaders.view, lazyLoaders.chart]
  ) {}

  prefetch(mimeTypes: Iterable<string>): void {
    for (const mime of mimeTypes) {
      const chunks = this.chunks[mime];
      if (!chunks || this.started.has(mime)) continue;
      this.started.add(mime);
      void Promise.all(chunks.map(load => load())).catch(error => {
        this.started.delete(mime);
        console.warn(`GAISSA: could not prefetch the renderer of ${mime}`, error);
      });
    }
  }

  /**
   * Call as the notebook widget is created: loads the `onOpen` chunks, then watches the model as
   * it fills (and whenever cells are added, e.g. pasted).
   */
  watch(panel: NotebookPanel): void {
    if (this.watched.has(panel)) return;
    this.watched.add(panel);
    // The loaders remember what they loaded: a second notebook costs nothing. A failure is left
    // to the renderer, which asks again and shows its own error.
    for (const load of this.onOpen) void load().catch(() => undefined);
    const model = panel.context.model;
    const scan = (cells: Iterable<ICellModel>) => this.prefetch(gaissaMimeTypes(cells));
    scan(model.cells);
    const onChange = (_: unknown, change: { type: string; newValues: readonly ICellModel[] }) => {
      if (change.type === 'add' || change.type === 'set') scan(change.newValues);
    };
    model.cells.changed.connect(onChange);
    panel.disposed.connect(() => model.cells.changed.disconnect(onChange));
  }
}
