/**
 * `gaissa.train.compare(baseline, variants)`: the baseline training and its tactic variants
 * (early stopping, freezing, both...) run on the same data, from the same initial weights and with
 * the same seed, each measured, after a warm-up that counts in no figure (so the first run does not
 * alone pay the runtime's start-up) and `repeat` times in alternating order (so drift of a shared machine
 * favours no variant); the result reports energy (mean and spread), time and accuracy with deltas
 * against the baseline, and recommends a variant only when its saving exceeds the run-to-run noise,
 * as a tactics comparison
 * (`application/vnd.gaissa.tactics.v1+json`, phase "training", one training run as the
 * functional unit), so `gaissa.roi.from` and `gaissa.label` take it like an ONNX comparison.
 */
import { combinedCoverage, provenanceMark, provenanceOf } from '../../core/provenance';
import type { LayersModel } from '@tensorflow/tfjs';
import { FieldError, describe, isPlainObject } from '../../core/field-error';
import { escapeMarkup, plainText, formatEnergy } from '../../core/format';
import { mean, sampleStandardDeviation } from '../../core/statistics';
import { joulesToKWh, gramsToKilograms } from '../../core/units';
import {
  energiesDistinguishable,
  paretoFront,
  percentChange,
  recommendIndex,
  withinBudget,
  type VariantStanding
} from '../../core/tactics';
import type { Displayable, MimeBundle } from '../display';
import { fitWithEnergy, type TrainingData as TensorData } from './fit';
import { recompile, unfreezeLayers } from './layer-freezing';
import type { LayerSelection } from './layer-selection';
import type { TrainableModel } from './tfjs-shapes';
import type { TrainingData } from './training-data';
import type { LiveDisplay } from './training-view';
import type { FreezeOptions, TrainingOptions } from './training-options';
import type { TrainingRun } from './training-run';
import { formatDuration, formatMetric } from './training-view';
import { WeightsSnapshot } from './weights-snapshot';
import { TACTICS_MIME } from '../../core/mime-types';

/**
 * A model, or a function making one. The public signatures take the structural TrainableModel
 * (tfjs-shapes.ts says why) and hand the caller's own model type back in `models`.
 */
export type ModelSource<M extends TrainableModel = TrainableModel> = M | (() => M | Promise<M>);

export interface BaselineSpec<M extends TrainableModel = TrainableModel> extends TrainingOptions {
  /**
   * A function making the model (called once per run; give its initializers seeds so every run
   * starts from the same weights), or a model, whose current weights every run then starts from.
   */
  model: ModelSource<M>;
  data: TrainingData;
}

/** A variant: a name and the options that differ from the baseline's. */
export interface VariantSpec extends Partial<TrainingOptions> {
  name: string;
}

export interface CompareOptions {
  /** Largest accuracy drop accepted for the recommendation, as a fraction; default 0.01 (1 point). */
  maxAccuracyDrop?: number;
  /**
   * Measured runs of each variant (default 1), in alternating order. A recommendation needs at
   * least 2: with one run the run-to-run noise is unknown and no saving can be told from it.
   */
  repeat?: number;
  /**
   * Epochs of the baseline trained first and thrown away (in no figure, not logged), so the first
   * measured run does not alone pay the runtime's start-up (default 1).
   */
  warmup?: number;
  /** Live progress display (default true inside a kernel). */
  display?: boolean;
}

/** Deltas against the baseline, as schema/tactics.schema.json has them. */
export interface TrainingVariantDeltas {
  /** (variant - baseline) / baseline x 100; negative is a saving. */
  energyPct: number;
  /** Inference-only figures: null for a training. */
  latencyPct: null;
  throughputPct: null;
  sizePct: null;
  gzipSizePct: null;
  /** (variant - baseline) x 100, percentage points of accuracy. */
  qualityPoints: number | null;
}

