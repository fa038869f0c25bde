/**
 * The extension's plugin (package.json `jupyterlab.extension`; the card renderer is the separate
 * mime extension). Activation only wires signals: nothing heavy is loaded until it is needed.
 */
import {
  ILabShell,
  type JupyterFrontEnd,
  type JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import {
  INotebookTracker,
  INotebookWidgetFactory,
  type NotebookPanel,
  type NotebookWidgetFactory
} from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { Signal } from '@lumino/signaling';
import { DEFAULT_SETTINGS } from '../core/settings-defaults';
import {
  kernelSettings,
  readSettings,
  type GaissaSettings
} from './plugins/settings/gaissa-settings';
import { NotebookLabels } from './plugins/notebook/notebook-labels';
import {
  MeasurementsPanel,
  collectRows,
  type MeasurementRow
} from './plugins/measurements-panel/measurements-panel';
import { MeterConnection } from './plugins/meters/meter-connection';
import { NotebookMeasurements } from './plugins/notebook/notebook-measurements';
import { RendererPrefetch } from './plugins/notebook/saved-output-prefetch';
import { MeterStatus } from './plugins/status-bar/meter-status';
import { recordDuration, TIMING } from './shared/timing';

export const PLUGIN_ID = 'gaissa-jupyterlab:plugin';
/** The kernelspec name `gaissa install` writes. */
export const KERNEL_NAME = 'gaissa';
const COMMAND_SHOW_MEASUREMENTS = 'gaissa:show-measurements';

function activate(
  app: JupyterFrontEnd,
  tracker: INotebookTracker,
  settingRegistry: ISettingRegistry | null,
  statusBar: IStatusBar | null,
  palette: ICommandPalette | null,
  labShell: ILabShell | null,
  notebookFactory: NotebookWidgetFactory.IFactory | null
): void {
  let settings: GaissaSettings = { ...DEFAULT_SETTINGS };
  const meters = new Map<Kernel.IKernelConnection, MeterConnection>();
  const notebooks = new Map<NotebookPanel, NotebookMeasurements>();
  const activeChanged = new Signal<object, void>({});
  let panel: MeasurementsPanel | null = null;

  // --- settings: loaded without blocking start-up, pushed to every GAISSA kernel on change
  const settingsLoaded: Promise<void> = settingRegistry
    ? settingRegistry
        .load(PLUGIN_ID)
        .then(registry => {
          const apply = () => {
            settings = readSettings(registry.composite);
            for (const meter of meters.values()) meter.updateSettings(kernelSettings(settings));
          };
          apply();
          registry.changed.connect(apply);
        })
        .catch(reason =>
          console.warn('GAISSA: settings could not be loaded; using defaults', reason)
        )
    : Promise.resolve();

  // --- live meters: one comm per GAISSA kernel, opened when a notebook shows that kernel
  function meterFor(kernel: Kernel.IKernelConnection | null | undefined): MeterConnection | null {
    if (!kernel || kernel.name !== KERNEL_NAME) return null;
    let meter = meters.get(kernel);
    if (!meter || meter.isDisposed) {
      const created = new MeterConnection(kernel, kernelSettings(settings));
      created.settingsAnswered.connect((_, answer) => {
        if ('field' in answer) {
          Notification.warning(
            `GAISSA kernel refused the setting ${answer.field}: ${answer.message}`,
            {
              autoClose: 8000
            }
          );
        }
      });
      kernel.disposed.connect(() => meters.delete(kernel));
      meters.set(kernel, created);
      meter = created;
    }
    return meter;
  }

  // --- status bar: follows the active notebook's kernel
  const status = new MeterStatus(() => void app.commands.execute(COMMAND_SHOW_MEASUREMENTS));
  let shown: MeterConnection | null = null;
  function followActiveKernel(): void {
    const kernel = tracker.currentWidget?.sessionContext.session?.kernel;
    const meter = meterFor(kernel);
    if (meter !== shown) {
      shown?.changed.disconnect(showState);
      shown = meter;
      shown?.changed.connect(showState);
      activeChanged.emit();
    }
    status.setMeterState(meter ? meter.state : null);
  }
  function showState(): void {
    status.setMeterState(shown ? shown.state : null);
  }
  if (statusBar) {
    statusBar.registerStatusItem('gaissa-jupyterlab:meter', {
      item: status,
      align: 'left',
      rank: 50,
      isActive: () => shown !== null,
      activeStateChanged: activeChanged
    });
  }

  // --- renderers' code for a notebook being opened: the card's as the notebook opens, the others'
  // as its model shows their outputs (issue #4: the first card of a reopened notebook waited for
  // it). The factory's widgetCreated comes before the file is read; the tracker's widgetAdded only
  // after the workspace state is saved, often after the outputs are drawn: the fallback only.
  const rendererPrefetch = new RendererPrefetch();
  notebookFactory?.widgetCreated.connect((_, panel) => rendererPrefetch.watch(panel));

  // --- per notebook: badges, metadata, kernel changes
  tracker.widgetAdded.connect((_, notebookPanel) => {
    rendererPrefetch.watch(notebookPanel);
    const watcher = new NotebookMeasurements(notebookPanel);
    // Labels: recorded in metadata.gaissa.labels, banner at the top (disposes with the panel).
    new NotebookLabels(notebookPanel);
    notebooks.set(notebookPanel, watcher);
    watcher.changed.connect(refreshPanel);
    // Every GAISSA kernel gets the settings, not only the one on screen; the comm opens once the
    // settings are loaded, so the kernel's first message already carries the user's settings.
    const onKernel = () =>
      void settingsLoaded.then(() => {
        meterFor(notebookPanel.sessionContext.session?.kernel);
        if (tracker.currentWidget === notebookPanel) followActiveKernel();
      });
    notebookPanel.sessionContext.kernelChanged.connect(onKernel);
    onKernel();
    notebookPanel.disposed.connect(() => notebooks.delete(notebookPanel));
  });
  tracker.currentChanged.connect(() => {
    void settingsLoaded.then(followActiveKernel);
    refreshPanel();
  });

  // --- measurements panel: built on first use
  function refreshPanel(): void {
    if (!panel || !panel.isVisible) return;
    const current = tracker.currentWidget;
    const watcher = current ? notebooks.get(current) : undefined;
    panel.setRows(current?.title.label ?? '', watcher ? collectRows(watcher.cells()) : []);
  }
  function goToCell(row: MeasurementRow): void {
    const current = tracker.currentWidget;
    if (!current) return;
    current.content.activeCellIndex = row.cellIndex;
    void current.content.scrollToItem(row.cellIndex, 'center');
    labShell?.activateById(current.id);
  }
  app.commands.addCommand(COMMAND_SHOW_MEASUREMENTS, {
    label: 'Show GAISSA measurements',
    caption: 'List the energy measurements of the current notebook',
    execute: () => {
      if (!panel) {
        panel = new MeasurementsPanel(goToCell);
        panel.disposed.connect(() => (panel = null));
        app.shell.add(panel, 'right', { rank: 900 });
      }
      app.shell.activateById(panel.id);
      refreshPanel();
    }
  });
  palette?.addItem({ command: COMMAND_SHOW_MEASUREMENTS, category: 'GAISSA' });
  labShell?.activeChanged.connect(() => refreshPanel());
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'GAISSA settings, live power meter, energy badges and the measurements panel.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ISettingRegistry, IStatusBar, ICommandPalette, ILabShell, INotebookWidgetFactory],
  activate: (app, tracker, settingRegistry, statusBar, palette, labShell, notebookFactory) => {
    const start = performance.now();
    activate(app, tracker, settingRegistry, statusBar, palette, labShell, notebookFactory);
    recordDuration(TIMING.activate, start);
  }
};

export default [plugin];
