/**
 * `gaissa.label(...)`: an A-E energy label (core/label) issued in the notebook from explicit
 * metrics, a measurement record or a tactics comparison. The result displays as
 * `application/vnd.gaissa.label.v1+json` (the extension's widget) with `image/svg+xml` and
 * `text/plain` fallbacks, and carries output metadata asking the frontend to record it in the
 * notebook's `metadata.gaissa.labels` (contract: schema/label-recording.schema.json).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FieldError, describe, isPlainObject } from '../../core/field-error';
import { Boundaries } from '../../core/label/defaults';
import {
  METRICS,
  MetricName,
  PHASE_METRICS,
  Phase,
  RATINGS,
  Rating,
  isPhase,
  isRating,
  isWorseThan
} from '../../core/label/metrics';
import { labelText } from '../../core/label/plain-text';
import {
  LabelContext,
  LabelRecord,
  LabelRequest,
  PopulationRequest,
  parseLabelRequest
} from '../../core/label/record';
import { DEFAULT_REGISTRY_FILE, registerLabel } from '../label/label-registry';
import { drawLabelSvg } from '../../core/label/svg';
import { SciInput } from '../../core/sci';
import type { CardOverrides, Co2EqEmissions } from '../../core/label/model-card';
import { inputsOf, issueLabel } from '../label/issue-label';
import { writeModelCardSections } from '../label/model-card-file';
import { verifyLabel, type VerifyReport } from '../label/verify-label';
import { sha256JsonLine, sha256Text } from '../label/sha256';
import { readPrivateKey, readPublicKey, signLabel } from '../label/signature';
import { Output, writeOutputs } from '../label/write-outputs';
import { Displayable, MimeBundle } from '../display';
import { measureSession } from '../measure/current';
import { parseModelVersion, type ModelVersionRef } from '../records/mlflow-model-version';
import { MeasurementLike, isMeasurementRecord, measurementProblems } from './measurement-source';
import {
  TacticsComparisonLike,
  baselineVariant,
  checkComparison,
  chosenVariant,
  isTacticsComparison
} from './tactics-comparison';
import { LABEL_MIME } from '../../core/mime-types';

export type { LabelRecord, LabelRequest } from '../../core/label/record';

/** Where the measure magic appends records (kernel/records/emissions-log.ts), in the notebook folder. */
const DEFAULT_RECORDS_FILE = 'gaissa-emissions.jsonl';

/**
 * Output metadata under the label mime type. The frontend, not the kernel, writes notebook
 * metadata: on rendering an output with `record: true` it upserts `{ key, file?, cellId, record }`
 * into `metadata.gaissa.labels` (schema/label-recording.schema.json).
 */
export interface LabelOutputMetadata {
  record: boolean;
  /** SHA-256 of the record's JSON: the same output rendered twice is one entry, not two. */
  key: string;
  /** Where the record was written (the `out` option as given), relative to the notebook. */
  file?: string;
}

export interface LabelOptions {
  /** Also write the label record (JSON) to this file; stored paths become relative to it. */
  out?: string;
  /** Also write the SVG drawing to this file. */
  svg?: string;
  /** CI gate: throw LabelBelowMinimumError when the rating is worse (the file is still written). */
  min?: Rating;
  /** Ask the frontend to record the label in the notebook metadata (default true). */
  record?: boolean;
  /** Sign the label with this Ed25519 private key (PEM file), as `gaissa label --sign`. */
  sign?: string;
  /**
   * The label registry (JSON Lines) a written label is appended to and population 'registry'
   * reads; default gaissa-labels.jsonl beside the written label (population 'registry': in the
   * notebook's folder). false: do not register.
   */
  registry?: string | false;
  /** What to rate against (hf-co2, registry, fixed, { path }, { registry }); see gaissa label. */
  population?: PopulationRequest;
  /**
   * Also set the rating and the record's key fields as tags on this MLflow registered model
   * version (`{ name, version }` or `'NAME/VERSION'`); needs an MLflow tracking server.
   */
  mlflowModel?: { name: string; version: string | number } | string;

