/**
 * Exports a TensorFlow.js sequential model of Dense layers (with their activations, standalone
 * activation layers, Flatten and Dropout) to ONNX, written with `onnx-proto`. No npm package does
 * this; the result loads in onnxruntime-node and any ONNX runtime (standard `ai.onnx` operators,
 * opset 13). Layers it cannot translate are refused by name, never approximated.
 */
import { onnx } from 'onnx-proto';
import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { packageVersion } from '../versions';
import { writeFileAtomic } from '../atomic-write';

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

export interface OnnxExportOptions {
  /** Graph input name; default "input". */
  inputName?: string;
  /** Graph output name; default "output". */
  outputName?: string;
  /** Stored in the model's doc string. */
  description?: string;
}

export interface OnnxExport {
  /** The serialized ModelProto. */
  bytes: Uint8Array;
  inputName: string;
  outputName: string;
  /** Shapes with -1 for the batch dimension. */
  inputShape: number[];
  outputShape: number[];
  /** ONNX operators in graph order, e.g. ["Gemm", "Relu", "Gemm", "Softmax"]. */
  operators: string[];
  parameters: number;
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

/** The model as ONNX bytes, with what the graph holds. */
export function exportToOnnx(model: LayersModel, options: OnnxExportOptions = {}): OnnxExport {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error('ONNX export handles models with one input and one output');
  }
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'output';
  const g = new GraphBuilder();
  let x = inputName;
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    const config = layer.getConfig();
    const prefix = layer.name;
    if (kind === 'InputLayer' || INFERENCE_IDENTITY.has(kind)) continue;
    if (!followsPrevious(model, layer)) {
      throw new UnsupportedLayerError(prefix, kind, 'only a plain chain of layers is exported');
    }
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
