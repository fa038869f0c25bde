/**
 * How the ROI widget writes its figures. Built on core/format's number format (the one the static
 * views use), so the widget and the kernel's text/html read alike. Anything that is not a finite
 * number reads "n/a": NaN never reaches the screen.
 */
import { finiteNumber, formatNumber } from '../../../core/format';
import type { RoiExpected } from '../../../core/roi';

export function formatMoney(x: unknown, currency: string | null): string {
  const v = formatNumber(x);
  return v === 'n/a' || !currency ? v : `${v} ${currency}`;
}

/** A fraction as a percentage ("12.5 %"); past a million percent, the fraction itself. */
export function formatPercent(x: unknown): string {
  const v = finiteNumber(x);
  if (v === null) return 'n/a';
  return Math.abs(v) < 1e4 ? `${(v * 100).toFixed(1)} %` : `${formatNumber(v)} (as a fraction)`;
}

export function formatDays(x: unknown): string {
  const v = finiteNumber(x);
  if (v === null) return 'n/a';
  const d = Math.ceil(v);
  const years = v / 365;
  return `${formatNumber(d)} day${d === 1 ? '' : 's'} (${years < 10 ? years.toFixed(2) : formatNumber(years)} years)`;
}

/** kg of CO2e in the unit that reads best: g below 1 kg, t from 1000 kg. */
export function formatCo2Kg(x: unknown): string {
  const v = finiteNumber(x);
  if (v === null) return 'n/a';
  const abs = Math.abs(v);
  if (abs !== 0 && abs < 1) return `${formatNumber(v * 1000)} g CO2e`;
  if (abs >= 1000) return `${formatNumber(v / 1000)} t CO2e`;
  return `${formatNumber(v)} kg CO2e`;
}

export function formatInferences(x: unknown): string {
  const v = formatNumber(x);
  return v === 'n/a' ? v : `${v} inferences`;
}

/** "Expected, not measured: <name>, up to 31.0 % less energy" and the source and caveat. */
export function expectedText(expected: RoiExpected): {
  claim: string;
  source: string;
  caveat: string;
} {
  const reduction = finiteNumber(expected.reduction);
  const q = expected.qualifier;
  const prefix = q === 'up to' || q === 'approximately' ? `${q} ` : '';
  const suffix = q === 'range' ? ' (from a reported range)' : '';
  const change =
    reduction === null
      ? ''
      : `: ${prefix}${(Math.abs(reduction) * 100).toFixed(1)} % ${reduction >= 0 ? 'less' : 'more'} energy${suffix}`;
  return {
    claim: `${expected.name}${change}`,
    source: expected.source,
    caveat: expected.caveat
  };
}