/** One variant in the payload (schema/tactics.schema.json, phase "training"). */
export interface TrainingVariantFigures extends VariantStanding {
  /** What the variant does differently, e.g. "early-stopping(val_acc, patience 3)". */
  tactics: string[];
  /** Energy of one training run (J), the mean over the repeats: the schema's training figure. */
  energyJ: number;
  /**
   * The same figure under the name the ROI and label features read (kernel/api/tactics-comparison.ts):
   * energy per functional unit, and the functional unit here is one training run.
   */
  energyPerInferenceJ: number;
  /** Sample standard deviation of the runs' energies; null with one run. */
  energyPerInferenceSdJ: number | null;
  /** CO2e of one training run, g. */
  co2ePerInferenceG: number;
  /** Training time of the run, s (mean over the repeats). */
  durationS: number;
  /** Test accuracy (or the last validation accuracy without test data), 0..1. */
  quality: number;
  accuracy?: number;
  deltas: TrainingVariantDeltas | null;
  notes: string[];
  leftAsIs: string[];
}

/** What a training variant did, beyond the payload's figures. */
export interface TrainingFigures {
  epochs: number;
  plannedEpochs: number;
  durationS: number;
  /** (variant - baseline) / baseline x 100 of the training time. */
  durationPct: number | null;
  energyPerEpochJ: number;
  stoppedAtEpoch: number | null;
  stopReason: 'patience' | 'energy' | null;
  bestEpoch: number | null;
  restoredBestWeights: boolean;
  frozenLayers: string[];
  /** Parameters trained in the last epoch. */
  trainableParams: number;
  /** Final loss on the data the accuracy is on (test, else validation); null without it. */
  loss: number | null;
  /** Final training loss (of the epoch whose weights the model holds). */
  trainLoss: number | null;
  /** The forecast of the planned run made after the first epoch(s), and its error on the epochs run. */
  forecastEnergyJ: number | null;
  forecastErrorPercent: number | null;
}

export interface TrainingTacticsPayload {
  schemaVersion: 1;
  phase: 'training';
  functionalUnit: 'training run';
  metric: 'accuracy';
  maxAccuracyDrop: number;
  baseline: string;
  recommended: string;
  recommendation: string;
  variants: TrainingVariantFigures[];
  setup: {
    samples: number;
    repeat: number;
    warmup: number;
    minWindowS: number;
    runtime: string;
    meterMethod: 'rapl' | 'nvml' | 'estimate';
    fallbackReasons: string[];
    host: string;
    region: string;
    carbonIntensityGPerKWh: number;
    durationS: number;
  };
  notes: string[];
  createdAt: string;
}

function describeTactics(options: Partial<TrainingOptions>): string[] {
  const tactics: string[] = [];
  const es = options.earlyStopping;
  if (es) {
    const o = es === true ? {} : es;
    const parts = [o.monitor ?? 'val_loss', `patience ${o.patience ?? 3}`];
    if (o.minDelta) parts.push(`min-delta ${o.minDelta}`);
    if (o.minGainPerKJ !== undefined) parts.push(`min gain ${o.minGainPerKJ}/kJ`);
    tactics.push(`early-stopping(${parts.join(', ')})`);
  }
  const f = options.freeze;
  if (f !== undefined) {
    const spec: FreezeOptions =
      isPlainObject(f) && !Array.isArray(f)
        ? (f as FreezeOptions)
        : { layers: f as LayerSelection };
    const layers = Array.isArray(spec.layers) ? spec.layers.join('+') : String(spec.layers);
    const from = spec.fromEpoch && spec.fromEpoch > 1 ? ` from epoch ${spec.fromEpoch}` : '';
    const until = spec.untilEpoch ? ` until epoch ${spec.untilEpoch}` : '';
    tactics.push(`freeze(${layers}${from}${until})`);
  }
  return tactics;
}

function qualityOf(run: TrainingRun): { value: number; on: 'test' | 'validation' } | null {
  if (run.testAccuracy !== null) return { value: run.testAccuracy, on: 'test' };
  const m = run.data.finalMetrics;
  const val = m.val_acc ?? m.val_accuracy;
  return val === undefined ? null : { value: val, on: 'validation' };
}

/** The loss beside qualityOf's accuracy: on the test data, else the last validation loss. */
function lossOf(run: TrainingRun): number | null {
  if (run.testAccuracy !== null) return run.data.test?.loss ?? null;
  return run.data.finalMetrics.val_loss ?? null;
}

