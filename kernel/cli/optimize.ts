/**
 * `gaissa optimize IN.onnx --tactic T --out OUT.onnx` and `gaissa compare BASE.onnx VARIANT.onnx
 * ... --inputs DATA`: the ONNX tactics for scripts and CI. Bad input (a corrupt model, an unknown
 * tactic, data that does not fit) exits 2 with a message naming the problem; the input model is
 * never written and OUT is written atomically or not at all.
 */
import { parseArgs } from 'node:util';
import type { CarbonSettings } from '../../core/carbon';
import { FieldError } from '../../core/field-error';
import { tacticReportText, tacticsText } from '../../core/tactics-static-view';
import { SettingsStore } from '../measure/settings';
import { openPowerMeter } from '../meters/sampler';
import { InputMismatchError } from '../onnx/inference';
import { OnnxModelError, canonicalPath } from '../onnx/model-file';
import { OnnxModel } from '../onnx/onnx-model';
import { applyTactics, tacticsHelp } from '../tactics/catalogue';
import { compareVariants } from '../tactics/compare';
import { EvalDataError, readEvalData, readLabels } from '../tactics/eval-data';
import { NpyError } from '../tactics/npy';
import { TacticError, TacticOptions } from '../tactics/tactic';
import { Command, UsageError } from './command';
import { parsingOptions } from './parse-options';
import { cliTeamSink, closeTeamSink } from './team-servers';

/** Problems with what the user gave become usage errors (exit 2, message only). */
async function reportingInput<R>(body: () => Promise<R>): Promise<R> {
  try {
    return await body();
  } catch (e) {
    if (
      e instanceof OnnxModelError ||
      e instanceof TacticError ||
      e instanceof InputMismatchError ||
      e instanceof NpyError ||
      e instanceof EvalDataError ||
      e instanceof FieldError ||
      e instanceof RangeError
    ) {
      throw new UsageError(e.message);
    }
    throw e;
  }
}

const optimizeUsage = `Usage: gaissa optimize IN.onnx --tactic T [--tactic T2 ...] --out OUT.onnx
                       [--per-tensor] [--reduce-range] [--calibration DATA] [--json]

Applies green tactics to an ONNX model and writes the result atomically to OUT.onnx; IN.onnx is
never modified (OUT equal to IN is refused). Several --tactic options (or T1+T2) chain in order.

Tactics:
${tacticsHelp()}

Options:
  --per-tensor        quantization: one scale per tensor instead of per output channel
  --reduce-range      quantization: 7-bit weights (CPUs without VNNI)
  --calibration DATA  quantize-static: sample inputs, FILE.npy, FILE.json or mnist[-validation][:N]
  --json              print the tactic reports as JSON instead of text

Exit status: 0 ok; 2 bad usage or invalid input (corrupt or non-ONNX model, unsupported opset,
missing calibration data...), nothing written.`;

export const optimize: Command = {
  name: 'optimize',
  summary: 'apply green tactics (int8, fp16, pruning, graph optimization) to an ONNX model',
  usage: optimizeUsage,
  async run(args, io) {
    const { values, positionals } = parsingOptions(() =>
      parseArgs({
        args,
        options: {
          tactic: { type: 'string', multiple: true },
          out: { type: 'string' },
          'per-tensor': { type: 'boolean' },
          'reduce-range': { type: 'boolean' },
          calibration: { type: 'string' },
          json: { type: 'boolean' }
        },
        strict: true,
        allowPositionals: true
      })
    );
    if (positionals.length !== 1)
      throw new UsageError(
        'give exactly one input model: gaissa optimize IN.onnx --tactic T --out OUT.onnx'
      );
    if (!values.tactic?.length)
      throw new UsageError('--tactic T is required (gaissa optimize --help lists the tactics)');
    if (!values.out) throw new UsageError('--out OUT.onnx is required');
    const input = positionals[0];
    if (canonicalPath(values.out) === canonicalPath(input)) {
      throw new UsageError(
        `--out ${values.out} is the input model: the input is never overwritten, choose another path`
      );
    }
    return reportingInput(async () => {
      const options: TacticOptions = {};
      if (values['per-tensor']) options.perChannel = false;
      if (values['reduce-range']) options.reduceRange = true;
      if (values.calibration) options.calibration = (await readEvalData(values.calibration)).inputs;
      const model = await OnnxModel.load(input);
      const variant = await applyTactics(model, values.tactic!, options);
      const written = await variant.save(values.out!);
      if (values.json)
        io.stdout(
          JSON.stringify({ input, output: written, reports: variant.reports }, null, 2) + '\n'
        );
      else io.stdout(`${tacticReportText(variant.reports, `${input} -> ${written}`)}\n`);
      return 0;
    });
  }
};

