/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
/** The reference mnist-mlp.onnx: trained and exported once, onnxruntime runs it as tfjs did. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadMnist, MNIST_PIXELS } from '../../../../kernel/workloads/mnist';
import { referenceMnistOnnx, topOneAccuracy } from '../../../../kernel/workloads/mnist-onnx';

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
