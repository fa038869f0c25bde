/**
 * Issue 8 benchmark: training tactics on the reference MNIST training (784-128-64-10 MLP,
 * TensorFlow.js wasm backend, seeded data order and weights), all in the same run:
 *   - baseline: 20 epochs, all layers trained;
 *   - early-stopping: val_acc, patience 5, best weights restored;
 *   - freezing: first layer frozen from epoch 7 (its features are learned by then);
 *   - both: the two together;
 *   - both + energy rule: plus the energy-aware stop (gain per kJ), to show it at work.
 * Like for like: one unmeasured warm-up epoch first (the wasm start-up lands on no variant), then
 * --repeat rounds in alternating order (the baseline first in one round, last in the next), each
 * figure the mean with its spread; a saving counts only when it passes the ONNX comparison's noise
 * rule (more than 2 standard errors of the difference).
 * Goal: >= 50 % less training energy than the baseline with <= 1 point of test accuracy lost.
 * Every variant is printed, the ones that miss the goal or do not pay off included.
 * Run: npm run build && node lib/bench/training-tactics.js [--epochs 20] [--repeat 3] [--json]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { closeMeasureSession } from '../kernel/measure/current';
import { compareTraining, type VariantSpec } from '../kernel/training/compare-training';
import { loadTfjs } from '../kernel/training/tfjs-runtime';
import { createMnistMlp, loadMnist, mnistTensors } from '../kernel/workloads/mnist';
import { formatDuration } from '../kernel/training/training-view';
import { energiesDistinguishable } from '../core/tactics';
import { formatEnergy } from '../core/format';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '20' },
    repeat: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false }
  }
});
const EPOCHS = Number(values.epochs);
const REPEAT = Number(values.repeat);
const GOAL_SAVING_PCT = 50;
const GOAL_MAX_DROP_POINTS = 1;

async function main(): Promise<void> {
  const tf = await loadTfjs();
  const split = loadMnist();
  const data = mnistTensors(tf, split);
  const earlyStopping = { monitor: 'val_acc', patience: 5 };
  const freeze = { layers: 1, fromEpoch: 7 };
  const variants: VariantSpec[] = [
    { name: 'early-stopping', earlyStopping },
    { name: 'freezing', freeze },
    { name: 'both', earlyStopping, freeze },
    {
      name: 'both + energy rule',
      earlyStopping: { ...earlyStopping, minGainPerKJ: 0.2, gainWindow: 3 },
      freeze
    }
  ];
  const loadAtStart = loadavg()[0];
  console.log(`Reference MNIST training: ${split.description}`);
  console.log(
    `TensorFlow.js ${tf.version.tfjs}, backend ${tf.getBackend()}; baseline ${EPOCHS} epochs, batch 64, Adam 1e-3; ` +
      `1 warm-up epoch, then ${REPEAT} rounds in alternating order\n`
  );
  const comparison = await compareTraining(
    {
      model: () => createMnistMlp(tf, { seed: 42 }),
      data,
      epochs: EPOCHS,
      batchSize: 64,
      seed: 42,
      log: false,
      display: false
    },
    variants,
    { maxAccuracyDrop: GOAL_MAX_DROP_POINTS / 100, repeat: REPEAT, warmup: 1 }
  );
  const p = comparison.payload;
  if (values.json) {
    console.log(JSON.stringify(p, null, 2));
  } else {
    console.log(comparison.toMimeBundle()['text/plain']);
  }
  console.log('');
  const base = p.variants[0];
  console.log(
    `meter: ${p.setup.meterMethod}${p.setup.fallbackReasons.length ? ` (${p.setup.fallbackReasons.join('; ')})` : ''}; host ${p.setup.host}`
  );
  // Other work on the machine moves the estimator's figures: say how busy it was.
  console.log(
    `load average (1 min) at start ${loadAtStart.toFixed(2)}, at end ${loadavg()[0].toFixed(2)}, on the CPUs the OS sees`
  );
  const baseRun = comparison.runs[base.name].data;
  if (baseRun.forecastCheck) {
    const c = baseRun.forecastCheck;
    console.log(
      `baseline forecast after epoch 1: ${formatEnergy(c.forecast.energyJ)} / ${formatDuration(c.forecast.durationS)}; ` +
        `actual ${formatEnergy(c.actual.energyJ)} / ${formatDuration(c.actual.durationS)} ` +
        `(energy error ${c.energyErrorPercent.toFixed(1)} %, time error ${c.durationErrorPercent.toFixed(1)} %)`
    );
  }
  console.log(
    `\nGoal: >= ${GOAL_SAVING_PCT} % less energy, <= ${GOAL_MAX_DROP_POINTS} point accuracy lost`
  );
  const stats = (v: (typeof p.variants)[number]) => ({
    mean: v.energyJ,
    sd: v.energyPerInferenceSdJ,
    n: comparison.allRuns[v.name].length
  });
  const spread = (v: (typeof p.variants)[number]) => {
    const energies = comparison.allRuns[v.name].map(r => r.energyJ);
    const sd = v.energyPerInferenceSdJ;
    return `${formatEnergy(v.energyJ)} ± ${sd === null ? '?' : formatEnergy(sd)} (runs ${energies.map(e => e.toFixed(0)).join(', ')} J)`;
  };
  console.log(`  ${base.name.padEnd(20)} ${spread(base)}`);
  for (const v of p.variants.slice(1)) {
    const saved = -(v.deltas?.energyPct ?? 0);
    const drop = -(v.deltas?.qualityPoints ?? 0);
    const beyondNoise = REPEAT >= 2 && energiesDistinguishable(stats(v), stats(base));
    const meets = beyondNoise && saved >= GOAL_SAVING_PCT && drop <= GOAL_MAX_DROP_POINTS;
    const why = [
      saved <= 0
        ? 'did not pay off (no energy saved)'
        : !beyondNoise
          ? 'saving within the run-to-run noise'
          : saved < GOAL_SAVING_PCT
            ? `saves only ${saved.toFixed(1)} %`
            : '',
      drop > GOAL_MAX_DROP_POINTS ? `loses ${drop.toFixed(2)} points` : ''
    ].filter(Boolean);
    console.log(
      `  ${v.name.padEnd(20)} ${saved.toFixed(1).padStart(6)} % energy saved, ` +
        `${(-drop).toFixed(2).padStart(6)} pts accuracy, ${comparison.training[v.name].epochs} epochs; ${spread(v)}: ` +
        (meets ? 'meets the goal' : `misses it (${why.join(', ')})`)
    );
  }
  for (const set of [data.train, data.validation, data.test]) tf.dispose([set.x, set.y]);
  await closeMeasureSession();
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
