/**
 * Frozen layers at the bottom of a model compute the same outputs every epoch: their weights do
 * not change and (for the layers allowed here) nothing random happens in them. So instead of
 * running them forward on every batch of every epoch, their outputs for the training and
 * validation sets are computed once, and the layers above them train on those outputs through a
 * "head" model that shares their weights. The updates are the same as with the full model (same
 * batches, same gradients for the trained layers); only the repeated forward passes are saved.
 * This is the "extract features once" route of transfer learning, applied automatically.
 */
import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { optimizerFor } from './layer-freezing';
import type { Tfjs } from './tfjs-runtime';

/** Layers whose output depends only on their input and weights (no dropout, noise, batch stats). */
const DETERMINISTIC = new Set([
  'InputLayer',
  'Dense',
  'Activation',
  'Flatten',
  'Reshape',
  'Permute',
  'ReLU',
  'LeakyReLU',
  'PReLU',
  'ELU',
  'ThresholdedReLU',
  'Softmax',
  'Conv1D',
  'Conv2D',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'MaxPooling1D',
  'MaxPooling2D',
  'AveragePooling1D',
  'AveragePooling2D',
  'GlobalAveragePooling1D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling1D',
  'GlobalMaxPooling2D',
  'ZeroPadding2D',
  'Cropping2D',
  'UpSampling2D',
  'Embedding'
]);

/**
 * How many leading layers can be cached when `frozen` are frozen: they must be the first layers
 * of the model, all deterministic, with layers left above them. Otherwise the reason why not.
 */
export function cachablePrefix(
  model: LayersModel,
  frozen: readonly string[]
): { length: number } | { reason: string } {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    return { reason: 'the model has several inputs or outputs' };
  }
  const names = new Set(frozen);
  const layers = model.layers;
  let length = 0;
  while (length < layers.length && names.has(layers[length].name)) length++;
  if (length < names.size) return { reason: 'the frozen layers are not the first layers' };
  if (length === 0 || length === layers.length) return { reason: 'nothing to cache' };
  const random = layers.slice(0, length).find(l => !DETERMINISTIC.has(l.getClassName()));
  if (random) {
    return {
      reason: `${random.name} (${random.getClassName()}) may act differently in training`
    };
  }
  return { length };
}

export interface FrozenPrefixCache {
  /** The layers above the cached ones, as a model sharing their weights. */
  head: LayersModel;
  /** Cached outputs of the frozen layers for the training and validation inputs. */
  train: Tensor;
  validation: Tensor | null;
  prefix: string[];
  dispose(): void;
}

/** Outputs of the first `length` layers for `x`, a batch at a time. */
function prefixOutputs(tf: Tfjs, model: LayersModel, length: number, x: Tensor): Tensor {
  const layers = model.layers.slice(0, length);
  const rows = x.shape[0];
  const step = 1024;
  return tf.tidy(() => {
    const parts: Tensor[] = [];
    for (let start = 0; start < rows; start += step) {
      const size = Math.min(step, rows - start);
      let out = x.slice(start, size);
      for (const layer of layers) {
        if (layer.getClassName() !== 'InputLayer') out = layer.apply(out) as Tensor;
      }
      parts.push(out);
    }
    return parts.length === 1 ? parts[0] : tf.concat(parts, 0);
  });
}

/**
 * Computes the cache and a compiled head model whose optimizer carries the state of the
 * trained weights (by name) from the model's optimizer.
 */
export async function buildPrefixCache(
  tf: Tfjs,
  model: LayersModel,
  length: number,
  x: Tensor,
  validationX: Tensor | null
): Promise<FrozenPrefixCache> {
  const train = prefixOutputs(tf, model, length, x);
  const validation = validationX ? prefixOutputs(tf, model, length, validationX) : null;
  const input = tf.input({ shape: train.shape.slice(1) });
  let output: SymbolicTensor = input;
  for (const layer of model.layers.slice(length)) output = layer.apply(output) as SymbolicTensor;
  const head = tf.model({ inputs: input, outputs: output, name: `${model.name}_head` });
  const optimizer = await optimizerFor(head, model.optimizer);
  head.compile({ optimizer, loss: model.loss, metrics: model.metrics });
  return {
    head,
    train,
    validation,
    prefix: model.layers.slice(0, length).map(l => l.name),
    dispose() {
      tf.dispose([train, ...(validation ? [validation] : [])]);
      // The head's optimizer only: its layers are the model's and stay in use there.
      head.optimizer.dispose();
    }
  };
}
