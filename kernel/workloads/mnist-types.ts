/**
 * The MNIST workload's data and option types, apart from mnist.ts so that they import nothing from
 * tfjs: `gaissa.train.mnist` names them, and the API's declarations are loaded into every
 * notebook cell's program (kernel/training/tfjs-shapes.ts says why that matters).
 */

/** Images and their digits; `x` holds `count` rows of 784 floats in [0, 1]. */
export interface MnistSet {
  x: Float32Array;
  labels: Uint8Array;
  count: number;
}

export interface MnistSplit {
  train: MnistSet;
  validation: MnistSet;
  test: MnistSet;
  /** How the split was made, for notebooks and reports. */
  description: string;
}

export interface MnistSplitOptions {
  /** Share of each digit's images kept for the test set; default 0.2. */
  testFraction?: number;
  /** Share of the remaining images of each digit used for validation; default 0.1. */
  validationFraction?: number;
  /** Caps on the set sizes (taken after the seeded shuffle, so classes stay mixed). */
  trainSize?: number;
  validationSize?: number;
  testSize?: number;
  /** Seed of the split and of the order within each set; default 1. */
  seed?: number;
}

export interface MnistMlpOptions {
  /** Hidden layer widths; default [128, 64] (784-128-64-10, about 109k parameters). */
  hidden?: number[];
  /** Seed of the initial weights; default 42. */
  seed?: number;
  learningRate?: number;
}
