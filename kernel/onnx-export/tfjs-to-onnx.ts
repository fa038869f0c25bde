/**
 * Exports a TensorFlow.js sequential model of Dense and Conv2D layers (with their activations),
 * MaxPooling2D / AveragePooling2D, standalone activation layers, Flatten and Dropout to ONNX,
 * written with `onnx-proto`. No npm package does this; the result loads in onnxruntime-node and
 * any ONNX runtime (standard `ai.onnx` operators, opset 13). Layers it cannot translate are
 * refused by name, never approximated.
 *
 * Images: tfjs defaults to channels last (NHWC), ONNX Conv and pooling read channels first
 * (NCHW). The graph keeps the model's input and output layouts; a Transpose goes in before the
 * first spatial layer of a run and another after its last one (ONNX Runtime folds such pairs).
 */
import { onnx } from 'onnx-proto';
import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { packageVersion } from '../versions';
import { writeFileAtomic } from '../atomic-write';
import type { OnnxExport, OnnxExportOptions } from './onnx-export-types';

export type { OnnxExport, OnnxExportOptions } from './onnx-export-types';

export const ONNX_OPSET = 13;
/** IR version 7 goes with opset 13 (ONNX 1.8); every runtime since 2020 reads it. */
export const ONNX_IR_VERSION = 7;

export class UnsupportedLayerError extends Error {
  constructor(
    readonly layer: string,
    readonly layerClass: string,
    detail: string
  ) {
    super(`cannot export layer '${layer}' (${layerClass}) to ONNX: ${detail}`);
    this.name = 'UnsupportedLayerError';
  }
}

type ActivationEmitter = (graph: GraphBuilder, x: string, prefix: string) => string;

const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** Accumulates nodes and initializers with unique tensor names. */
class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  readonly operators: string[] = [];
  parameters = 0;

  node(op: string, inputs: string[], output: string, attributes: onnx.IAttributeProto[] = []) {
    this.nodes.push({
      opType: op,
      input: inputs,
      output: [output],
      name: output,
      attribute: attributes
    });
    this.operators.push(op);
    return output;
  }

  constant(name: string, dims: number[], values: ArrayLike<number>): string {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    // ONNX raw data is little-endian whatever the host is.
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
    this.initializers.push({ name, dims, dataType: FLOAT, rawData: bytes });
    return name;
  }

  weight(name: string, tensor: Tensor): string {
    this.parameters += tensor.size;
    return this.constant(name, tensor.shape, tensor.dataSync());
  }
}

function intsAttribute(name: string, ints: number[]): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints };
}

function stringAttribute(name: string, s: string): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(s) };
}

function floatAttribute(name: string, f: number): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f };
}

function intAttribute(name: string, i: number): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}

const unary =
  (op: string, attributes: onnx.IAttributeProto[] = []): ActivationEmitter =>
  (g, x, prefix) =>
    g.node(op, [x], `${prefix}/${op}`, attributes);

/** x * f(x), the shape of swish and mish. */
const gated =
  (
    name: string,
    inner: (g: GraphBuilder, x: string, prefix: string) => string
  ): ActivationEmitter =>
  (g, x, prefix) =>
    g.node('Mul', [x, inner(g, x, `${prefix}/${name}`)], `${prefix}/${name}`);

