/**
 * The settings plugin: the user's GAISSA settings from the Settings Editor, read without holding
 * up start-up and re-read on every change. Its id is the one schema/settings/plugin.json is
 * bound to.
 */
import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { Signal } from '@lumino/signaling';
import { DEFAULT_SETTINGS } from '../../../core/settings-defaults';
import { IGaissaSettings } from '../../tokens';
import { readSettings, type GaissaSettings } from './gaissa-settings';

export const SETTINGS_PLUGIN_ID = 'gaissa-jupyterlab:plugin';

class Settings implements IGaissaSettings {
  private value: Readonly<GaissaSettings> = { ...DEFAULT_SETTINGS };
  private readonly changedSignal = new Signal<this, Readonly<GaissaSettings>>(this);
  readonly loaded: Promise<void>;

  constructor(registry: ISettingRegistry | null) {
    this.loaded = registry
      ? registry
          .load(SETTINGS_PLUGIN_ID)
          .then(settings => {
            const apply = () => {
              this.value = readSettings(settings.composite);
              this.changedSignal.emit(this.value);
            };
            apply();
            settings.changed.connect(apply);
          })
          .catch(reason =>
            console.warn('GAISSA: settings could not be loaded; using defaults', reason)
          )
      : Promise.resolve();
  }

  get current(): Readonly<GaissaSettings> {
    return this.value;
  }

  get changed(): Signal<this, Readonly<GaissaSettings>> {
    return this.changedSignal;
  }
}

export const settingsPlugin: JupyterFrontEndPlugin<IGaissaSettings> = {
  id: SETTINGS_PLUGIN_ID,
  description: 'The GAISSA settings of the Settings Editor (region, PUE, price, repeats).',
  autoStart: true,
  optional: [ISettingRegistry],
  provides: IGaissaSettings,
  activate: (_app, registry: ISettingRegistry | null) => new Settings(registry)
};
