/**
 * `%gaissa predict MODEL.onnx [--batch N] [--threads T]`: the predicted energy per inference and
 * latency of an ONNX model on this machine, before running it; the magic twin of
 * `gaissa.predict` and `gaissa predict`. A model the predictor cannot reason about gets
 * "no prediction: why".
 */
import { MagicContext } from './context';
import { MagicError } from './parse';
import { MagicCommand } from './registry';

export const predictMagic: MagicCommand<MagicContext> = {
  name: 'predict',
  summary:
    "predicted (not measured) energy per inference and latency of an ONNX model, from its graph's work and this machine's calibration",
  options: [
    { name: 'batch', type: 'integer', min: 1, description: 'inputs per call (default 1)' },
    {
      name: 'threads',
      type: 'integer',
      min: 1,
      description: 'intra-op threads (default: one per logical CPU)'
    }
  ],
  positionals: [{ name: 'model', description: 'the .onnx file to predict' }],
  line: async (args, ctx) => {
    let prediction;
    try {
      prediction = await ctx.api.predict(args.positionals[0], {
        batch: args.options.batch as number | undefined,
        threads: args.options.threads as number | undefined,
        // Measuring a missing calibration takes up to 30 s: say what is happening.
        onProgress: message => ctx.print(`${message}\n`)
      });
    } catch (e) {
      const message = (e as Error).message;
      // A file that is not ONNX reads as the model problem it is, like the CLI says it.
      const said = (e as Error).name === 'OnnxModelError' ? `no prediction: ${message}` : message;
      throw new MagicError(`%gaissa predict: ${said}`);
    }
    ctx.api.display(prediction.toMimeBundle());
  }
};
