/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// `%gaissa predict MODEL.onnx [--batch N] [--threads T]` through the registry, on a cached
// calibration: the prediction (marked predicted) or "no prediction: why".
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { mlpModel } from '../../../../kernel/onnx/synthetic-models';
import { saveCalibration, type CalibrationPoint } from '../../../../kernel/predict/calibration';
import { currentMachine } from '../../../../kernel/predict/predict';
import { resolve, run } from './fixtures/run-magic';

const saved = process.env.GAISSA_CACHE_DIR;
let dir: string;

function writeModel(name: string, model: onnx.IModelProto): string {
  const path = join(dir, name);
  writeFileSync(path, onnx.ModelProto.encode(model).finish());
  return path;
}

/** A calibration at 1 thread: 1 mJ per call + 1 nJ per matmul FLOP. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gaissa-predict-magic-'));
  process.env.GAISSA_CACHE_DIR = join(dir, 'cache');
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
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env.GAISSA_CACHE_DIR;
  else process.env.GAISSA_CACHE_DIR = saved;
});

test('options: --batch and --threads are whole numbers >= 1, the model is required', () => {
  expect(resolve('predict m.onnx --batch 4 --threads 1').args).toEqual({
    options: { batch: 4, threads: 1 },
    positionals: ['m.onnx']
  });
  expect(() => resolve('predict m.onnx --batch 0')).toThrow(/--batch must be at least 1/);
  expect(() => resolve('predict m.onnx --threads 1.5')).toThrow(/whole number/);
  expect(() => resolve('predict')).toThrow(/needs <model>/);
});

test('shows the prediction of gaissa.predict, marked predicted', async () => {
  const model = writeModel('mlp.onnx', mlpModel({ sizes: [100, 10] }));
  const { shown, error } = await run(`predict ${model} --batch 4 --threads 1`);
  expect(error).toBeUndefined();
  expect(shown).toHaveLength(1);
  const record = shown[0].data['application/json'] as Record<string, number | string>;
  expect(record.method).toBe('predicted');
  // MatMul [4,100]x[100,10] = 8000 FLOPs: 1 mJ + 8 µJ per call of 4.
  expect(record.energyPerInferenceJ).toBeCloseTo((1e-3 + 8000e-9) / 4, 9);
  expect(shown[0].data['text/plain']).toMatch(
    /^Predicted \(not measured\): mlp, batch 4, 1 thread/
  );
});

test('a file that is not a model, or a model it cannot size, says no prediction and why', async () => {
  const notOnnx = join(dir, 'text.onnx');
  writeFileSync(notOnnx, 'this is not a model');
  const bad = await run(`predict ${notOnnx} --threads 1`);
  expect(bad.error?.message).toMatch(/^%gaissa predict: no prediction: /);
  const fixed = writeModel('fixed.onnx', mlpModel({ sizes: [8, 2], batch: 1 }));
  const batch = await run(`predict ${fixed} --batch 64 --threads 1`);
  expect(batch.error?.message).toContain(
    "%gaissa predict: no prediction: the model's input 'input' has a fixed batch of 1"
  );
  expect(batch.shown).toHaveLength(0);
});
