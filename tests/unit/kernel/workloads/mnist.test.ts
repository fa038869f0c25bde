/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
/** The reference MNIST workload: a deterministic split, and mnist-mlp.onnx that runs as tfjs did. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadMnist, MNIST_PIXELS } from '../../../../kernel/workloads/mnist';
import { referenceMnistOnnx, topOneAccuracy } from '../../../../kernel/workloads/mnist-onnx';

describe('loadMnist', () => {
  test('the same options give the same split, and the sets do not overlap', () => {
    const a = loadMnist({ trainSize: 300, validationSize: 50, testSize: 100 });
    const b = loadMnist({ trainSize: 300, validationSize: 50, testSize: 100 });
    expect(Buffer.from(a.train.x.buffer).equals(Buffer.from(b.train.x.buffer))).toBe(true);
    expect(Array.from(a.test.labels)).toEqual(Array.from(b.test.labels));
    const full = loadMnist();
    expect(full.train.count + full.validation.count + full.test.count).toBe(10000);
    const key = (x: Float32Array, i: number) =>
      x.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS).join(',');
    const train = new Set(Array.from({ length: 500 }, (_, i) => key(full.train.x, i)));
    const overlap = Array.from({ length: full.test.count }, (_, i) => key(full.test.x, i)).filter(
      k => train.has(k)
    );
    expect(overlap.length).toBeLessThan(3); // MNIST holds a few duplicate images, never many
  });

  test('every digit is in every set, about 20 % of each in the test set', () => {
    const split = loadMnist();
    for (const set of [split.train, split.validation, split.test]) {
      expect(new Set(set.labels).size).toBe(10);
    }
    expect(split.test.count).toBeGreaterThan(1950);
    expect(split.test.count).toBeLessThan(2050);
    expect(() => loadMnist({ testFraction: 1 })).toThrow(/testFraction/);
    expect(() => loadMnist({ trainSize: 0 })).toThrow(/trainSize/);
  });
});

describe('referenceMnistOnnx', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gaissa-mnist-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const recipe = { epochs: 4, hidden: [32], split: { trainSize: 600, testSize: 300 } };

  test('trains, exports, and onnxruntime reproduces the tfjs accuracy; a second call reuses it', async () => {
    const out = join(dir, 'mnist-mlp.onnx');
    const made = await referenceMnistOnnx({ ...recipe, out });
    expect(made.cached).toBe(false);
    expect(existsSync(out)).toBe(true);
    expect(made.inputShape).toEqual([-1, 784]);
    const split = loadMnist(recipe.split);
    const session = await ort.InferenceSession.create(out);
    const result = await session.run({
      [made.inputName]: new ort.Tensor('float32', split.test.x, [split.test.count, MNIST_PIXELS])
    });
    const accuracy = topOneAccuracy(
      result[made.outputName].data as Float32Array,
      split.test.labels
    );
    expect(accuracy).toBeCloseTo(made.testAccuracy, 6);
    expect(accuracy).toBeGreaterThan(0.5);
    const again = await referenceMnistOnnx({ ...recipe, out });
    expect(again.cached).toBe(true);
    expect(again.testAccuracy).toBe(made.testAccuracy);
  });
});