/** The comparison: the payload plus every run, displayable. */
export class TrainingComparison<M extends TrainableModel = TrainableModel> implements Displayable {
  readonly phase = 'training';
  readonly functionalUnit = 'training run';

  constructor(
    readonly payload: TrainingTacticsPayload,
    /** Per variant: epochs run, why it stopped, what was frozen, time delta, forecast. */
    readonly training: Record<string, TrainingFigures>,
    /** The last run of each variant (per-epoch records, measurement records). */
    readonly runs: Record<string, TrainingRun>,
    /** The trained model of each variant (one shared model when a model, not a factory, was given). */
    readonly models: Record<string, M>,
    /** Every measured run of each variant, in the order they ran. */
    readonly allRuns: Record<string, TrainingRun[]> = Object.fromEntries(
      Object.entries(runs).map(([name, run]) => [name, [run]])
    )
  ) {}

  /** What gaissa.roi.from and gaissa.label read (kernel/api/tactics-comparison.ts). */
  get variants(): TrainingVariantFigures[] {
    return this.payload.variants;
  }

  get baseline(): string {
    return this.payload.baseline;
  }

  get recommended(): string {
    return this.payload.recommended;
  }

  /**
   * A training-phase label request for one variant (default: the recommended one), rated against
   * the baseline: `gaissa.label(comparison.labelRequest())`.
   */
  labelRequest(variant?: string): {
    phase: 'training';
    metrics: Record<string, number>;
    reference: Record<string, number>;
    population: { baseline: string };
    model: { name: string };
    method: 'measured' | 'estimated';
  } {
    const name = variant ?? this.payload.recommended;
    const chosen = this.payload.variants.find(v => v.name === name);
    if (!chosen) {
      const known = this.payload.variants.map(v => v.name).join(', ');
      throw new FieldError('variant', `no variant named ${describe(name)} (variants: ${known})`);
    }
    const base = this.payload.variants.find(v => v.baseline)!;
    const metricsOf = (v: TrainingVariantFigures) => ({
      trainingEnergyKWh: joulesToKWh(v.energyPerInferenceJ),
      trainingCo2eKg: gramsToKilograms(v.co2ePerInferenceG),
      ...(v.accuracy !== undefined ? { accuracy: v.accuracy } : {})
    });
    return {
      phase: 'training',
      metrics: metricsOf(chosen),
      reference: metricsOf(base),
      population: { baseline: `run ${base.name} of this comparison` },
      model: { name: chosen.name },
      // A label request claims no more than the variant shows: a mix is not "measured".
      method: chosen.method === 'measured' ? 'measured' : 'estimated'
    };
  }

  toJSON(): TrainingTacticsPayload {
    return this.payload;
  }

  toMimeBundle(): MimeBundle {
    return {
      [TACTICS_MIME]: this.payload,
      'text/html': comparisonHtml(this.payload, this.training),
      'text/plain': comparisonText(this.payload, this.training)
    };
  }
}

function signedPct(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '';
  return `${v > 0 ? '+' : ''}${Math.abs(v) < 10 ? v.toFixed(1) : Math.round(v)} %`;
}

function pointsText(v: number | null): string {
  return v === null ? '' : `${v > 0 ? '+' : ''}${v.toFixed(2)} pts`;
}

function comparisonRows(
  p: TrainingTacticsPayload,
  training: Record<string, TrainingFigures>
): string[][] {
  return p.variants.map(v => [
    v.name,
    v.tactics.join(' + ') || 'none',
    `${training[v.name]?.epochs ?? '?'}/${training[v.name]?.plannedEpochs ?? '?'}`,
    formatEnergy(v.energyJ) +
      (v.energyPerInferenceSdJ !== null ? ` ± ${formatEnergy(v.energyPerInferenceSdJ)}` : '') +
      provenanceMark(v.method, v.coverage),
    signedPct(v.deltas?.energyPct ?? null),
    formatDuration(v.durationS),
    signedPct(training[v.name]?.durationPct ?? null),
    formatMetric('acc', v.quality),
    pointsText(v.deltas?.qualityPoints ?? null),
    [
      v.baseline ? 'baseline' : '',
      v.recommended ? 'recommended' : '',
      v.withinBudget ? '' : 'over budget'
    ]
      .filter(Boolean)
      .join(', ')
  ]);
}

