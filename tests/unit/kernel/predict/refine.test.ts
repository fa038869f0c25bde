/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// A measured comparison adds its variants run at a known thread count to the calibration.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TacticsPayload } from '../../../../core/tactics';
import { OnnxModel } from '../../../../kernel/onnx/onnx-model';
import { mlpModel } from '../../../../kernel/onnx/synthetic-models';
import {
  loadCalibration,
  saveCalibration,
  type CalibrationPoint
} from '../../../../kernel/predict/calibration';
import { currentMachine } from '../../../../kernel/predict/predict';
import { refineFromComparison } from '../../../../kernel/predict/refine';
import { TacticsComparison } from '../../../../kernel/tactics/compare';
import { Variant } from '../../../../kernel/tactics/variant';

const saved = process.env.GAISSA_CACHE_DIR;
beforeEach(() => {
  process.env.GAISSA_CACHE_DIR = mkdtempSync(join(tmpdir(), 'gaissa-refine-'));
});
afterEach(() => {
  rmSync(process.env.GAISSA_CACHE_DIR!, { recursive: true, force: true });
  if (saved === undefined) delete process.env.GAISSA_CACHE_DIR;
  else process.env.GAISSA_CACHE_DIR = saved;
});

function comparison(): TacticsComparison {
  const model = OnnxModel.fromProto(mlpModel({ sizes: [20, 5] }), { name: 'fp32' });
  const row = (name: string, threads: number | null) => ({
    name,
    energyPerInferenceJ: 2e-4,
    latencyMs: 0.5,
    coverage: 0,
    runtime: { graphOptimizationLevel: 'all', intraOpNumThreads: threads, batchSize: 16 }
  });
  const payload = {
    baseline: 'fp32',
    recommended: 't1',
    variants: [row('fp32', null), row('t1', 1)]
  } as unknown as TacticsPayload;
  const models = new Map([
    ['fp32', new Variant('fp32', model, {}, [])],
    ['t1', new Variant('t1', model, { intraOpNumThreads: 1 }, [])]
  ]);
  return new TacticsComparison(payload, models);
}

test('adds the variants with a thread count to an existing calibration', async () => {
  const { key, path } = await currentMachine();
  const base: CalibrationPoint = {
    features: { call: 1 },
    energyJ: 1e-3,
    seconds: 1e-4,
    model: 'm',
    batch: 1,
    threads: 1,
    source: 'calibrate',
    coverage: 0
  };
  await saveCalibration(path, { version: 1, key, createdAt: 'c', updatedAt: 'u', points: [base] });
  expect(await refineFromComparison(comparison())).toBe(1);
  const points = loadCalibration(path, key)!.points;
  expect(points).toHaveLength(2);
  expect(points[1]).toMatchObject({
    source: 'measured',
    threads: 1,
    batch: 16,
    energyJ: 2e-4 * 16,
    seconds: 0.5e-3,
    model: 'fp32'
  });
  // MatMul [16,20]x[20,5] + bias Add
  expect(points[1].features['flops:matmul/float32']).toBe(2 * 16 * 20 * 5);
});

test('adds nothing when this machine has no calibration', async () => {
  expect(await refineFromComparison(comparison())).toBe(0);
});
