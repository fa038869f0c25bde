/**
 * The JupyterLab renderer of `application/vnd.gaissa.label.v1+json`. It stays tiny: the card,
 * its validator and the drawing are a separate chunk, fetched with the first label.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { Message } from '@lumino/messaging';
import { labelDirectory, type LabelDirectory } from './label-directory';
import { LazyRenderer, lazyRendererFactory } from '../../renderers/lazy-renderer';
import { lazyModule, type ChunkLoader } from '../../shared/lazy-module';
import { LABEL_MIME } from '../../../core/mime-types';
import type { LabelView } from './view';

type ViewModule = typeof import('./view');

/** User Timing entry: output arrival to drawn label (read like the card's `gaissa:card`). */
export const LABEL_TIMING = 'gaissa:label';

export type LabelViewLoader = ChunkLoader<ViewModule>;

/** A dynamic import: the bundler turns it into a chunk loaded on demand. */
export const loadLabelView = lazyModule(() => import('./view'));

export class LabelRenderer extends LazyRenderer<ViewModule, LabelView> {
  constructor(
    mimeType: string = LABEL_MIME,
    loader: LabelViewLoader = loadLabelView,
    private readonly directory: LabelDirectory = labelDirectory
  ) {
    super({
      mimeType,
      className: 'gaissa-label-output',
      load: loader,
      name: 'energy label',
      timing: { output: LABEL_TIMING }
    });
    directory.changed.connect(this.onDirectoryChanged, this);
  }

  protected build({ renderLabel }: ViewModule, model: IRenderMime.IMimeModel): LabelView {
    const mime = this.options.mimeType;
    const view = renderLabel(model.data[mime], model.metadata?.[mime]);
    this.giveSiblings(view);
    return view;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.directory.changed.disconnect(this.onDirectoryChanged, this);
    super.dispose();
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this.giveSiblings(this.output);
  }

  private onDirectoryChanged(): void {
    this.giveSiblings(this.output);
  }

  /** Hands the view the labels of the notebook it sits in (for the phase switch). */
  private giveSiblings(view: LabelView | null): void {
    if (!view || !this.node.isConnected) return;
    view.setNotebookLabels(this.directory.recordsNear(this.node));
  }
}

export const labelRendererFactory = lazyRendererFactory(
  LABEL_MIME,
  mimeType => new LabelRenderer(mimeType)
);
