/**
 * The kernel's measurement settings: region, grid intensity override, PUE, price, currency,
 * default repeats, auto-measure, and the team servers records also go to (MLflow, a Pushgateway). Layers, later wins: defaults, `gaissa.config.json` in the working
 * directory, GAISSA_* environment variables, the JupyterLab settings, `%gaissa config set`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CarbonSettings } from '../../core/carbon';
import { FieldError } from '../../core/field-error';
import { DEFAULT_KERNEL_SETTINGS } from '../../core/settings-defaults';
import { withoutCredentials } from '../records/server-url';
import type { TeamTargets } from '../records/team-record-sink';
import { lazyModule } from '../lazy-module';

/** Ember's intensity table (core/carbon) loads when a carbon setting is first resolved. */
const carbonModule = lazyModule(
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
  () => require('../../core/carbon') as typeof import('../../core/carbon')
);
const resolveCarbonSettings: typeof import('../../core/carbon').resolveCarbonSettings = input =>
  carbonModule().resolveCarbonSettings(input);

export interface KernelSettings {
  region?: string;
  carbonIntensityGPerKWh?: number;
  /** A number >= 1 or a preset name (core/carbon.ts PUE_PRESETS). */
  pue: number | string;
  pricePerKWh?: number;
  currency?: string;
  defaultRepeats: number;
  autoMeasure: boolean;
  /** MLflow's tracking server (http or https); MLflow's own MLFLOW_TRACKING_URI sets it. */
  mlflowTrackingUri?: string;
  /** The MLflow experiment; default: the notebook's path. */
  mlflowExperiment?: string;
  /** A Prometheus Pushgateway (http or https). */
  pushgatewayUrl?: string;
}

export type SettingKey = keyof KernelSettings;
export type SettingSource = 'default' | 'file' | 'env' | 'frontend' | 'session';

export const CONFIG_FILE = 'gaissa.config.json';

export const SETTING_KEYS: readonly SettingKey[] = [
  'region',
  'carbonIntensityGPerKWh',
  'pue',
  'pricePerKWh',
  'currency',
  'defaultRepeats',
  'autoMeasure',
  'mlflowTrackingUri',
  'mlflowExperiment',
  'pushgatewayUrl'
];

const DEFAULTS: KernelSettings = { ...DEFAULT_KERNEL_SETTINGS };

const ENV: Record<string, SettingKey> = {
  GAISSA_REGION: 'region',
  GAISSA_CARBON_INTENSITY: 'carbonIntensityGPerKWh',
  GAISSA_PUE: 'pue',
  GAISSA_PRICE_PER_KWH: 'pricePerKWh',
  GAISSA_CURRENCY: 'currency',
  GAISSA_REPEATS: 'defaultRepeats',
  GAISSA_AUTO_MEASURE: 'autoMeasure',
  MLFLOW_TRACKING_URI: 'mlflowTrackingUri',
  GAISSA_MLFLOW_EXPERIMENT: 'mlflowExperiment',
  GAISSA_PUSHGATEWAY_URL: 'pushgatewayUrl'
};

export const ENV_VARIABLES = Object.keys(ENV);

