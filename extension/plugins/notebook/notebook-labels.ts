/**
 * Labels in one notebook: records the labels its outputs issue in `metadata.gaissa.labels`
 * (label-recording.ts, contract schema/label-recording.schema.json), shows the label banner at the
 * top when that metadata holds labels, and tells label cards inside it which other labels the
 * notebook holds (label-directory.ts, for the phase switch).
 *
 * Cheap until a notebook has labels: the validator, the recording rules and the banner are
 * fetched only when an output of the label mime type or a non-empty `labels` list shows up.
 */
import type { Cell, ICellModel, ICodeCellModel } from '@jupyterlab/cells';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { IOutputAreaModel } from '@jupyterlab/outputarea';
import type { LabelRecord } from '../../../core/label/record';
import { labelDirectory, type LabelDirectory } from '../../outputs/label/label-directory';
import type { LabelBanner } from './label-banner';
import type { LabelEntry } from '../../outputs/label/validation';
import { LABEL_MIME } from '../../../core/mime-types';

export interface LabelModules {
  recording: () => Promise<typeof import('./label-recording')>;
  banner: () => Promise<typeof import('./label-banner')>;
}

export const lazyLabelModules: LabelModules = {
  recording: () => import('./label-recording'),
  banner: () => import('./label-banner')
};

const METADATA_KEY = 'gaissa';
const KEY_PATTERN = /^[0-9a-f]{64}$/;

function isCodeModel(model: ICellModel): model is ICodeCellModel {
  return model.type === 'code';
}

type Json = Readonly<Record<string, unknown>>;

function outputsOf(model: ICellModel): Array<{ data: Json; metadata: Json }> {
  if (!isCodeModel(model)) return [];
  const out: Array<{ data: Json; metadata: Json }> = [];
  for (let i = 0; i < model.outputs.length; i++) {
    const output = model.outputs.get(i);
    out.push({ data: output.data, metadata: output.metadata });
  }
  return out;
}

function hasLabelOutput(model: ICellModel): boolean {
  return outputsOf(model).some(o => Object.prototype.hasOwnProperty.call(o.data, LABEL_MIME));
}

/** Whether a cell's outputs include the label with this key (output metadata). */
function showsKey(model: ICellModel, key: string): boolean {
  return outputsOf(model).some(o => {
    const meta = o.metadata?.[LABEL_MIME];
    return typeof meta === 'object' && meta !== null && (meta as { key?: unknown }).key === key;
  });
}

export class NotebookLabels {
  private entries: LabelEntry[] = [];
  private records: LabelRecord[] = [];
  private banner: LabelBanner | null = null;
  private bannerLoading: Promise<void> | null = null;
  /** Keys shown when the user closed the banner; a new label brings it back. */
  private dismissed: Set<string> | null = null;
  private readonly models = new Set<ICellModel>();
  private readonly unregister: () => void;
  private disposed = false;
  /** Serialises metadata reads so a slow first load cannot overwrite a later state. */
  private reading: Promise<void> = Promise.resolve();

  constructor(
    readonly panel: NotebookPanel,
    private readonly modules: LabelModules = lazyLabelModules,
    private readonly directory: LabelDirectory = labelDirectory
  ) {
    this.unregister = directory.add({
      contains: node => panel.node.contains(node),
      records: () => this.records
    });
    void panel.context.ready.then(() => {
      if (this.disposed) return;
      const model = panel.content.model;
      if (!model) return;
      model.metadataChanged.connect(this.onNotebookMetadata, this);
      model.cells.changed.connect(this.attachAll, this);
      this.attachAll();
      this.readMetadata();
    });
    panel.disposed.connect(this.dispose, this);
  }

  /** The notebook's valid label entries, as last read from its metadata. */
  labels(): readonly LabelEntry[] {
    return this.entries;
  }