const compareUsage = `Usage: gaissa compare BASE.onnx VARIANT.onnx ... --inputs DATA [--labels DATA] [--json]
                      [--metric accuracy|agreement] [--repeat N] [--batch N]
                      [--max-accuracy-drop F] [--min-window S] [--region CC]

Measures each model on the same inputs: energy per inference (power meters; estimated where no
counter is readable), latency p50/p95, throughput, size raw and gzip, accuracy (with --labels)
or top-1 agreement with BASE, deltas against BASE, the Pareto front of energy vs accuracy, and
the recommended model within the accuracy budget.

DATA: FILE.npy (NumPy), FILE.json (array of samples, or { "inputs": ..., "labels": [...] }),
or mnist[-test|-validation|-train][:N] (N labelled digits of that split of the reference
workload; default test, 1000).

Options:
  --labels DATA            class index (or one-hot row) per input
  --metric M               accuracy (needs labels) or agreement (default without labels)
  --repeat N               measured windows per model (default 5)
  --batch N                inputs per run() call (default 64 or fewer)
  --max-accuracy-drop F    accuracy budget as a fraction (default 0.01 = 1 point)
  --min-window S           seconds each measured window lasts at least (default 0.5)
  --region CC              grid region for CO2e (as gaissa measure)
  --json                   print the comparison (schema/tactics.schema.json) as JSON

Exit status: 0 ok; 2 bad usage or invalid input.`;

export const compare: Command = {
  name: 'compare',
  summary: 'compare ONNX models side by side: energy per inference, latency, size, accuracy',
  usage: compareUsage,
  async run(args, io) {
    const { values, positionals } = parsingOptions(() =>
      parseArgs({
        args,
        options: {
          inputs: { type: 'string' },
          labels: { type: 'string' },
          metric: { type: 'string' },
          repeat: { type: 'string' },
          batch: { type: 'string' },
          'max-accuracy-drop': { type: 'string' },
          'min-window': { type: 'string' },
          region: { type: 'string' },
          json: { type: 'boolean' }
        },
        strict: true,
        allowPositionals: true
      })
    );
    if (positionals.length < 1)
      throw new UsageError(
        'give the baseline model and the variants: gaissa compare BASE.onnx VARIANT.onnx ...'
      );
    if (!values.inputs) throw new UsageError('--inputs DATA is required');
    if (
      values.metric !== undefined &&
      values.metric !== 'accuracy' &&
      values.metric !== 'agreement'
    ) {
      throw new UsageError(`--metric must be accuracy or agreement, got '${values.metric}'`);
    }
    const number = (name: string, raw: string | undefined): number | undefined => {
      if (raw === undefined) return undefined;
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n))
        throw new UsageError(`--${name} expects a number, got '${raw}'`);
      return n;
    };
    let carbon: CarbonSettings;
    let store: SettingsStore;
    try {
      store = new SettingsStore(process.cwd());
      carbon = store.carbon({ region: values.region });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    return reportingInput(async () => {
      const data = await readEvalData(values.inputs!);
      const labels = values.labels !== undefined ? await readLabels(values.labels) : data.labels;
      const meter = await openPowerMeter();
      try {
        const comparison = await compareVariants(positionals, {
          inputs: data.inputs,
          labels,
          metric: values.metric as 'accuracy' | 'agreement' | undefined,
          repeat: number('repeat', values.repeat),
          batchSize: number('batch', values.batch),
          maxAccuracyDrop: number('max-accuracy-drop', values['max-accuracy-drop']),
          minWindowS: number('min-window', values['min-window']),
          meter,
          carbon,
          onProgress: p => {
            if (!values.json && p.phase !== 'done')
              io.stderr(`[${p.step}/${p.steps}] ${p.message}\n`);
          }
        });
        io.stdout(
          values.json
            ? JSON.stringify(comparison.payload, null, 2) + '\n'
            : tacticsText(comparison.payload) + '\n'
        );
        // Team servers that keep comparisons (MLflow) get it after it is printed.
        const sink = cliTeamSink(store, io);
        sink.writeComparison(comparison.payload);
        await closeTeamSink(sink, io);
        return 0;
      } finally {
        await meter.close();
      }
    });
  }
};