function parseNumber(key: SettingKey, raw: unknown): number {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new FieldError(key, `must be a number, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/**
 * A team server's address. Only http(s): MLflow's file and database URIs (`./mlruns`,
 * `databricks`) are for its Python client and are refused here by name.
 */
function httpUrl(key: SettingKey, raw: unknown): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // named below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new FieldError(
      key,
      `must be an http(s) URL, got ${JSON.stringify(typeof raw === 'string' ? withoutCredentials(raw) : raw)}`
    );
  return text;
}

/** The settings as shown to users (`%gaissa config`, gaissa.config.get()): no server password. */
export function shownSettings(settings: Readonly<KernelSettings>): KernelSettings {
  const { mlflowTrackingUri: mlflow, pushgatewayUrl: pushgateway } = settings;
  return {
    ...settings,
    ...(mlflow === undefined ? {} : { mlflowTrackingUri: withoutCredentials(mlflow) }),
    ...(pushgateway === undefined ? {} : { pushgatewayUrl: withoutCredentials(pushgateway) })
  };
}

/** Validates one setting; `undefined`/'' unset optional ones. Throws FieldError naming the key. */
export function parseSetting(key: string, raw: unknown): Partial<KernelSettings> {
  const empty = raw === undefined || raw === null || raw === '';
  switch (key) {
    case 'region':
    case 'currency':
      if (empty) return { [key]: undefined };
      if (typeof raw !== 'string') throw new FieldError(key, 'must be text');
      // resolveCarbonSettings names unknown regions and malformed currencies.
      resolveCarbonSettings({ [key]: raw });
      return { [key]: raw.trim() };
    case 'carbonIntensityGPerKWh':
    case 'pricePerKWh': {
      if (empty) return { [key]: undefined };
      const value = parseNumber(key, raw);
      if (value < 0 || (key === 'pricePerKWh' && value === 0)) {
        throw new FieldError(
          key,
          key === 'pricePerKWh' ? 'must be above 0 (unset it for no price)' : 'must be at least 0'
        );
      }
      return { [key]: value };
    }
    case 'pue': {
      if (empty) return { pue: DEFAULTS.pue };
      const value =
        typeof raw === 'string' && Number.isNaN(Number(raw)) ? raw.trim() : parseNumber(key, raw);
      resolveCarbonSettings({ pue: value });
      return { pue: value };
    }
    case 'defaultRepeats': {
      const value = empty ? DEFAULTS.defaultRepeats : parseNumber(key, raw);
      if (!Number.isInteger(value) || value < 1)
        throw new FieldError(key, 'must be a whole number >= 1');
      return { defaultRepeats: value };
    }
    case 'autoMeasure': {
      if (empty) return { autoMeasure: DEFAULTS.autoMeasure };
      if (typeof raw === 'boolean') return { autoMeasure: raw };
      const text = String(raw).trim().toLowerCase();
      if (['true', 'on', '1', 'yes'].includes(text)) return { autoMeasure: true };
      if (['false', 'off', '0', 'no'].includes(text)) return { autoMeasure: false };
      throw new FieldError(key, `must be on or off, got ${JSON.stringify(raw)}`);
    }
    case 'mlflowTrackingUri':
    case 'pushgatewayUrl':
      if (empty) return { [key]: undefined };
      return { [key]: httpUrl(key, raw) };
    case 'mlflowExperiment':
      if (empty) return { mlflowExperiment: undefined };
      if (typeof raw !== 'string') throw new FieldError(key, 'must be text');
      return { mlflowExperiment: raw.trim() };
    default:
      throw new FieldError(key, `unknown setting; settings: ${SETTING_KEYS.join(', ')}`);
  }
}

export class SettingsStore {
  private values: KernelSettings = { ...DEFAULTS };
  private readonly sources = new Map<SettingKey, SettingSource>();
  /** Problems met while loading the file or environment (shown by `%gaissa config`). */
  readonly warnings: string[] = [];

  constructor(dir: string, env: NodeJS.ProcessEnv = process.env) {
    const file = join(dir, CONFIG_FILE);
    if (existsSync(file)) {
      try {
        const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        if (data === null || typeof data !== 'object' || Array.isArray(data))
          throw new Error('not a JSON object');
        for (const [key, raw] of Object.entries(data)) this.tryLayer(key, raw, 'file', CONFIG_FILE);
      } catch (e) {
        this.warnings.push(`${CONFIG_FILE} ignored: ${(e as Error).message}`);
      }
    }
    for (const [name, key] of Object.entries(ENV)) {
      if (env[name] !== undefined) this.tryLayer(key, env[name], 'env', name);
    }
  }

  private tryLayer(key: string, raw: unknown, source: SettingSource, where: string): void {
    try {
      this.set(key, raw, source);
    } catch (e) {
      this.warnings.push(`${where}: ${(e as Error).message}`);
    }
  }

  get current(): Readonly<KernelSettings> {
    return this.values;
  }

  sourceOf(key: SettingKey): SettingSource {
    return this.sources.get(key) ?? 'default';
  }

  /** Sets one value after validation; throws FieldError (the old value stays). */
  set(key: string, raw: unknown, source: SettingSource = 'session'): void {
    const parsed = parseSetting(key, raw);
    this.values = { ...this.values, ...parsed };
    this.sources.set(key as SettingKey, source);
  }

  /** Sets several at once, all or nothing. */
  setAll(values: Record<string, unknown>, source: SettingSource): void {
    const next = { ...this.values };
    for (const [key, raw] of Object.entries(values)) Object.assign(next, parseSetting(key, raw));
    resolveCarbonSettings(carbonInput(next));
    this.values = next;
    for (const key of Object.keys(values)) this.sources.set(key as SettingKey, source);
  }

  /**
   * The team servers records go to. MLflow's credentials in the environment go only to a tracking
   * URI the user chose: a gaissa.config.json in the notebook's folder comes with the notebook, and
   * may be anyone's, so its address gets no token (its own user:password@ still goes).
   */
  teamTargets(): TeamTargets {
    const { mlflowTrackingUri, mlflowExperiment, pushgatewayUrl } = this.values;
    return {
      mlflowTrackingUri,
      mlflowExperiment,
      pushgatewayUrl,
      mlflowEnvCredentials: this.sourceOf('mlflowTrackingUri') !== 'file'
    };
  }

  /** The figures a measurement uses, with per-measurement overrides (--region, --pue). */
  carbon(overrides: { region?: string; pue?: number | string } = {}): CarbonSettings {
    return resolveCarbonSettings(carbonInput({ ...this.values, ...stripUndefined(overrides) }));
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function carbonInput(s: KernelSettings) {
  return {
    region: s.region,
    carbonIntensityGPerKWh: s.carbonIntensityGPerKWh,
    pue: s.pue,
    pricePerKWh: s.pricePerKWh,
    currency: s.currency
  };
}
