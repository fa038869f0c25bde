/**
 * The measurements-panel plugin: the command (also in the palette, and run by the status-bar
 * meter) that opens the right-side panel listing the current notebook's measurements; a row
 * selects its cell. The panel's code is fetched, and the panel built, on first use.
 */
import { ILabShell, type JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { lazyModule } from '../../shared/lazy-module';
import { CommandIDs, INotebookMeasurements } from '../../tokens';
import type { MeasurementRow, MeasurementsPanel } from './measurements-panel';

const loadPanel = lazyModule(() => import('./measurements-panel'));

export const measurementsPanelPlugin: JupyterFrontEndPlugin<void> = {
  id: 'gaissa-jupyterlab:measurements-panel',
  description: 'A side panel listing the current notebook’s energy measurements.',
  autoStart: true,
  requires: [INotebookTracker, INotebookMeasurements],
  optional: [ICommandPalette, ILabShell],
  activate: (
    app,
    tracker: INotebookTracker,
    measurements: INotebookMeasurements,
    palette: ICommandPalette | null,
    labShell: ILabShell | null
  ) => {
    let panel: MeasurementsPanel | null = null;

    function refresh(): void {
      const module = loadPanel.loaded;
      if (!panel || !panel.isVisible || !module) return;
      const current = tracker.currentWidget;
      const watcher = current ? measurements.find(current) : undefined;
      panel.setRows(current?.title.label ?? '', watcher ? module.collectRows(watcher.cells()) : []);
    }

    function goToCell(row: MeasurementRow): void {
      const current = tracker.currentWidget;
      if (!current) return;
      current.content.activeCellIndex = row.cellIndex;
      void current.content.scrollToItem(row.cellIndex, 'center');
      labShell?.activateById(current.id);
    }

    app.commands.addCommand(CommandIDs.showMeasurements, {
      label: 'Show GAISSA measurements',
      caption: 'List the energy measurements of the current notebook',
      execute: async () => {
        let module: Awaited<ReturnType<typeof loadPanel>>;
        try {
          module = await loadPanel();
        } catch (error) {
          // The chunk did not arrive (server restarted, network): say so; the next click retries.
          const reason = error instanceof Error ? error.message : String(error);
          Notification.error(`The GAISSA measurements panel could not be loaded (${reason}).`, {
            autoClose: 8000
          });
          return;
        }
        const { MeasurementsPanel } = module;
        if (!panel) {
          panel = new MeasurementsPanel(goToCell);
          panel.disposed.connect(() => (panel = null));
          app.shell.add(panel, 'right', { rank: 900 });
        }
        app.shell.activateById(panel.id);
        refresh();
      }
    });
    palette?.addItem({ command: CommandIDs.showMeasurements, category: 'GAISSA' });

    measurements.changed.connect(refresh);
    tracker.currentChanged.connect(refresh);
    labShell?.activeChanged.connect(refresh);
  }
};
