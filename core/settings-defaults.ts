/**
 * The default of every user setting. They are written once, in the Settings Editor's schema
 * (schema/settings/plugin.json: JupyterLab's server reads that JSON file as it is, so it cannot
 * import them from here), and read from it here, each checked for its type by the compiler:
 * the extension starts from them (extension/plugins/settings/gaissa-settings.ts), the kernel's
 * settings store starts from their kernel form (kernel/measure/settings.ts), and the meter comm
 * uses that form to tell a setting the user chose from one JupyterLab sends only because it is
 * the default (kernel/measure/meter-comm.ts).
 */
import settingsSchema from '../schema/settings/plugin.json';

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

const fields = settingsSchema.properties;

export const DEFAULT_SETTINGS: Readonly<FrontendSettings> = {
  region: fields.region.default,
  pue: fields.pue.default,
  pricePerKWh: fields.pricePerKWh.default,
  currency: fields.currency.default,
  defaultRepeats: fields.defaultRepeats.default,
  autoMeasure: fields.autoMeasure.default
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