/** tfjs activation identifiers (what `getConfig().activation` says) and their ONNX form. */
const ACTIVATIONS: Record<string, ActivationEmitter | null> = {
  linear: null,
  relu: unary('Relu'),
  relu6: (g, x, prefix) =>
    g.node(
      'Clip',
      [x, g.constant(`${prefix}/zero`, [], [0]), g.constant(`${prefix}/six`, [], [6])],
      `${prefix}/Clip`
    ),
  sigmoid: unary('Sigmoid'),
  tanh: unary('Tanh'),
  softmax: unary('Softmax', [intAttribute('axis', -1)]),
  // tfjs's elu uses alpha 1 and hardSigmoid 0.2x + 0.5, ONNX's defaults; selu's constants agree.
  elu: unary('Elu', [floatAttribute('alpha', 1)]),
  selu: unary('Selu'),
  softplus: unary('Softplus'),
  softsign: unary('Softsign'),
  hardSigmoid: unary('HardSigmoid', [floatAttribute('alpha', 0.2), floatAttribute('beta', 0.5)]),
  swish: gated('swish', (g, x, prefix) => g.node('Sigmoid', [x], `${prefix}/Sigmoid`)),
  mish: gated('mish', (g, x, prefix) =>
    g.node('Tanh', [g.node('Softplus', [x], `${prefix}/Softplus`)], `${prefix}/Tanh`)
  ),
  gelu: (g, x, prefix) => {
    // x * 0.5 * (1 + erf(x / sqrt 2)), as tfjs computes it.
    const scaled = g.node(
      'Div',
      [x, g.constant(`${prefix}/sqrt2`, [], [Math.SQRT2])],
      `${prefix}/Div`
    );
    const erf = g.node('Erf', [scaled], `${prefix}/Erf`);
    const onePlus = g.node('Add', [erf, g.constant(`${prefix}/one`, [], [1])], `${prefix}/Add`);
    const half = g.node(
      'Mul',
      [onePlus, g.constant(`${prefix}/half`, [], [0.5])],
      `${prefix}/Half`
    );
    return g.node('Mul', [x, half], `${prefix}/gelu`);
  }
};

/** The activation's emitter, or a clear refusal. */
function activation(layer: string, layerClass: string, name: unknown): ActivationEmitter | null {
  const key = String(name);
  if (!(key in ACTIVATIONS)) {
    throw new UnsupportedLayerError(
      layer,
      layerClass,
      `activation '${key}' has no ONNX translation here (supported: ${Object.keys(ACTIVATIONS).join(', ')})`
    );
  }
  return ACTIVATIONS[key];
}

/** Layers that do nothing at inference time. */
const INFERENCE_IDENTITY = new Set(['Dropout', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

function shapeOf(tensor: SymbolicTensor | SymbolicTensor[]): number[] {
  const single = Array.isArray(tensor) ? tensor[0] : tensor;
  return single.shape.map(d => (d === null ? -1 : d));
}

function valueInfo(name: string, shape: number[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: shape.map(d => (d < 0 ? { dimParam: 'batch' } : { dimValue: d })) }
      }
    }
  };
}

type Layer = LayersModel['layers'][number];

/**
 * Whether `layer` takes the previous layer's output (a chain). A Sequential model is a chain by
 * construction; layers may also be shared with other models (gaissa's frozen-layer cache builds
 * one), so any of a layer's nodes will do for a functional model.
 */
function followsPrevious(model: LayersModel, layer: Layer): boolean {
  if (model.getClassName() === 'Sequential') return true;
  const index = model.layers.indexOf(layer);
  const previous = model.layers[index - 1];
  return layer.inboundNodes.some(
    node =>
      node.inboundLayers.length === 1 &&
      (previous === undefined || node.inboundLayers[0] === previous)
  );
}

/** A 2-D size from a tfjs config value (a number or a pair). */
function pair(value: unknown, fallback: number): [number, number] {
  if (value === undefined || value === null) return [fallback, fallback];
  if (typeof value === 'number') return [value, value];
  const [a, b] = value as number[];
  return [a, b ?? a];
}

/**
 * ONNX attributes of a 2-D window (Conv, pooling) over an input of `size` [H, W]. TensorFlow's
 * 'same' pads (ceil(in / s) - 1) x s + (k - 1) x d + 1 - in pixels along an axis, the odd one
 * after the input (tf.nn.conv2d documentation, "padding"). Explicit pads, as ONNX Runtime refuses
 * auto_pad SAME with dilations; SAME_UPPER, the same rule, only where a size is not fixed.
 */
