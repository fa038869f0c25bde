/**
 * Where a label card finds the other labels of its notebook. A label record rates one phase;
 * the card offers a phase switch when the notebook it sits in also holds a label of the same
 * model for the other phase. The renderer does not know its notebook, so the plugin's notebook
 * watchers (extension/plugins/notebook/notebook-labels.ts) register here and answer for the DOM nodes inside their notebook.
 *
 * Tiny on purpose: the plugin and the renderer both load it at start; the records it hands out
 * were validated by the watcher.
 */
import { Signal, type ISignal } from '@lumino/signaling';
import type { LabelRecord } from '../../../core/label/record';

export interface LabelSource {
  /** True when `node` is inside the notebook this source watches. */
  contains(node: Node): boolean;
  /** The notebook's validated label records (from `metadata.gaissa.labels`). */
  records(): readonly LabelRecord[];
}

export class LabelDirectory {
  private readonly sources = new Set<LabelSource>();
  private readonly changedSignal = new Signal<this, void>(this);

  /** Emitted when any notebook's labels change: cards look for a sibling again. */
  get changed(): ISignal<this, void> {
    return this.changedSignal;
  }

  /** Registers a notebook; the returned function unregisters it. */
  add(source: LabelSource): () => void {
    this.sources.add(source);
    this.changedSignal.emit();
    return () => {
      if (this.sources.delete(source)) this.changedSignal.emit();
    };
  }

  notify(): void {
    this.changedSignal.emit();
  }

  /** The labels of the notebook that holds `node`; none when it is in no watched notebook. */
  recordsNear(node: Node): readonly LabelRecord[] {
    for (const source of this.sources) {
      if (source.contains(node)) return source.records();
    }
    return [];
  }
}

export const labelDirectory = new LabelDirectory();