const HEADER = [
  'variant',
  'tactics',
  'epochs',
  'energy',
  'Δ energy',
  'time',
  'Δ time',
  'accuracy',
  'Δ',
  ''
];

export function comparisonText(
  p: TrainingTacticsPayload,
  training: Record<string, TrainingFigures>
): string {
  const rows = [HEADER, ...comparisonRows(p, training)].map(r => r.map(c => plainText(c)));
  const widths = HEADER.map((_, i) => Math.max(...rows.map(r => r[i].length)));
  const table = rows.map(r =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  );
  return [
    `Training tactics: ${p.variants.length} variants, ${plainText(p.setup.runtime)}, budget ${(p.maxAccuracyDrop * 100).toFixed(2)} points`,
    `Recommended: ${plainText(p.recommended)}. ${plainText(p.recommendation)}`,
    '',
    ...table,
    ...p.notes.map(n => `note: ${plainText(n)}`),
    ...p.variants.flatMap(v => v.notes.map(n => `${plainText(v.name)}: ${plainText(n)}`))
  ].join('\n');
}

export function comparisonHtml(
  p: TrainingTacticsPayload,
  training: Record<string, TrainingFigures>
): string {
  const head = HEADER.map(h => `<th>${escapeMarkup(h)}</th>`).join('');
  const notes = [...p.notes, ...p.variants.flatMap(v => v.notes.map(n => `${v.name}: ${n}`))];
  const body = comparisonRows(p, training)
    .map(r => `<tr>${r.map(c => `<td>${escapeMarkup(c)}</td>`).join('')}</tr>`)
    .join('');
  return (
    `<div class="gaissa-training-comparison"><p><strong>${escapeMarkup(
      `Training tactics: ${p.variants.length} variants, ${p.setup.runtime}`
    )}</strong><br>${escapeMarkup(`Recommended: ${p.recommended}. ${p.recommendation}`)}</p>` +
    `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>` +
    (notes.length ? `<ul>${notes.map(n => `<li>${escapeMarkup(n)}</li>`).join('')}</ul>` : '') +
    '</div>'
  );
}

/** The caller's model as what it is at run time (fit checks it before training). */
const tfjsModel = (model: TrainableModel) => model as LayersModel;

/** Sets a shared model back to where the comparison started: weights, trainable flags, optimizer. */
async function resetModel(model: LayersModel, start: WeightsSnapshot): Promise<void> {
  await unfreezeLayers(model);
  start.restore();
  // A new optimizer of the same kind and settings, without the last run's state.
  await recompile(model, { freshOptimizer: true });
}

function checkVariants(variants: unknown): VariantSpec[] {
  if (!Array.isArray(variants) || variants.length === 0) {
    throw new FieldError('variants', 'must be a non-empty array of { name, ...options }');
  }
  const names = new Set<string>();
  variants.forEach((v, i) => {
    if (!isPlainObject(v) || typeof v.name !== 'string' || v.name === '') {
      throw new FieldError(`variants[${i}].name`, 'must be a non-empty string');
    }
    if (names.has(v.name)) throw new FieldError(`variants[${i}].name`, `'${v.name}' appears twice`);
    for (const key of ['model', 'data']) {
      if (key in v) {
        throw new FieldError(`variants[${i}].${key}`, 'comes from the baseline: variants share it');
      }
    }
    names.add(v.name);
  });
  return variants as VariantSpec[];
}

