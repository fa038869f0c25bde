/**
 * The work one training sample costs a TensorFlow.js model, read from its layers: forward FLOPs
 * per sample by class (dense, conv, elementwise: activations, pooling, dropout, normalisation),
 * and the trainable parameters the optimizer updates each batch. Training a sample costs about
 * three forward passes: the forward pass, the gradient of the layer's weights and the gradient of
 * its input, each as much work again. Precisely, per layer: the weight gradient only where the
 * layer trains, the input gradient only where a trained layer lies before it (tfjs's tape
 * computes no gradient nobody needs: the first layer's input gradient, or anything below a
 * frozen base). Validation runs forward only. A layer this file does not know stops the
 * prediction with a NoPredictionError that names it, rather than a guess.
 */
import { NoPredictionError } from './onnx-work';

/** Classes the training cost model prices separately. */
export type TrainingClass = 'dense' | 'conv' | 'elementwise';

/** The fields of a tfjs layer this file reads (a tfjs Layer has them all). */
export interface LayerShape {
  name: string;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  readonly outputShape: unknown;
  readonly inboundNodes?: ReadonlyArray<{
    inputTensors: ReadonlyArray<{ shape: ReadonlyArray<number | null> }>;
  }>;
  readonly trainable: boolean;
  readonly trainableWeights: ReadonlyArray<{ shape: ReadonlyArray<number | null> }>;
}

export interface LayerWork {
  name: string;
  className: string;
  trainingClass: TrainingClass | null;
  /** Forward FLOPs for one sample. */
  flops: number;
  /** Forward and backward FLOPs for one training sample (1x to 3x `flops`). */
  trainingFlops: number;
}

export interface SampleWork {
  layers: LayerWork[];
  /** Forward FLOPs per sample by class (validation). */
  forward: Record<TrainingClass, number>;
  /** Forward and backward FLOPs per training sample by class. */
  training: Record<TrainingClass, number>;
  /** Elements of one input sample and one target (what shuffling copies). */
  inputElements: number;
  outputElements: number;
  /** Weights the optimizer updates each batch. */
  trainableParams: number;
  /**
   * Tensor operations a training batch dispatches, roughly: one per layer that computes, and one
   * per trainable weight tensor (its gradient and update). Per-batch costs grow with it: each
   * operation is a kernel call and a tensor allocated, whatever its size.
   */
  batchOps: number;
}

/** FLOPs per element of an activation (transcendentals cost several). */
const ACTIVATION_FLOPS: Record<string, number> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  elu: 4,
  selu: 5,
  leakyReLU: 2,
  sigmoid: 4,
  hardSigmoid: 3,
  tanh: 5,
  softmax: 5,
  softplus: 4,
  softsign: 3,
  swish: 5,
  mish: 8,
  gelu: 8,
  gelu_new: 8
};

/** Layers that only reshape or pass the data on: no work per sample. */
const VIEWS = new Set(['InputLayer', 'Flatten', 'Reshape', 'Permute', 'RepeatVector', 'Masking']);

/** Layers that touch each output element a few times (FLOPs per element). */
const ELEMENTWISE: Record<string, number> = {
  Dropout: 2,
  SpatialDropout1D: 2,
  GaussianNoise: 2,
  GaussianDropout: 2,
  ReLU: 1,
  LeakyReLU: 2,
  PReLU: 2,
  ELU: 4,
  ThresholdedReLU: 1,
  Softmax: 5,
  BatchNormalization: 4,
  LayerNormalization: 8,
  Add: 1,
  Subtract: 1,
  Multiply: 1,
  Average: 1,
  Maximum: 1,
  Minimum: 1,
  Concatenate: 1
};

const product = (dims: ReadonlyArray<number | null>, from = 0): number =>
  dims.slice(from).reduce<number>((a, d) => a * (d ?? NaN), 1);

