/**
 * Issue 5 benchmark: energy per inference of each ONNX tactic against the fp32 baseline on the
 * reference workload (the MNIST MLP trained and exported by the project, evaluated on its test
 * split), measured by gaissa.compare's engine with the real power meters. Goal: the best variant
 * within a 1-point accuracy budget uses at least 75 % less energy per inference than fp32.
 * Every variant is listed, including those that did not pay off.
 *
 * Run: node node_modules/typescript/bin/tsc -p tsconfig.json && node lib/bench/tactics-energy.js [--repeat N] [--window S]
 *      [--samples N] [--batch N]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { tacticsText } from '../core/tactics-static-view';
import { SettingsStore } from '../kernel/measure/settings';
import { openPowerMeter } from '../kernel/meters/sampler';
import { OnnxModel } from '../kernel/onnx/onnx-model';
import { applyTactics } from '../kernel/tactics/catalogue';
import { compareVariants } from '../kernel/tactics/compare';
import { packageVersion, packageRoot } from '../kernel/versions';
import { loadMnist } from '../kernel/workloads/mnist';
import { referenceMnistOnnx } from '../kernel/workloads/mnist-onnx';

const { values } = parseArgs({
  options: {
    repeat: { type: 'string', default: '5' },
    window: { type: 'string', default: '1' },
    samples: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '64' }
  }
});

const TACTICS = [
  'quantize-dynamic',
  'quantize-static',
  'fp16',
  'prune-magnitude:0.5',
  'prune-structured:0.3',
  'graph-optimize',
  'threads:1',
  'batch:256',
  'quantize-dynamic+threads:1',
  'quantize-static+threads:1',
  'prune-structured:0.3+quantize-dynamic+threads:1',
  'quantize-dynamic+threads:1+batch:256'
];

async function main(): Promise<void> {
  const made = await referenceMnistOnnx();
  const model = await OnnxModel.load(made.path, { name: 'fp32' });
  const split = loadMnist({ testSize: Number(values.samples), validationSize: 500 });
  const calibration = {
    type: 'float32',
    data: split.validation.x,
    dims: [split.validation.count, 784]
  };
  const variants = [];
  for (const spec of TACTICS) variants.push(await applyTactics(model, spec, { calibration }));
  const meter = await openPowerMeter();
  try {
    const comparison = await compareVariants([model, ...variants], {
      inputs: { type: 'float32', data: split.test.x, dims: [split.test.count, 784] },
      labels: Int32Array.from(split.test.labels),
      repeat: Number(values.repeat),
      minWindowS: Number(values.window),
      batchSize: Number(values.batch),
      maxAccuracyDrop: 0.01,
      meter,
      carbon: new SettingsStore(process.cwd()).carbon(),
      onProgress: p => process.stderr.write(`\r[${p.step}/${p.steps}] ${p.message}`.padEnd(70))
    });
    process.stderr.write('\n');
    const p = comparison.payload;
    console.log(
      `gaissa ${packageVersion}; reference model ${made.path} (test accuracy at export ${(made.testAccuracy * 100).toFixed(2)} %)\n`
    );
    console.log(tacticsText(p));
    const best = p.variants.find(v => v.recommended)!;
    const saving = -(best.deltas?.energyPct ?? 0);
    console.log(
      `\nGoal (>= 75 % less energy per inference within 1 point): ${best.name} saves ${saving.toFixed(1)} % -> ${saving >= 75 ? 'met' : 'not met'}`
    );
    const out = join(packageRoot, 'bench', 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'tactics-energy.json'), JSON.stringify(p, null, 2));
    console.log(`(payload in ${join(out, 'tactics-energy.json')})`);
  } finally {
    await meter.close();
  }
}

main().catch(e => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