  // The rest applies to a measurement or a comparison; a request carries its own.
  /** Measurement: 'inference' (default) or 'training'. */
  phase?: Phase;
  /** Measurement, inference phase: inferences the measured run made. */
  inferences?: number;
  /** Metrics the source does not know (latencyMs, modelSizeMB, accuracy...), or overrides. */
  metrics?: Partial<Record<MetricName, number>>;
  /** Model name, or `{ name, path }` to hash the model file into the label. */
  model?: string | { name?: string; path?: string };
  /** Comparison: the variant to label (default: the recommended one, else the least energy). */
  variant?: string;
  /**
   * Reference values; 'baseline' (comparison, the default there) rates the variant against the
   * comparison's baseline variant.
   */
  reference?: Partial<Record<MetricName, number>> | 'baseline';
  boundaries?: Partial<Record<MetricName, Boundaries>>;
  weights?: Partial<Record<MetricName, number>>;
  context?: LabelContext;
  /** SCI inputs; a measurement derives them itself (false leaves the SCI out). */
  sci?: SciInput | false;
  /** Measurement: the JSON Lines file holding the record (default gaissa-emissions.jsonl, if it does). */
  recordsFile?: string;
}

export type LabelSource = LabelRequest | MeasurementLike | TacticsComparisonLike;

/** A label record that displays itself. */
export class LabelView implements Displayable {
  readonly record: LabelRecord;
  /** The `out` option as given, when the record was written. */
  readonly file?: string;
  readonly recordInNotebook: boolean;

  constructor(record: LabelRecord, options: { file?: string; recordInNotebook?: boolean } = {}) {
    this.record = record;
    if (options.file !== undefined) this.file = options.file;
    this.recordInNotebook = options.recordInNotebook ?? true;
  }

  get rating(): Rating {
    return this.record.rating;
  }

  /** The label drawing (core/label/svg.ts), the same one the widget shows. */
  get svg(): string {
    return drawLabelSvg(this.record);
  }

  /**
   * Checks the record against the files it names (model and measurement hashes, method, figures
   * derived from records, basis, rating, SCI), as `gaissa label verify` does; paths resolve from
   * the written label's folder, else from here. `trust`: the issuer's public key (PEM file).
   */
  async verify(options: { modelPath?: string; trust?: string } = {}): Promise<VerifyReport> {
    const labelDir = this.file === undefined ? process.cwd() : dirname(resolve(this.file));
    const trust =
      options.trust === undefined
        ? undefined
        : await readPublicKey(resolve(options.trust), 'trust');
    return verifyLabel(this.record, { labelDir, modelPath: options.modelPath, trust });
  }

  /**
   * Writes this training label's emissions into a Hugging Face model card's front matter
   * (co2_eq_emissions; the rest of the card is kept), as `gaissa card` does; with `aiAct` also
   * the EU AI Act Annex XI energy section, as `gaissa card --ai-act`.
   */
  writeModelCard(
    readmePath = 'README.md',
    overrides: CardOverrides = {},
    options: { aiAct?: boolean } = {}
  ): Promise<Co2EqEmissions> {
    return writeModelCardSections(resolve(readmePath), this.record, {
      overrides,
      aiAct: options.aiAct
    }).then(written => written.co2EqEmissions);
  }

  toJSON(): LabelRecord {
    return this.record;
  }

  toMimeBundle(): MimeBundle {
    return {
      [LABEL_MIME]: this.record,
      'image/svg+xml': this.svg,
      'text/plain': labelText(this.record)
    };
  }

  toMimeMetadata(): Record<string, unknown> {
    const meta: LabelOutputMetadata = {
      record: this.recordInNotebook,
      key: sha256Text(JSON.stringify(this.record))
    };
    if (this.file !== undefined) meta.file = this.file;
    return { [LABEL_MIME]: meta };
  }
}

