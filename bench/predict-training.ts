/**
 * Issue 17 benchmark, training part: accuracy of the TensorFlow.js training prediction made
 * before the first epoch (PRE) and of the forecast made after it (STEP) on held-out training runs:
 * MLPs and frozen-base conv nets of sizes the calibration never saw, at sample counts, batch
 * sizes and epochs it never saw, trained with gaissa.train.fit and the project's power meter.
 * Each run calibrates afresh (into a scratch folder; the user's cache is not touched) and then
 * trains every case; it prints each case, then per run the MAPE of PRE and of STEP against the
 * measured epochs and the share of runs inside PRE's interval, and their medians over the runs.
 * Goal: PRE within 20 % (median MAPE <= 20 %).
 *
 * Run: node node_modules/typescript/bin/tsc -p tsconfig.json && node lib/bench/predict-training.js
 *      [--runs N]   (about 40 s per run on a loaded 2-core VM)
 * Or import { trainingPredictionAccuracy } to run it from another benchmark.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LayersModel } from '@tensorflow/tfjs';
import { resolveCarbonSettings } from '../core/carbon';
import { openPowerMeter } from '../kernel/meters/sampler';
import { frozenConvNet, mlpBuilder, syntheticData } from '../kernel/predict/training-calibration';
import { fitWithEnergy } from '../kernel/training/fit';
import { loadTfjs, type Tfjs } from '../kernel/training/tfjs-runtime';
import { median } from './stats';

export interface HeldOutCase {
  name: string;
  build(tf: Tfjs): LayersModel;
  samples: number;
  batchSize: number;
  epochs: number;
  validationSamples: number;
}

/** Sizes, sample counts and batch sizes the calibration workload never takes. */
export const HELD_OUT: HeldOutCase[] = [
  {
    name: 'mlp-96-48-10',
    build: mlpBuilder([96, 48, 10]),
    samples: 2000,
    batchSize: 32,
    epochs: 3,
    validationSamples: 0
  },
  {
    name: 'mlp-96-48-10',
    build: mlpBuilder([96, 48, 10]),
    samples: 1000,
    batchSize: 100,
    epochs: 5,
    validationSamples: 0
  },
  {
    name: 'mlp-640-320-10',
    build: mlpBuilder([640, 320, 10]),
    samples: 1200,
    batchSize: 64,
    epochs: 3,
    validationSamples: 300
  },
  {
    name: 'mlp-200-400-200-10',
    build: mlpBuilder([200, 400, 200, 10], 'tanh'),
    samples: 800,
    batchSize: 50,
    epochs: 4,
    validationSamples: 0
  },
  {
    name: 'mlp-1000-100-10',
    build: mlpBuilder([1000, 100, 10]),
    samples: 1500,
    batchSize: 128,
    epochs: 3,
    validationSamples: 500
  },
  {
    name: 'mlp-64-10',
    build: mlpBuilder([64, 10]),
    samples: 3000,
    batchSize: 24,
    epochs: 2,
    validationSamples: 0
  },
  {
    name: 'conv-16x1x12',
    build: frozenConvNet(16, 1, 12),
    samples: 1500,
    batchSize: 48,
    epochs: 3,
    validationSamples: 0
  },
  {
    name: 'conv-24x3x24+48',
    build: frozenConvNet(24, 3, 24, 48),
    samples: 600,
    batchSize: 24,
    epochs: 3,
    validationSamples: 200
  }
];

export interface CaseResult {
  name: string;
  samples: number;
  batchSize: number;
  epochs: number;
  validationSamples: number;
  predictedJ: number;
  lowJ: number;
  highJ: number;
  stepJ: number | null;
  actualJ: number;
  /** null where the actual was 0 J (no relative error). */
  preErrorPercent: number | null;
  stepErrorPercent: number | null;
  inInterval: boolean;
}

export interface RunResult {
  cases: CaseResult[];
  calibrationS: number;
  preMapePercent: number;
  stepMapePercent: number;
  coveragePercent: number;
}

