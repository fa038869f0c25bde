/**
 * `gaissa predict MODEL.onnx --batch N [--threads T] [--json]`: energy and latency of ONNX
 * inference before running it; `gaissa calibrate`: measures (or re-measures) this machine's
 * calibration. A model the predictor cannot reason about exits 2 with "no prediction: why".
 */
import { parseArgs } from 'node:util';
import { OnnxModelError } from '../onnx/model-file';
import { defaultThreads, fitFor, maxThreads } from '../predict/calibration';
import { NoPredictionError } from '../predict/onnx-work';
import { ensureCalibration, predictModel, predictionText } from '../predict/predict';
import { Command, UsageError, finiteJson } from './command';
import { parsingOptions } from './parse-options';

function count(value: string | undefined, name: string, max = Infinity): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name} must be a whole number >= 1, got ${value}`);
  if (n > max)
    throw new UsageError(
      `--${name} must be at most ${max} (this machine's logical CPUs), got ${value}`
    );
  return n;
}

/** Input the predictor cannot use is the user's to fix: one line, exit 2. */
async function predicting<R>(body: () => Promise<R>): Promise<R> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof NoPredictionError) throw new UsageError(e.message);
    if (e instanceof OnnxModelError) throw new UsageError(`no prediction: ${e.message}`);
    throw e;
  }
}

export const predict: Command = {
  name: 'predict',
  summary: 'predicted energy and latency of ONNX inference on this machine, before running it',
  usage: `Usage: gaissa predict MODEL.onnx [--batch N] [--threads T] [--json]

Predicts the energy per inference and the latency per call of MODEL.onnx at N inputs per call
(default 1) and T intra-op threads (default: one per logical CPU), from the graph's work
(FLOPs and bytes by operator class and data type) and this machine's calibration, with an
interval from the calibration's errors. The figures are predictions, not measurements.
Measures the calibration first (under 30 s per thread count) when this machine has none.

Options:
  --batch N         inputs per call (default 1)
  --threads T       intra-op threads, at most the logical CPUs (default: all of them)
  --no-calibrate    fail instead of measuring a missing calibration
  --json            print { energyPerInferenceJ, low, high, latencyMs, flops, bytes, method, basis }

Exits 2 with "no prediction: why" for a file that is not ONNX, an operator or a dimension the
predictor cannot know.`,
  async run(args, io) {
    const { values, positionals } = parsingOptions(() =>
      parseArgs({
        args,
        allowPositionals: true,
        options: {
          batch: { type: 'string' },
          threads: { type: 'string' },
          'no-calibrate': { type: 'boolean', default: false },
          json: { type: 'boolean', default: false }
        }
      })
    );
    if (positionals.length !== 1) throw new UsageError('give one model: gaissa predict MODEL.onnx');
    const batch = count(values.batch, 'batch');
    const threads = count(values.threads, 'threads', maxThreads());
    const prediction = await predicting(() =>
      predictModel(positionals[0], {
        batch,
        threads,
        calibrate: values['no-calibrate'] ? 'never' : 'auto',
        onProgress: m => io.stderr(`${m}\n`)
      })
    );
    io.stdout(
      values.json
        ? finiteJson(prediction.record, 'prediction')
        : predictionText(prediction.record) + '\n'
    );
    return 0;
  }
};

export const calibrate: Command = {
  name: 'calibrate',
  summary: "measure this machine's price of ONNX inference work, for gaissa predict",
  usage: `Usage: gaissa calibrate [--threads T] [--json]

Runs a short workload of synthetic ONNX models (MLPs, conv nets, int8 and fp16 variants at
batch 1, 8 and 64) with the power meter, under 30 s per thread count, and caches the fit per
machine and meter in the user's cache dir ($GAISSA_CACHE_DIR, else $XDG_CACHE_HOME/gaissa or
~/.cache/gaissa). Re-measures what is cached; points from your own measurements are kept.

Options:
  --threads T       thread counts to calibrate, comma-separated, each at most the logical CPUs
                    (default: logical CPUs)
  --json            print the fit (costs per unit of work, error spreads) as JSON`,
  async run(args, io) {
    const { values } = parsingOptions(() =>
      parseArgs({
        args,
        options: { threads: { type: 'string' }, json: { type: 'boolean', default: false } }
      })
    );
    const threads = values.threads
      ? values.threads.split(',').map(t => count(t.trim(), 'threads', maxThreads())!)
      : [defaultThreads()];
    const started = performance.now();
    const fits = [];
    let path = '';
    for (const t of threads) {
      const done = await ensureCalibration(t, {
        force: true,
        onProgress: m => io.stderr(`${m}\n`)
      });
      path = done.path;
      const fit = fitFor(done.calibration, t)!;
      fits.push({ threads: t, ...fit });
    }
    if (values.json) {
      io.stdout(finiteJson({ calibration: path, fits }, 'calibration'));
      return 0;
    }
    const took = ((performance.now() - started) / 1000).toFixed(0);
    io.stdout(`Calibration measured in ${took} s, saved to ${path}\n`);
    for (const f of fits) {
      io.stdout(
        `  ${f.threads} thread(s): ${f.points} points; leave-one-out error (90th percentile) energy ±${Math.round((Math.exp(f.energySpread) - 1) * 100)} %, latency ±${Math.round((Math.exp(f.secondsSpread) - 1) * 100)} %\n`
      );
    }
    return 0;
  }
};
