/**
 * A compared variant's ONNX inference energy as predicted before it was measured (`gaissa.compare`
 * with `predict`), set against what the comparison then measured. Shared by the kernel, the static
 * views and the extension's table. A prediction is always marked `predicted`, never a measurement.
 */
import { finiteNumber, formatEnergy, formatNumber } from './format';
import { errorText, predictionErrorPercent } from './cell-prediction';
import { provenanceText } from './provenance';

export interface VariantPredicted {
  method: 'predicted';
  energyPerInferenceJ: number;
  /** The predicted interval of energy per inference. */
  low: number;
  high: number;
  /** Per call of `batch` inputs. */
  latencyMs: number;
  batch: number;
  threads: number;
  /** What the prediction rests on: the calibration's points, meter and interval. */
  basis: string;
  /** (predicted - measured) / measured x 100 of energy per inference. */
  energyErrorPercent: number | null;
  /** The same for latency per call. */
  latencyErrorPercent: number | null;
  /** The measured energy per inference lies within [low, high]. */
  inInterval: boolean;
}

/** The predictor could not reason about the variant (or was not allowed to calibrate): why. */
export interface VariantNoPrediction {
  noPrediction: string;
}

export type VariantPrediction = VariantPredicted | VariantNoPrediction;

/** The schema's bounds of an error percent: a wilder one is stored as null, not rejected. */
const ERROR_PERCENT_MIN = -100;
const ERROR_PERCENT_MAX = 1e9;

function storableError(percent: number | null): number | null {
  return percent !== null && percent >= ERROR_PERCENT_MIN && percent <= ERROR_PERCENT_MAX
    ? percent
    : null;
}

/**
 * The prediction's errors against the measured figures (null where one is not a number > 0, or
 * the error lies outside what the schema stores: one bad figure must not cost the comparison).
 */
export function checkedAgainst(
  predicted: Omit<VariantPredicted, 'energyErrorPercent' | 'latencyErrorPercent' | 'inInterval'>,
  measured: { energyPerInferenceJ: number; latencyMs: number }
): VariantPredicted {
  const m = measured.energyPerInferenceJ;
  return {
    ...predicted,
    energyErrorPercent: storableError(predictionErrorPercent(predicted.energyPerInferenceJ, m)),
    latencyErrorPercent: storableError(
      predictionErrorPercent(predicted.latencyMs, measured.latencyMs)
    ),
    inInterval: m >= predicted.low && m <= predicted.high
  };
}

/**
 * How a variant's energy was obtained, from its untrusted method and coverage, in the wording of
 * the provenance badges: "measured", "partly measured (NN % counter)" or "estimated" (anything
 * unknown).
 */
export function variantProvenanceText(method: unknown, coverage: unknown): string {
  const c =
    typeof coverage === 'number' && Number.isFinite(coverage) && coverage >= 0 && coverage <= 1
      ? coverage
      : method === 'measured'
        ? 1
        : 0;
  return method === 'measured' || method === 'partly-measured' ? provenanceText(c) : 'estimated';
}

/**
 * One line a person reads, from an untrusted payload: "predicted 120 µJ (80 µJ .. 190 µJ) /
 * measured 110 µJ, error +9 %, inside the interval", or "no prediction: why". The variant's figure
 * is named by its provenance (estimated where no counter read it); the error is recomputed from
 * the figures rather than taken from the payload; a payload string comes back as text, for the
 * caller to escape or put in a text node.
 */
export function variantPredictionLine(
  prediction: unknown,
  variant: { energyPerInferenceJ?: unknown; method?: unknown; coverage?: unknown }
): string {
  const p = (typeof prediction === 'object' && prediction !== null ? prediction : {}) as Record<
    string,
    unknown
  >;
  if ('noPrediction' in p)
    return `no prediction: ${typeof p.noPrediction === 'string' && p.noPrediction ? p.noPrediction : 'reason not given'}`;
  const e = finiteNumber(p.energyPerInferenceJ);
  const low = finiteNumber(p.low);
  const high = finiteNumber(p.high);
  if (p.method !== 'predicted' || e === null || e <= 0) return 'no prediction: not readable';
  const interval =
    low !== null && high !== null ? ` (${formatEnergy(low)} .. ${formatEnergy(high)})` : '';
  const m = finiteNumber(variant.energyPerInferenceJ);
  if (m === null || m <= 0) return `predicted ${formatEnergy(e)}${interval}`;
  const error = predictionErrorPercent(e, m);
  const inside =
    low === null || high === null
      ? ''
      : m >= low && m <= high
        ? ', inside the interval'
        : ', outside the interval';
  const provenance = variantProvenanceText(variant.method, variant.coverage);
  return `predicted ${formatEnergy(e)}${interval} / ${provenance} ${formatEnergy(m)}, error ${error === null ? 'n/a' : errorText(error)}${inside}`;
}

/** "predicted latency 2.3 ms per call of 32 (measured 2.1 ms)"; '' when not a prediction. */
export function variantPredictionLatency(prediction: unknown, measuredMs: unknown): string {
  const p = (typeof prediction === 'object' && prediction !== null ? prediction : {}) as Record<
    string,
    unknown
  >;
  const predicted = finiteNumber(p.latencyMs);
  if (p.method !== 'predicted' || predicted === null) return '';
  const m = finiteNumber(measuredMs);
  const batch = finiteNumber(p.batch);
  return (
    `predicted latency ${formatNumber(predicted)} ms per call${batch === null ? '' : ` of ${formatNumber(batch)}`}` +
    (m === null ? '' : ` (measured ${formatNumber(m)} ms)`)
  );
}

/**
 * gaissa.predict's basis (an object) in one line: "calibration of 30 points at 2 thread(s), 3 from
 * measurements; meter estimate, coverage 0 %; interval: 90 % of leave-one-out calibration errors".
 * A string basis (a comparison's) is returned as it is.
 */
export function predictionBasisText(basis: unknown): string {
  if (typeof basis === 'string') return basis;
  const b = (typeof basis === 'object' && basis !== null ? basis : {}) as Record<string, unknown>;
  const meter = (typeof b.meter === 'object' && b.meter !== null ? b.meter : {}) as Record<
    string,
    unknown
  >;
  const coverage = finiteNumber(meter.coverage);
  const parts = [
    `calibration of ${formatNumber(b.points)} points at ${formatNumber(b.threads)} thread(s), ${formatNumber(b.measuredPoints)} from measurements`,
    `meter ${typeof meter.method === 'string' ? meter.method : 'n/a'}${coverage === null ? '' : `, coverage ${Math.round(coverage * 100)} %`}`
  ];
  if (typeof b.interval === 'string') parts.push(`interval: ${b.interval}`);
  const subs = Array.isArray(b.substitutions)
    ? b.substitutions.filter((x): x is string => typeof x === 'string')
    : [];
  if (subs.length) parts.push(subs.join('; '));
  return parts.join('; ');
}
