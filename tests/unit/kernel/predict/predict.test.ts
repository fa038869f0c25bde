/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// A real, short calibration (onnxruntime-node and the power meter) and predictions from it.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnnxModel } from '../../../../kernel/onnx/onnx-model';
import { mlpModel, convNetModel } from '../../../../kernel/onnx/synthetic-models';
import { NoPredictionError } from '../../../../kernel/predict/onnx-work';
import { maxThreads } from '../../../../kernel/predict/calibration';
import {
  addMeasuredPoint,
  ensureCalibration,
  predictModel,
  predictionText
} from '../../../../kernel/predict/predict';

jest.setTimeout(60_000);

const cacheDir = mkdtempSync(join(tmpdir(), 'gaissa-predict-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

const workload = {
  models: [
    OnnxModel.fromProto(mlpModel({ sizes: [64, 32, 10] }), { name: 'a' }),
    OnnxModel.fromProto(mlpModel({ sizes: [128, 64, 10] }), { name: 'b' }),
    OnnxModel.fromProto(convNetModel({ side: 12, channels: 2 }), { name: 'c' })
  ],
  batches: [1, 4],
  windowS: 0.05,
  windows: 1
};

describe('predictModel', () => {
  it('calibrates when needed, then predicts with an interval and its basis', async () => {
    const model = OnnxModel.fromProto(mlpModel({ sizes: [96, 48, 10] }), { name: 'held-out' });
    const progress: string[] = [];
    const p = (
      await predictModel(model, {
        batch: 2,
        threads: 1,
        cacheDir,
        workload,
        onProgress: m => progress.push(m)
      })
    ).record;
    expect(progress).toHaveLength(6);
    expect(p.method).toBe('predicted');
    expect(p.energyPerInferenceJ).toBeGreaterThan(0);
    expect(p.low).toBeLessThan(p.energyPerInferenceJ);
    expect(p.high).toBeGreaterThan(p.energyPerInferenceJ);
    // The interval is symmetric in ratio: low x high = estimate^2.
    expect(p.low * p.high).toBeCloseTo(p.energyPerInferenceJ ** 2, 15);
    expect(p.energyPerCallJ).toBeCloseTo(p.energyPerInferenceJ * 2, 15);
    expect(p.latencyMs).toBeGreaterThan(0);
    // MatMul 96x48 and 48x10, bias Adds and one Relu, at batch 2
    expect(p.flops).toBe(2 * 2 * 96 * 48 + 2 * 2 * 48 * 10 + 2 * 48 + 2 * 10 + 2 * 48);
    expect(p.basis.points).toBe(6);
    expect(p.basis.measuredPoints).toBe(0);
    expect(p.basis.threads).toBe(1);
    expect(existsSync(p.basis.calibration)).toBe(true);
    expect(['estimate', 'rapl']).toContain(p.basis.meter.method);
    expect(p.basis.meter.note.length).toBeGreaterThan(20);
    expect(predictionText(p)).toMatch(/^Predicted \(not measured\): held-out, batch 2, 1 thread/);

    // The cached calibration serves the next prediction without measuring again.
    const again: string[] = [];
    await predictModel(model, { batch: 8, threads: 1, cacheDir, onProgress: m => again.push(m) });
    expect(again).toEqual([]);

    // A measured figure refines it.
    const added = await addMeasuredPoint(
      model,
      {
        batch: 2,
        threads: 1,
        energyPerInferenceJ: p.energyPerInferenceJ,
        latencyMs: p.latencyMs,
        coverage: 0
      },
      { cacheDir }
    );
    expect(added).toBe(true);
    const refined = (await predictModel(model, { batch: 2, threads: 1, cacheDir })).record;
    expect(refined.basis.points).toBe(7);
    expect(refined.basis.measuredPoints).toBe(1);
  });

  it('says no prediction rather than guessing', async () => {
    await expect(
      predictModel(OnnxModel.fromProto(mlpModel(), { name: 'm' }), {
        threads: 1,
        cacheDir: join(cacheDir, 'empty'),
        calibrate: 'never'
      })
    ).rejects.toThrow(/no prediction: this machine has no calibration for 1 thread\(s\)/);
    await expect(
      predictModel(OnnxModel.fromProto(mlpModel()), { batch: 0, cacheDir })
    ).rejects.toThrow(NoPredictionError);
    // Never more threads than logical CPUs, nor a calibration at that many.
    const over = maxThreads() + 1;
    await expect(
      predictModel(OnnxModel.fromProto(mlpModel()), { threads: over, cacheDir })
    ).rejects.toThrow(`threads must be at most ${maxThreads()} (this machine's logical CPUs)`);
    await expect(ensureCalibration(100000, { cacheDir, workload })).rejects.toThrow(
      NoPredictionError
    );
    // A fixed batch of 1 is predicted at batch 1 (the default), never divided by another batch.
    const fixed = OnnxModel.fromProto(mlpModel({ sizes: [32, 16, 4], batch: 1 }), { name: 'f' });
    await expect(predictModel(fixed, { batch: 64, threads: 1, cacheDir })).rejects.toThrow(
      /no prediction: the model's input 'input' has a fixed batch of 1/
    );
    const one = (await predictModel(fixed, { threads: 1, cacheDir, workload })).record;
    expect(one.batch).toBe(1);
    expect(one.energyPerInferenceJ).toBe(one.energyPerCallJ);
    const notOnnx = join(cacheDir, 'model.onnx');
    writeFileSync(notOnnx, 'hello');
    await expect(predictModel(notOnnx, { cacheDir })).rejects.toThrow();
  });
});
