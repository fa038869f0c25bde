/**
 * Side-by-side evaluation of model variants: quality (accuracy against labels, or agreement with
 * the baseline), latency, throughput, file size raw and gzip-compressed, and energy per inference
 * from the power meters. Variants are measured round-robin (window r of every variant before
 * window r + 1 of any), so drift in temperature or background load spreads over all of them.
 */
import { gzipSync } from 'node:zlib';
import type * as ort from 'onnxruntime-node';
import { CarbonSettings, co2eGrams, resolveCarbonSettings } from '../../core/carbon';
import { readingEnergyJ, recordCoverage, type MeterReading } from '../../core/measurement';
import { combinedCoverage, provenanceOf, provenanceText } from '../../core/provenance';
import { mean, quantileSorted, sampleStandardDeviation } from '../../core/statistics';
import {
  QualityMetric,
  TacticsPayload,
  VariantFigures,
  agreementRate,
  energiesDistinguishable,
  maxAbsDifference,
  paretoFront,
  percentChange,
  recommendIndex,
  topOne,
  withinBudget
} from '../../core/tactics';
import {
  checkedAgainst,
  predictionBasisText,
  type VariantNoPrediction,
  type VariantPredicted,
  type VariantPrediction
} from '../../core/tactics-prediction';
import { tacticsHtml, tacticsText } from '../../core/tactics-static-view';
import type { ComparedVariant, TacticsComparisonLike } from '../api/tactics-comparison';
import type { Displayable, MimeBundle } from '../display';
import { InputMismatchError, TensorData, checkFeeds, toOrtTensor } from '../onnx/inference';
import { OnnxModel } from '../onnx/onnx-model';
import { EvalInput, EvalSet, LabelsInput, batchesOf, evalSet, labelIndices } from './eval-data';
import type { RuntimeSettings } from './tactic';
import { Variant } from './variant';
import { TACTICS_MIME } from '../../core/mime-types';

/** What compare needs from a power meter (kernel/meters/sampler.ts's PowerMeter fits). */
export interface EnergyMeter {
  begin(): { end(): Promise<MeterReading> };
}

export interface CompareProgress {
  phase: 'load' | 'predict' | 'quality' | 'warmup' | 'measure' | 'done';
  variant: string;
  /** Steps done so far and in all. */
  step: number;
  steps: number;
  message: string;
}

export type VariantSource = OnnxModel | Variant | string;

export interface CompareOptions {
  /** Evaluation inputs: a tensor, an array of samples, or { inputName: data }. */
  inputs: EvalInput;
  /** Class index (or one-hot row) per sample: quality is top-1 accuracy. */
  labels?: LabelsInput;
  /** Outputs of a reference model per sample: agreement is measured against these, not the baseline. */
  referenceOutputs?: LabelsInput;
  /** Default: accuracy with labels, agreement otherwise. */
  metric?: QualityMetric;
  /** Measured windows per variant (default 5). */
  repeat?: number;
  /** Unmeasured passes over the inputs first (default 1). */
  warmup?: number;
  /** A window repeats passes until it lasts this long, so the meters see enough (default 0.5 s). */
  minWindowS?: number;
  /** Largest quality loss accepted for the recommendation, as a fraction (0.01 = 1 point). */
  maxAccuracyDrop?: number;
  /** Inputs per run() call, unless a variant sets its own (default: 64 or fewer). */
  batchSize?: number;
  /** Name of the baseline variant (default the first). */
  baseline?: string;
  /** Session settings for every variant (a variant's own settings win). */
  runtime?: RuntimeSettings;
  /** Which output to evaluate (name or index; default the first). */
  output?: string | number;
  meter: EnergyMeter;
  carbon?: CarbonSettings;
  /**
   * Predict each variant's energy and latency before measuring it (gaissa.predict), to show
   * predicted beside measured. `'auto'`: only variants whose thread count this machine's cached
   * calibration covers (a comparison never waits on a calibration it was not asked for; the
   * others carry no prediction at all); `true`: calibrate first when missing (about 20 s per
   * thread count, with `meter`); an object sets the calibration folder, and a variant it cannot
   * predict says why (`noPrediction`). Default false.
   */
  predict?: boolean | 'auto' | ComparePredictOptions;
  onProgress?: (progress: CompareProgress) => void;
}

