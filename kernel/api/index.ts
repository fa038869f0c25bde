/// <reference types="node" preserve="true" />
/**
 * The in-notebook API: the global `gaissa` object, also `import { gaissa } from 'gaissa'`.
 * Every magic is reachable here as a typed function; feature areas extend this object.
 */
import { randomUUID } from 'node:crypto';
import { MimeBundle, OutputSink, normalizeBundle } from '../display';
import { packageVersion, tslabVersion, typescriptVersion } from '../versions';
import { timeCall, TimeResult } from './time';
import { roi, RoiApi } from './roi';
import {
  config,
  ConfigView,
  ManualMeter,
  measure,
  Measurement,
  MeasureOptions,
  meter
} from './measure';
import { issueNotebookLabel, LabelOptions, LabelSource, LabelView } from './label';
import {
  compare,
  modelApi,
  ModelApi,
  NotebookCompareOptions,
  tacticsApi,
  TacticsApi
} from './tactics';
import type { TacticsComparison, VariantSource } from './tactics';
import { createTrainApi, TrainApi } from './train';
import { hfApi, HfApi } from './hf';

export type { MimeBundle } from '../display';
export type { TimeResult } from './time';
export { RoiAnalysis } from './roi';
export { Measurement } from './measure';
export type { MeasureOptions, ManualMeter, ConfigView, MeasuredError } from './measure';
export type { RoiApi, RoiFromOptions, RoiSource, MeasurementPair } from './roi';
export { LabelView, LabelBelowMinimumError } from './label';
export type { LabelOptions, LabelSource } from './label';
export type { TacticsComparisonLike, ComparedVariant } from './tactics-comparison';
export { OnnxModel, Variant, TacticsComparison } from './tactics';
export type { ModelApi, TacticsApi, NotebookCompareOptions, TacticOptions } from './tactics';
export type { MeasurementLike } from './measurement-source';
export { HfMining } from './hf';
export type { HfApi, HfMineOptions } from './hf';
export type {
  TrainApi,
  TrainingData,
  TrainingOptions,
  TrainingRun,
  TrainingComparison,
  TrainableModel,
  TensorLike,
  TfjsModule,
  MnistModel,
  MnistWorkload
} from './train';

export interface DisplayOptions {
  /** An id (or true for a fresh one) under which this output can be updated later. */
  displayId?: string | true;
  metadata?: Record<string, unknown>;
}

export interface DisplayHandle {
  readonly displayId: string;
  update(bundle: MimeBundle, metadata?: Record<string, unknown>): void;
}

export interface Versions {
  gaissa: string;
  tslab: string;
  typescript: string;
  node: string;
}

let sink: OutputSink | undefined;

/** Called by the kernel at start; outside a kernel, displays fail with a clear message. */
export function connectOutput(target: OutputSink | undefined): void {
  sink = target;
}

function output(): OutputSink {
  if (!sink) throw new Error('gaissa: displays need the GAISSA kernel (no notebook is attached)');
  return sink;
}

