/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// gaissa.compare with `predict`: each variant is predicted (real onnxruntime, a tiny cached
// calibration) before it is measured, and the payload sets the prediction against the measurement.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveCarbonSettings } from '../../../../core/carbon';
import type { VariantPredicted } from '../../../../core/tactics-prediction';
import { OnnxModel } from '../../../../kernel/onnx/onnx-model';
import { convNetModel, mlpModel } from '../../../../kernel/onnx/synthetic-models';
import { ensureCalibration } from '../../../../kernel/predict/predict';
import { CompareProgress, compareVariants } from '../../../../kernel/tactics/compare';
import { Variant } from '../../../../kernel/tactics/variant';
import { expectValid, fakeMeter, inputs } from '../fixtures/tactics';

jest.setTimeout(60_000);

const carbon = resolveCarbonSettings({ region: 'FR' });
const cacheDir = mkdtempSync(join(tmpdir(), 'gaissa-compare-predict-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

const workload = {
  models: [
    OnnxModel.fromProto(mlpModel({ sizes: [64, 32, 10] }), { name: 'a' }),
    OnnxModel.fromProto(mlpModel({ sizes: [128, 64, 10] }), { name: 'b' }),
    OnnxModel.fromProto(convNetModel({ side: 12, channels: 2 }), { name: 'c' })
  ],
  batches: [1, 8],
  windowS: 0.03,
  windows: 1
};

// A tiny calibration at one thread, cached in cacheDir before any comparison.
beforeAll(() => ensureCalibration(1, { cacheDir, workload, meter: fakeMeter() }));

const model = OnnxModel.fromProto(mlpModel({ sizes: [784, 32, 10] }), { name: 'fp32' });
const compare = (
  predict: Parameters<typeof compareVariants>[1]['predict'],
  progress?: CompareProgress[]
) =>
  compareVariants(
    {
      fp32: new Variant('fp32', model, { intraOpNumThreads: 1 }),
      // No calibration at 2 threads (or more threads than this machine has): no prediction.
      'fp32 x2': new Variant('fp32 x2', model, { intraOpNumThreads: 2 })
    },
    {
      inputs: inputs(16),
      batchSize: 8,
      repeat: 1,
      warmup: 0,
      minWindowS: 0.02,
      meter: fakeMeter(),
      carbon,
      predict,
      onProgress: p => progress?.push(p)
    }
  );

test('each variant predicted before it is measured, with its error against the measurement', async () => {
  const progress: CompareProgress[] = [];
  const c = await compare({ cacheDir }, progress);
  expectValid(c.payload);
  const [one, two] = c.payload.variants;
  const p = one.prediction as VariantPredicted;
  expect(p.method).toBe('predicted');
  expect(p).toMatchObject({ batch: 8, threads: 1 });
  expect(p.low).toBeLessThan(p.energyPerInferenceJ);
  expect(p.high).toBeGreaterThan(p.energyPerInferenceJ);
  expect(p.energyErrorPercent).toBeCloseTo(
    ((p.energyPerInferenceJ - one.energyPerInferenceJ) / one.energyPerInferenceJ) * 100,
    9
  );
  expect(p.latencyErrorPercent).toBeCloseTo(
    ((p.latencyMs - one.latencyMs) / one.latencyMs) * 100,
    9
  );
  expect(p.inInterval).toBe(one.energyPerInferenceJ >= p.low && one.energyPerInferenceJ <= p.high);
  expect(p.basis).toMatch(/^calibration of 6 points at 1 thread\(s\)/);
  expect(two.prediction).toEqual({
    noPrediction: expect.stringMatching(/calibration|threads must be/)
  });
  // Predictions come before the first measured window.
  const phases = progress.map(s => s.phase);
  expect(phases.lastIndexOf('predict')).toBeLessThan(phases.indexOf('measure'));
  expect(phases.filter(s => s === 'predict')).toHaveLength(2);
  expect(progress.every(s => s.step <= s.steps)).toBe(true);
  // The views say it is predicted, never measured.
  const text = c.toMimeBundle()['text/plain'] as string;
  expect(text).toMatch(/Predicted before measuring \(not measured\)/);
  expect(text).toMatch(/fp32 x2: no prediction: /);
});

test("'auto' predicts only what the cached calibration covers, and says nothing of the rest", async () => {
  const saved = process.env.GAISSA_CACHE_DIR;
  const empty = mkdtempSync(join(tmpdir(), 'gaissa-compare-auto-'));
  try {
    process.env.GAISSA_CACHE_DIR = cacheDir;
    const [one, two] = (await compare('auto')).payload.variants;
    expect((one.prediction as VariantPredicted).method).toBe('predicted');
    expect(two.prediction).toBeUndefined();
    process.env.GAISSA_CACHE_DIR = empty;
    const none = await compare('auto');
    expect(none.payload.variants.map(v => v.prediction)).toEqual([undefined, undefined]);
    expect(none.toMimeBundle()['text/plain']).not.toContain('Predicted');
  } finally {
    if (saved === undefined) delete process.env.GAISSA_CACHE_DIR;
    else process.env.GAISSA_CACHE_DIR = saved;
    rmSync(empty, { recursive: true, force: true });
  }
});

test("an explicit 'never' calibrates nothing and says why, and no predict option predicts nothing", async () => {
  const empty = mkdtempSync(join(tmpdir(), 'gaissa-compare-nocal-'));
  try {
    const progress: CompareProgress[] = [];
    const c = await compare({ cacheDir: empty }, progress);
    for (const v of c.payload.variants)
      expect(v.prediction).toEqual({ noPrediction: expect.stringMatching(/calibration|threads/) });
    // Nothing was measured for a calibration: no progress from one.
    expect(progress.filter(s => s.phase === 'predict')).toHaveLength(2);
    const off = await compare(undefined);
    expect(off.payload.variants.every(v => v.prediction === undefined)).toBe(true);
    await expect(compare('sometimes' as never)).rejects.toThrow(/predict must be/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