export interface ComparePredictOptions {
  /** `never` (the default): nothing calibrated, a variant without a calibration says so; `auto`: calibrate. */
  calibrate?: 'auto' | 'never';
  /** Calibration folder (default the user's cache dir). */
  cacheDir?: string;
}

/** A comparison that displays itself; fits TacticsComparisonLike for gaissa.roi.from and gaissa.label. */
export class TacticsComparison implements Displayable, TacticsComparisonLike {
  constructor(
    readonly payload: TacticsPayload,
    private readonly models: ReadonlyMap<string, Variant>
  ) {}

  get variants(): readonly (VariantFigures & ComparedVariant)[] {
    return this.payload.variants;
  }

  get baseline(): string {
    return this.payload.baseline;
  }

  get recommended(): string {
    return this.payload.recommended;
  }

  /** The variant (model, settings, reports) behind a row, e.g. to save the recommended one. */
  variant(name: string = this.payload.recommended): Variant {
    const found = this.models.get(name);
    if (!found)
      throw new Error(
        `no variant named '${name}' (variants: ${[...this.models.keys()].join(', ')})`
      );
    return found;
  }

  toJSON(): TacticsPayload {
    return this.payload;
  }

  toMimeBundle(): MimeBundle {
    return {
      [TACTICS_MIME]: this.payload,
      'text/html': tacticsHtml(this.payload),
      'text/plain': tacticsText(this.payload)
    };
  }
}

async function resolveVariants(
  sources: readonly VariantSource[] | Record<string, VariantSource>
): Promise<Variant[]> {
  const entries: Array<[string | undefined, VariantSource]> = Array.isArray(sources)
    ? sources.map(s => [undefined, s])
    : Object.entries(sources);
  if (entries.length === 0)
    throw new RangeError('compare needs at least one variant (the baseline)');
  const variants: Variant[] = [];
  const used = new Set<string>();
  for (const [key, source] of entries) {
    let variant: Variant;
    if (source instanceof Variant) variant = source;
    else if (source instanceof OnnxModel) variant = new Variant(source.name, source);
    else if (typeof source === 'string') {
      const model = await OnnxModel.load(source);
      variant = new Variant(model.name, model.savedAs(source));
    } else {
      throw new TypeError(
        'each variant must be a model (gaissa.model.load), a variant (gaissa.tactics.apply) or a path'
      );
    }
    let name = key ?? variant.name;
    for (let i = 2; used.has(name); i++) name = `${key ?? variant.name} (${i})`;
    used.add(name);
    variants.push(name === variant.name ? variant : variant.named(name));
  }
  return variants;
}

function count(value: number | undefined, fallback: number, name: string, min: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min)
    throw new RangeError(`${name} must be a whole number >= ${min}, got ${value}`);
  return n;
}

interface Prepared {
  variant: Variant;
  session: ort.InferenceSession;
  batchSize: number;
  batches: Array<{ feeds: Record<string, ort.Tensor>; size: number }>;
  outputName: string;
  loadMs: number;
  notes: string[];
  latencies: number[];
  windows: Array<{ energyJ: number; inferences: number; durationS: number; reading: MeterReading }>;
  predictions?: Int32Array;
  outputs?: Float32Array;
  classes: number;
  /** Predicted before measuring (errors against the measurement added once measured). */
  predicted?: Omit<VariantPredicted, 'energyErrorPercent' | 'latencyErrorPercent' | 'inInterval'>;
  noPrediction?: VariantNoPrediction;
}

interface PredictSettings {
  calibrate: 'auto' | 'never';
  cacheDir?: string;
  /** 'auto': a variant whose thread count has no cached calibration is simply not predicted. */
  onlyIfCalibrated: boolean;
}

