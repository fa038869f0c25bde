/**
 * The `gaissa` object every cell sees. The kernel starts for every notebook, and most cells never
 * label, load an ONNX model or mine Hugging Face cards: the members that need ONNX Runtime,
 * onnx-proto, the label schema (ajv) or the CSV and YAML parsers load their modules on first use,
 * so the kernel's first result does not wait for them (measure's too, for what it alone needs). Types come from `import
 * type`, so the declarations cells are checked against are the same.
 */
import { randomUUID } from 'node:crypto';
import { inspect, InspectOptions } from 'node:util';
import { MimeBundle, OutputSink, normalizeBundle } from '../display';
import { lazyModule } from '../lazy-module';
import { packageVersion, tslabVersion, typescriptVersion } from '../versions';
import { timeCall, TimeResult } from './time';
import { roi, RoiApi } from './roi';
import type { ConfigView, ManualMeter, Measurement, MeasureOptions } from './measure';
import type { DeliveryStatus } from '../records/delivery-queue';
import type { LabelOptions, LabelSource, LabelView } from './label';
import type {
  ModelApi,
  NotebookCompareOptions,
  TacticsApi,
  TacticsComparison,
  VariantSource
} from './tactics';
import { createTrainApi, TrainApi } from './train';
import type { HfApi } from './hf';
import type { Profile, ProfileOptions } from './profile';
import type { OnnxModel } from '../onnx/onnx-model';
import type { Prediction, PredictOptions } from '../predict/predict';

/* eslint-disable @typescript-eslint/no-require-imports -- the lazy loads below */
const measureModule = lazyModule(() => require('./measure') as typeof import('./measure'));
const labelModule = lazyModule(() => require('./label') as typeof import('./label'));
const tacticsModule = lazyModule(() => require('./tactics') as typeof import('./tactics'));
const hfModule = lazyModule(() => require('./hf') as typeof import('./hf'));
const profileModule = lazyModule(() => require('./profile') as typeof import('./profile'));
const predictModule = lazyModule(
  () => require('../predict/predict') as typeof import('../predict/predict')
);
/* eslint-enable @typescript-eslint/no-require-imports */

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
   * (or from predictions: `{ baseline, optimized }`) and `roi.from(comparisonOrMeasurements, options)`;
   * the function twin of `%gaissa roi`.
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
  /**
   * The energy of each source line and function `fn` runs, in this cell and earlier ones: the
   * function twin of `%%gaissa profile`. A failing `fn` rethrows its error with `.profile` attached.
   */
  profile<T>(fn: () => T | Promise<T>, options?: ProfileOptions): Promise<Profile<T>>;
  /** Manual windows for work spread over cells: `begin(name)` ... `end(name)`. */
  meter(): ManualMeter;
  /**
   * The team servers measurements also go to (MLflow, a Pushgateway): delivered, waiting, and
   * what was given up with its reason; the function twin of `%gaissa sinks`.
   */
  sinks(): DeliveryStatus[];
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
   * `predict` ('auto' by default with the kernel's meter) predicts each variant before measuring it.
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
  /**
   * Predicted (not measured) energy per inference and latency of an ONNX model at `batch` inputs
   * and `threads` threads, with an interval, from its graph and this machine's calibration
   * (measured once, ~30 s, when missing); twin of `gaissa predict`.
   */
  predict(model: OnnxModel | string, options?: PredictOptions): Promise<Prediction>;
}

/** Set by the kernel: renders the magic help from the live registry. */
let helpText: (command?: string) => string = () => 'help is available inside the GAISSA kernel';

export function connectHelp(render: (command?: string) => string): void {
  helpText = render;
}

/**
 * An API object whose module loads at its first use: a stand-in that forwards every property
 * read, write and check to the object `load` returns.
 */
function lazyObject<T extends object>(load: () => T): T {
  const target = lazyModule(load);
  // Node shows a proxy by its target: that shows the loaded object instead.
  const shown = {
    [inspect.custom]: (_: number, options: InspectOptions) => inspect(target(), options)
  };
  return new Proxy(shown as unknown as T, {
    get: (_, key) => Reflect.get(target(), key),
    set: (_, key, value) => Reflect.set(target(), key, value),
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(target(), key);
      // A proxy may only report a property it holds as non-configurable.
      return d && { ...d, configurable: true };
    }
  });
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
  measure: (fn, options) => measureModule().measure(fn, options),
  meter: () => measureModule().meter(),
  profile: (fn, options) => profileModule().profile(fn, options),
  sinks: () => measureModule().sinks(),
  config: {
    get: () => measureModule().config.get(),
    set: (key, value) => measureModule().config.set(key, value)
  },
  label: (source, options) => labelModule().issueNotebookLabel(source, options),
  model: lazyObject(() => tacticsModule().modelApi),
  tactics: lazyObject(() => tacticsModule().tacticsApi),
  compare: (variants, options) => tacticsModule().compare(variants, options),
  train: createTrainApi(bundle => gaissa.display(bundle, { displayId: true })),
  hf: lazyObject(() => hfModule().hfApi),
  predict: (model, options) => predictModule().predictModel(model, options)
};
