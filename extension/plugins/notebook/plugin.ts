/**
 * The notebook plugin: a widget extension of every notebook, run as the notebook widget is
 * created, before its file is read. Per notebook it starts fetching the renderers' code
 * (saved-output-prefetch.ts), draws the cells' energy badges and keeps their metadata
 * (notebook-measurements.ts), and records the labels and shows their banner (notebook-labels.ts).
 */
import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { Signal } from '@lumino/signaling';
import { INotebookMeasurements } from '../../tokens';
import { NotebookLabels } from './notebook-labels';
import { NotebookMeasurements } from './notebook-measurements';
import { RendererPrefetch } from './saved-output-prefetch';

/** The notebooks' measurements, filled by the widget extension below. */
class Measurements implements INotebookMeasurements {
  private readonly notebooks = new Map<NotebookPanel, NotebookMeasurements>();
  private readonly changedSignal = new Signal<this, NotebookPanel>(this);

  get changed(): Signal<this, NotebookPanel> {
    return this.changedSignal;
  }

  find(panel: NotebookPanel): NotebookMeasurements | undefined {
    return this.notebooks.get(panel);
  }

  watch(panel: NotebookPanel): void {
    const watcher = new NotebookMeasurements(panel);
    this.notebooks.set(panel, watcher);
    watcher.changed.connect(() => this.changedSignal.emit(panel));
    panel.disposed.connect(() => this.notebooks.delete(panel));
  }
}

export const notebookPlugin: JupyterFrontEndPlugin<INotebookMeasurements> = {
  id: 'gaissa-jupyterlab:notebook',
  description: 'Per notebook: energy badges, the energy-label banner, the renderers fetched early.',
  autoStart: true,
  provides: INotebookMeasurements,
  activate: app => {
    const measurements = new Measurements();
    const prefetch = new RendererPrefetch();
    app.docRegistry.addWidgetExtension('Notebook', {
      createNew: (panel: NotebookPanel) => {
        prefetch.watch(panel);
        measurements.watch(panel);
        // Disposes itself with the panel.
        new NotebookLabels(panel);
      }
    });
    return measurements;
  }
};