/** The `predict` option as gaissa.predict's calibration settings; null: no predictions. */
function predictSettings(option: CompareOptions['predict']): PredictSettings | null {
  if (option === undefined || option === false) return null;
  if (option === true) return { calibrate: 'auto', onlyIfCalibrated: false };
  if (option === 'auto') return { calibrate: 'never', onlyIfCalibrated: true };
  if (typeof option === 'object' && option !== null) {
    const calibrate = option.calibrate ?? 'never';
    if (calibrate !== 'auto' && calibrate !== 'never')
      throw new RangeError(`predict.calibrate must be 'auto' or 'never', got ${String(calibrate)}`);
    return { calibrate, cacheDir: option.cacheDir, onlyIfCalibrated: false };
  }
  throw new RangeError(
    `predict must be true, false, 'auto' or { calibrate, cacheDir }, got ${String(option)}`
  );
}

/**
 * The variant's prediction at its batch and thread count, made before it is measured. The
 * predictor never stops a comparison: whatever it cannot do becomes the variant's noPrediction.
 */
async function predictVariant(
  p: Prepared,
  settings: PredictSettings,
  options: CompareOptions,
  onProgress: (message: string) => void
): Promise<void> {
  const threads = { ...options.runtime, ...p.variant.runtime }.intraOpNumThreads ?? undefined;
  // Loaded here, not at kernel start: a comparison without predict never reads the predictor.
  const { ensureCalibration, predictModel } = await import('../predict/predict');
  if (settings.onlyIfCalibrated) {
    const { defaultThreads } = await import('../predict/calibration');
    try {
      await ensureCalibration(threads ?? defaultThreads(), {
        calibrate: 'never',
        cacheDir: settings.cacheDir
      });
    } catch {
      return;
    }
  }
  try {
    const { record } = await predictModel(p.variant.model, {
      batch: p.batchSize,
      threads,
      calibrate: settings.calibrate,
      cacheDir: settings.cacheDir,
      meter: options.meter,
      onProgress
    });
    const basis = predictionBasisText(record.basis);
    p.predicted = {
      method: 'predicted',
      energyPerInferenceJ: record.energyPerInferenceJ,
      low: record.low,
      high: record.high,
      latencyMs: record.latencyMs,
      batch: record.batch,
      threads: record.threads,
      basis:
        threads === undefined
          ? `${basis}; the comparison runs it with ONNX Runtime's own thread count`
          : basis
    };
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).replace(/^no prediction: /, '');
    p.noPrediction = { noPrediction: why.slice(0, 1000) || 'the predictor gave no reason' };
  }
}

function pickOutput(
  session: ort.InferenceSession,
  output: string | number | undefined,
  source: string
): string {
  if (output === undefined) return session.outputNames[0];
  if (typeof output === 'number') {
    const name = session.outputNames[output];
    if (name === undefined)
      throw new RangeError(
        `${source} has ${session.outputNames.length} outputs; there is no output ${output}`
      );
    return name;
  }
  if (!session.outputNames.includes(output)) {
    throw new RangeError(
      `${source} has no output '${output}' (outputs: ${session.outputNames.join(', ')})`
    );
  }
  return output;
}

/** The model's fixed batch dimension, if its input declares one. */
function fixedBatch(model: OnnxModel): number | undefined {
  const first = model.summary.inputs[0]?.shape?.[0];
  return typeof first === 'number' && first > 0 ? first : undefined;
}

