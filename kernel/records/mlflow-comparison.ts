/**
 * A comparison as MLflow logs it, a tactics comparison (`gaissa.compare`, `%gaissa optimize`,
 * `gaissa compare`) or a training one (`gaissa.train.compare`): per-variant metrics
 * `gaissa.<prefix>.<variant>.<figure>` at step = the comparison's number among those of its kind
 * in the session, and the table as artifacts (the comparison's JSON, schema/tactics.schema.json,
 * and a CSV with one row per variant naming the key its metrics were logged under). The two kinds
 * differ only in their prefix, artifact names and figures (ComparisonFormat).
 */
import type { TacticsPayload, VariantFigures, VariantStanding } from '../../core/tactics';
import type {
  TrainingFigures,
  TrainingTacticsPayload,
  TrainingVariantFigures
} from '../training/compare-training';
import { csvLine } from './emissions-csv';
import type { KeyValue, MlflowMetric } from './mlflow-client';

/** What each comparison's rows have besides their figures. */
export interface ComparedVariant extends VariantStanding {
  deltas: { energyPct: number; qualityPoints: number | null } | null;
}

/** How one kind of comparison is logged. */
export interface ComparisonFormat<V extends ComparedVariant> {
  /** Metric keys `gaissa.<prefix>.<variant>.<figure>`, tags `gaissa.<prefix>.<n>.baseline`. */
  prefix: string;
  /** Artifacts `gaissa/<stem>.json` and `.csv`; later ones `<stem>-2.json`... */
  stem: string;
  /** What `%gaissa sinks` calls one (`comparison 2`). */
  noun: string;
  /** Each figure's metric name (units as the `gaissa.` metrics) and where a row has it. */
  figures: ReadonlyArray<readonly [string, (variant: V) => unknown]>;
}

/** A comparison ready to log: its kind's names, its rows' figures and its JSON artifact. */
export interface ComparisonTable {
  prefix: string;
  stem: string;
  noun: string;
  createdAt: string;
  baseline: string;
  recommended: string;
  /** The figures' metric names, in order. */
  figures: string[];
  /** Each row's standing, deltas and figure values (in `figures` order, as the payload has them). */
  variants: Array<{ standing: ComparedVariant; values: unknown[] }>;
  /** The comparison as its notebook output (and `gaissa compare --json`) holds it. */
  json: unknown;
}

/** Tactics comparisons: figures per inference. */
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

export const TACTICS_COMPARISON: ComparisonFormat<VariantFigures> = {
  prefix: 'compare',
  stem: 'COMPARISON',
  noun: 'comparison',
  figures: COMPARE_FIGURES.map(([field, figure]) => [figure, v => v[field]] as const)
};

/** A training comparison's row: the payload's variant and what its training did. */
export type TrainingRow = TrainingVariantFigures & { training?: TrainingFigures };

/**
 * Training comparisons: figures per training run (the mean over the repeats) and the final
 * accuracy and loss (on the test data, else the validation data, as the payload's accuracy).
 */
export const TRAINING_COMPARISON: ComparisonFormat<TrainingRow> = {
  prefix: 'train_compare',
  stem: 'TRAINING-COMPARISON',
  noun: 'training comparison',
  figures: [
    ['energy_J', v => v.energyJ],
    ['energy_sd_J', v => v.energyPerInferenceSdJ],
    ['co2e_g', v => v.co2ePerInferenceG],
    ['duration_s', v => v.durationS],
    ['accuracy', v => v.accuracy],
    ['loss', v => v.training?.loss],
    ['train_loss', v => v.training?.trainLoss],
    ['epochs', v => v.training?.epochs],
    ['energy_per_epoch_J', v => v.training?.energyPerEpochJ]
  ]
};

export function comparisonTable<V extends ComparedVariant>(
  format: ComparisonFormat<V>,
  comparison: { createdAt: string; baseline: string; recommended: string; variants: readonly V[] },
  json: unknown = comparison
): ComparisonTable {
  return {
    prefix: format.prefix,
    stem: format.stem,
    noun: format.noun,
    createdAt: comparison.createdAt,
    baseline: comparison.baseline,
    recommended: comparison.recommended,
    figures: format.figures.map(([figure]) => figure),
    variants: comparison.variants.map(v => ({
      standing: v,
      values: format.figures.map(([, value]) => value(v))
    })),
    json
  };
}

export const tacticsTable = (payload: TacticsPayload): ComparisonTable =>
  comparisonTable(TACTICS_COMPARISON, payload);

/** The JSON artifact is the payload (as the notebook shows it); the rows add the training's figures. */
export const trainingTable = (
  payload: TrainingTacticsPayload,
  training: Readonly<Record<string, TrainingFigures>>
): ComparisonTable =>
  comparisonTable(
    TRAINING_COMPARISON,
    {
      ...payload,
      variants: payload.variants.map(v =>
        Object.hasOwn(training, v.name) ? { ...v, training: training[v.name] } : v
      )
    },
    payload
  );

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

const keysOf = (table: ComparisonTable) => variantKeys(table.variants.map(v => v.standing.name));

/** Payloads are re-checked: only finite numbers become metrics. */
const finite = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

export function comparisonMetrics(table: ComparisonTable, step: number): MlflowMetric[] {
  const timestamp = Date.parse(table.createdAt) || Date.now();
  const keys = keysOf(table);
  return table.variants.flatMap(({ standing, values }) =>
    values.flatMap((value, i) =>
      finite(value)
        ? [
            {
              key: `gaissa.${table.prefix}.${keys.get(standing.name)}.${table.figures[i]}`,
              value,
              timestamp,
              step
            }
          ]
        : []
    )
  );
}

/** The comparison's baseline and recommendation, under its number. */
export function comparisonTags(table: ComparisonTable, n: number): KeyValue[] {
  const keys = keysOf(table);
  return [
    { key: `gaissa.${table.prefix}.${n}.baseline`, value: keys.get(table.baseline) ?? '' },
    { key: `gaissa.${table.prefix}.${n}.recommended`, value: keys.get(table.recommended) ?? '' }
  ].filter(t => t.value !== '');
}

/** The table: one row per variant, its figures and its deltas against the baseline. */
export function comparisonCsv(table: ComparisonTable): string {
  const keys = keysOf(table);
  const header = [
    'variant',
    'mlflow_key',
    'tactics',
    'baseline',
    'recommended',
    'pareto',
    'within_budget',
    'method',
    ...table.figures,
    'energy_delta_pct',
    'quality_delta_points'
  ];
  const rows = table.variants.map(({ standing: v, values }) =>
    csvLine([
      v.name,
      keys.get(v.name),
      v.tactics.join(' + '),
      v.baseline,
      v.recommended,
      v.pareto,
      v.withinBudget,
      v.method,
      ...values.map(value => (typeof value === 'number' ? value : null)),
      v.deltas?.energyPct ?? null,
      v.deltas?.qualityPoints ?? null
    ])
  );
  return csvLine(header) + rows.join('');
}
