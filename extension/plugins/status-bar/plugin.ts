/**
 * The status-bar plugin: the live meter of the active notebook's GAISSA kernel, shown only while
 * that kernel is a GAISSA kernel; a click opens the measurements panel.
 */
import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IStatusBar } from '@jupyterlab/statusbar';
import { Signal } from '@lumino/signaling';
import { CommandIDs, IGaissaMeters } from '../../tokens';
import type { MeterConnection } from '../meters/meter-connection';
import { MeterStatus } from './meter-status';

export const statusBarPlugin: JupyterFrontEndPlugin<void> = {
  id: 'gaissa-jupyterlab:status-bar',
  description: 'The live power meter of the active notebook’s GAISSA kernel in the status bar.',
  autoStart: true,
  requires: [IGaissaMeters],
  // Optional: with JupyterLab's status bar disabled, this plugin simply shows nothing.
  optional: [IStatusBar],
  activate: (app, meters: IGaissaMeters, statusBar: IStatusBar | null) => {
    if (!statusBar) return;
    const status = new MeterStatus(() => void app.commands.execute(CommandIDs.showMeasurements));
    const activeStateChanged = new Signal<object, void>(status);
    let shown: MeterConnection | null = null;
    const showState = () => status.setMeterState(shown ? shown.state : null);
    const follow = (meter: MeterConnection | null) => {
      shown?.changed.disconnect(showState);
      shown = meter;
      shown?.changed.connect(showState);
      activeStateChanged.emit();
      showState();
    };
    meters.activeChanged.connect((_, meter) => follow(meter));
    follow(meters.active);
    statusBar.registerStatusItem('gaissa-jupyterlab:meter', {
      item: status,
      align: 'left',
      rank: 50,
      isActive: () => shown !== null,
      activeStateChanged
    });
  }
};