/** A known shape without its batch dimension, or a NoPredictionError naming the layer. */
function sampleDims(shape: unknown, layer: string, what: string): number[] {
  const s = Array.isArray(shape) && Array.isArray(shape[0]) ? shape[0] : shape;
  if (!Array.isArray(s)) throw new NoPredictionError(`layer '${layer}': its ${what} is unknown`);
  const dims = (s as Array<number | null>).slice(1);
  if (!dims.every(d => typeof d === 'number' && Number.isInteger(d) && d > 0))
    throw new NoPredictionError(
      `layer '${layer}': its ${what} [${s.map(d => d ?? '?').join(', ')}] has a dimension only known at run time`
    );
  return dims as number[];
}

function inputDims(layer: LayerShape): number[] {
  const tensors = layer.inboundNodes?.[0]?.inputTensors ?? [];
  if (tensors.length === 0) return sampleDims(undefined, layer.name, 'input shape');
  return sampleDims(tensors[0].shape, layer.name, 'input shape');
}

const pair = (v: unknown, fallback: number): [number, number] =>
  Array.isArray(v)
    ? [Number(v[0]), Number(v[1] ?? v[0])]
    : typeof v === 'number'
      ? [v, v]
      : [fallback, fallback];

function activationFlops(config: Record<string, unknown>, layer: string): number {
  const name = config.activation;
  if (name === undefined || name === null) return 0;
  const flops = ACTIVATION_FLOPS[String(name)];
  if (flops === undefined)
    throw new NoPredictionError(`layer '${layer}': activation '${String(name)}' is not known`);
  return flops;
}

/** The channels of a conv layer's input and its output positions, whatever the data format. */
function convGeometry(layer: LayerShape, config: Record<string, unknown>) {
  const inDims = inputDims(layer);
  const outDims = sampleDims(layer.outputShape, layer.name, 'output shape');
  const channelsFirst = config.dataFormat === 'channelsFirst';
  const inChannels = channelsFirst ? inDims[0] : inDims[inDims.length - 1];
  const outChannels = channelsFirst ? outDims[0] : outDims[outDims.length - 1];
  const outElements = product(outDims);
  return { inChannels, outChannels, outElements, positions: outElements / outChannels };
}

const paramCount = (layer: LayerShape) =>
  layer.trainable ? layer.trainableWeights.reduce((s, w) => s + product(w.shape), 0) : 0;

/**
 * FLOPs of one sample through `layer` and the class they are priced as; `gradientBelow`: a
 * trained layer lies before this one, so its input gradient is needed.
 */
export function layerWork(layer: LayerShape, gradientBelow = false): LayerWork {
  const className = layer.getClassName();
  const config = layer.getConfig();
  const trains = paramCount(layer) > 0;
  const of = (trainingClass: TrainingClass | null, flops: number): LayerWork => ({
    name: layer.name,
    className,
    trainingClass,
    flops,
    trainingFlops: flops * (1 + (trains ? 1 : 0) + (gradientBelow ? 1 : 0))
  });
  if (VIEWS.has(className)) return of(null, 0);
  const outDims = () => sampleDims(layer.outputShape, layer.name, 'output shape');
  switch (className) {
    case 'Dense': {
      const inDims = inputDims(layer);
      const units = Number(config.units);
      // A Dense on [.., K] applies to every position of the leading dimensions.
      const positions = product(inDims, 0) / inDims[inDims.length - 1];
      const matmul = 2 * inDims[inDims.length - 1] * units * positions;
      const bias = config.useBias === false ? 0 : units * positions;
      return of('dense', matmul + bias + activationFlops(config, layer.name) * units * positions);
    }
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      const g = convGeometry(layer, config);
      const kernelArea = product((config.kernelSize as number[]) ?? [NaN]);
      const bias = config.useBias === false ? 0 : g.outElements;
      const act = activationFlops(config, layer.name) * g.outElements;
      let macs: number;
      if (className === 'DepthwiseConv2D') {
        macs = g.outElements * kernelArea;
      } else if (className === 'SeparableConv2D') {
        const multiplier = Number(config.depthMultiplier ?? 1);
        macs =
          g.positions * g.inChannels * multiplier * kernelArea +
          g.outElements * g.inChannels * multiplier;
      } else {
        macs = g.outElements * g.inChannels * kernelArea;
      }
      if (!Number.isFinite(macs))
        throw new NoPredictionError(`layer '${layer.name}': kernel size unknown`);
      return of('conv', 2 * macs + bias + act);
    }
    case 'MaxPooling1D':
    case 'MaxPooling2D':
    case 'AveragePooling1D':
    case 'AveragePooling2D': {
      const size = className.endsWith('1D')
        ? Number(config.poolSize ?? 2)
        : pair(config.poolSize, 2).reduce((a, b) => a * b, 1);
      return of('elementwise', product(outDims()) * size);
    }
    case 'GlobalAveragePooling1D':
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling1D':
    case 'GlobalMaxPooling2D':
      return of('elementwise', product(inputDims(layer)));
    case 'Activation':
      return of('elementwise', activationFlops(config, layer.name) * product(outDims()));
  }
  const perElement = ELEMENTWISE[className];
  if (perElement === undefined)
    throw new NoPredictionError(
      `layer '${layer.name}' is a ${className}, which the training predictor does not know`
    );
  return of('elementwise', perElement * product(outDims()));
}