async function prepare(
  variant: Variant,
  data: EvalSet,
  options: CompareOptions,
  samples: number
): Promise<Prepared> {
  const settings: RuntimeSettings = { ...options.runtime, ...variant.runtime };
  const notes: string[] = [];
  let batchSize = settings.batchSize ?? options.batchSize ?? Math.min(64, samples);
  const fixed = fixedBatch(variant.model);
  if (fixed !== undefined && fixed !== batchSize) {
    notes.push(
      `the model's batch dimension is fixed at ${fixed}: run ${fixed} input${fixed === 1 ? '' : 's'} per call`
    );
    batchSize = fixed;
  }
  const { batchSize: _ignored, ...session } = settings;
  const started = performance.now();
  const s = await variant.model.session(session);
  const loadMs = performance.now() - started;
  let batches = batchesOf(data, batchSize);
  if (fixed !== undefined) batches = batches.filter(b => b.size === fixed);
  if (batches.length === 0) {
    throw new InputMismatchError(
      `${variant.name} takes batches of exactly ${fixed} inputs; ${samples} given`
    );
  }
  checkFeeds(s, batches[0].feeds, variant.name);
  const ortBatches = batches.map(b => {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [k, v] of Object.entries(b.feeds)) feeds[k] = toOrtTensor(v as TensorData);
    return { feeds, size: b.size };
  });
  return {
    variant,
    session: s,
    batchSize,
    batches: ortBatches,
    outputName: pickOutput(s, options.output, variant.name),
    loadMs,
    notes,
    latencies: [],
    windows: [],
    classes: 0
  };
}

/** One pass over the inputs; returns inferences made. Latency per call is recorded when asked. */
async function pass(p: Prepared, record: boolean): Promise<number> {
  let made = 0;
  for (const b of p.batches) {
    const t0 = performance.now();
    await p.session.run(b.feeds, [p.outputName]);
    if (record) p.latencies.push(performance.now() - t0);
    made += b.size;
  }
  return made;
}

async function qualityPass(p: Prepared): Promise<void> {
  const rows: Float32Array[] = [];
  let classes = 0;
  for (const b of p.batches) {
    const out = (await p.session.run(b.feeds, [p.outputName]))[p.outputName];
    if (out.type !== 'float32' && out.type !== 'float16' && out.type !== 'float64') {
      throw new TypeError(
        `output '${p.outputName}' of ${p.variant.name} is ${out.type}; quality needs float scores`
      );
    }
    classes = out.dims.slice(1).reduce((a, c) => a * c, 1);
    rows.push(Float32Array.from(out.data as ArrayLike<number>));
  }
  const total = rows.reduce((a, r) => a + r.length, 0);
  const outputs = new Float32Array(total);
  let at = 0;
  for (const r of rows) {
    outputs.set(r, at);
    at += r.length;
  }
  p.outputs = outputs;
  p.classes = classes;
  p.predictions = topOne(outputs, total / classes, classes);
}

/** Share of the readings' joules a counter measured: every window counts, not the first. */
export function readingsCoverage(readings: readonly MeterReading[]): number {
  return combinedCoverage(
    readings.map(r => ({ energyJ: readingEnergyJ(r), coverage: recordCoverage(r.components) }))
  );
}

