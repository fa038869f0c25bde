/**
 * The JupyterLab renderer of `application/vnd.gaissa.label.v1+json`. It stays tiny: the widget,
 * its validator and the drawing are a separate chunk, fetched with the first label.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { labelDirectory, type LabelDirectory } from './label-directory';
import { clear } from '../../shared/safe-dom';
import { recordDuration } from '../../shared/timing';
import { LABEL_MIME } from '../../../core/mime-types';

/** User Timing entry: output arrival to drawn label (read like the card's `gaissa:card`). */
export const LABEL_TIMING = 'gaissa:label';

export type LabelViewLoader = () => Promise<typeof import('./view')>;

/** A dynamic import: the bundler turns it into a chunk loaded on demand. */
export const loadLabelView: LabelViewLoader = () => import('./view');

export class LabelRenderer extends Widget implements IRenderMime.IRenderer {
  private view: import('./view').LabelView | null = null;

  constructor(
    private readonly mimeType: string = LABEL_MIME,
    private readonly loader: LabelViewLoader = loadLabelView,
    private readonly directory: LabelDirectory = labelDirectory
  ) {
    super();
    this.addClass('gaissa-label-output');
    directory.changed.connect(this.refreshSiblings, this);
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const arrived = performance.now();
    const payload: unknown = model.data[this.mimeType];
    const metadata: unknown = model.metadata?.[this.mimeType];
    const { renderLabel } = await this.loader();
    if (this.isDisposed) return;
    this.view?.dispose();
    this.view = renderLabel(payload, metadata);
    clear(this.node);
    this.node.appendChild(this.view.node);
    this.refreshSiblings();
    recordDuration(LABEL_TIMING, arrived);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.directory.changed.disconnect(this.refreshSiblings, this);
    this.view?.dispose();
    this.view = null;
    super.dispose();
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this.refreshSiblings();
  }

  /** Hands the widget the labels of the notebook it sits in (for the phase switch). */
  private refreshSiblings(): void {
    if (!this.view || !this.node.isConnected) return;
    this.view.setNotebookLabels(this.directory.recordsNear(this.node));
  }
}

/** The rendermime factory: safe, because payload strings never become markup. */
export const labelRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [LABEL_MIME],
  // Ahead of image/svg+xml and text/plain, which the kernel sends along for other viewers.
  defaultRank: 40,
  createRenderer: options => new LabelRenderer(options.mimeType)
};