export async function compareTraining<M extends TrainableModel>(
  baseline: BaselineSpec<M>,
  variantsIn: VariantSpec[],
  options: CompareOptions = {},
  openLive: () => LiveDisplay | null = () => null
): Promise<TrainingComparison<M>> {
  if (!isPlainObject(baseline)) {
    throw new FieldError('baseline', 'must be { model, data, epochs, ... }');
  }
  const { model: source, data, ...baseOptions } = baseline;
  const variants = checkVariants(variantsIn);
  const baseName = baseOptions.name ?? 'baseline';
  if (variants.some(v => v.name === baseName)) {
    throw new FieldError('variants', `'${baseName}' is the baseline's name`);
  }
  const maxDrop = options.maxAccuracyDrop ?? 0.01;
  if (!(maxDrop >= 0 && maxDrop < 1)) {
    throw new FieldError(
      'maxAccuracyDrop',
      `must be a fraction in [0, 1), got ${describe(maxDrop)}`
    );
  }
  const repeat = options.repeat ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 100) {
    throw new FieldError('repeat', `must be a whole number from 1 to 100, got ${describe(repeat)}`);
  }
  const warmup = options.warmup ?? 1;
  if (!Number.isInteger(warmup) || warmup < 0 || warmup > 100) {
    throw new FieldError('warmup', `must be a whole number from 0 to 100, got ${describe(warmup)}`);
  }
  const isFactory = typeof source === 'function';
  if (!isFactory && (!source || typeof (source as M).fit !== 'function')) {
    throw new FieldError('baseline.model', 'must be a tfjs model or a function returning one');
  }
  const shared = isFactory ? null : (source as M);
  const start = shared ? WeightsSnapshot.take(tfjsModel(shared)) : null;
  const live = options.display === false ? null : openLive();

  const specs: Array<{ name: string; options: TrainingOptions; tactics: string[] }> = [
    {
      name: baseName,
      options: { ...baseOptions, name: baseName },
      tactics: describeTactics(baseOptions)
    },
    ...variants.map(v => {
      const merged = { ...baseOptions, ...v } as TrainingOptions;
      return { name: v.name, options: merged, tactics: describeTactics(merged) };
    })
  ];
  const allRuns: Record<string, TrainingRun[]> = Object.fromEntries(specs.map(s => [s.name, []]));
  const models: Record<string, M> = {};
  const startedAt = Date.now();
  let trained = false;
  const freshModel = async (): Promise<M> => {
    if (!shared) return (source as () => M | Promise<M>)();
    if (trained) await resetModel(tfjsModel(shared), start!);
    trained = true;
    return shared;
  };
  try {
    if (warmup > 0) {
      // The runtime's start-up (wasm compilation, first kernels, the meter's thread) lands here,
      // not on whichever run comes first. Not logged, not shown.
      await fitWithEnergy(
        tfjsModel(await freshModel()),
        data as TensorData,
        {
          ...specs[0].options,
          name: 'warm-up',
          epochs: warmup,
          earlyStopping: undefined,
          freeze: undefined,
          forecastAfter: false,
          predict: false,
          onEpochEnd: undefined,
          log: false,
          display: false
        },
        { live: null }
      );
    }
    for (let r = 0; r < repeat; r++) {
      // Alternating order: the baseline first in one round, last in the next.
      const order = r % 2 === 0 ? specs : [...specs].reverse();
      for (const [i, spec] of order.entries()) {
        const model = await freshModel();
        const round = repeat > 1 ? `, round ${r + 1} of ${repeat}` : '';
        // The tensors are tfjs's own at run time: fit checks them before training.
        const run = await fitWithEnergy(tfjsModel(model), data as TensorData, spec.options, {
          live,
          header: `${i + 1} of ${specs.length}${round}`
        });
        allRuns[spec.name].push(run);
        models[spec.name] = model;
      }
    }
  } finally {
    start?.dispose();
  }
  const { payload, training } = buildPayload(
    specs,
    allRuns,
    { maxDrop, repeat, warmup },
    data,
    Date.now() - startedAt
  );
  const runs = Object.fromEntries(specs.map(s => [s.name, allRuns[s.name][repeat - 1]]));
  const comparison = new TrainingComparison(payload, training, runs, models, allRuns);
  live?.update({
    'text/plain': `Compared ${specs.length} trainings; recommended: ${payload.recommended}`,
    'text/html': `<div>${escapeMarkup(`Compared ${specs.length} trainings; recommended: ${payload.recommended}`)}</div>`
  });
  return comparison;
}