/** Thrown by `gaissa.label(..., { min })`; the label is attached so it can still be shown. */
export class LabelBelowMinimumError extends Error {
  constructor(
    readonly label: LabelView,
    readonly minimum: Rating
  ) {
    super(
      `label rating ${label.rating} is worse than the minimum ${minimum} ` +
        `(${label.record.model.name}, ${label.record.phase})`
    );
    this.name = 'LabelBelowMinimumError';
  }
}

const OPTION_KEYS: readonly (keyof LabelOptions)[] = [
  'out',
  'svg',
  'min',
  'record',
  'phase',
  'inferences',
  'metrics',
  'model',
  'variant',
  'reference',
  'boundaries',
  'weights',
  'context',
  'sci',
  'recordsFile',
  'sign',
  'registry',
  'population',
  'mlflowModel'
];
/** Options that describe a request's content: a request passed whole carries its own. */
const SOURCE_OPTIONS: readonly (keyof LabelOptions)[] = OPTION_KEYS.filter(
  k => !['out', 'svg', 'min', 'record', 'sign', 'registry', 'mlflowModel'].includes(k)
);

function refuse(options: LabelOptions, keys: readonly (keyof LabelOptions)[], why: string): void {
  const given = keys.filter(k => options[k] !== undefined);
  if (given.length > 0) throw new FieldError(`options.${given[0]}`, why);
}

/** The registered model version named, checked before anything is issued. */
function mlflowModelOf(options: LabelOptions): ModelVersionRef | undefined {
  if (options.mlflowModel === undefined) return undefined;
  const ref = parseModelVersion(options.mlflowModel, 'options.mlflowModel');
  if (!measureSession().sink.hasMlflow()) {
    throw new FieldError(
      'options.mlflowModel',
      'needs an MLflow tracking server: set MLFLOW_TRACKING_URI or %gaissa config set mlflowTrackingUri URL'
    );
  }
  return ref;
}