export interface TrainingAccuracy {
  runs: RunResult[];
  /** Medians over the runs. */
  preMapePercent: number;
  stepMapePercent: number;
  coveragePercent: number;
  meterMethod: string;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Calibrates afresh and trains each held-out case, `runs` times. */
export async function trainingPredictionAccuracy(
  options: { runs?: number; cases?: HeldOutCase[]; onLine?: (line: string) => void } = {}
): Promise<TrainingAccuracy> {
  const say = options.onLine ?? (() => undefined);
  const tf = await loadTfjs();
  const meter = await openPowerMeter();
  const carbon = resolveCarbonSettings({});
  const runs: RunResult[] = [];
  let meterMethod = 'unknown';
  try {
    for (let r = 0; r < (options.runs ?? 3); r++) {
      const cacheDir = mkdtempSync(join(tmpdir(), 'gaissa-training-bench-'));
      try {
        const cases: CaseResult[] = [];
        let calibrationS = 0;
        for (const c of options.cases ?? HELD_OUT) {
          const model = c.build(tf);
          const train = syntheticData(tf, model, c.samples, 11);
          const validation = c.validationSamples
            ? syntheticData(tf, model, c.validationSamples, 13)
            : undefined;
          const t0 = performance.now();
          const run = await fitWithEnergy(
            model,
            { train, validation },
            {
              epochs: c.epochs,
              batchSize: c.batchSize,
              meter,
              carbon,
              log: false,
              display: false,
              predict: { cacheDir }
            }
          );
          tf.dispose([train.x, train.y, ...(validation ? [validation.x, validation.y] : [])]);
          model.dispose();
          const pre = run.data.prediction;
          const check = run.data.predictionCheck;
          if (!pre || !check) throw new Error(`${c.name}: ${run.data.noPrediction ?? 'no check'}`);
          // The first case measures the calibration before training: its time is that part.
          if (cases.length === 0) calibrationS = (performance.now() - t0) / 1000 - run.durationS;
          meterMethod = pre.basis.meter.method;
          const result: CaseResult = {
            name: c.name,
            samples: c.samples,
            batchSize: c.batchSize,
            epochs: c.epochs,
            validationSamples: c.validationSamples,
            predictedJ: check.pre.energyJ,
            lowJ: pre.low,
            highJ: pre.high,
            stepJ: check.step?.energyJ ?? null,
            actualJ: check.actual.energyJ,
            preErrorPercent: check.pre.energyErrorPercent,
            stepErrorPercent: check.step?.energyErrorPercent ?? null,
            inInterval: check.pre.inInterval
          };
          cases.push(result);
          say(
            `run ${r + 1}  ${c.name.padEnd(20)} n=${String(c.samples).padStart(4)} b=${String(c.batchSize).padStart(3)} ` +
              `e=${c.epochs} val=${String(c.validationSamples).padStart(3)}  ` +
              `PRE ${result.predictedJ.toFixed(2)} J [${result.lowJ.toFixed(2)}, ${result.highJ.toFixed(2)}]  ` +
              `STEP ${result.stepJ?.toFixed(2) ?? '-'} J  actual ${result.actualJ.toFixed(2)} J  ` +
              `PRE ${result.preErrorPercent?.toFixed(1) ?? '-'} %  STEP ${result.stepErrorPercent?.toFixed(1) ?? '-'} %` +
              `${result.inInterval ? '' : '  (outside)'}`
          );
        }
        const pres = cases.filter(c => c.preErrorPercent !== null);
        const steps = cases.filter(c => c.stepErrorPercent !== null);
        const result: RunResult = {
          cases,
          calibrationS,
          preMapePercent: mean(pres.map(c => Math.abs(c.preErrorPercent!))),
          stepMapePercent: mean(steps.map(c => Math.abs(c.stepErrorPercent!))),
          coveragePercent: (100 * cases.filter(c => c.inInterval).length) / cases.length
        };
        runs.push(result);
        say(
          `run ${r + 1}: calibration ${result.calibrationS.toFixed(1)} s; PRE MAPE ${result.preMapePercent.toFixed(1)} %, ` +
            `STEP MAPE ${result.stepMapePercent.toFixed(1)} %, PRE interval coverage ${result.coveragePercent.toFixed(0)} %`
        );
      } finally {
        rmSync(cacheDir, { recursive: true, force: true });
      }
    }
  } finally {
    await meter.close();
  }
  return {
    runs,
    preMapePercent: median(runs.map(r => r.preMapePercent)),
    stepMapePercent: median(runs.map(r => r.stepMapePercent)),
    coveragePercent: median(runs.map(r => r.coveragePercent)),
    meterMethod
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
  const result = await trainingPredictionAccuracy({
    runs: Number(values.runs),
    onLine: line => console.log(line)
  });
  const list = (xs: number[]) => xs.map(x => x.toFixed(1)).join(', ');
  console.log(
    `\nmeter: ${result.meterMethod}; ${result.runs.length} runs of ${result.runs[0]?.cases.length} cases`
  );
  console.log(
    `PRE  MAPE per run ${list(result.runs.map(r => r.preMapePercent))} %; median ${result.preMapePercent.toFixed(1)} % ` +
      `(goal <= 20 %: ${result.preMapePercent <= 20 ? 'met' : 'not met'})`
  );
  console.log(
    `STEP MAPE per run ${list(result.runs.map(r => r.stepMapePercent))} %; median ${result.stepMapePercent.toFixed(1)} %`
  );
  console.log(
    `PRE interval coverage per run ${list(result.runs.map(r => r.coveragePercent))} %; median ${result.coveragePercent.toFixed(1)} %`
  );
}

if (require.main === module) {
  main().catch(e => {
    console.error(e);
    process.exitCode = 1;
  });
}
