/**
 * The meters plugin: one `gaissa.meter` comm per GAISSA kernel of an open notebook, opened once
 * the settings are loaded (so the kernel's first message carries the user's settings), every
 * settings change sent to every GAISSA kernel, not only to the one on screen, and the meter of
 * the active notebook's kernel for the status bar.
 */
import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import { KERNEL_NAME } from '../../../core/mime-types';
import { IGaissaMeters, IGaissaSettings } from '../../tokens';
import { kernelSettings } from '../settings/gaissa-settings';
import { MeterConnection } from './meter-connection';

class Meters implements IGaissaMeters {
  private readonly meters = new Map<Kernel.IKernelConnection, MeterConnection>();
  private shown: MeterConnection | null = null;
  private readonly activeChangedSignal = new Signal<this, MeterConnection | null>(this);

  constructor(
    private readonly tracker: INotebookTracker,
    private readonly settings: IGaissaSettings
  ) {
    settings.changed.connect((_, value) => {
      for (const meter of this.meters.values()) meter.updateSettings(kernelSettings(value));
    });
    tracker.widgetAdded.connect((_, panel) => {
      const onKernel = () =>
        void settings.loaded.then(() => {
          this.meterFor(panel.sessionContext.session?.kernel);
          if (tracker.currentWidget === panel) this.followActiveKernel();
        });
      panel.sessionContext.kernelChanged.connect(onKernel);
      onKernel();
    });
    tracker.currentChanged.connect(
      () => void settings.loaded.then(() => this.followActiveKernel())
    );
  }

  get active(): MeterConnection | null {
    return this.shown;
  }

  get activeChanged(): Signal<this, MeterConnection | null> {
    return this.activeChangedSignal;
  }

  /** The meter of a GAISSA kernel, its comm opened on first use; null for other kernels. */
  private meterFor(kernel: Kernel.IKernelConnection | null | undefined): MeterConnection | null {
    if (!kernel || kernel.name !== KERNEL_NAME) return null;
    let meter = this.meters.get(kernel);
    if (!meter || meter.isDisposed) {
      const created = new MeterConnection(kernel, kernelSettings(this.settings.current));
      created.settingsAnswered.connect((_, answer) => {
        if ('field' in answer) {
          Notification.warning(
            `GAISSA kernel refused the setting ${answer.field}: ${answer.message}`,
            { autoClose: 8000 }
          );
        }
      });
      kernel.disposed.connect(() => this.meters.delete(kernel));
      this.meters.set(kernel, created);
      meter = created;
    }
    return meter;
  }

  private followActiveKernel(): void {
    const meter = this.meterFor(this.tracker.currentWidget?.sessionContext.session?.kernel);
    if (meter === this.shown) return;
    this.shown = meter;
    this.activeChangedSignal.emit(meter);
  }
}

export const metersPlugin: JupyterFrontEndPlugin<IGaissaMeters> = {
  id: 'gaissa-jupyterlab:meters',
  description: 'Live power meters of GAISSA kernels; tells when a kernel refuses a setting.',
  autoStart: true,
  requires: [INotebookTracker, IGaissaSettings],
  provides: IGaissaMeters,
  activate: (_app, tracker: INotebookTracker, settings: IGaissaSettings) =>
    new Meters(tracker, settings)
};
