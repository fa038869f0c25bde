/**
 * Human-readable figures for labels: three significant digits and an SI prefix, so a CO2e per
 * inference of 0.000131 g reads "131 µg CO2e" rather than "1.31e-4 g CO2e".
 */
import { formatNumber } from '../format';
import { METRICS, MetricName } from './metrics';

interface Scale {
  /** The unit's base (J, g, Wh, s, B) and how many base units one given unit is. */
  base: string;
  factor: number;
  /** Text after the unit, e.g. " CO2e". */
  suffix: string;
  /** Prefixes allowed, largest first, with their powers of ten. */
  prefixes: ReadonlyArray<readonly [string, number]>;
}

const DOWN = [
  ['', 0],
  ['m', -3],
  ['µ', -6],
  ['n', -9]
] as const;
const UP_AND_DOWN = [['k', 3], ...DOWN] as const;
const BYTES = [
  ['T', 12],
  ['G', 9],
  ['M', 6],
  ['k', 3],
  ['', 0]
] as const;

const SCALES: Record<string, Scale> = {
  J: { base: 'J', factor: 1, suffix: '', prefixes: [['M', 6], ...UP_AND_DOWN] },
  'g CO2e': { base: 'g', factor: 1, suffix: ' CO2e', prefixes: [['t', 6], ...UP_AND_DOWN] },
  'kg CO2e': { base: 'g', factor: 1e3, suffix: ' CO2e', prefixes: [['t', 6], ...UP_AND_DOWN] },
  kWh: { base: 'Wh', factor: 1e3, suffix: '', prefixes: [['G', 9], ['M', 6], ...UP_AND_DOWN] },
  ms: { base: 's', factor: 1e-3, suffix: '', prefixes: DOWN },
  MB: { base: 'B', factor: 1e6, suffix: '', prefixes: BYTES },
  'B/g': { base: 'B', factor: 1, suffix: '/g', prefixes: BYTES }
};

/** A value in `unit` (one of the label's units) with the prefix that keeps it readable. */
export function formatQuantity(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  const scale = SCALES[unit];
  if (!scale) return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
  const base = value * scale.factor;
  const abs = Math.abs(base);
  // 't' for tonnes replaces the base unit instead of prefixing it.
  const fit =
    scale.prefixes.find(([, p]) => abs >= 10 ** p * 0.9995) ??
    scale.prefixes[scale.prefixes.length - 1];
  const [prefix, power] = base === 0 ? (['', 0] as const) : fit;
  const unitText = prefix === 't' ? 't' : prefix + scale.base;
  return `${formatNumber(base / 10 ** power)} ${unitText}${scale.suffix}`;
}

/** A metric's value as the label shows it (accuracy as a percentage). */
export function formatMetric(name: MetricName, value: number): string {
  if (name === 'accuracy' || name === 'performanceScore')
    return Number.isFinite(value) ? `${formatNumber(value * 100)} %` : 'n/a';
  return formatQuantity(value, METRICS[name]?.unit ?? '');
}
