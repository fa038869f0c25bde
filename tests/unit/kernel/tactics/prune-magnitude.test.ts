/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// prune-magnitude zeroes exactly the requested share of the smallest weights and changes only
// the compressed size.
import { gzipSync } from 'node:zlib';
import { OnnxModel } from '../../../../kernel/onnx/onnx-model';
import { mlpModel } from '../../../../kernel/onnx/synthetic-models';
import { applyTactics } from '../../../../kernel/tactics/catalogue';
import { pruneSmallest } from '../../../../kernel/tactics/prune-magnitude';
import {
  expectUnchanged,
  firstOutput,
  inputs,
  maxAbsDiff,
  modelFile,
  tempDir,
  weight
} from '../fixtures/tactics';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.remove());

describe('prune-magnitude', () => {
  test('pruneSmallest zeroes exactly floor(S x n) of the smallest, ties included', () => {
    const { values, zeros } = pruneSmallest(Float32Array.from([0.5, -0.1, 0.1, 0.1, -2, 3]), 0.5);
    expect(zeros).toBe(3);
    expect(Array.from(values)).toEqual([0.5, 0, 0, 0, -2, 3]);
    expect(pruneSmallest(Float32Array.from([1, 1, 1, 1]), 0.5).zeros).toBe(2);
    expect(pruneSmallest(Float32Array.from([1, 2]), 0).zeros).toBe(0);
  });

  test('target sparsity, same file size, smaller gzip, honest note, input untouched', async () => {
    const file = await modelFile(tmp.dir, 'mlp.onnx', mlpModel({ sizes: [784, 64, 10] }));
    const base = await OnnxModel.load(file.path);
    const v = await applyTactics(base, 'prune-magnitude:0.7');
    const w0 = weight(v.model, 'W0').values;
    expect(w0.filter(x => x === 0).length).toBe(Math.floor(784 * 64 * 0.7));
    // Biases are not weights to prune.
    expect(weight(v.model, 'B0').values).toEqual(weight(base, 'B0').values);
    expect(v.model.summary.operators).toEqual(base.summary.operators);
    expect(Math.abs(v.model.sizeBytes - base.sizeBytes)).toBeLessThan(64);
    expect(gzipSync(v.model.bytes).byteLength).toBeLessThan(0.6 * gzipSync(base.bytes).byteLength);
    expect(v.reports[0].summary).toMatch(/70.0 % zeros/);
    expect(v.reports[0].notes[0]).toMatch(/no speed or energy gain/);
    expectUnchanged(file);
  });

  test('sparsity 0 changes nothing; a bad argument is named', async () => {
    const base = OnnxModel.fromProto(mlpModel({ sizes: [784, 16, 10] }));
    const x = inputs(20);
    const v = await applyTactics(base, 'prune-magnitude:0');
    expect(maxAbsDiff(await firstOutput(base, x), await firstOutput(v.model, x))).toBe(0);
    await expect(applyTactics(base, 'prune-magnitude:1.5')).rejects.toThrow(
      "prune-magnitude: needs the sparsity S as a fraction in [0, 1), e.g. prune-magnitude:0.5; got '1.5'"
    );
    await expect(applyTactics(base, 'prune-magnitude')).rejects.toThrow(
      /needs an argument: prune-magnitude:S/
    );
  });
});