function trainingFigures(
  run: TrainingRun,
  base: TrainingRun,
  durationS: number,
  baseDurationS: number
): TrainingFigures {
  const d = run.data;
  const last = d.epochs[d.epochs.length - 1];
  return {
    epochs: d.epochs.length,
    plannedEpochs: d.plannedEpochs ?? d.epochs.length,
    durationS,
    durationPct: run === base ? null : percentChange(durationS, baseDurationS),
    energyPerEpochJ: d.epochs.length
      ? d.epochs.reduce((a, e) => a + e.energyJ, 0) / d.epochs.length
      : 0,
    stoppedAtEpoch: d.stopped?.epoch ?? null,
    stopReason: d.stopped?.reason ?? null,
    bestEpoch: d.bestEpoch,
    restoredBestWeights: d.restoredBestWeights,
    frozenLayers: last?.frozenLayers ?? [],
    trainableParams: last?.trainableParams ?? 0,
    loss: lossOf(run),
    trainLoss: d.finalMetrics.loss ?? null,
    forecastEnergyJ: d.forecast?.energyJ ?? null,
    forecastErrorPercent: d.forecastCheck?.energyErrorPercent ?? null
  };
}

/** What the payload's notes say about a run: epochs, stop, best weights, freezing. */
function runNotes(run: TrainingRun, figures: TrainingFigures): string[] {
  const d = run.data;
  const notes = [
    `${figures.epochs} of ${figures.plannedEpochs} epochs, ${formatDuration(d.durationS)}`
  ];
  if (d.stopped) notes.push(`stopped after epoch ${d.stopped.epoch}: ${d.stopped.detail}`);
  if (d.restoredBestWeights)
    notes.push(`weights of epoch ${d.bestEpoch} restored (best ${d.earlyStopping?.monitor})`);
  notes.push(...d.notes);
  return notes;
}

/** Mean and spread of a variant's runs, in the shape energiesDistinguishable takes. */
function energyStats(runs: readonly TrainingRun[]): { mean: number; sd: number | null; n: number } {
  const energies = runs.map(r => r.energyJ);
  return { mean: mean(energies), sd: sampleStandardDeviation(energies), n: energies.length };
}

/** The counter share of a variant's runs together, weighted by their energy. */
function coverageOf(runs: readonly TrainingRun[]): number {
  return combinedCoverage(runs.map(r => ({ energyJ: r.energyJ, coverage: r.data.coverage })));
}