  /** Resolves once pending metadata reads and writes, and those they queued, have settled. */
  async settled(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.reading;
      await current;
    } while (current !== this.reading);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.unregister();
    const model = this.panel.content?.model;
    model?.metadataChanged.disconnect(this.onNotebookMetadata, this);
    model?.cells.changed.disconnect(this.attachAll, this);
    for (const cell of this.models) {
      cell.stateChanged.disconnect(this.onCellState, this);
      if (isCodeModel(cell)) cell.outputs.changed.disconnect(this.onOutputs, this);
    }
    this.models.clear();
    this.banner?.dispose();
    this.banner = null;
  }

  /** Scrolls to the cell that issued `entry` and focuses its label; false when that cell is gone. */
  async goTo(entry: LabelEntry): Promise<boolean> {
    const notebook = this.panel.content;
    const cell = this.cellOf(entry);
    if (!cell) return false;
    await notebook.scrollToCell(cell, 'start');
    // The label draws once its chunk is loaded: wait a little for it, then move the focus there.
    for (let i = 0; i < 40 && !cell.isDisposed; i++) {
      const labels = Array.from(cell.node.querySelectorAll<HTMLElement>('.gaissa-label'));
      const label = labels.find(l => l.dataset.key === entry.key) ?? labels[0];
      if (label) {
        label.focus();
        return true;
      }
      await new Promise(r => setTimeout(r, 50));
    }
    return true;
  }

  private cellOf(entry: LabelEntry): Cell | null {
    const cells = this.panel.content.widgets;
    const byId = entry.cellId ? cells.find(c => c.model.id === entry.cellId) : undefined;
    if (byId) return byId;
    return KEY_PATTERN.test(entry.key)
      ? (cells.find(c => showsKey(c.model, entry.key)) ?? null)
      : null;
  }

  // --- watching cells ----------------------------------------------------------------------

  private attachAll(): void {
    if (this.disposed) return;
    const model = this.panel.content.model;
    if (!model) return;
    const live = new Set<ICellModel>();
    for (let i = 0; i < model.cells.length; i++) live.add(model.cells.get(i));
    for (const cell of this.models) {
      if (!live.has(cell)) {
        cell.stateChanged.disconnect(this.onCellState, this);
        if (isCodeModel(cell)) cell.outputs.changed.disconnect(this.onOutputs, this);
        this.models.delete(cell);
      }
    }
    for (const cell of live) {
      if (this.models.has(cell)) continue;
      this.models.add(cell);
      cell.stateChanged.connect(this.onCellState, this);
      if (isCodeModel(cell)) cell.outputs.changed.connect(this.onOutputs, this);
      // Rendering a saved label records it if the metadata lacks it; a recorded one is unchanged.
      if (hasLabelOutput(cell)) this.record(cell, 'add-missing');
    }
    // Cells came or went: a banner item may have gained or lost its cell.
    this.banner?.setEntries(this.entries);
  }

  private onOutputs(outputs: IOutputAreaModel, args: IOutputAreaModel.ChangedArgs): void {
    if (args.type !== 'add' && args.type !== 'set') return;
    if (!args.newValues.some(o => Object.prototype.hasOwnProperty.call(o.data, LABEL_MIME))) return;
    const cell = [...this.models].find(m => isCodeModel(m) && m.outputs === outputs);
    if (cell) this.record(cell, 'replace');
  }

  /** A run finished: the cell's entries become the labels it shows now (maybe none). */
  private onCellState(cell: ICellModel, args: { name: string; newValue: unknown }): void {
    if (args.name !== 'executionCount' || args.newValue === null) return;
    if (hasLabelOutput(cell) || this.hasEntriesOf(cell.id)) this.record(cell, 'replace');
  }

  private hasEntriesOf(cellId: string): boolean {
    const labels = this.rawLabels();
    return labels.some(
      item => typeof item === 'object' && item !== null && (item as LabelEntry).cellId === cellId
    );
  }

  private rawLabels(): unknown[] {
    const meta = this.panel.content.model?.getMetadata(METADATA_KEY) as unknown;
    const labels =
      typeof meta === 'object' && meta !== null ? (meta as { labels?: unknown }).labels : undefined;
    return Array.isArray(labels) ? labels : [];
  }

  /** Queues a step after the pending ones; a failed step is reported, not fatal to the queue. */
  private queue(step: () => Promise<void>): void {
    this.reading = this.reading.then(step).catch(error => {
      console.warn('GAISSA: the notebook labels could not be updated', error);
    });
  }

  private record(cell: ICellModel, mode: 'add-missing' | 'replace'): void {
    this.queue(async () => {
      const { recordableLabels, nextLabels, withLabels } = await this.modules.recording();
      const model = this.panel.content.model;
      if (this.disposed || !model || !this.models.has(cell)) return;
      const shown = recordableLabels(outputsOf(cell));
      const meta: unknown = model.getMetadata(METADATA_KEY);
      const current =
        typeof meta === 'object' && meta !== null ? (meta as { labels?: unknown }).labels : [];
      const next = nextLabels(current, cell.id, shown, mode);
      if (next) model.setMetadata(METADATA_KEY, withLabels(meta, next));
    });
  }

  // --- reading the metadata ----------------------------------------------------------------

  private onNotebookMetadata(_: unknown, change: { key: string }): void {
    if (change.key === METADATA_KEY) this.readMetadata();
  }

  private readMetadata(): void {
    this.queue(async () => {
      if (this.disposed) return;
      const raw = this.rawLabels();
      let entries: LabelEntry[] = [];
      if (raw.length > 0) {
        const { readLabelEntries } = await this.modules.recording();
        if (this.disposed) return;
        entries = readLabelEntries(this.panel.content.model?.getMetadata(METADATA_KEY));
      }
      const changed = JSON.stringify(entries) !== JSON.stringify(this.entries);
      this.entries = entries;
      this.records = entries.map(e => e.record);
      if (changed) this.directory.notify();
      await this.showBanner();
    });
  }

  private async showBanner(): Promise<void> {
    if (this.entries.length === 0) {
      this.banner?.dispose();
      this.banner = null;
      return;
    }
    if (this.dismissed) {
      if (this.entries.every(e => this.dismissed?.has(e.key))) return;
      this.dismissed = null;
    }
    if (!this.banner) {
      this.bannerLoading ??= this.modules.banner().then(({ LabelBanner }) => {
        if (this.disposed) return;
        this.banner = new LabelBanner(
          entry => void this.goTo(entry),
          entry => this.cellOf(entry) !== null,
          () => this.dismiss()
        );
        // The top of the notebook: the header between the toolbar and the cells.
        this.panel.contentHeader.insertWidget(0, this.banner);
      });
      await this.bannerLoading;
      this.bannerLoading = null;
    }
    this.banner?.setEntries(this.entries);
  }

  private dismiss(): void {
    this.dismissed = new Set(this.entries.map(e => e.key));
    this.banner?.dispose();
    this.banner = null;
  }
}
