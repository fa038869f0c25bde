/**
 * A cell's predicted energy as the measurement record carries it (`prediction`, written by
 * `%%gaissa measure --predict` before the cell runs): a tier with its joule boundaries, an
 * estimate, and what the estimate rests on, or why there is none. Shared by the kernel, the
 * static views and the extension's card. Always marked `predicted`, never a measurement.
 *
 * The boundaries: Low < 1 J <= Medium < 30 J <= High. On one busy CPU core (10 to 20 W) 1 J is
 * well under a tenth of a second, the interactive cell that costs nothing worth changing; 30 J
 * is a few seconds of a core or about a second of the whole CPU, past which a cell is worth a
 * look (a training epoch, a benchmark loop). The tiers are a factor of 30 apart, so a fair
 * estimate lands in the right one even when it is off by half.
 */
import { finiteNumber, formatEnergy } from './format';
import { coverageOfRecord, provenanceText } from './provenance';

export type CellTier = 'Low' | 'Medium' | 'High';

export interface TierBoundaries {
  /** Medium from this many joules (Low below). */
  mediumFromJ: number;
  /** High from this many joules. */
  highFromJ: number;
}

export const TIER_BOUNDARIES: Readonly<TierBoundaries> = { mediumFromJ: 1, highFromJ: 30 };

export interface CellPrediction {
  method: 'predicted';
  /** null: no prediction (see reason). */
  tier: CellTier | null;
  estimateJ: number | null;
  boundaries: TierBoundaries;
  /** What the estimate is made of (features, how many measured cells taught the costs). */
  basis: string;
  /** Why there is no prediction; null when there is one. */
  reason: string | null;
}

export function tierOf(joules: number, b: TierBoundaries = TIER_BOUNDARIES): CellTier {
  return joules < b.mediumFromJ ? 'Low' : joules < b.highFromJ ? 'Medium' : 'High';
}

/** The payload's boundaries when they are numbers in order, else the standard ones. */
function boundariesOf(p: Partial<CellPrediction>): TierBoundaries {
  const m = finiteNumber(p.boundaries?.mediumFromJ);
  const h = finiteNumber(p.boundaries?.highFromJ);
  return m !== null && h !== null && m <= h ? { mediumFromJ: m, highFromJ: h } : TIER_BOUNDARIES;
}

/** "Low < 1 J ≤ Medium < 30 J ≤ High"; "n/a" bounds for a payload with bad numbers. */
export function boundariesText(b: { mediumFromJ?: unknown; highFromJ?: unknown }): string {
  const j = (x: unknown) => {
    const v = finiteNumber(x);
    return v === null ? 'n/a' : formatEnergy(v);
  };
  return `Low < ${j(b.mediumFromJ)} ≤ Medium < ${j(b.highFromJ)} ≤ High`;
}

/** Signed error of the estimate relative to the measured figure, percent; null if undefined. */
export function predictionErrorPercent(estimateJ: unknown, measuredJ: unknown): number | null {
  const e = finiteNumber(estimateJ);
  const m = finiteNumber(measuredJ);
  if (e === null || m === null || m <= 0) return null;
  return ((e - m) / m) * 100;
}

/** "+18 %", "-42 %". */
export function errorText(percent: number): string {
  const rounded = Math.round(percent);
  return `${rounded > 0 ? '+' : ''}${rounded} %`;
}

/**
 * One line a person reads: "predicted 4.2 J (Medium) / measured 5.1 J, error -18 %", or
 * "no prediction: why". `record` (the measurement, untrusted) absent: before the cell ran. The
 * figure is named by its provenance ("estimated" where no counter read it: a prediction set
 * against an estimate is not checked against a measurement), and a run that did not complete
 * gets no error (its joules are those of part of the cell). Payload strings are returned as
 * text; callers escape or put them in text nodes.
 */
export function predictionLine(p: Partial<CellPrediction>, record?: unknown): string {
  const estimate = finiteNumber(p.estimateJ);
  if (estimate === null || (p.tier !== 'Low' && p.tier !== 'Medium' && p.tier !== 'High'))
    return `no prediction: ${typeof p.reason === 'string' && p.reason ? p.reason : 'reason not given'}`;
  const predicted = `predicted ${formatEnergy(estimate)} (${p.tier})`;
  if (record === undefined) return predicted;
  const r = (typeof record === 'object' && record !== null ? record : {}) as Record<
    string,
    unknown
  >;
  if (r.status !== 'ok') return `${predicted} (the run did not complete)`;
  const actual = finiteNumber(r.energyJ);
  const error = predictionErrorPercent(estimate, actual);
  const tier = actual === null ? null : tierOf(actual, boundariesOf(p));
  return (
    `${predicted} / ${provenanceText(coverageOfRecord(r))} ${actual === null ? 'n/a' : formatEnergy(actual)}` +
    `${tier ? ` (${tier})` : ''}, error ${error === null ? 'n/a' : errorText(error)}`
  );
}