export interface GaissaApi {
  /**
   * Shows a mime bundle, e.g. `{ 'text/html': '<b>hi</b>' }`. With a `displayId` (a string, or true
   * for a fresh one) it returns a handle to update that output later, as IPython's display does.
   */
  display(bundle: MimeBundle, options?: DisplayOptions & { displayId?: undefined }): void;
  display(
    bundle: MimeBundle,
    options: DisplayOptions & { displayId: string | true }
  ): DisplayHandle;
  /** Replaces the output shown under `displayId` wherever it is displayed. */
  updateDisplay(displayId: string, bundle: MimeBundle, metadata?: Record<string, unknown>): void;
  /** Clears the cell's output; with `wait`, only once new output arrives (no flicker). */
  clearOutput(wait?: boolean): void;
  /** Shows text or a bundle in the pager (JupyterLab shows it below the cell), like IPython's `?`. */
  page(content: string | MimeBundle): void;
  /** Runs `fn` and reports wall and CPU time: the function twin of `%%gaissa time`. */
  time<T>(fn: () => T | Promise<T>): Promise<TimeResult<T>>;
  /** Versions of gaissa and what it runs on: the function twin of `%gaissa version`. */
  version(): Versions;
  /** The text of `%gaissa help [command]`. */
  help(command?: string): string;
  /**
   * ROI / what-if of an optimization: `roi(scenario)`, `roi.whatIf({ baselineEnergyJ, tactic, ... })`
   * and `roi.from(comparisonOrMeasurements, options)`; the function twin of `%gaissa roi`.
   */
  roi: RoiApi;
  /**
   * Energy, CO2e and cost of `fn` (repeats, warm-ups, idle baseline): the function twin of
   * `%%gaissa measure`. A failing `fn` rethrows its error with `.measurement` attached.
   */
  measure<T>(
    fn: () => T | Promise<T>,
    options?: Omit<MeasureOptions, 'onProgress' | 'isInterrupt'>
  ): Promise<Measurement<T>>;
  /** Manual windows for work spread over cells: `begin(name)` ... `end(name)`. */
  meter(): ManualMeter;
  /** The measurement settings: `get()` (with sources) and `set(key, value)`; twin of `%gaissa config`. */
  config: { get(): ConfigView; set(key: keyof ConfigView['settings'], value: unknown): void };
  /**
   * An A-E energy label from metrics (a label request), a measurement record or a tactics
   * comparison; `{ out: 'LABEL.json' }` writes the verifiable record. Twin of `%gaissa label`.
   */
  label(source: LabelSource, options?: LabelOptions): Promise<LabelView>;
  /** ONNX models: `load(path)` with a summary, inference and atomic `save`. */
  model: ModelApi;
  /** Green tactics on ONNX models: `apply(model, 'quantize-dynamic')`, `list()`; twin of `%gaissa optimize`. */
  tactics: TacticsApi;
  /**
   * Variants side by side (the first is the baseline): energy per inference, latency, size, accuracy,
   * Pareto front and the recommendation within `maxAccuracyDrop`; feeds `roi.from` and `label`.
   */
  compare(
    variants: readonly VariantSource[] | Record<string, VariantSource>,
    options: NotebookCompareOptions
  ): Promise<TacticsComparison>;
  /**
   * TensorFlow.js training with energy per epoch: `fit`, `callbacks` for a plain model.fit,
   * early stopping restoring the best weights, `freeze`/`unfreeze`, the forecast of the run, and
   * `compare(baseline, variants)` of training tactics; `mnist()` is the reference workload.
   */
  train: TrainApi;
  /** Hugging Face carbon mining: `mine({ dir | cache | hub, out })`; twin of `gaissa hf mine`. */
  hf: HfApi;
}

/** Set by the kernel: renders the magic help from the live registry. */
let helpText: (command?: string) => string = () => 'help is available inside the GAISSA kernel';

export function connectHelp(render: (command?: string) => string): void {
  helpText = render;
}

export const gaissa: GaissaApi = {
  display: ((bundle: MimeBundle, options: DisplayOptions = {}): DisplayHandle | void => {
    const displayId = options.displayId === true ? randomUUID() : options.displayId;
    output().display(normalizeBundle(bundle), options.metadata ?? {}, displayId);
    if (displayId === undefined) return;
    return {
      displayId,
      update: (next, metadata = {}) => gaissa.updateDisplay(displayId, next, metadata)
    };
  }) as GaissaApi['display'],
  updateDisplay(displayId, bundle, metadata = {}) {
    if (typeof displayId !== 'string' || !displayId)
      throw new TypeError('updateDisplay needs a display id');
    output().updateDisplay(displayId, normalizeBundle(bundle), metadata);
  },
  clearOutput(wait = false) {
    output().clearOutput(wait);
  },
  page(content) {
    output().page(
      normalizeBundle(typeof content === 'string' ? { 'text/plain': content } : content)
    );
  },
  time: timeCall,
  version: () => ({
    gaissa: packageVersion,
    tslab: tslabVersion,
    typescript: typescriptVersion,
    node: process.versions.node
  }),
  help: command => helpText(command),
  roi,
  measure,
  meter,
  config,
  label: issueNotebookLabel,
  model: modelApi,
  tactics: tacticsApi,
  compare,
  train: createTrainApi(bundle => gaissa.display(bundle, { displayId: true })),
  hf: hfApi
};

export default gaissa;
