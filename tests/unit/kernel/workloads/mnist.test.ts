/** The reference MNIST split: deterministic, disjoint sets, every digit in each. */
import { loadMnist, MNIST_PIXELS } from '../../../../kernel/workloads/mnist';

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
