/**
 * The user's GAISSA settings (schema/settings/plugin.json, shown in the Settings Editor) and the
 * form the kernel receives over the `gaissa.meter` comm (schema/meter-comm.schema.json). The
 * defaults are core/settings-defaults.ts, shared with the kernel.
 */
import { DEFAULT_SETTINGS, type FrontendSettings } from '../../../core/settings-defaults';

export type GaissaSettings = FrontendSettings;

/** What the kernel receives: the core's CarbonSettingsInput fields, unset ones left out. */
export interface KernelSettings {
  region?: string;
  pue: number;
  pricePerKWh?: number;
  currency?: string;
  defaultRepeats: number;
  autoMeasure: boolean;
}

/**
 * The registry's composite settings, each field checked again (the registry validates, but a
 * settings file edited by hand or an older schema can still hand us anything).
 */
export function readSettings(composite: unknown): GaissaSettings {
  const c = (typeof composite === 'object' && composite !== null ? composite : {}) as Record<
    string,
    unknown
  >;
  const num = (x: unknown, min: number, fallback: number) =>
    typeof x === 'number' && Number.isFinite(x) && x >= min ? x : fallback;
  return {
    region: typeof c.region === 'string' ? c.region.trim().slice(0, 100) : DEFAULT_SETTINGS.region,
    pue: num(c.pue, 1, DEFAULT_SETTINGS.pue),
    pricePerKWh: num(c.pricePerKWh, 0, DEFAULT_SETTINGS.pricePerKWh),
    currency:
      typeof c.currency === 'string' && /^[A-Z]{3}$/.test(c.currency.trim())
        ? c.currency.trim()
        : DEFAULT_SETTINGS.currency,
    defaultRepeats: Number.isInteger(c.defaultRepeats)
      ? Math.max(1, c.defaultRepeats as number)
      : DEFAULT_SETTINGS.defaultRepeats,
    autoMeasure: typeof c.autoMeasure === 'boolean' ? c.autoMeasure : DEFAULT_SETTINGS.autoMeasure
  };
}

export function kernelSettings(settings: GaissaSettings): KernelSettings {
  const out: KernelSettings = {
    pue: settings.pue,
    defaultRepeats: settings.defaultRepeats,
    autoMeasure: settings.autoMeasure
  };
  if (settings.region) out.region = settings.region;
  if (settings.pricePerKWh > 0) out.pricePerKWh = settings.pricePerKWh;
  if (settings.currency) out.currency = settings.currency;
  return out;
}
