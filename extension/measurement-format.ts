/**
 * How the extension writes measured quantities: three significant digits with an SI prefix, so
 * 0.0123 J reads "12.3 mJ" and 45600 J reads "45.6 kJ". Non-finite input reads "n/a" (never NaN).
 */
import { formatSI } from '../core/units';

function finite(value: number): boolean {
  return typeof value === 'number' && Number.isFinite(value);
}

export function formatEnergy(joules: number): string {
  return finite(joules) ? formatSI(joules, 'J') : 'n/a';
}

export function formatPower(watts: number): string {
  return finite(watts) ? formatSI(watts, 'W') : 'n/a';
}

export function formatCo2e(grams: number): string {
  return finite(grams) ? `${formatSI(grams, 'g')} CO2e` : 'n/a';
}

/** Seconds below a minute with a prefix ("12.3 ms"); longer spans in minutes and hours. */
export function formatDuration(seconds: number): string {
  if (!finite(seconds)) return 'n/a';
  if (seconds < 60) return formatSI(seconds, 's');
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h} h ${min} min` : `${min} min ${s} s`;
}

/** Three significant digits; energy costs of one cell are often fractions of a cent. */
export function formatNumber(value: number): string {
  if (!finite(value)) return 'n/a';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs < 1e-6) return value.toExponential(2);
  return String(Number(value.toPrecision(3)));
}

export function formatCost(cost: number | null, currency: string | null): string {
  if (cost === null || !finite(cost)) return 'no price set';
  return currency ? `${formatNumber(cost)} ${currency}` : formatNumber(cost);
}

export function formatPercent(value: number): string {
  return finite(value) ? `${formatNumber(value)} %` : 'n/a';
}

/**
 * "measured", "partly measured (NN % counter)" or "estimated": how much of a figure a hardware
 * counter measured. Shown wherever a method is, so a mix never reads as plainly measured.
 */
export { provenanceText } from '../core/provenance';

/** CSS modifier for a coverage: measured, partly-measured or estimated. */
export { provenanceOf } from '../core/provenance';

const METHOD_NAMES: Record<string, string> = {
  rapl: 'RAPL counters',
  nvml: 'NVIDIA counters',
  estimate: 'estimator'
};

/** "RAPL counters", "NVIDIA counters", "estimator"; null or anything else reads "none". */
export function methodName(method: string | null): string {
  return method !== null && Object.prototype.hasOwnProperty.call(METHOD_NAMES, method)
    ? METHOD_NAMES[method]
    : 'none';
}
