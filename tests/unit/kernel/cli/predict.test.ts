/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// `gaissa predict` and `gaissa calibrate` through the real CLI: a prediction from a cached
// calibration, and "no prediction: why" with exit 2 for input it cannot use.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { mlpModel } from '../../../../kernel/onnx/synthetic-models';
import {
  maxThreads,
  saveCalibration,
  type CalibrationPoint
} from '../../../../kernel/predict/calibration';
import { currentMachine } from '../../../../kernel/predict/predict';
import { runGaissa as gaissa } from '../fixtures/run-cli';
import { scratchDir } from '../fixtures/scratch-dir';

const scratch = scratchDir('gaissa-predict-cli-');
const saved = process.env.GAISSA_CACHE_DIR;

function writeModel(name: string, model: onnx.IModelProto): string {
  const path = join(scratch.dir, name);
  writeFileSync(path, onnx.ModelProto.encode(model).finish());
  return path;
}

/** A calibration at 1 thread: 1 mJ per call + 1 nJ per matmul FLOP; 10 µs + 1 ps per FLOP. */
beforeAll(async () => {
  process.env.GAISSA_CACHE_DIR = mkdtempSync(join(tmpdir(), 'gaissa-predict-cache-'));
  const { key, path } = await currentMachine();
  const points: CalibrationPoint[] = [1e5, 1e6, 1e7, 3e7].map((f, i) => ({
    features: { call: 1, 'flops:matmul/float32': f },
    energyJ: 1e-3 + 1e-9 * f,
    seconds: 1e-5 + 1e-12 * f,
    model: `m${i}`,
    batch: 1,
    threads: 1,
    source: 'calibrate',
    coverage: 0
  }));
  await saveCalibration(path, { version: 1, key, createdAt: 'c', updatedAt: 'u', points });
});

afterAll(() => {
  rmSync(process.env.GAISSA_CACHE_DIR!, { recursive: true, force: true });
  if (saved === undefined) delete process.env.GAISSA_CACHE_DIR;
  else process.env.GAISSA_CACHE_DIR = saved;
});

describe('gaissa predict', () => {
  test('--json prints the prediction, marked predicted, with its basis', async () => {
    const model = writeModel('mlp.onnx', mlpModel({ sizes: [100, 10] }));
    const r = await gaissa(['predict', model, '--batch', '4', '--threads', '1', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p.method).toBe('predicted');
    // MatMul [4,100]x[100,10] = 8000 FLOPs: 1 mJ + 8 µJ per call of 4
    expect(p.energyPerInferenceJ).toBeCloseTo((1e-3 + 8000e-9) / 4, 9);
    expect(p.low).toBeLessThan(p.energyPerInferenceJ);
    expect(p.high).toBeGreaterThan(p.energyPerInferenceJ);
    expect(p.flops).toBe(8000 + 40);
    expect(p.basis.points).toBe(4);
    // The bias Add was never calibrated (no elementwise cost to stand in): said so.
    expect(p.basis.substitutions).toEqual(['elementwise/float32: not calibrated, priced as free']);
    expect(p.basis.interval).toContain('widened by half for uncalibrated work');
  });

  test('text output says it is a prediction', async () => {
    const model = writeModel('mlp2.onnx', mlpModel({ sizes: [50, 10] }));
    const r = await gaissa(['predict', model, '--threads', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Predicted \(not measured\): mlp2, batch 1, 1 thread/);
    expect(r.stdout).toContain('energy per inference');
  });

  test('input it cannot use exits 2 with "no prediction: why"', async () => {
    const notOnnx = join(scratch.dir, 'text.onnx');
    writeFileSync(notOnnx, 'this is not a model');
    const bad = await gaissa(['predict', notOnnx, '--threads', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^gaissa predict: no prediction: /);

    const dynamic = mlpModel({ sizes: [8, 2] });
    dynamic.graph!.input![0].type!.tensorType!.shape!.dim![1] = { dimParam: 'features' };
    const dyn = await gaissa(['predict', writeModel('dyn.onnx', dynamic), '--threads', '1']);
    expect(dyn.code).toBe(2);
    expect(dyn.stderr).toContain("no prediction: dimension 1 of 'input' is dynamic (features)");

    // An empty cache: no calibration at any thread count.
    const cache = process.env.GAISSA_CACHE_DIR;
    process.env.GAISSA_CACHE_DIR = join(scratch.dir, 'empty-cache');
    const uncalibrated = await gaissa([
      'predict',
      writeModel('ok.onnx', mlpModel()),
      '--threads',
      '1',
      '--no-calibrate'
    ]).finally(() => (process.env.GAISSA_CACHE_DIR = cache));
    expect(uncalibrated.code).toBe(2);
    expect(uncalibrated.stderr).toContain('no calibration for 1 thread(s)');

    const fixed = writeModel('fixed.onnx', mlpModel({ sizes: [8, 2], batch: 1 }));
    const batch64 = await gaissa(['predict', fixed, '--batch', '64', '--threads', '1']);
    expect(batch64.code).toBe(2);
    expect(batch64.stderr).toContain(
      "no prediction: the model's input 'input' has a fixed batch of 1"
    );

    const usage = await gaissa(['predict', 'a.onnx', '--batch', 'two']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--batch must be a whole number >= 1');
    expect((await gaissa(['predict'])).code).toBe(2);
  });

  test('--threads beyond the logical CPUs exits 2, for predict and calibrate', async () => {
    const model = writeModel('threads.onnx', mlpModel({ sizes: [8, 2] }));
    const over = String(maxThreads() + 1);
    const p = await gaissa(['predict', model, '--threads', over]);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain(
      `--threads must be at most ${maxThreads()} (this machine's logical CPUs), got ${over}`
    );
    const c = await gaissa(['calibrate', '--threads', `1,100000`]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('--threads must be at most');
    expect(c.stdout).toBe('');
  });

  test('gaissa calibrate --help names the cache', async () => {
    const r = await gaissa(['calibrate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('GAISSA_CACHE_DIR');
  });
});
