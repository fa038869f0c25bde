/**
 * Issue 17 benchmark, three parts (--parts, default all): inference, training and cells.
 *
 * Inference: accuracy of the ONNX inference prediction (gaissa predict) on held-out models: MLPs and conv nets of sizes the calibration never saw, int8 and fp16 variants, at batch
 * sizes it never saw and each thread count, measured with the same power meter and windows as
 * gaissa.compare. Prints each case, the MAPE of energy per inference and of latency per call,
 * and the interval coverage (share of measured values inside [low, high]).
 * Goals: MAPE <= 15 %, coverage >= 80 %.
 * Training: bench/predict-training.ts (PRE before the first epoch, STEP after it) on held-out
 * tfjs runs, --training-runs N runs. Goal: PRE within 20 % (MAPE).
 * Cells: bench/predict-cells.ts (the tier of %%gaissa measure --predict) on held-out cells.
 * Goal: tier accuracy >= 85 %.
 * Ends with one summary line per goal.
 *
 * The calibration is measured afresh into a scratch folder (the user's cache is not touched)
 * unless --cache DIR names one to reuse.
 *
 * Run: node node_modules/typescript/bin/tsc -p tsconfig.json && node lib/bench/predict-accuracy.js
 *      [--parts inference,training,cells] [--windows N] [--window S] [--batches 4,32]
 *      [--threads 1,2] [--cache DIR] [--training-runs N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openPowerMeter } from '../kernel/meters/sampler';
import { OnnxModel } from '../kernel/onnx/onnx-model';
import { convNetModel, mlpModel } from '../kernel/onnx/synthetic-models';
import { defaultThreads, measureModel } from '../kernel/predict/calibration';
import { predictModel } from '../kernel/predict/predict';
import { applyTactics } from '../kernel/tactics/catalogue';
import { packageVersion } from '../kernel/versions';
import { median } from './stats';
import { benchPredictCells } from './predict-cells';
import { trainingPredictionAccuracy } from './predict-training';

const { values } = parseArgs({
  options: {
    windows: { type: 'string', default: '3' },
    window: { type: 'string', default: '0.4' },
    batches: { type: 'string', default: '4,32' },
    threads: { type: 'string' },
    cache: { type: 'string' },
    parts: { type: 'string', default: 'inference,training,cells' },
    'training-runs': { type: 'string', default: '1' }
  }
});
const list = (s: string) => s.split(',').map(Number);

async function heldOut(): Promise<OnnxModel[]> {
  const of = (proto: Parameters<typeof OnnxModel.fromProto>[0], name: string) =>
    OnnxModel.fromProto(proto, { name });
  const int8Base = of(mlpModel({ sizes: [900, 200, 10], seed: 7 }), 'mlp-900-200-10');
  const fp16Base = of(mlpModel({ sizes: [384, 768, 10], seed: 8, gemm: true }), 'mlp-384-768-10');
  return [
    of(mlpModel({ sizes: [640, 320, 10], gemm: true, seed: 9 }), 'mlp-640-320-10'),
    of(
      mlpModel({ sizes: [300, 800, 50, 10], activation: 'Sigmoid', seed: 10 }),
      'mlp-300-800-50-10'
    ),
    of(convNetModel({ side: 32, channels: 6, seed: 11 }), 'conv-32x6'),
    of(convNetModel({ side: 20, channels: 12, seed: 12 }), 'conv-20x12'),
    (await applyTactics(int8Base, 'quantize-dynamic')).model,
    (await applyTactics(fp16Base, 'fp16')).model
  ];
}

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

/** One line per goal, printed at the end of the run. */
const goals: string[] = [];
const met = (ok: boolean) => (ok ? 'met' : 'not met');

