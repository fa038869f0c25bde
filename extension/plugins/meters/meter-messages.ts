/**
 * Messages of the `gaissa.meter` comm (schema/meter-comm.schema.json). The frontend builds the
 * messages it sends; what the kernel sends is checked field by field before anything is shown.
 */
import type { KernelSettings } from '../settings/gaissa-settings';

export const METER_PROTOCOL = 1;

export type HelloMessage = { type: 'hello'; protocol: 1; settings: KernelSettings };
export type SettingsMessage = { type: 'settings'; settings: KernelSettings };
export type FrontendMessage = HelloMessage | SettingsMessage;

export interface PowerMessage {
  type: 'power';
  /** Epoch ms of the sample. */
  t: number;
  powerW: number;
  cpuW: number;
  gpuW: number;
  ramW: number;
  method: 'rapl' | 'nvml' | 'estimate';
  estimated: boolean;
  /** Share of powerW that hardware counters read, 0..1; absent from older kernels. */
  coverage?: number;
  /** Since the kernel's meter opened; IT energy (before PUE). */
  sessionEnergyJ: number;
  sessionCo2eG: number;
  sessionCost: number | null;
  currency: string | null;
}

export interface AppliedSettings {
  region: string;
  regionName: string;
  carbonIntensityGPerKWh: number;
  pue: number;
  pricePerKWh: number | null;
  currency: string | null;
  defaultRepeats: number;
  autoMeasure: boolean;
}

export type SettingsAppliedMessage = { type: 'settings-applied'; settings: AppliedSettings };
export type SettingsErrorMessage = { type: 'settings-error'; field: string; message: string };
export type UnavailableMessage = { type: 'unavailable'; reason: string };
export type KernelMessage =
  PowerMessage | SettingsAppliedMessage | SettingsErrorMessage | UnavailableMessage;

export function helloMessage(settings: KernelSettings): HelloMessage {
  return { type: 'hello', protocol: METER_PROTOCOL, settings };
}

export function settingsMessage(settings: KernelSettings): SettingsMessage {
  return { type: 'settings', settings };
}

type Fields = Record<string, unknown>;

function isObject(x: unknown): x is Fields {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function nonNegative(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0;
}

function text(x: unknown, max: number): x is string {
  return typeof x === 'string' && x.length <= max;
}

function currency(x: unknown): x is string | null {
  return x === null || (typeof x === 'string' && /^[A-Z]{3}$/.test(x));
}

/** Only the listed keys, so nothing unexpected travels further. */
function exactly(x: Fields, keys: readonly string[]): boolean {
  const own = Object.keys(x);
  return own.length === keys.length && keys.every(k => own.includes(k));
}

const POWER_KEYS = [
  'type',
  't',
  'powerW',
  'cpuW',
  'gpuW',
  'ramW',
  'method',
  'estimated',
  'sessionEnergyJ',
  'sessionCo2eG',
  'sessionCost',
  'currency'
] as const;

const APPLIED_KEYS = [
  'region',
  'regionName',
  'carbonIntensityGPerKWh',
  'pue',
  'pricePerKWh',
  'currency',
  'defaultRepeats',
  'autoMeasure'
] as const;

function parsePower(x: Fields): PowerMessage | null {
  const ok =
    (exactly(x, POWER_KEYS) ||
      (exactly(x, [...POWER_KEYS, 'coverage']) &&
        nonNegative(x.coverage) &&
        (x.coverage as number) <= 1)) &&
    ['t', 'powerW', 'cpuW', 'gpuW', 'ramW', 'sessionEnergyJ', 'sessionCo2eG'].every(k =>
      nonNegative(x[k])
    ) &&
    (x.method === 'rapl' || x.method === 'nvml' || x.method === 'estimate') &&
    typeof x.estimated === 'boolean' &&
    (x.sessionCost === null || nonNegative(x.sessionCost)) &&
    currency(x.currency);
  return ok ? (x as unknown as PowerMessage) : null;
}

function parseApplied(x: Fields): SettingsAppliedMessage | null {
  const s = x.settings;
  const ok =
    exactly(x, ['type', 'settings']) &&
    isObject(s) &&
    exactly(s, APPLIED_KEYS) &&
    text(s.region, 100) &&
    s.region.length > 0 &&
    text(s.regionName, 200) &&
    nonNegative(s.carbonIntensityGPerKWh) &&
    typeof s.pue === 'number' &&
    Number.isFinite(s.pue) &&
    s.pue >= 1 &&
    (s.pricePerKWh === null || nonNegative(s.pricePerKWh)) &&
    currency(s.currency) &&
    Number.isInteger(s.defaultRepeats) &&
    (s.defaultRepeats as number) >= 1 &&
    typeof s.autoMeasure === 'boolean';
  return ok ? (x as unknown as SettingsAppliedMessage) : null;
}

/** A message from the kernel if it matches the schema, else null (ignored). */
export function parseKernelMessage(data: unknown): KernelMessage | null {
  if (!isObject(data)) return null;
  switch (data.type) {
    case 'power':
      return parsePower(data);
    case 'settings-applied':
      return parseApplied(data);
    case 'settings-error':
      return exactly(data, ['type', 'field', 'message']) &&
        text(data.field, 100) &&
        text(data.message, 1000)
        ? (data as unknown as SettingsErrorMessage)
        : null;
    case 'unavailable':
      return exactly(data, ['type', 'reason']) && text(data.reason, 1000)
        ? (data as unknown as UnavailableMessage)
        : null;
    default:
      return null;
  }
}