function windowAttributes(
  layer: string,
  kind: string,
  config: Record<string, unknown>,
  window: { kernel: [number, number]; strides: [number, number]; dilations: [number, number] },
  size: number[]
): onnx.IAttributeProto[] {
  const padding = String(config.padding ?? 'valid');
  if (padding !== 'valid' && padding !== 'same') {
    throw new UnsupportedLayerError(layer, kind, `padding '${padding}'`);
  }
  const { kernel, strides, dilations } = window;
  const attributes = [intsAttribute('kernel_shape', kernel), intsAttribute('strides', strides)];
  if (kind === 'Conv2D') attributes.push(intsAttribute('dilations', dilations));
  if (padding === 'valid') return attributes;
  if (size.some(d => d < 0)) {
    if (dilations.some(d => d !== 1)) {
      throw new UnsupportedLayerError(layer, kind, "'same' padding with dilations on a free size");
    }
    return [...attributes, stringAttribute('auto_pad', 'SAME_UPPER')];
  }
  const total = size.map((n, a) =>
    Math.max(
      (Math.ceil(n / strides[a]) - 1) * strides[a] + (kernel[a] - 1) * dilations[a] + 1 - n,
      0
    )
  );
  const begin = total.map(t => Math.floor(t / 2));
  return [...attributes, intsAttribute('pads', [...begin, ...total.map((t, a) => t - begin[a])])];
}

/** tfjs kernel [kh, kw, in, out] as an ONNX Conv weight [out, in, kh, kw]. */
function convWeight(kernel: Tensor): { dims: number[]; values: Float32Array } {
  const [kh, kw, cin, cout] = kernel.shape;
  const src = kernel.dataSync();
  const out = new Float32Array(src.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++)
          out[((o * cin + i) * kh + y) * kw + x] = src[((y * kw + x) * cin + i) * cout + o];
  return { dims: [cout, cin, kh, kw], values: out };
}

const SPATIAL = new Set(['Conv2D', 'MaxPooling2D', 'AveragePooling2D']);