async function inferenceAccuracy(): Promise<void> {
  const cacheDir = values.cache ?? mkdtempSync(join(tmpdir(), 'gaissa-predict-bench-'));
  const threadCounts = values.threads ? list(values.threads) : [...new Set([1, defaultThreads()])];
  const meter = await openPowerMeter();
  const started = performance.now();
  try {
    const rows: Array<{ e: number; l: number; inside: boolean; insideL: boolean }> = [];
    const models = await heldOut();
    console.log(
      `gaissa ${packageVersion}; ${models.length} held-out models x batches ${values.batches} x threads ${threadCounts.join(',')}`
    );
    console.log(
      'model                          batch thr  predicted J/inf [low..high]       measured J/inf   err    latency ms pred/meas   err'
    );
    for (const threads of threadCounts) {
      for (const model of models) {
        for (const batch of list(values.batches)) {
          const p = (
            await predictModel(model, {
              batch,
              threads,
              cacheDir,
              meter,
              onProgress: m => process.stderr.write(`\r${m}`.padEnd(80))
            })
          ).record;
          const m = await measureModel(meter, model, {
            batch,
            threads,
            windows: Number(values.windows),
            windowS: Number(values.window)
          });
          const measured = m.energyPerCallJ / batch;
          const latency = m.secondsPerCall * 1000;
          const e = Math.abs(p.energyPerInferenceJ - measured) / measured;
          const l = Math.abs(p.latencyMs - latency) / latency;
          const inside = measured >= p.low && measured <= p.high;
          const insideL = latency >= p.latencyLowMs && latency <= p.latencyHighMs;
          rows.push({ e, l, inside, insideL });
          process.stderr.write('\r'.padEnd(81) + '\r');
          console.log(
            `${model.name.slice(0, 30).padEnd(30)} ${String(batch).padStart(5)} ${String(threads).padStart(3)}  ` +
              `${p.energyPerInferenceJ.toExponential(2)} [${p.low.toExponential(2)}..${p.high.toExponential(2)}]  ` +
              `${measured.toExponential(2)}${inside ? ' ' : '*'}  ${pct(e).padStart(6)}   ` +
              `${p.latencyMs.toPrecision(3).padStart(7)} / ${latency.toPrecision(3).padStart(7)}${insideL ? ' ' : '*'} ${pct(l).padStart(6)}`
          );
        }
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const mapeE = mean(rows.map(r => r.e));
    const mapeL = mean(rows.map(r => r.l));
    const cover = rows.filter(r => r.inside).length / rows.length;
    const coverL = rows.filter(r => r.insideL).length / rows.length;
    console.log('(* measured value outside the predicted interval)');
    console.log(
      `\nEnergy per inference: MAPE ${pct(mapeE)} (median APE ${pct(median(rows.map(r => r.e)))}), interval coverage ${pct(cover)}`
    );
    console.log(
      `Latency per call:     MAPE ${pct(mapeL)} (median APE ${pct(median(rows.map(r => r.l)))}), interval coverage ${pct(coverL)}`
    );
    goals.push(
      `inference: energy MAPE ${pct(mapeE)} (goal <= 15 %: ${met(mapeE <= 0.15)}), measured inside the interval ${pct(cover)} (goal >= 80 %: ${met(cover >= 0.8)})`
    );
    console.log(
      `Goals: energy MAPE <= 15 % ${met(mapeE <= 0.15)}; latency MAPE <= 15 % ${met(mapeL <= 0.15)}; energy coverage >= 80 % ${met(cover >= 0.8)}; latency coverage >= 80 % ${met(coverL >= 0.8)}`
    );
    console.log(
      `(${rows.length} cases, ${((performance.now() - started) / 1000).toFixed(0)} s including calibration)`
    );
  } finally {
    await meter.close();
    if (!values.cache) rmSync(cacheDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const parts = new Set(values.parts.split(','));
  for (const part of parts) {
    if (!['inference', 'training', 'cells'].includes(part)) {
      throw new Error(`--parts takes inference, training and cells, not ${part}`);
    }
  }
  if (parts.has('inference')) {
    console.log('== Inference (ONNX)');
    await inferenceAccuracy();
  }
  if (parts.has('training')) {
    console.log('\n== Training (tfjs): PRE before the first epoch, STEP after it');
    const t = await trainingPredictionAccuracy({
      runs: Number(values['training-runs']),
      onLine: line => console.log(line)
    });
    goals.push(
      `training: PRE MAPE ${t.preMapePercent.toFixed(1)} % (goal <= 20 %: ${met(t.preMapePercent <= 20)}), STEP ${t.stepMapePercent.toFixed(1)} %, PRE interval coverage ${t.coveragePercent.toFixed(0)} %`
    );
  }
  if (parts.has('cells')) {
    console.log('\n== Cells: the tier of %%gaissa measure --predict');
    const c = await benchPredictCells();
    goals.push(
      `cells: tier accuracy ${pct(c.tierAccuracy)} (goal >= 85 %: ${met(c.tierAccuracy >= 0.85)}), ${pct(c.predictedShare)} of cells predicted, estimate MAPE ${c.mape.toFixed(0)} %`
    );
  }
  console.log(`\nSummary\n${goals.map(g => `  ${g}`).join('\n')}`);
}

main().catch(e => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