/** The work of one training sample through `model` (a tfjs LayersModel). */
export function sampleWork(model: {
  layers: ReadonlyArray<LayerShape>;
  inputs?: ReadonlyArray<{ shape: ReadonlyArray<number | null> }>;
  outputs?: ReadonlyArray<{ shape: ReadonlyArray<number | null> }>;
}): SampleWork {
  if (!Array.isArray(model.layers) || model.layers.length === 0)
    throw new NoPredictionError('the model has no layers');
  if ((model.inputs?.length ?? 1) !== 1 || (model.outputs?.length ?? 1) !== 1)
    throw new NoPredictionError('only models with one input and one output are predicted');
  let gradientBelow = false;
  const layers = model.layers.map(layer => {
    const work = layerWork(layer, gradientBelow);
    gradientBelow ||= paramCount(layer) > 0;
    return work;
  });
  const forward: Record<TrainingClass, number> = { dense: 0, conv: 0, elementwise: 0 };
  const training: Record<TrainingClass, number> = { dense: 0, conv: 0, elementwise: 0 };
  for (const l of layers) {
    if (!l.trainingClass) continue;
    forward[l.trainingClass] += l.flops;
    training[l.trainingClass] += l.trainingFlops;
  }
  const first = model.layers[0];
  const last = model.layers[model.layers.length - 1];
  const inputShape = model.inputs?.[0]?.shape ?? first.inboundNodes?.[0]?.inputTensors[0]?.shape;
  return {
    layers,
    forward,
    training,
    inputElements: product(sampleDims(inputShape, first.name, 'input shape')),
    outputElements: product(sampleDims(last.outputShape, last.name, 'output shape')),
    trainableParams: model.layers.reduce((s, l) => s + paramCount(l), 0),
    batchOps: model.layers.reduce(
      (s, l, i) =>
        s + (layers[i].trainingClass ? 1 : 0) + (l.trainable ? l.trainableWeights.length : 0),
      0
    )
  };
}

/** The shape of a training run: what the per-epoch features are computed from. */
export interface RunShape {
  samples: number;
  batchSize: number;
  /** Validation samples evaluated at the end of each epoch (0 for none). */
  validationSamples: number;
}

/**
 * The features of one epoch, for the cost model: `call` (one per epoch), batches of training and
 * of validation, tensor operations of the training batches, FLOPs per class (training forward and backward, validation forward, plus the
 * copies the seeded shuffle makes) and parameter updates (trainable parameters x batches).
 */
export function epochFeatures(work: SampleWork, run: RunShape): Record<string, number> {
  const batches = Math.ceil(run.samples / run.batchSize);
  const evalBatches = Math.ceil(run.validationSamples / run.batchSize);
  const flopsOf = (c: TrainingClass) =>
    work.training[c] * run.samples + work.forward[c] * run.validationSamples;
  const features: Record<string, number> = {
    call: 1,
    batches,
    batchOps: batches * work.batchOps,
    evalBatches,
    'flops:dense': flopsOf('dense'),
    'flops:conv': flopsOf('conv'),
    'flops:elementwise':
      flopsOf('elementwise') + run.samples * (work.inputElements + work.outputElements),
    updates: work.trainableParams * batches
  };
  return features;
}
