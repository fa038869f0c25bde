/**
 * How the extension's measurement cards, badges and status item write durations, costs, shares
 * and meter names; energy, power, CO2e and plain numbers come from core/format.ts. Non-finite
 * input reads "n/a" (never NaN).
 */
import { formatDecimal, formatSI } from '../../../core/format';

function finite(value: number): boolean {
  return typeof value === 'number' && Number.isFinite(value);
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

export function formatCost(cost: number | null, currency: string | null): string {
  if (cost === null || !finite(cost)) return 'no price set';
  return currency ? `${formatDecimal(cost)} ${currency}` : formatDecimal(cost);
}

export function formatPercent(value: number): string {
  return finite(value) ? `${formatDecimal(value)} %` : 'n/a';
}

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