function buildPayload(
  specs: Array<{ name: string; tactics: string[] }>,
  allRuns: Record<string, TrainingRun[]>,
  settings: { maxDrop: number; repeat: number; warmup: number },
  data: TrainingData,
  elapsedMs: number
): { payload: TrainingTacticsPayload; training: Record<string, TrainingFigures> } {
  const { maxDrop, repeat, warmup } = settings;
  // Accuracy, epochs and stops repeat exactly (seeded); energy and time do not.
  const list = specs.map(s => {
    const runs = allRuns[s.name];
    const run = runs[runs.length - 1];
    return {
      spec: s,
      run,
      runs,
      quality: qualityOf(run),
      energy: energyStats(runs),
      durationS: mean(runs.map(r => r.data.durationS)),
      co2eG: mean(runs.map(r => r.data.co2eG))
    };
  });
  const base = list[0];
  const qualityKnown = list.every(v => v.quality !== null);
  const energyQuality = list.map(v => ({ energy: v.energy.mean, quality: v.quality?.value ?? 0 }));
  const pareto = paretoFront(energyQuality);
  // The ONNX comparison's noise rule; one run has no spread, so it cannot pass a saving.
  const beyondNoise = list.map(
    (v, i) => i === 0 || (repeat >= 2 && energiesDistinguishable(v.energy, base.energy))
  );
  const budget = qualityKnown ? maxDrop : 1;
  const bestUntested = recommendIndex(energyQuality, 0, budget);
  const recommended = recommendIndex(
    energyQuality.map((p, i) => (beyondNoise[i] ? p : { ...p, energy: Infinity })),
    0,
    budget
  );
  const notes: string[] = [
    'energy per training run: the functional unit is one whole training (for ROI, N counts training runs)',
    repeat > 1
      ? `each variant trained ${repeat} times in alternating order${warmup ? ` after a ${warmup}-epoch warm-up` : ''}; energy and time are means`
      : `each variant trained once${warmup ? ` after a ${warmup}-epoch warm-up` : ''}: the run-to-run noise is unknown`
  ];
  if (!qualityKnown) {
    notes.push(
      'no accuracy for every variant (give test data, or metrics: ["accuracy"]): recommended on energy alone'
    );
  }
  const training: Record<string, TrainingFigures> = {};
  const variants: TrainingVariantFigures[] = list.map((v, i) => {
    const quality = v.quality?.value;
    const figures = trainingFigures(v.run, base.run, v.durationS, base.durationS);
    training[v.spec.name] = figures;
    const deltas: TrainingVariantDeltas | null =
      i === 0
        ? null
        : {
            energyPct: percentChange(v.energy.mean, base.energy.mean) ?? 0,
            latencyPct: null,
            throughputPct: null,
            sizePct: null,
            gzipSizePct: null,
            qualityPoints:
              quality === undefined || base.quality === null
                ? null
                : (quality - base.quality.value) * 100
          };
    const variantNotes = runNotes(v.run, figures);
    if (deltas && deltas.energyPct >= 0) {
      variantNotes.push(
        `did not pay off: ${signedPct(deltas.energyPct)} energy against the baseline`
      );
    } else if (deltas && repeat >= 2 && !beyondNoise[i]) {
      variantNotes.push('energy within the measurement noise of the baseline');
    }
    return {
      name: v.spec.name,
      tactics: v.spec.tactics,
      baseline: i === 0,
      recommended: i === recommended,
      pareto: pareto[i],
      withinBudget:
        quality === undefined || base.quality === null
          ? true
          : withinBudget(quality, base.quality.value, maxDrop),
      method: provenanceOf(coverageOf(v.runs)),
      coverage: coverageOf(v.runs),
      energyJ: v.energy.mean,
      energyPerInferenceJ: v.energy.mean,
      energyPerInferenceSdJ: v.energy.sd,
      co2ePerInferenceG: v.co2eG,
      durationS: v.durationS,
      quality: quality ?? 0,
      ...(quality !== undefined ? { accuracy: quality } : {}),
      deltas,
      notes: variantNotes,
      leftAsIs: []
    };
  });
  const rec = variants[recommended];
  const record = base.run.record;
  const points = `${(maxDrop * 100).toFixed(2)} accuracy points`;
  let recommendation: string;
  if (recommended !== 0) {
    const recTime = training[rec.name].durationPct;
    recommendation =
      `Least training energy within ${points}, beyond the run-to-run noise (${repeat} runs each): ` +
      `${signedPct(rec.deltas?.energyPct ?? null)} energy, ${signedPct(recTime)} time, ` +
      `${pointsText(rec.deltas?.qualityPoints ?? null) || 'accuracy n/a'} against the baseline.`;
  } else if (bestUntested === 0) {
    recommendation = `No variant saves energy within ${points} of the baseline.`;
  } else {
    const best = variants[bestUntested];
    const saving = `${best.name}: ${signedPct(best.deltas?.energyPct ?? null)} energy`;
    recommendation =
      repeat < 2
        ? `No recommendation from single runs: ${saving}, but the run-to-run noise is unknown; compare with repeat: 2 or more.`
        : `No variant saves energy beyond the run-to-run noise within ${points} (${saving}, within the noise of ${repeat} runs); more repeats may tell.`;
  }
  const qualityOn = list.some(v => v.quality?.on === 'validation') ? 'validation' : 'test';
  const payload: TrainingTacticsPayload = {
    schemaVersion: 1,
    phase: 'training',
    functionalUnit: 'training run',
    metric: 'accuracy',
    maxAccuracyDrop: maxDrop,
    baseline: variants[0].name,
    recommended: rec.name,
    recommendation,
    variants,
    setup: {
      samples: Math.max(1, (qualityOn === 'test' ? data.test : data.validation)?.x.shape[0] ?? 1),
      repeat,
      warmup,
      minWindowS: 0,
      runtime: `TensorFlow.js (wasm backend); accuracy on the ${qualityOn} data`,
      meterMethod: record.method,
      fallbackReasons: record.fallbackReasons,
      host: `${record.host.cpuModel} (${record.host.logicalCpus} logical CPUs)`,
      region: record.region,
      carbonIntensityGPerKWh: record.carbonIntensityGPerKWh,
      durationS: elapsedMs / 1000
    },
    notes,
    createdAt: new Date().toISOString()
  };
  return { payload, training };
}
