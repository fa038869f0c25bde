/**
 * Small ONNX models with seeded random weights, written with onnx-proto: an MLP (MatMul + Add or
 * Gemm layers) and a convolutional net. Tests, benchmarks and demos use them where a trained
 * model is not needed (the reference MNIST workload is kernel/workloads/mnist-onnx.ts).
 */
import { onnx } from 'onnx-proto';
import { seededRandom } from '../../core/seeded-random';
import { attr, makeNode } from './graph-editor';
import { float32Tensor, int64Tensor } from './tensors';

export interface MlpOptions {
  /** Layer widths, input first: [784, 64, 10]. */
  sizes?: number[];
  seed?: number;
  /** Write each layer as Gemm (transB=1, as PyTorch exports Linear) instead of MatMul + Add. */
  gemm?: boolean;
  activation?: 'Relu' | 'Tanh' | 'Sigmoid';
  /** Softmax on the logits. */
  softmax?: boolean;
  opset?: number;
  irVersion?: number;
  /** A fixed batch size instead of the symbolic 'N'. */
  batch?: number;
}

/** Uniform(-1, 1) x sqrt(6 / (fanIn + fanOut)) (Glorot), seeded. */
function glorot(random: () => number, fanIn: number, fanOut: number, count: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (random() * 2 - 1) * limit;
  return out;
}

function valueInfo(name: string, dims: Array<number | string>, elemType = 1): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map(d => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) }
      }
    }
  };
}

function modelOf(
  graph: onnx.IGraphProto,
  opset: number,
  irVersion: number,
  name: string
): onnx.ModelProto {
  return onnx.ModelProto.create({
    irVersion,
    producerName: 'gaissa synthetic',
    opsetImport: [{ domain: '', version: opset }],
    graph: { name, ...graph }
  });
}

export function mlpModel(options: MlpOptions = {}): onnx.ModelProto {
  const sizes = options.sizes ?? [784, 64, 10];
  const random = seededRandom(options.seed ?? 1);
  const activation = options.activation ?? 'Relu';
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  let x = 'input';
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [k, n] = [sizes[l], sizes[l + 1]];
    const w = glorot(random, k, n, k * n);
    const b = Float32Array.from({ length: n }, () => (random() * 2 - 1) * 0.1);
    const last = l + 2 === sizes.length;
    const out = last && !options.softmax ? 'output' : `dense${l}`;
    if (options.gemm) {
      // Gemm with transB=1 stores W as [n, k].
      const wt = new Float32Array(k * n);
      for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) wt[j * k + i] = w[i * n + j];
      initializers.push(float32Tensor(`W${l}`, [n, k], wt), float32Tensor(`B${l}`, [n], b));
      nodes.push(
        makeNode('Gemm', [x, `W${l}`, `B${l}`], [out], `gemm${l}`, [attr.int('transB', 1)])
      );
    } else {
      initializers.push(float32Tensor(`W${l}`, [k, n], w), float32Tensor(`B${l}`, [n], b));
      nodes.push(
        makeNode('MatMul', [x, `W${l}`], [`mm${l}`], `matmul${l}`),
        makeNode('Add', [`mm${l}`, `B${l}`], [out], `bias${l}`)
      );
    }
    x = out;
    if (!last) {
      nodes.push(makeNode(activation, [x], [`act${l}`], `${activation.toLowerCase()}${l}`));
      x = `act${l}`;
    }
  }
  if (options.softmax)
    nodes.push(makeNode('Softmax', [x], ['output'], 'softmax', [attr.int('axis', -1)]));
  const batch = options.batch ?? 'N';
  return modelOf(
    {
      node: nodes,
      initializer: initializers,
      input: [valueInfo('input', [batch, sizes[0]])],
      output: [valueInfo('output', [batch, sizes[sizes.length - 1]])]
    },
    options.opset ?? 13,
    options.irVersion ?? 7,
    `mlp-${sizes.join('-')}`
  );
}

export interface ConvNetOptions {
  seed?: number;
  /** Input image side (square, one channel); default 28. */
  side?: number;
  channels?: number;
  classes?: number;
  opset?: number;
}

/** Conv 3x3 (1 -> C) + Relu + MaxPool 2x2 + Flatten + Gemm (-> classes). */
export function convNetModel(options: ConvNetOptions = {}): onnx.ModelProto {
  const side = options.side ?? 28;
  const c = options.channels ?? 8;
  const classes = options.classes ?? 10;
  const random = seededRandom(options.seed ?? 2);
  const conv = side - 2;
  const pooled = Math.floor(conv / 2);
  const flat = c * pooled * pooled;
  const initializers = [
    float32Tensor('conv_W', [c, 1, 3, 3], glorot(random, 9, 9 * c, c * 9)),
    float32Tensor(
      'conv_B',
      [c],
      Float32Array.from({ length: c }, () => (random() * 2 - 1) * 0.1)
    ),
    float32Tensor('fc_W', [flat, classes], glorot(random, flat, classes, flat * classes)),
    float32Tensor('fc_B', [classes], new Float32Array(classes)),
    int64Tensor('flat_shape', [2], [-1, flat])
  ];
  const nodes = [
    makeNode('Conv', ['input', 'conv_W', 'conv_B'], ['conv'], 'conv0', [
      attr.ints('kernel_shape', [3, 3])
    ]),
    makeNode('Relu', ['conv'], ['relu'], 'relu0'),
    makeNode('MaxPool', ['relu'], ['pool'], 'pool0', [
      attr.ints('kernel_shape', [2, 2]),
      attr.ints('strides', [2, 2])
    ]),
    makeNode('Reshape', ['pool', 'flat_shape'], ['flat'], 'flatten0'),
    makeNode('Gemm', ['flat', 'fc_W', 'fc_B'], ['output'], 'fc0')
  ];
  return modelOf(
    {
      node: nodes,
      initializer: initializers,
      input: [valueInfo('input', ['N', 1, side, side])],
      output: [valueInfo('output', ['N', classes])]
    },
    options.opset ?? 13,
    7,
    'convnet'
  );
}

/** Seeded inputs in [0, 1) for `count` samples of `perSample` values. */
export function randomInputs(count: number, perSample: number, seed = 3): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count * perSample }, () => random());
}
