/**
 * `gaissa.model`, `gaissa.tactics` and `gaissa.compare`: ONNX models, green tactics and their
 * side-by-side evaluation in the notebook. Energy comes from the kernel's shared power meter and
 * CO2e from its carbon settings (kernel/measure); long comparisons show their progress in place.
 */
import type { CarbonSettings } from '../../core/carbon';
import { measureSession } from '../measure/current';
import { refineFromComparison } from '../predict/refine';
import { OnnxModel } from '../onnx/onnx-model';
import { ConvNetOptions, MlpOptions, convNetModel, mlpModel } from '../onnx/synthetic-models';
import { TACTICS, applyTactics, tacticsHelp } from '../tactics/catalogue';
import {
  CompareOptions,
  CompareProgress,
  EnergyMeter,
  TacticsComparison,
  VariantSource,
  compareVariants
} from '../tactics/compare';
import type { EvalInput, LabelsInput } from '../tactics/eval-data';
import type { TacticOptions } from '../tactics/tactic';
import { Variant } from '../tactics/variant';

export { OnnxModel } from '../onnx/onnx-model';
export { Variant } from '../tactics/variant';
export { TacticsComparison } from '../tactics/compare';
export type { TacticOptions } from '../tactics/tactic';
export type { CompareProgress, EnergyMeter, VariantSource } from '../tactics/compare';

export interface ModelApi {
  /** Reads an ONNX file and summarises it (operators, parameters, size, inputs/outputs, opset). */
  load(path: string, options?: { name?: string }): Promise<OnnxModel>;
  /** A model from bytes in memory. */
  fromBytes(bytes: Uint8Array, options?: { name?: string }): OnnxModel;
  /** Small models with seeded random weights, for trying tactics without a trained model. */
  synthetic: {
    mlp(options?: MlpOptions): OnnxModel;
    convNet(options?: ConvNetOptions): OnnxModel;
  };
}

export interface TacticInfo {
  id: string;
  summary: string;
  argument?: { name: string; description: string; required: boolean };
}

/** Evaluation data registered under a name for `%gaissa optimize --eval NAME`. */
export interface EvalDataset {
  inputs: EvalInput;
  labels?: LabelsInput;
}

export interface TacticsApi {
  /**
   * Applies `spec` (`quantize-dynamic`, `prune-magnitude:0.5`, chains with `+`, or a list applied
   * in order) and returns the new variant; the input model and its file are left untouched.
   */
  apply(
    model: OnnxModel | Variant | string,
    spec: string | readonly string[],
    options?: TacticOptions
  ): Promise<Variant>;
  /** The tactics with their arguments. */
  list(): TacticInfo[];
  /** Registers evaluation (or calibration) data for the magics: `%gaissa optimize ... --eval NAME`. */
  dataset(name: string, data: EvalDataset): void;
  /** Help text of every tactic. */
  help(): string;
}

export type NotebookCompareOptions = Omit<CompareOptions, 'meter' | 'carbon'> & {
  /** Default: the kernel's shared power meter. */
  meter?: EnergyMeter;
  /** Default: the kernel's carbon settings (`%gaissa config`). */
  carbon?: CarbonSettings;
  /**
   * Default `'auto'` with the kernel's meter (predicted beside measured wherever this machine's
   * calibration is cached) and false with a meter of your own, which the calibration never saw.
   */
  predict?: CompareOptions['predict'];
  /** Show progress in the cell while measuring (default true inside the kernel). */
  progress?: boolean;
};

const datasets = new Map<string, EvalDataset>();

/** A dataset registered with gaissa.tactics.dataset, if any. */
export function registeredDataset(name: string): EvalDataset | undefined {
  return datasets.get(name);
}

async function asModel(model: OnnxModel | Variant | string): Promise<OnnxModel | Variant> {
  return typeof model === 'string' ? OnnxModel.load(model) : model;
}

export const modelApi: ModelApi = {
  load: (path, options) => OnnxModel.load(path, options),
  fromBytes: (bytes, options) => OnnxModel.fromBytes(bytes, options),
  synthetic: {
    mlp: options =>
      OnnxModel.fromProto(mlpModel(options), {
        name: `mlp-${(options?.sizes ?? [784, 64, 10]).join('-')}`
      }),
    convNet: options => OnnxModel.fromProto(convNetModel(options), { name: 'convnet' })
  }
};

export const tacticsApi: TacticsApi = {
  apply: async (model, spec, options = {}) => applyTactics(await asModel(model), spec, options),
  list: () =>
    TACTICS.map(t => ({
      id: t.id,
      summary: t.summary,
      ...(t.argument ? { argument: t.argument } : {})
    })),
  dataset(name, data) {
    if (typeof name !== 'string' || !/^[\w.-]+$/.test(name)) {
      throw new TypeError(
        `a dataset name is letters, digits, '.', '_' or '-', got ${JSON.stringify(name)}`
      );
    }
    if (!data || data.inputs === undefined)
      throw new TypeError('a dataset needs { inputs, labels? }');
    datasets.set(name, data);
  },
  help: tacticsHelp
};

/** Progress as one line of text, updated in place (update_display_data) while comparing. */
async function progressDisplay(): Promise<((p: CompareProgress) => void) | undefined> {
  const { gaissa } = await import('./index');
  try {
    const handle = gaissa.display({ 'text/plain': 'comparing variants...' }, { displayId: true });
    return p => {
      const bar = `[${'#'.repeat(Math.round((p.step / p.steps) * 20)).padEnd(20, '.')}]`;
      handle.update({
        'text/plain': p.phase === 'done' ? p.message : `${bar} ${p.step}/${p.steps} ${p.message}`
      });
    };
  } catch {
    // No notebook attached (a script importing gaissa): no progress display.
    return undefined;
  }
}

/**
 * `gaissa.compare(variants, { inputs, labels, metric, repeat, maxAccuracyDrop })`: energy per
 * inference, latency, throughput, size, quality and deltas of each variant against the first
 * (the baseline), the Pareto front, and the recommended variant within the accuracy budget.
 */
export async function compare(
  variants: readonly VariantSource[] | Record<string, VariantSource>,
  options: NotebookCompareOptions
): Promise<TacticsComparison> {
  const { progress = true, meter, carbon, onProgress, predict, ...rest } = options;
  const session = measureSession();
  const shown = progress ? await progressDisplay() : undefined;
  let last: CompareProgress | undefined;
  try {
    const comparison = await compareVariants(variants, {
      ...rest,
      predict: predict ?? (meter ? false : 'auto'),
      meter: meter ?? (await session.meter()),
      carbon: carbon ?? session.settings.carbon(),
      onProgress: p => {
        last = p;
        shown?.(p);
        onProgress?.(p);
      }
    });
    // The session's own meter measured it: the prediction calibration learns from it.
    if (!meter) await refineFromComparison(comparison).catch(() => 0);
    // Team servers that keep comparisons (MLflow) get it in the background, like measurements.
    session.sink.writeComparison(comparison.payload);
    return comparison;
  } catch (e) {
    // The progress line must not keep saying "measuring..." after a failure.
    shown?.({
      phase: 'done',
      variant: last?.variant ?? '',
      step: last?.step ?? 0,
      steps: last?.steps ?? 0,
      message: `comparison stopped: ${(e as Error).message}`
    });
    throw e;
  }
}