export async function compareVariants(
  sources: readonly VariantSource[] | Record<string, VariantSource>,
  options: CompareOptions
): Promise<TacticsComparison> {
  const started = performance.now();
  const repeat = count(options.repeat, 5, 'repeat', 1);
  const warmup = count(options.warmup, 1, 'warmup', 0);
  const minWindowS = options.minWindowS ?? 0.5;
  if (!(minWindowS >= 0 && minWindowS <= 600))
    throw new RangeError(`minWindowS must be within 0..600 s, got ${options.minWindowS}`);
  const maxDrop = options.maxAccuracyDrop ?? 0.01;
  if (!(maxDrop >= 0 && maxDrop <= 1)) {
    throw new RangeError(
      `maxAccuracyDrop is a fraction in [0, 1] (0.01 = 1 point), got ${options.maxAccuracyDrop}`
    );
  }
  if (options.batchSize !== undefined) count(options.batchSize, 1, 'batchSize', 1);
  const metric: QualityMetric =
    options.metric ?? (options.labels !== undefined ? 'accuracy' : 'agreement');
  if (metric === 'accuracy' && options.labels === undefined) {
    throw new RangeError(
      "metric 'accuracy' needs labels; without them use metric 'agreement' (top-1 agreement with the baseline)"
    );
  }
  if (!options.meter || typeof options.meter.begin !== 'function')
    throw new TypeError('compare needs a power meter');
  const carbon = options.carbon ?? resolveCarbonSettings();

  const variants = await resolveVariants(sources);
  const baseIndex =
    options.baseline === undefined ? 0 : variants.findIndex(v => v.name === options.baseline);
  if (baseIndex < 0) {
    throw new RangeError(
      `baseline '${options.baseline}' names no variant (variants: ${variants.map(v => v.name).join(', ')})`
    );
  }
  const data = evalSet(
    options.inputs,
    variants[baseIndex].model.summary.inputs,
    variants[baseIndex].name
  );
  const labels =
    options.labels !== undefined ? labelIndices(options.labels, data.samples) : undefined;
  const reference =
    options.referenceOutputs !== undefined
      ? labelIndices(options.referenceOutputs, data.samples)
      : undefined;

  const predicting = predictSettings(options.predict);
  const steps =
    variants.length * (2 + (warmup > 0 ? 1 : 0) + (predicting ? 1 : 0)) + repeat * variants.length;
  let step = 0;
  const progress = (phase: CompareProgress['phase'], variant: string, message: string) => {
    if (phase !== 'done') step++;
    options.onProgress?.({ phase, variant, step, steps, message });
  };

  const prepared: Prepared[] = [];
  try {
    for (const v of variants) {
      progress('load', v.name, `loading ${v.name}`);
      prepared.push(await prepare(v, data, options, data.samples));
    }
    // Before anything is measured, so no prediction can lean on this comparison's figures.
    if (predicting) {
      for (const p of prepared) {
        progress('predict', p.variant.name, `predicting ${p.variant.name}`);
        await predictVariant(p, predicting, options, message =>
          options.onProgress?.({ phase: 'predict', variant: p.variant.name, step, steps, message })
        );
      }
    }
    for (const p of prepared) {
      progress('quality', p.variant.name, `quality of ${p.variant.name} on ${data.samples} inputs`);
      await qualityPass(p);
      if (p.classes < 2) {
        throw new RangeError(
          `output '${p.outputName}' of ${p.variant.name} has ${p.classes} value per input: accuracy and agreement need class scores [N, classes]`
        );
      }
    }
    if (warmup > 0) {
      for (const p of prepared) {
        progress('warmup', p.variant.name, `warming up ${p.variant.name}`);
        for (let i = 0; i < warmup; i++) await pass(p, false);
      }
    }
    for (let r = 0; r < repeat; r++) {
      for (const p of prepared) {
        progress('measure', p.variant.name, `measuring ${p.variant.name} (${r + 1}/${repeat})`);
        const window = options.meter.begin();
        const t0 = performance.now();
        let inferences = 0;
        do inferences += await pass(p, true);
        while ((performance.now() - t0) / 1000 < minWindowS);
        const reading = await window.end();
        p.windows.push({
          energyJ: readingEnergyJ(reading),
          inferences,
          durationS: (performance.now() - t0) / 1000,
          reading
        });
      }
    }
  } finally {
    await Promise.all(prepared.map(p => p.session.release().catch(() => undefined)));
  }

  const base = prepared[baseIndex];
  const basePredictions = reference ?? base.predictions!;
  const rows = prepared.map(p => {
    const perInference = p.windows.map(w => w.energyJ / w.inferences);
    const energy = mean(perInference);
    const sorted = [...p.latencies].sort((a, b) => a - b);
    const totalInferences = p.windows.reduce((a, w) => a + w.inferences, 0);
    const totalTime = p.windows.reduce((a, w) => a + w.durationS, 0);
    const gzipBytes = gzipSync(p.variant.model.bytes).byteLength;
    const agreement = agreementRate(p.predictions!, basePredictions);
    const accuracy = labels ? agreementRate(p.predictions!, labels) : undefined;
    return {
      p,
      energy,
      sd: sampleStandardDeviation(perInference),
      n: perInference.length,
      latencyMs: quantileSorted(sorted, 0.5),
      latencyP95Ms: quantileSorted(sorted, 0.95),
      throughputPerS: totalInferences / totalTime,
      modelBytes: p.variant.model.sizeBytes,
      gzipBytes,
      agreement,
      accuracy,
      quality: metric === 'accuracy' ? accuracy! : agreement,
      maxAbsDiff:
        p.outputs!.length === base.outputs!.length
          ? maxAbsDifference(p.outputs!, base.outputs!)
          : Infinity,
      coverage: readingsCoverage(p.windows.map(w => w.reading))
    };
  });

  const points = rows.map(r => ({ energy: r.energy, quality: r.quality }));
  const front = paretoFront(points);
  const pick = recommendIndex(points, baseIndex, maxDrop);
  const b = rows[baseIndex];

  const figures: VariantFigures[] = rows.map((r, i) => {
    const v = r.p.variant;
    const isBase = i === baseIndex;
    const inBudget = withinBudget(r.quality, b.quality, maxDrop);
    const notes = [...r.p.notes];
    // Each tactic's first note says what to expect of it; the views group notes shared by variants.
    for (const report of v.reports) if (report.notes[0]) notes.push(report.notes[0]);
    if (!isBase) {
      const distinguishable = energiesDistinguishable(
        { mean: r.energy, sd: r.sd, n: r.n },
        { mean: b.energy, sd: b.sd, n: b.n }
      );
      if (!distinguishable) {
        notes.push('energy per inference within the measurement noise of the baseline');
      }
      if (r.p.batchSize !== b.p.batchSize) {
        notes.push(`latency is per call of ${r.p.batchSize} inputs (baseline: ${b.p.batchSize})`);
      } else {
        const slower = percentChange(r.latencyMs, b.latencyMs);
        if (slower !== null && slower > 5) {
          notes.push(`slower than the baseline: p50 latency +${slower.toFixed(0)} %`);
        }
      }
      if (!inBudget) {
        notes.push(
          `outside the accuracy budget: ${((r.quality - b.quality) * 100).toFixed(2)} points of ${metric}`
        );
      }
    }
    const figure: VariantFigures = {
      name: v.name,
      tactics: v.tactics,
      baseline: isBase,
      recommended: i === pick,
      pareto: front[i],
      withinBudget: inBudget,
      method: provenanceOf(r.coverage),
      coverage: r.coverage,
      energyPerInferenceJ: r.energy,
      energyPerInferenceSdJ: r.sd,
      co2ePerInferenceG: co2eGrams(r.energy, carbon),
      latencyMs: r.latencyMs,
      latencyP95Ms: r.latencyP95Ms,
      throughputPerS: r.throughputPerS,
      modelBytes: r.modelBytes,
      gzipBytes: r.gzipBytes,
      modelSizeMB: r.modelBytes / 1e6,
      quality: r.quality,
      agreement: r.agreement,
      maxAbsDiff: Number.isFinite(r.maxAbsDiff) ? r.maxAbsDiff : -1,
      runtime: {
        graphOptimizationLevel:
          { ...options.runtime, ...v.runtime }.graphOptimizationLevel ?? 'all',
        intraOpNumThreads: { ...options.runtime, ...v.runtime }.intraOpNumThreads ?? null,
        batchSize: r.p.batchSize
      },
      deltas: isBase
        ? null
        : {
            energyPct: percentChange(r.energy, b.energy) ?? 0,
            latencyPct: percentChange(r.latencyMs, b.latencyMs),
            throughputPct: percentChange(r.throughputPerS, b.throughputPerS),
            sizePct: percentChange(r.modelBytes, b.modelBytes),
            gzipSizePct: percentChange(r.gzipBytes, b.gzipBytes),
            qualityPoints: (r.quality - b.quality) * 100
          },
      notes,
      leftAsIs: v.reports.flatMap(rep =>
        rep.leftAsIs.map(l => `${rep.tactic}: ${l.op} '${l.node}': ${l.reason}`)
      )
    };
    if (r.accuracy !== undefined) figure.accuracy = r.accuracy;
    const prediction: VariantPrediction | undefined = r.p.predicted
      ? checkedAgainst(r.p.predicted, { energyPerInferenceJ: r.energy, latencyMs: r.latencyMs })
      : r.p.noPrediction;
    if (prediction) figure.prediction = prediction;
    if (v.model.path !== undefined) figure.modelPath = v.model.path;
    return figure;
  });

  const chosen = rows[pick];
  const budgetText = `${(maxDrop * 100).toFixed(2).replace(/\.?0+$/, '')}-point`;
  let recommendation: string;
  if (pick === baseIndex) {
    recommendation = `No variant used less energy per inference within the ${budgetText} ${metric} budget: keep ${b.p.variant.name}.`;
  } else {
    const saving = -(percentChange(chosen.energy, b.energy) ?? 0);
    const dq = (chosen.quality - b.quality) * 100;
    recommendation =
      `${chosen.p.variant.name} uses ${saving.toFixed(1)} % less energy per inference than ${b.p.variant.name} ` +
      `(${dq >= 0 ? '+' : ''}${dq.toFixed(2)} points of ${metric}), the least energy within the ${budgetText} budget.`;
    if (
      !energiesDistinguishable(
        { mean: chosen.energy, sd: chosen.sd, n: chosen.n },
        { mean: b.energy, sd: b.sd, n: b.n }
      )
    ) {
      recommendation +=
        ' The difference is within measurement noise: measure with more repeats before relying on it.';
    }
  }

  const readings = prepared.flatMap(p => p.windows.map(w => w.reading));
  const first = readings[0];
  const meterMethod = first.components.cpu.method ?? 'estimate';
  const notes: string[] = [];
  const coverage = readingsCoverage(readings);
  if (coverage <= 0) {
    notes.push(
      "energy is estimated from CPU time and the CPU's TDP (no hardware energy counter is readable here): ratios between variants are more reliable than absolute joules"
    );
  } else if (coverage < 1) {
    notes.push(
      `energy ${provenanceText(coverage)}: a hardware counter measured part of it, the rest is estimated or extrapolated (see each variant's coverage)`
    );
  } else if (meterMethod === 'rapl') {
    notes.push(
      'RAPL measures the whole CPU package: other processes running at the same time add to every variant'
    );
  }
  if (metric === 'agreement') {
    notes.push(
      reference
        ? 'quality is top-1 agreement with the reference outputs given'
        : `quality is top-1 agreement with ${b.p.variant.name}'s outputs (no labels given)`
    );
  }

  const payload: TacticsPayload = {
    schemaVersion: 1,
    phase: 'inference',
    functionalUnit: 'inference',
    metric,
    maxAccuracyDrop: maxDrop,
    baseline: b.p.variant.name,
    recommended: chosen.p.variant.name,
    recommendation,
    variants: figures,
    setup: {
      samples: data.samples,
      repeat,
      warmup,
      minWindowS,
      runtime: `onnxruntime-node ${ortVersion()} (CPU)`,
      meterMethod,
      fallbackReasons: first.fallbackReasons,
      host: `${first.host.cpuModel} (${first.host.logicalCpus} logical CPUs)`,
      region: carbon.region,
      carbonIntensityGPerKWh: carbon.carbonIntensityGPerKWh,
      durationS: (performance.now() - started) / 1000
    },
    notes,
    createdAt: new Date().toISOString()
  };
  options.onProgress?.({
    phase: 'done',
    variant: chosen.p.variant.name,
    step: steps,
    steps,
    message: `compared ${variants.length} variants in ${payload.setup.durationS.toFixed(1)} s`
  });
  return new TacticsComparison(payload, new Map(variants.map(v => [v.name, v])));
}

function ortVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('onnxruntime-node') as typeof ort).env.versions.node ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
