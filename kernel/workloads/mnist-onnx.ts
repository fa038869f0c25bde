/**
 * `mnist-mlp.onnx`, the reference model of the ONNX tactics: the MNIST MLP trained here with
 * TensorFlow.js (seeded, no shuffle randomness) and exported by the project's own exporter. Made
 * at test/bench time, never committed; cached by its recipe so a second call costs nothing.
 *
 *   node lib/kernel/workloads/mnist-onnx.js [OUT.onnx]     (after npm run build)
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Sequential } from '@tensorflow/tfjs';
import { writeOnnx } from '../onnx-export/tfjs-to-onnx';
import { writeFileAtomic } from '../atomic-write';
import { loadTfjs } from '../training/tfjs-runtime';
import {
  MNIST_CLASSES,
  MNIST_PIXELS,
  createMnistMlp,
  loadMnist,
  mnistTensors,
  type MnistMlpOptions,
  type MnistSplit,
  type MnistSplitOptions
} from './mnist';

export interface ReferenceMnistOptions extends MnistMlpOptions {
  /** Default 5: about 96 % test accuracy, ~15 s on one core with the wasm backend. */
  epochs?: number;
  batchSize?: number;
  split?: MnistSplitOptions;
}

export interface ReferenceMnist {
  model: Sequential;
  split: MnistSplit;
  testAccuracy: number;
}

/** Fraction of rows whose largest output is the label. */
export function topOneAccuracy(outputs: ArrayLike<number>, labels: Uint8Array): number {
  let correct = 0;
  for (let r = 0; r < labels.length; r++) {
    let best = 0;
    for (let c = 1; c < MNIST_CLASSES; c++) {
      if (outputs[r * MNIST_CLASSES + c] > outputs[r * MNIST_CLASSES + best]) best = c;
    }
    if (best === labels[r]) correct++;
  }
  return labels.length === 0 ? 0 : correct / labels.length;
}

/** Trains the reference MLP deterministically (same options, same weights). */
export async function trainReferenceMnist(
  options: ReferenceMnistOptions = {}
): Promise<ReferenceMnist> {
  const tf = await loadTfjs();
  const split = loadMnist(options.split);
  const data = mnistTensors(tf, split);
  const model = createMnistMlp(tf, options);
  try {
    // The split's order is already seeded; tfjs's own shuffle would use Math.random.
    await model.fit(data.train.x, data.train.y, {
      epochs: options.epochs ?? 5,
      batchSize: options.batchSize ?? 64,
      shuffle: false,
      verbose: 0
    });
    const outputs = tf.tidy(() =>
      (model.predict(data.test.x) as import('@tensorflow/tfjs').Tensor).dataSync()
    );
    return { model, split, testAccuracy: topOneAccuracy(outputs, split.test.labels) };
  } finally {
    for (const set of [data.train, data.validation, data.test]) tf.dispose([set.x, set.y]);
  }
}

export interface ReferenceMnistOnnx {
  path: string;
  inputName: string;
  outputName: string;
  /** [-1, 784] and [-1, 10]. */
  inputShape: number[];
  outputShape: number[];
  /** Accuracy of the tfjs model on the test split when it was made. */
  testAccuracy: number;
  /** The recipe (options) the file was made from. */
  recipe: ReferenceMnistOptions;
  /** True when an earlier call's file was reused. */
  cached: boolean;
}

function recipeKey(options: ReferenceMnistOptions): string {
  const recipe = JSON.stringify({ v: 1, ...options });
  return createHash('sha256').update(recipe).digest('hex').slice(0, 12);
}

/**
 * Path of `mnist-mlp.onnx` for these options, trained and exported on first use. Without `out`
 * it lives in the system's temp folder under a name derived from the options; with `out`, that
 * path is written (atomically) unless it already holds this recipe's model.
 */
export async function referenceMnistOnnx(
  options: ReferenceMnistOptions & { out?: string } = {}
): Promise<ReferenceMnistOnnx> {
  const { out, ...recipe } = options;
  const key = recipeKey(recipe);
  const path = resolve(out ?? join(tmpdir(), 'gaissa-workloads', `mnist-mlp-${key}.onnx`));
  const sidecar = `${path}.json`;
  if (existsSync(path) && existsSync(sidecar)) {
    try {
      const saved = JSON.parse(readFileSync(sidecar, 'utf8')) as ReferenceMnistOnnx & {
        key: string;
        sha256: string;
      };
      const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
      if (saved.key === key && saved.sha256 === sha256) return { ...saved, path, cached: true };
    } catch {
      // An unreadable sidecar: make the model again.
    }
  }
  const trained = await trainReferenceMnist(recipe);
  try {
    const exported = await writeOnnx(trained.model, path, {
      description:
        `MNIST MLP ${[MNIST_PIXELS, ...(recipe.hidden ?? [128, 64]), MNIST_CLASSES].join('-')} ` +
        `trained with TensorFlow.js (wasm) by gaissa; ${trained.split.description}`
    });
    const result: ReferenceMnistOnnx = {
      path,
      inputName: exported.inputName,
      outputName: exported.outputName,
      inputShape: exported.inputShape,
      outputShape: exported.outputShape,
      testAccuracy: trained.testAccuracy,
      recipe,
      cached: false
    };
    const sha256 = createHash('sha256').update(exported.bytes).digest('hex');
    const record = JSON.stringify({ ...result, key, sha256 }, null, 2);
    await writeFileAtomic(sidecar, new TextEncoder().encode(record));
    return result;
  } finally {
    trained.model.dispose();
  }
}

if (require.main === module) {
  referenceMnistOnnx({ out: process.argv[2] }).then(
    made => {
      const how = made.cached ? 'reused' : 'trained and exported';
      console.log(`${made.path} (${how}; test accuracy ${(made.testAccuracy * 100).toFixed(2)} %)`);
    },
    e => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    }
  );
}
