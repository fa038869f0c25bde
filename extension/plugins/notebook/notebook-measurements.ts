/**
 * Watches one notebook: when a measurement output arrives in a cell, its summary goes to
 * `cell.metadata.gaissa`; every cell shows an energy badge drawn from that metadata; and the
 * measurements panel reads the notebook's measurements from here.
 */
import type { Cell, ICellModel, ICodeCellModel } from '@jupyterlab/cells';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { IOutputAreaModel } from '@jupyterlab/outputarea';
import { Signal, type ISignal } from '@lumino/signaling';
import type { PanelLayout } from '@lumino/widgets';
import { CellBadge } from './cell-badge';
import type { CellMeasurements } from '../measurements-panel/measurements-panel';
import {
  CELL_METADATA_KEY,
  cellMetadataOf,
  readCellMetadata,
  summarizeMeasurement
} from '../../outputs/measurement/summary';
import { MEASUREMENT_MIME } from '../../../core/mime-types';

function isCodeModel(model: ICellModel): model is ICodeCellModel {
  return model.type === 'code';
}

/** The measurement payloads among a cell's outputs. */
function measurementPayloads(model: ICellModel): unknown[] {
  if (!isCodeModel(model)) return [];
  const payloads: unknown[] = [];
  for (let i = 0; i < model.outputs.length; i++) {
    const data = model.outputs.get(i).data;
    if (Object.prototype.hasOwnProperty.call(data, MEASUREMENT_MIME)) {
      payloads.push(data[MEASUREMENT_MIME]);
    }
  }
  return payloads;
}

export class NotebookMeasurements {
  private readonly badges = new Map<Cell, CellBadge>();
  private readonly models = new Set<ICellModel>();
  private readonly contentChanged = new Signal<this, void>(this);
  private disposed = false;

  constructor(readonly panel: NotebookPanel) {
    void panel.context.ready.then(() => {
      if (this.disposed) return;
      panel.content.model?.cells.changed.connect(this.attachAll, this);
      this.attachAll();
    });
    panel.disposed.connect(this.dispose, this);
  }

  /** Emitted when a cell's measurements change (the panel refreshes). */
  get changed(): ISignal<this, void> {
    return this.contentChanged;
  }

  /** The notebook's measurements as found in outputs and metadata, in cell order. */
  cells(): CellMeasurements[] {
    const model = this.panel.content.model;
    if (!model) return [];
    const out: CellMeasurements[] = [];
    for (let i = 0; i < model.cells.length; i++) {
      const cell = model.cells.get(i);
      out.push({
        metadata: cell.getMetadata(CELL_METADATA_KEY),
        payloads: measurementPayloads(cell)
      });
    }
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const model of this.models) {
      model.metadataChanged.disconnect(this.onMetadata, this);
      if (isCodeModel(model)) model.outputs.changed.disconnect(this.onOutputs, this);
    }
    this.models.clear();
    for (const badge of this.badges.values()) badge.dispose();
    this.badges.clear();
    Signal.clearData(this);
  }

  private attachAll(): void {
    if (this.disposed) return;
    const live = new Set(this.panel.content.widgets);
    for (const [cell, badge] of this.badges) {
      if (!live.has(cell) || cell.isDisposed) {
        badge.dispose();
        this.badges.delete(cell);
      }
    }
    for (const cell of live) this.attach(cell);
    this.contentChanged.emit();
  }

  private attach(cell: Cell): void {
    const model = cell.model;
    if (!this.models.has(model)) {
      this.models.add(model);
      model.metadataChanged.connect(this.onMetadata, this);
      if (isCodeModel(model)) model.outputs.changed.connect(this.onOutputs, this);
    }
    if (this.badges.has(cell) || model.type !== 'code') return;
    const badge = new CellBadge();
    this.badges.set(cell, badge);
    badge.setSummary(
      readCellMetadata(model.getMetadata(CELL_METADATA_KEY))?.lastMeasurement ?? null
    );
    // Cells build their DOM lazily; the badge goes right under the input once it exists.
    void cell.ready.then(() => {
      if (badge.isDisposed || cell.isDisposed) return;
      const layout = cell.layout as PanelLayout;
      const inputWrapper = cell.inputArea?.parent;
      const at = inputWrapper ? layout.widgets.indexOf(inputWrapper) + 1 : layout.widgets.length;
      layout.insertWidget(at > 0 ? at : layout.widgets.length, badge);
    });
  }

  private onMetadata(model: ICellModel): void {
    const summary = readCellMetadata(model.getMetadata(CELL_METADATA_KEY))?.lastMeasurement ?? null;
    for (const [cell, badge] of this.badges) {
      if (cell.model === model) badge.setSummary(summary);
    }
    this.contentChanged.emit();
  }

  private onOutputs(outputs: IOutputAreaModel, args: IOutputAreaModel.ChangedArgs): void {
    if (args.type !== 'add' && args.type !== 'set') return;
    const model = [...this.models].find(m => isCodeModel(m) && m.outputs === outputs);
    if (!model) return;
    for (const output of args.newValues) {
      const data = output.data;
      if (!Object.prototype.hasOwnProperty.call(data, MEASUREMENT_MIME)) continue;
      const summary = summarizeMeasurement(data[MEASUREMENT_MIME]);
      if (!summary) continue;
      const current = readCellMetadata(model.getMetadata(CELL_METADATA_KEY));
      if (JSON.stringify(current?.lastMeasurement) !== JSON.stringify(summary)) {
        model.setMetadata(CELL_METADATA_KEY, cellMetadataOf(summary));
      }
    }
    this.contentChanged.emit();
  }
}