/** The model as ONNX bytes, with what the graph holds. */
export function exportToOnnx(model: LayersModel, options: OnnxExportOptions = {}): OnnxExport {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error('ONNX export handles models with one input and one output');
  }
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'output';
  const g = new GraphBuilder();
  let x = inputName;
  // Whether x holds a channels-last tensor transposed to channels first for Conv/pooling.
  let transposed = false;
  const toChannelsLast = (prefix: string) => {
    if (!transposed) return;
    x = g.node('Transpose', [x], `${prefix}/ToNHWC`, [intsAttribute('perm', [0, 2, 3, 1])]);
    transposed = false;
  };
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    const config = layer.getConfig();
    const prefix = layer.name;
    if (kind === 'InputLayer' || INFERENCE_IDENTITY.has(kind)) continue;
    if (!followsPrevious(model, layer)) {
      throw new UnsupportedLayerError(prefix, kind, 'only a plain chain of layers is exported');
    }
    // [H, W] of a spatial layer's input (-1 where free).
    let size: number[] = [];
    if (SPATIAL.has(kind)) {
      const shape = shapeOf(layer.getInputAt(0));
      if (shape.length !== 4) {
        throw new UnsupportedLayerError(prefix, kind, 'input of rank other than 4');
      }
      const channelsFirst = config.dataFormat === 'channelsFirst';
      size = channelsFirst ? shape.slice(2) : shape.slice(1, 3);
      if (channelsFirst) toChannelsLast(prefix);
      else if (!transposed) {
        x = g.node('Transpose', [x], `${prefix}/ToNCHW`, [intsAttribute('perm', [0, 3, 1, 2])]);
        transposed = true;
      }
    } else toChannelsLast(prefix);
    switch (kind) {
      case 'Dense': {
        if (shapeOf(layer.getInputAt(0)).length !== 2) {
          throw new UnsupportedLayerError(
            prefix,
            kind,
            'Dense on inputs of rank > 2 (add a Flatten)'
          );
        }
        const [kernel, bias] = layer.getWeights();
        const w = g.weight(`${prefix}/kernel`, kernel);
        x =
          config.useBias === false || bias === undefined
            ? g.node('MatMul', [x, w], `${prefix}/MatMul`)
            : g.node('Gemm', [x, w, g.weight(`${prefix}/bias`, bias)], `${prefix}/Gemm`);
        const emit = activation(prefix, kind, config.activation);
        if (emit) x = emit(g, x, prefix);
        break;
      }
      case 'Conv2D': {
        const kernelSize = pair(config.kernelSize, 1);
        const dilation = pair(config.dilationRate, 1);
        const [kernel, bias] = layer.getWeights();
        const w = convWeight(kernel);
        g.parameters += kernel.size;
        const inputs = [x, g.constant(`${prefix}/kernel`, w.dims, w.values)];
        if (config.useBias !== false && bias !== undefined) {
          inputs.push(g.weight(`${prefix}/bias`, bias));
        }
        x = g.node(
          'Conv',
          inputs,
          `${prefix}/Conv`,
          windowAttributes(
            prefix,
            kind,
            config,
            { kernel: kernelSize, strides: pair(config.strides, 1), dilations: dilation },
            size
          )
        );
        // Softmax reads the last axis: the channels only in the model's own layout.
        if (config.activation === 'softmax') toChannelsLast(prefix);
        const emit = activation(prefix, kind, config.activation);
        if (emit) x = emit(g, x, prefix);
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const poolSize = pair(config.poolSize, 2);
        // Keras: strides default to the pool size.
        const strides = pair(config.strides ?? poolSize, 2);
        // AveragePool leaves padded pixels out of the mean (count_include_pad 0), as TensorFlow.
        const op = kind === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool';
        x = g.node(
          op,
          [x],
          `${prefix}/${op}`,
          windowAttributes(
            prefix,
            kind,
            config,
            { kernel: poolSize, strides, dilations: [1, 1] },
            size
          )
        );
        break;
      }
      case 'Activation': {
        const emit = activation(prefix, kind, config.activation);
        if (emit) x = emit(g, x, prefix);
        break;
      }
      case 'ReLU': {
        if (config.maxValue !== null && config.maxValue !== undefined) {
          throw new UnsupportedLayerError(prefix, kind, 'ReLU with maxValue');
        }
        x = g.node('Relu', [x], `${prefix}/Relu`);
        break;
      }
      case 'LeakyReLU':
        x = g.node('LeakyRelu', [x], `${prefix}/LeakyRelu`, [
          floatAttribute('alpha', Number(config.alpha ?? 0.3))
        ]);
        break;
      case 'Softmax':
        if (config.axis !== undefined && config.axis !== -1) {
          throw new UnsupportedLayerError(prefix, kind, 'Softmax over an axis other than the last');
        }
        x = g.node('Softmax', [x], `${prefix}/Softmax`, [intAttribute('axis', -1)]);
        break;
      case 'Flatten':
        x = g.node('Flatten', [x], `${prefix}/Flatten`, [intAttribute('axis', 1)]);
        break;
      default:
        throw new UnsupportedLayerError(prefix, kind, 'layer type not supported by the exporter');
    }
  }
  toChannelsLast('output');
  // The graph output gets its public name: rename the last node's output (or copy the input).
  if (g.nodes.length === 0) g.node('Identity', [x], outputName);
  else g.nodes[g.nodes.length - 1].output = [outputName];
  const inputShape = shapeOf(model.inputs[0]);
  const outputShape = shapeOf(model.outputs[0]);
  const proto = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'gaissa',
    producerVersion: packageVersion,
    docString: options.description ?? `${model.name}, exported from TensorFlow.js`,
    graph: {
      name: model.name,
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo(inputName, inputShape)],
      output: [valueInfo(outputName, outputShape)]
    }
  });
  return {
    bytes: onnx.ModelProto.encode(proto).finish(),
    inputName,
    outputName,
    inputShape,
    outputShape,
    operators: g.operators,
    parameters: g.parameters
  };
}

/** Exports and writes atomically (a crash leaves the old file or none, never half a model). */
export async function writeOnnx(
  model: LayersModel,
  path: string,
  options: OnnxExportOptions = {}
): Promise<OnnxExport> {
  const exported = exportToOnnx(model, options);
  await writeFileAtomic(path, exported.bytes);
  return exported;
}