function checkOptions(options: unknown): LabelOptions {
  if (!isPlainObject(options)) {
    throw new FieldError('options', `must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key)) {
      throw new FieldError(`options.${key}`, `unknown option (options: ${OPTION_KEYS.join(', ')})`);
    }
  }
  for (const key of ['out', 'svg', 'recordsFile', 'sign', 'registry'] as const) {
    const v = options[key];
    if (key === 'registry' && v === false) continue;
    if (v !== undefined && (typeof v !== 'string' || v.trim() === '')) {
      throw new FieldError(`options.${key}`, `must be a file path, got ${describe(v)}`);
    }
  }
  const checked = { ...options } as LabelOptions;
  // population 'registry' reads the registry the caller names.
  if (checked.population === 'registry' && typeof checked.registry === 'string') {
    checked.population = { registry: checked.registry };
  }
  if (options.min !== undefined) {
    const min = typeof options.min === 'string' ? options.min.toUpperCase() : options.min;
    if (!isRating(min)) {
      throw new FieldError(
        'options.min',
        `must be one of ${RATINGS.join(', ')}, got ${describe(options.min)}`
      );
    }
    checked.min = min;
  }
  return checked;
}

function modelOf(option: LabelOptions['model'], fallback: { name?: string; path?: string }) {
  if (option === undefined) return fallback;
  if (typeof option === 'string') return { ...fallback, name: option };
  if (!isPlainObject(option)) {
    throw new FieldError(
      'options.model',
      `must be a name or { name, path }, got ${describe(option)}`
    );
  }
  return { ...fallback, ...option };
}

/** Drops undefined entries so the request has only what was given (the schema forbids nulls). */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

async function measurementRef(
  record: MeasurementLike,
  recordsFile: string | undefined
): Promise<{ path?: string; id?: string; sha256?: string }> {
  if (recordsFile !== undefined) return { path: recordsFile, id: record.id };
  // The measure magic appends JSON.stringify(record) as one line: the same text hashes the same,
  // so a label issued before or after that append rests on an identical SHA-256.
  const fallback = { id: record.id, sha256: sha256Text(JSON.stringify(record)) };
  const file = resolve(process.cwd(), DEFAULT_RECORDS_FILE);
  if (!existsSync(file)) return fallback;
  try {
    return (await sha256JsonLine(file, record.id)) !== undefined
      ? { path: DEFAULT_RECORDS_FILE, id: record.id }
      : fallback;
  } catch {
    return fallback;
  }
}

function hardwareOf(record: MeasurementLike): string | undefined {
  const host = record.host;
  if (!host) return undefined;
  const cpu = `${host.logicalCpus} x ${host.cpuModel} (logical CPUs)`;
  return host.gpuModel ? `${cpu}, ${host.gpuCount} x ${host.gpuModel}` : cpu;
}

/**
 * The request a measurement stands for: energy and CO2e (and the SCI) are derived from the record
 * by core (`derive`), so the label links them to it and its method follows the record's coverage.
 */
async function requestFromMeasurement(
  record: MeasurementLike,
  options: LabelOptions
): Promise<{ request: LabelRequest; held?: unknown }> {
  const problems = measurementProblems(record, 'measurement');
  if (problems.length > 0) throw problems[0];
  refuse(options, ['variant'], 'applies to a comparison, not to a measurement');
  if (options.reference === 'baseline') {
    throw new FieldError('options.reference', "'baseline' applies to a comparison");
  }
  const phase = options.phase ?? 'inference';
  if (!isPhase(phase)) {
    throw new FieldError('options.phase', `must be inference or training, got ${describe(phase)}`);
  }
  let inferences: number | undefined;
  if (phase === 'inference') {
    const n = options.inferences;
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) {
      throw new FieldError(
        'options.inferences',
        `is required: inferences the measured run made (a number > 0), got ${describe(n)}`
      );
    }
    inferences = n;
  } else {
    refuse(options, ['inferences'], 'applies to the inference phase');
  }
  const context = defined({
    location: record.regionName ?? record.region,
    hardware: hardwareOf(record),
    ...options.context
  });
  const ref = await measurementRef(record, options.recordsFile);
  const request = defined({
    phase,
    metrics: options.metrics ?? {},
    derive: defined({ measurement: 0, inferences, sci: options.sci === undefined }),
    reference: options.reference as Partial<Record<MetricName, number>> | undefined,
    boundaries: options.boundaries,
    weights: options.weights,
    population: options.population,
    model: defined(modelOf(options.model, { name: record.label ?? undefined })),
    measurements: [ref],
    sci: options.sci === false ? undefined : options.sci,
    context: Object.keys(context).length > 0 ? context : undefined
  });
  // A record in no file yet: its content is the evidence the label is derived from.
  return { request, held: ref.path === undefined ? record : undefined };
}

function requestFromComparison(
  comparison: TacticsComparisonLike,
  options: LabelOptions
): LabelRequest {
  checkComparison(comparison);
  refuse(options, ['inferences', 'recordsFile'], 'applies to a measurement, not to a comparison');
  if (options.phase !== undefined && options.phase !== 'inference') {
    throw new FieldError('options.phase', 'a comparison of variants labels the inference phase');
  }
  const variant = chosenVariant(comparison, options.variant);
  const metrics: Partial<Record<MetricName, number>> = {};
  for (const name of PHASE_METRICS.inference) {
    const value = (variant as unknown as Record<string, unknown>)[name];
    if (typeof value === 'number') metrics[name] = value;
  }
  // Rated against the comparison's own baseline unless the caller names another basis.
  let reference = options.reference ?? (options.population === undefined ? 'baseline' : undefined);
  let population = options.population;
  if (reference === 'baseline') {
    const baseVariant = baselineVariant(comparison);
    const base = baseVariant as unknown as Record<string, unknown>;
    population ??= {
      baseline: `${baseVariant.name} of this comparison, before any tactic`
    };
    const fromBaseline: Partial<Record<MetricName, number>> = {};
    for (const name of Object.keys({ ...metrics, ...options.metrics }) as MetricName[]) {
      const value = base[name];
      // A reference must be positive; a missing or zero baseline figure keeps the default.
      if (typeof value === 'number' && value > 0 && METRICS[name]) fromBaseline[name] = value;
    }
    reference = fromBaseline;
  }
  return defined({
    phase: 'inference' as const,
    metrics: { ...metrics, ...options.metrics },
    reference: reference && Object.keys(reference).length > 0 ? reference : undefined,
    boundaries: options.boundaries,
    weights: options.weights,
    population,
    model: defined(modelOf(options.model, { name: variant.name, path: variant.modelPath })),
    sci: options.sci === false ? undefined : options.sci,
    // A label request claims no more than the variant shows: a mix is not "measured".
    method: variant.method === 'partly-measured' ? 'estimated' : variant.method,
    context: options.context
  });
}

/**
 * Builds the request a source stands for, with the measurement record it holds in memory (if
 * any); errors name the field (FieldError).
 */
async function requestOf(
  source: unknown,
  options: LabelOptions
): Promise<{ request: LabelRequest; held?: unknown }> {
  // A training comparison knows its own training-phase request (energy per run, not per inference).
  const training = source as { phase?: unknown; labelRequest?: (variant?: string) => unknown };
  if (training?.phase === 'training' && typeof training.labelRequest === 'function') {
    const request = parseLabelRequest({
      ...(training.labelRequest(options.variant) as object),
      ...defined({
        model: options.model ? modelOf(options.model, {}) : undefined,
        sci: options.sci === false ? undefined : options.sci,
        context: options.context,
        population: options.population
      })
    });
    return { request };
  }
  if (isTacticsComparison(source)) {
    return { request: parseLabelRequest(requestFromComparison(source, options)) };
  }
  if (isMeasurementRecord(source)) {
    const { request, held } = await requestFromMeasurement(source, options);
    return { request: parseLabelRequest(request), held };
  }
  refuse(
    options,
    SOURCE_OPTIONS,
    'applies to a measurement or a comparison; a request carries its own'
  );
  return { request: parseLabelRequest(source) };
}

/**
 * `gaissa.label(source, options)`: rates, hashes the model file and measurement records it rests
 * on, validates against schema/label.schema.json, and writes LABEL.json / SVG when asked.
 */
export async function issueNotebookLabel(
  source: LabelSource,
  options: LabelOptions = {}
): Promise<LabelView> {
  const checked = checkOptions(options);
  const mlflowModel = mlflowModelOf(checked);
  const { request, held } = await requestOf(source, checked);
  const cwd = process.cwd();
  const out = checked.out !== undefined ? resolve(cwd, checked.out) : undefined;
  let record = await issueLabel(request, {
    cwd,
    labelDir: out && dirname(out),
    records: held === undefined ? undefined : [held]
  });
  if (checked.sign !== undefined) {
    record = signLabel(record, await readPrivateKey(resolve(cwd, checked.sign), 'options.sign'));
  }
  // Both files or neither, and never over a file the label was issued from.
  const outputs: Output[] = [];
  if (out) outputs.push({ path: out, data: JSON.stringify(record, null, 2) + '\n' });
  if (checked.svg !== undefined) {
    outputs.push({ path: resolve(cwd, checked.svg), data: drawLabelSvg(record) });
  }
  const inputs = inputsOf(request, cwd);
  if (checked.sign !== undefined) inputs.push(resolve(cwd, checked.sign));
  await writeOutputs(outputs, inputs);
  // A label written in the project joins its registry, the basis of later inference labels.
  if (out && checked.registry !== false) {
    const registry = checked.registry ?? join(dirname(out), DEFAULT_REGISTRY_FILE);
    await registerLabel(record, resolve(cwd, registry));
  }
  // Team servers that keep labels (MLflow) get it in the background, like measurements.
  measureSession().sink.writeLabel(record, () => drawLabelSvg(record), mlflowModel);
  const view = new LabelView(record, {
    file: checked.out,
    recordInNotebook: checked.record !== false
  });
  if (checked.min && isWorseThan(record.rating, checked.min)) {
    throw new LabelBelowMinimumError(view, checked.min);
  }
  return view;
}
