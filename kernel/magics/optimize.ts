/**
 * `%gaissa optimize MODEL --tactics T1,T2:ARG [--eval NAME]`: applies each tactic (or `+` chain)
 * to the model, shows what each changed, and with `--eval` compares the variants against the
 * original: the magic twin of gaissa.tactics.apply + gaissa.compare.
 */
import { basename, join } from 'node:path';
import { lazyModule } from '../lazy-module';
import type { EvalFile } from '../tactics/eval-data';
import type { TacticOptions } from '../tactics/tactic';
import type { Variant } from '../tactics/variant';
import { MagicContext } from './context';
import { MagicError } from './parse';
import { MagicCommand } from './registry';

// ONNX Runtime and the tactics load when the magic first runs, not when the kernel starts.
/* eslint-disable @typescript-eslint/no-require-imports */
const tacticsApi = lazyModule(() => require('../api/tactics') as typeof import('../api/tactics'));
const onnxModel = lazyModule(
  () => require('../onnx/onnx-model') as typeof import('../onnx/onnx-model')
);
const catalogue = lazyModule(
  () => require('../tactics/catalogue') as typeof import('../tactics/catalogue')
);
const evalData = lazyModule(
  () => require('../tactics/eval-data') as typeof import('../tactics/eval-data')
);
/* eslint-enable @typescript-eslint/no-require-imports */

/** A dataset registered with gaissa.tactics.dataset, else a file or a built-in set (mnist-test:N...). */
async function dataset(name: string): Promise<EvalFile> {
  const registered = tacticsApi().registeredDataset(name);
  if (registered) return { ...registered, description: `dataset '${name}'` };
  try {
    return await evalData().readEvalData(name);
  } catch (e) {
    throw new MagicError(
      `--eval/--calibration ${name}: ${(e as Error).message} (register data with gaissa.tactics.dataset('${name}', { inputs, labels }))`
    );
  }
}

/** A file name for a variant: the model's name with the tactic chain, safe characters only. */
export function variantFileName(model: string, variant: string): string {
  return `${model}-${variant}`.replace(/[^\w.-]+/g, '_') + '.onnx';
}

export const optimizeMagic: MagicCommand<MagicContext> = {
  name: 'optimize',
  summary:
    'apply green tactics to an ONNX model (int8, fp16, pruning, graph optimization) and compare them',
  positionals: [{ name: 'model', description: 'path of the ONNX model (never modified)' }],
  options: [
    {
      name: 'tactics',
      type: 'string',
      description:
        'comma-separated tactics, each ID[:ARG] or a chain ID+ID (see %gaissa optimize --tactics help)'
    },
    {
      name: 'eval',
      type: 'string',
      description:
        'compare the variants on this data: a gaissa.tactics.dataset name, FILE.npy/.json, or mnist[-test|-validation][:N]'
    },
    {
      name: 'labels',
      type: 'string',
      description: 'labels for --eval data that has none (FILE.npy/.json)'
    },
    {
      name: 'calibration',
      type: 'string',
      description: 'quantize-static: sample inputs to calibrate on (name or file, like --eval)'
    },
    {
      name: 'per-tensor',
      type: 'boolean',
      description: 'quantization: one scale per tensor instead of per channel'
    },
    { name: 'reduce-range', type: 'boolean', description: 'quantization: 7-bit weights' },
    {
      name: 'repeat',
      type: 'integer',
      description: 'measured windows per variant',
      default: 5,
      min: 1
    },
    { name: 'batch', type: 'integer', description: 'inputs per run() call', min: 1 },
    {
      name: 'max-accuracy-drop',
      type: 'number',
      description: 'accuracy budget as a fraction (0.01 = 1 point)',
      default: 0.01,
      min: 0
    },
    {
      name: 'save-dir',
      type: 'string',
      description: 'write each variant there as MODEL-TACTIC.onnx (atomically)'
    }
  ],
  line: async (args, ctx) => {
    const tactics = args.options.tactics as string | undefined;
    if (tactics === undefined || tactics === 'help') {
      if (tactics === 'help') {
        ctx.print(
          `Tactics (combine with commas for separate variants, '+' to chain):\n${catalogue().tacticsHelp()}\n`
        );
        return;
      }
      throw new MagicError(
        '%gaissa optimize needs --tactics T1,T2:ARG (--tactics help lists them)'
      );
    }
    const specs = tactics
      .split(',')
      .map(s => s.trim())
      .filter(Boolean);
    try {
      specs.forEach(spec => catalogue().parseTacticChain(spec));
    } catch (e) {
      throw new MagicError(`--tactics: ${(e as Error).message}`);
    }
    const model = await onnxModel().OnnxModel.load(args.positionals[0]);
    ctx.api.display(model.toMimeBundle());
    const options: TacticOptions = {};
    if (args.options['per-tensor'] === true) options.perChannel = false;
    if (args.options['reduce-range'] === true) options.reduceRange = true;
    const calibration = args.options.calibration as string | undefined;
    if (calibration !== undefined) options.calibration = (await dataset(calibration)).inputs;

    const variants: Variant[] = [];
    for (const spec of specs) {
      const variant = await ctx.api.tactics.apply(model, spec, options);
      variants.push(variant);
      ctx.api.display(variant.toMimeBundle());
      const dir = args.options['save-dir'] as string | undefined;
      if (dir !== undefined) {
        const path = await variant.save(
          join(dir, variantFileName(basename(model.name), variant.name))
        );
        ctx.print(`saved ${variant.name} to ${path}\n`);
      }
    }

    const evalName = args.options.eval as string | undefined;
    if (evalName === undefined) return;
    const data = await dataset(evalName);
    const labelsFile = args.options.labels as string | undefined;
    const labels = labelsFile !== undefined ? await evalData().readLabels(labelsFile) : data.labels;
    const comparison = await ctx.api.compare([model, ...variants], {
      inputs: data.inputs,
      labels,
      repeat: args.options.repeat as number,
      batchSize: args.options.batch as number | undefined,
      maxAccuracyDrop: args.options['max-accuracy-drop'] as number
    });
    ctx.api.display(comparison.toMimeBundle());
  }
};
