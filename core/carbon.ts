/**
 * Carbon and cost of a measured energy: location-based grid intensity by country or region, the
 * data centre's PUE, and an electricity price.
 *
 *   CO2e [g] = E [kWh] x PUE x intensity [gCO2e/kWh]
 *   cost     = E [kWh] x PUE x price [currency/kWh]
 */
import { averageIntensity } from '@tgwf/co2/data';
import { COUNTRY_CODES } from './country-codes';
import { FieldError, requireNumber } from './field-error';
import { joulesToKWh } from './units';

/**
 * The data version of the default intensities: the @tgwf/co2 release whose table they are.
 * Pinned here so that every record names it; tests/unit/core/carbon-grid-data.test.ts fails when
 * the installed package is another version, whose figures may differ.
 */
export const GRID_INTENSITY_DATA_VERSION = '@tgwf/co2 0.19.0';

/**
 * Where the default intensities come from (named in every record that uses one). The package
 * takes each region's latest year of Ember's yearly data and does not state it; the WORLD figure
 * (472.94) is Ember's for 2024.
 */
export const GRID_INTENSITY_SOURCE = `Ember yearly average grid intensity (latest year per region; WORLD 2024), ${GRID_INTENSITY_DATA_VERSION} data (CC BY-SA 4.0)`;

/** Used when no region is configured: Ember's world average, with a note in the record. */
export const DEFAULT_REGION = 'WORLD';

/**
 * PUE presets. `local`: a laptop or desktop has no data-centre overhead. `enterprise`: the
 * industry-average annual PUE reported by the Uptime Institute Global Data Center Survey 2024
 * (1.56). `hyperscale`: Google's fleet-wide trailing-twelve-month PUE in its 2024 Environmental
 * Report (1.10).
 */
export const PUE_PRESETS: Readonly<Record<string, number>> = {
  local: 1.0,
  enterprise: 1.56,
  hyperscale: 1.1
};

export const DEFAULT_PUE = PUE_PRESETS.local;

export interface GridIntensity {
  /** The key in Ember's table: an ISO 3166-1 alpha-3 code or an aggregate such as "WORLD". */
  region: string;
  /** English name of the country or aggregate. */
  name: string;
  gPerKWh: number;
  source: string;
}

const intensityByRegion: Readonly<Record<string, number>> = averageIntensity.data;
const byAlpha2 = new Map(COUNTRY_CODES.map(([a2, a3, name]) => [a2, { a3, name }]));
const byAlpha3 = new Map(COUNTRY_CODES.map(([a2, a3, name]) => [a3, { a2, name }]));
const byName = new Map(COUNTRY_CODES.map(([, a3, name]) => [name.toUpperCase(), a3]));

/** Turn "fr", "FRA", "France", "world" or "EU" into the key of Ember's table, if it has one. */
export function normalizeRegion(region: string): string | undefined {
  const key = region.trim().toUpperCase().replace(/_/g, ' ');
  if (key in intensityByRegion) return key;
  const candidate = byAlpha2.get(key)?.a3 ?? byName.get(key);
  return candidate !== undefined && candidate in intensityByRegion ? candidate : undefined;
}

/** Ember's average intensity for a country code (alpha-2 or -3), country name or aggregate. */
export function gridIntensity(region: string): GridIntensity | undefined {
  const key = normalizeRegion(region);
  if (key === undefined) return undefined;
  return {
    region: key,
    name: regionName(key),
    gPerKWh: intensityByRegion[key],
    source: GRID_INTENSITY_SOURCE
  };
}

/** Every region Ember's table covers, for `%gaissa config` help and the settings UI. */
export function listRegions(): GridIntensity[] {
  return Object.keys(intensityByRegion)
    .sort()
    .map(key => gridIntensity(key) as GridIntensity);
}

function regionName(key: string): string {
  const country = byAlpha3.get(key);
  if (country) return country.name;
  return key.charAt(0) + key.slice(1).toLowerCase();
}

/** The two-letter code of a country key ("FRA" -> "FR"); undefined for aggregates. */
export function alpha2Of(region: string): string | undefined {
  return byAlpha3.get(region)?.a2;
}

/** What the user configured (magic options, environment, config file); every field optional. */
export interface CarbonSettingsInput {
  /** Country (alpha-2, alpha-3 or name) or Ember aggregate; default WORLD. */
  region?: string;
  /** Overrides the table's intensity, gCO2e/kWh (for a supplier's figure, a local grid...). */
  carbonIntensityGPerKWh?: number;
  /** A number >= 1 or a preset name from PUE_PRESETS. */
  pue?: number | string;
  /** Electricity price per kWh; without one, cost is null rather than a made-up figure. */
  pricePerKWh?: number;
  /** ISO 4217 code such as "EUR". */
  currency?: string;
}

