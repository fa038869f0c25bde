/**
 * The default of every user setting, in one place: the extension starts from it
 * (extension/plugins/settings/gaissa-settings.ts), the kernel's settings store starts from its kernel form
 * (kernel/measure/settings.ts), the meter comm uses that form to tell a setting the user chose from
 * one JupyterLab sends only because it is the default (kernel/measure/meter-comm.ts), and the
 * Settings Editor's schema/settings/plugin.json carries the same defaults (JupyterLab reads that
 * JSON as is, so tests/unit/extension/plugins/settings/gaissa-settings.test.ts fails when the two differ).
 */

/** The settings as the Settings Editor shows them: '' and 0 stand for "not set". */
export interface FrontendSettings {
  /** Country code, name or Ember aggregate; '' for the world average. */
  region: string;
  pue: number;
  /** 0 means no price: the kernel then reports no cost. */
  pricePerKWh: number;
  /** ISO 4217 code, or '' for none. */
  currency: string;
  defaultRepeats: number;
  autoMeasure: boolean;
}

export const DEFAULT_SETTINGS: Readonly<FrontendSettings> = {
  region: '',
  pue: 1,
  pricePerKWh: 0,
  currency: '',
  defaultRepeats: 1,
  autoMeasure: false
};

/**
 * The defaults the kernel holds: the settings that always have a value. Region, price and
 * currency have none by default (unset: world average, no cost), so they are absent here, as
 * they are from what the extension sends when they are left at their default.
 */
export const DEFAULT_KERNEL_SETTINGS: Readonly<{
  pue: number;
  defaultRepeats: number;
  autoMeasure: boolean;
}> = {
  pue: DEFAULT_SETTINGS.pue,
  defaultRepeats: DEFAULT_SETTINGS.defaultRepeats,
  autoMeasure: DEFAULT_SETTINGS.autoMeasure
};
