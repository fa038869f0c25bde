/**
 * A tactics comparison (`gaissa.compare`, `%gaissa optimize`, `gaissa compare`) as MLflow logs it:
 * per-variant metrics `gaissa.compare.<variant>.<figure>` at step = the comparison's number in the
 * session, and the table as artifacts (the comparison's JSON, schema/tactics.schema.json, and a
 * CSV with one row per variant naming the key its metrics were logged under).
 */
import type { TacticsPayload, VariantFigures } from '../../core/tactics';
import { csvLine } from './emissions-csv';
import type { KeyValue, MlflowMetric } from './mlflow-client';

/** Figures logged per variant: the field and its metric name, units as the `gaissa.` metrics. */
export const COMPARE_FIGURES: ReadonlyArray<[keyof VariantFigures, string]> = [
  ['energyPerInferenceJ', 'energy_per_inference_J'],
  ['co2ePerInferenceG', 'co2e_per_inference_g'],
  ['latencyMs', 'latency_ms'],
  ['latencyP95Ms', 'latency_p95_ms'],
  ['throughputPerS', 'throughput_per_s'],
  ['modelSizeMB', 'model_size_MB'],
  ['accuracy', 'accuracy'],
  ['agreement', 'agreement'],
  ['quality', 'quality']
];

/** MLflow takes keys up to 250 characters; the variant's part leaves room for the rest. */
const MAX_VARIANT_KEY = 200;

/**
 * A variant's name as one segment of a metric key: MLflow allows letters, digits and `_-. /:`
 * (no colon on Windows servers), and `.` and `/` would split the key, so anything but ASCII
 * letters, digits, `_` and `-` becomes `_`.
 */
export function variantKey(name: string): string {
  const key = name
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_VARIANT_KEY);
  return key === '' ? 'variant' : key;
}

/** Each variant's key, unique within the comparison (`int8`, `int8_2` for a second `int8`). */
export function variantKeys(names: readonly string[]): Map<string, string> {
  const keys = new Map<string, string>();
  const used = new Set<string>();
  for (const name of names) {
    const base = variantKey(name);
    let key = base;
    for (let i = 2; used.has(key); i++) key = `${base}_${i}`;
    used.add(key);
    keys.set(name, key);
  }
  return keys;
}

export function comparisonMetrics(payload: TacticsPayload, step: number): MlflowMetric[] {
  const timestamp = Date.parse(payload.createdAt) || Date.now();
  const keys = variantKeys(payload.variants.map(v => v.name));
  return payload.variants.flatMap(variant =>
    COMPARE_FIGURES.flatMap(([field, figure]) => {
      const value = variant[field];
      // Payloads are re-checked: only finite numbers become metrics.
      return typeof value === 'number' && Number.isFinite(value)
        ? [{ key: `gaissa.compare.${keys.get(variant.name)}.${figure}`, value, timestamp, step }]
        : [];
    })
  );
}

/** The comparison's baseline and recommendation, under its number. */
export function comparisonTags(payload: TacticsPayload, n: number): KeyValue[] {
  const keys = variantKeys(payload.variants.map(v => v.name));
  return [
    { key: `gaissa.compare.${n}.baseline`, value: keys.get(payload.baseline) ?? '' },
    { key: `gaissa.compare.${n}.recommended`, value: keys.get(payload.recommended) ?? '' }
  ].filter(t => t.value !== '');
}

const CSV_COLUMNS = [
  'variant',
  'mlflow_key',
  'tactics',
  'baseline',
  'recommended',
  'pareto',
  'within_budget',
  'method',
  ...COMPARE_FIGURES.map(([, figure]) => figure),
  'energy_delta_pct',
  'quality_delta_points'
];

/** The table: one row per variant, its figures and its deltas against the baseline. */
export function comparisonCsv(payload: TacticsPayload): string {
  const keys = variantKeys(payload.variants.map(v => v.name));
  const rows = payload.variants.map(v =>
    csvLine([
      v.name,
      keys.get(v.name),
      v.tactics.join(' + '),
      v.baseline,
      v.recommended,
      v.pareto,
      v.withinBudget,
      v.method,
      ...COMPARE_FIGURES.map(([field]) => {
        const value = v[field];
        return typeof value === 'number' ? value : null;
      }),
      v.deltas?.energyPct ?? null,
      v.deltas?.qualityPoints ?? null
    ])
  );
  return csvLine(CSV_COLUMNS) + rows.join('');
}