/** Settings resolved to the figures a record uses, each with where it came from. */
export interface CarbonSettings {
  region: string;
  regionName: string;
  carbonIntensityGPerKWh: number;
  /** GRID_INTENSITY_SOURCE, or "user override". */
  carbonIntensitySource: string;
  pue: number;
  pricePerKWh: number | null;
  currency: string | null;
  /** Things the user should know, e.g. that the world average stood in for a missing region. */
  notes: string[];
}

/**
 * Resolve and validate settings. An unknown region with no intensity override is an error
 * (a silent fallback to another country's grid would be the kind of surprise we promise not to
 * make); a missing region falls back to the world average and says so.
 */
export function resolveCarbonSettings(input: CarbonSettingsInput = {}): CarbonSettings {
  const notes: string[] = [];
  const override =
    input.carbonIntensityGPerKWh === undefined
      ? undefined
      : requireNumber(input.carbonIntensityGPerKWh, 'carbonIntensityGPerKWh');
  let region: string;
  let name: string;
  let intensity: number;
  let source: string;
  if (input.region === undefined || input.region.trim() === '') {
    const world = gridIntensity(DEFAULT_REGION) as GridIntensity;
    region = world.region;
    name = world.name;
    intensity = world.gPerKWh;
    source = world.source;
    if (override === undefined) {
      notes.push('no region set: using the world average grid intensity');
    }
  } else {
    const found = gridIntensity(input.region);
    if (found === undefined && override === undefined) {
      throw new FieldError(
        'region',
        `unknown region ${JSON.stringify(input.region)}: use an ISO 3166-1 country code ` +
          '(FR, FRA), an aggregate such as WORLD or EU, or set carbonIntensityGPerKWh'
      );
    }
    region = found?.region ?? input.region.trim();
    name = found?.name ?? input.region.trim();
    intensity = found?.gPerKWh ?? 0;
    source = found?.source ?? '';
  }
  if (override !== undefined) {
    intensity = override;
    source = 'user override';
  }
  return {
    region,
    regionName: name,
    carbonIntensityGPerKWh: intensity,
    carbonIntensitySource: source,
    pue: resolvePue(input.pue),
    pricePerKWh:
      input.pricePerKWh === undefined ? null : requireNumber(input.pricePerKWh, 'pricePerKWh'),
    currency: resolveCurrency(input.currency),
    notes
  };
}

function resolvePue(pue: number | string | undefined): number {
  if (pue === undefined) return DEFAULT_PUE;
  if (typeof pue === 'string') {
    const preset = PUE_PRESETS[pue.trim().toLowerCase()];
    if (preset !== undefined) return preset;
    const parsed = Number(pue);
    if (pue.trim() === '' || !Number.isFinite(parsed)) {
      throw new FieldError(
        'pue',
        `must be a number >= 1 or one of ${Object.keys(PUE_PRESETS).join(', ')}, got ${JSON.stringify(pue)}`
      );
    }
    pue = parsed;
  }
  requireNumber(pue, 'pue');
  // PUE is total facility energy over IT energy, so it cannot be below 1.
  if (pue < 1) throw new FieldError('pue', `must be at least 1, got ${pue}`);
  return pue;
}

function resolveCurrency(currency: string | undefined): string | null {
  if (currency === undefined || currency.trim() === '') return null;
  const code = currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) {
    throw new FieldError(
      'currency',
      `must be a three-letter ISO 4217 code, got ${JSON.stringify(currency)}`
    );
  }
  return code;
}

/** Energy drawn from the grid: the IT energy measured times the facility overhead. */
export function facilityEnergyJ(energyJ: number, settings: Pick<CarbonSettings, 'pue'>): number {
  return energyJ * settings.pue;
}

/** Grams of CO2e for `energyJ` joules of IT energy: kWh x PUE x gCO2e/kWh. */
export function co2eGrams(
  energyJ: number,
  settings: Pick<CarbonSettings, 'pue' | 'carbonIntensityGPerKWh'>
): number {
  return joulesToKWh(energyJ) * settings.pue * settings.carbonIntensityGPerKWh;
}

/** Cost of `energyJ` joules of IT energy, or null when no price is configured. */
export function energyCost(
  energyJ: number,
  settings: Pick<CarbonSettings, 'pue' | 'pricePerKWh'>
): number | null {
  if (settings.pricePerKWh === null) return null;
  return joulesToKWh(energyJ) * settings.pue * settings.pricePerKWh;
}
