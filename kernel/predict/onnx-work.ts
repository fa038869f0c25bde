/**
 * The work an ONNX graph does for one call at a given batch size: FLOPs, MACs and bytes moved per
 * node, grouped by operator class and data type. Shapes are inferred node by node from the
 * graph's inputs (the symbolic batch dimension set to the batch size), initializers, Constant
 * nodes and value_info; a dimension or operator the predictor cannot know stops it with a
 * NoPredictionError that says why, rather than a guess.
 */
import { onnx } from 'onnx-proto';
import { attribute, intAttribute } from '../onnx/graph-editor';
import { dimsOf, elementCount, readIntegers, toNumber, typeName } from '../onnx/tensors';

/** What a node's work is priced as: one cost per unit of work per class and data type. */
export type OpClass =
  'matmul' | 'gemm' | 'conv' | 'elementwise' | 'pool' | 'quantize' | 'cast' | 'memory';

export interface ClassWork {
  opClass: OpClass;
  /** The data type of the node's main input: float32, float16, int8, uint8... */
  dtype: string;
  nodes: number;
  flops: number;
  macs: number;
  bytes: number;
}

export interface NodeWork {
  name: string;
  opType: string;
  opClass: OpClass;
  dtype: string;
  flops: number;
  macs: number;
  bytes: number;
  outputShape: number[];
}

export interface GraphWork {
  batch: number;
  flops: number;
  macs: number;
  bytes: number;
  nodes: NodeWork[];
  /** Keyed `class/dtype`, e.g. `matmul/float32`. */
  byClass: Record<string, ClassWork>;
}

/** The predictor cannot reason about this model; the message says why. */
export class NoPredictionError extends Error {
  constructor(why: string) {
    super(`no prediction: ${why}`);
    this.name = 'NoPredictionError';
  }
}

interface Tensor {
  dims: number[];
  type: string;
  /** Known integer values (shape tensors), for Reshape and friends. */
  values?: number[];
}

const BYTES_PER: Record<string, number> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  float64: 8,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  bool: 1
};

/** FLOPs per output element of elementwise operators (transcendentals cost several). */
const ELEMENTWISE: Record<string, number> = {
  Relu: 1,
  LeakyRelu: 2,
  Clip: 2,
  Add: 1,
  Sub: 1,
  Mul: 1,
  Div: 1,
  Max: 1,
  Min: 1,
  Neg: 1,
  Abs: 1,
  Sqrt: 1,
  Pow: 1,
  Tanh: 4,
  Sigmoid: 4,
  HardSigmoid: 3,
  Elu: 4,
  Selu: 4,
  Softplus: 4,
  Softsign: 3,
  Erf: 4,
  Exp: 4,
  Log: 4,
  Softmax: 5,
  LogSoftmax: 5,
  BatchNormalization: 2
};
/** Operators that only relabel a tensor's shape: no FLOPs, no copy. */
const VIEWS = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout']);

const bytesOf = (t: Tensor): number => elementCount(t.dims) * (BYTES_PER[t.type] ?? 4);

function broadcast(a: number[], b: number[], node: string): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1)
      throw new NoPredictionError(`${node}: shapes [${a}] and [${b}] do not broadcast`);
    out.push(Math.max(x, y));
  }
  return out;
}

/** Output side of a sliding window (Conv, pooling) along one axis. */
function windowOut(
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
  padBegin: number,
  padEnd: number,
  autoPad: string,
  ceil: boolean
): number {
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(size / stride);
  const span = (kernel - 1) * dilation + 1;
  const raw = (size + padBegin + padEnd - span) / stride;
  if (autoPad === 'VALID') return Math.floor((size - span) / stride) + 1;
  return (ceil ? Math.ceil(raw) : Math.floor(raw)) + 1;
}

function ints(node: onnx.INodeProto, name: string): number[] | undefined {
  const a = attribute(node, name);
  return a?.ints?.length ? a.ints.map(toNumber) : undefined;
}

function stringAttr(node: onnx.INodeProto, name: string, fallback: string): string {
  const a = attribute(node, name);
  return a?.s?.length ? Buffer.from(a.s).toString('utf8') : fallback;
}

function spatialOut(node: onnx.INodeProto, x: number[], kernel: number[], outChannels: number) {
  const rank = kernel.length;
  const strides = ints(node, 'strides') ?? kernel.map(() => 1);
  const dilations = ints(node, 'dilations') ?? kernel.map(() => 1);
  const pads = ints(node, 'pads') ?? new Array<number>(rank * 2).fill(0);
  const autoPad = stringAttr(node, 'auto_pad', 'NOTSET');
  const ceil = intAttribute(node, 'ceil_mode', 0) === 1;
  const spatial = kernel.map((k, i) =>
    windowOut(x[2 + i], k, strides[i], dilations[i], pads[i], pads[i + rank], autoPad, ceil)
  );
  return [x[0], outChannels, ...spatial];
}

/** Shapes of the graph's sources: inputs (batch dimension set), initializers, value_info. */
function sources(graph: onnx.IGraphProto, batch: number): Map<string, Tensor> {
  const known = new Map<string, Tensor>();
  for (const t of graph.initializer ?? []) {
    const dims = dimsOf(t);
    const type = typeName(t.dataType);
    const small = elementCount(dims) <= 64 && (type === 'int64' || type === 'int32');
    known.set(t.name ?? '', { dims, type, values: small ? readIntegers(t) : undefined });
  }
  const declared = (info: onnx.IValueInfoProto, isInput: boolean): Tensor | string => {
    const tt = info.type?.tensorType;
    if (!tt) return `'${info.name}' is not a tensor`;
    const dims: number[] = [];
    for (const [i, d] of (tt.shape?.dim ?? []).entries()) {
      const value = d.dimValue !== null && d.dimValue !== undefined ? toNumber(d.dimValue) : 0;
      // The first dimension of an input is the batch when it is symbolic (or -1/0).
      if (value > 0) dims.push(value);
      else if (isInput && i === 0) dims.push(batch);
      else
        return `dimension ${i} of '${info.name}' is dynamic (${d.dimParam || '?'}): its size cannot be known before running`;
    }
    if (!tt.shape) return `'${info.name}' declares no shape`;
    return { dims, type: typeName(tt.elemType) };
  };
  const inputs = (graph.input ?? []).filter(i => !known.has(i.name ?? '')); // initializers too
  checkFixedBatch(inputs, batch);
  for (const input of inputs) {
    const t = declared(input, true);
    if (typeof t === 'string') throw new NoPredictionError(t);
    known.set(input.name ?? '', t);
  }
  return known;
}

/**
 * A model whose inputs all have a fixed first dimension runs only at that batch: predicting
 * another would divide one call's energy by inputs the model never takes.
 */
function checkFixedBatch(inputs: onnx.IValueInfoProto[], batch: number): void {
  const firsts = inputs
    .map(i => ({ name: i.name ?? '', first: i.type?.tensorType?.shape?.dim?.[0] }))
    .filter(i => i.first !== undefined);
  const fixed = (d: onnx.TensorShapeProto.IDimension) =>
    d.dimValue !== null && d.dimValue !== undefined ? toNumber(d.dimValue) : 0;
  if (firsts.length === 0 || firsts.some(i => !(fixed(i.first!) > 0))) return;
  const { name, first } = firsts[0];
  const size = fixed(first!);
  if (size !== batch)
    throw new NoPredictionError(
      `the model's input '${name}' has a fixed batch of ${size}; ask for batch ${size} (--batch ${size})`
    );
}

function valueInfoShape(graph: onnx.IGraphProto, name: string, batch: number): Tensor | undefined {
  const info = (graph.valueInfo ?? []).find(v => v.name === name);
  const tt = info?.type?.tensorType;
  if (!tt?.shape) return undefined;
  const dims: number[] = [];
  for (const [i, d] of (tt.shape.dim ?? []).entries()) {
    const value = d.dimValue !== null && d.dimValue !== undefined ? toNumber(d.dimValue) : 0;
    if (value > 0) dims.push(value);
    else if (i === 0 && d.dimParam) dims.push(batch);
    else return undefined;
  }
  return { dims, type: typeName(tt.elemType) };
}

interface Inferred {
  outputs: Tensor[];
  opClass: OpClass;
  flops: number;
  macs: number;
  /** Bytes moved; default: every input and output once. */
  bytes?: number;
}

function matmulShape(a: number[], b: number[], node: string): { out: number[]; macs: number } {
  if (a.length < 1 || b.length < 1) throw new NoPredictionError(`${node}: scalar operand`);
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const [m, k] = a2.slice(-2);
  const [k2, n] = b2.slice(-2);
  if (k !== k2) throw new NoPredictionError(`${node}: inner dimensions ${k} and ${k2} differ`);
  const lead = broadcast(a2.slice(0, -2), b2.slice(0, -2), node);
  const out = [...lead, m, n];
  if (a.length === 1) out.splice(out.length - 2, 1);
  if (b.length === 1) out.pop();
  return { out, macs: elementCount(lead) * m * k * n };
}

function infer(node: onnx.INodeProto, inputs: Array<Tensor | undefined>, label: string): Inferred {
  const op = node.opType ?? '';
  const need = (i: number): Tensor => {
    const t = inputs[i];
    if (!t) throw new NoPredictionError(`${label}: the shape of input ${i} is unknown`);
    return t;
  };
  const same = (type = need(0).type): Tensor => ({ dims: need(0).dims, type });
  const n = (t: Tensor) => elementCount(t.dims);

  if (op in ELEMENTWISE) {
    let dims = need(0).dims;
    for (let i = 1; i < inputs.length; i++)
      if (inputs[i]) dims = broadcast(dims, inputs[i]!.dims, label);
    if (op === 'BatchNormalization' || op === 'Clip') dims = need(0).dims;
    const out = { dims, type: need(0).type };
    return { outputs: [out], opClass: 'elementwise', flops: n(out) * ELEMENTWISE[op], macs: 0 };
  }
  switch (op) {
    case 'MatMul':
    case 'MatMulInteger':
    case 'QLinearMatMul': {
      const [ai, bi] = op === 'QLinearMatMul' ? [0, 3] : [0, 1];
      const { out, macs } = matmulShape(need(ai).dims, need(bi).dims, label);
      const type = op === 'MatMul' ? need(0).type : op === 'MatMulInteger' ? 'int32' : need(0).type;
      return {
        outputs: [{ dims: out, type }],
        opClass: op === 'MatMul' ? 'matmul' : 'quantize',
        flops: 2 * macs,
        macs
      };
    }
    case 'Gemm': {
      const a = need(0).dims;
      const b = need(1).dims;
      if (a.length !== 2 || b.length !== 2)
        throw new NoPredictionError(`${label}: Gemm needs 2-D operands, got [${a}] and [${b}]`);
      const [m, k] = intAttribute(node, 'transA', 0) ? [a[1], a[0]] : a;
      const [k2, nn] = intAttribute(node, 'transB', 0) ? [b[1], b[0]] : b;
      if (k !== k2) throw new NoPredictionError(`${label}: inner dimensions ${k} and ${k2} differ`);
      const macs = m * k * nn;
      const bias = inputs[2] ? m * nn : 0;
      // Its own class: ONNX Runtime runs Gemm and MatMul with different kernels (fp16 above all).
      return {
        outputs: [{ dims: [m, nn], type: need(0).type }],
        opClass: 'gemm',
        flops: 2 * macs + bias,
        macs
      };
    }
    case 'Conv':
    case 'ConvInteger':
    case 'QLinearConv': {
      const wi = op === 'QLinearConv' ? 3 : 1;
      const xd = need(0).dims;
      const w = need(wi).dims;
      if (xd.length < 3 || w.length !== xd.length)
        throw new NoPredictionError(`${label}: input [${xd}] and weights [${w}] do not match`);
      const out = spatialOut(node, xd, ints(node, 'kernel_shape') ?? w.slice(2), w[0]);
      const macs = elementCount(out) * elementCount(w.slice(1));
      const hasBias = op === 'Conv' ? !!inputs[2] : op === 'QLinearConv' ? !!inputs[8] : false;
      const type = op === 'ConvInteger' ? 'int32' : need(0).type;
      return {
        outputs: [{ dims: out, type }],
        opClass: op === 'Conv' ? 'conv' : 'quantize',
        flops: 2 * macs + (hasBias ? elementCount(out) : 0),
        macs
      };
    }
    case 'MaxPool':
    case 'AveragePool': {
      const kernel = ints(node, 'kernel_shape');
      if (!kernel) throw new NoPredictionError(`${label}: no kernel_shape`);
      const out = spatialOut(node, need(0).dims, kernel, need(0).dims[1]);
      const flops = elementCount(out) * elementCount(kernel);
      return { outputs: [{ dims: out, type: need(0).type }], opClass: 'pool', flops, macs: 0 };
    }
    case 'GlobalAveragePool':
    case 'GlobalMaxPool': {
      const d = need(0).dims;
      const out = [d[0], d[1], ...d.slice(2).map(() => 1)];
      return {
        outputs: [{ dims: out, type: need(0).type }],
        opClass: 'pool',
        flops: n(need(0)),
        macs: 0
      };
    }
    case 'Cast': {
      const to = typeName(intAttribute(node, 'to', 1));
      return { outputs: [same(to)], opClass: 'cast', flops: n(need(0)), macs: 0 };
    }
    case 'QuantizeLinear':
    case 'DequantizeLinear': {
      const type = op === 'DequantizeLinear' ? 'float32' : (inputs[2]?.type ?? 'uint8');
      return { outputs: [same(type)], opClass: 'quantize', flops: 2 * n(need(0)), macs: 0 };
    }
    case 'DynamicQuantizeLinear':
      // A min/max pass, then scale and round every element.
      return {
        outputs: [same('uint8'), { dims: [], type: 'float32' }, { dims: [], type: 'uint8' }],
        opClass: 'quantize',
        flops: 4 * n(need(0)),
        macs: 0
      };
    case 'Transpose': {
      const d = need(0).dims;
      const perm = ints(node, 'perm') ?? d.map((_, i) => d.length - 1 - i);
      return {
        outputs: [{ dims: perm.map(p => d[p]), type: need(0).type }],
        opClass: 'memory',
        flops: 0,
        macs: 0
      };
    }
    case 'Concat': {
      const axisRaw = intAttribute(node, 'axis', 0);
      const all = inputs.map((_, i) => need(i));
      const axis = axisRaw < 0 ? axisRaw + all[0].dims.length : axisRaw;
      const dims = [...all[0].dims];
      dims[axis] = all.reduce((s, t) => s + t.dims[axis], 0);
      const values = all.every(t => t.values) ? all.flatMap(t => t.values!) : undefined;
      return {
        outputs: [{ dims, type: all[0].type, values }],
        opClass: 'memory',
        flops: 0,
        macs: 0
      };
    }
    case 'Shape': {
      const d = need(0).dims;
      return {
        outputs: [{ dims: [d.length], type: 'int64', values: d }],
        opClass: 'memory',
        flops: 0,
        macs: 0,
        bytes: 0
      };
    }
  }
  if (VIEWS.has(op))
    return {
      outputs: [viewShape(node, op, inputs, label)],
      opClass: 'memory',
      flops: 0,
      macs: 0,
      bytes: 0
    };
  const domain = node.domain ? ` (domain ${node.domain})` : '';
  throw new NoPredictionError(`${label}: operator ${op}${domain} is not known to the predictor`);
}

function viewShape(
  node: onnx.INodeProto,
  op: string,
  inputs: Array<Tensor | undefined>,
  label: string
): Tensor {
  const x = inputs[0];
  if (!x) throw new NoPredictionError(`${label}: the shape of its input is unknown`);
  const d = x.dims;
  const axesOf = (): number[] | undefined => ints(node, 'axes') ?? inputs[1]?.values;
  switch (op) {
    case 'Identity':
    case 'Dropout':
      return { dims: d, type: x.type, values: x.values };
    case 'Flatten': {
      const raw = intAttribute(node, 'axis', 1);
      const axis = raw < 0 ? raw + d.length : raw;
      return { dims: [elementCount(d.slice(0, axis)), elementCount(d.slice(axis))], type: x.type };
    }
    case 'Reshape': {
      const target = inputs[1]?.values;
      if (!target)
        throw new NoPredictionError(`${label}: Reshape's target shape is computed at run time`);
      const allowZero = intAttribute(node, 'allowzero', 0) === 1;
      const dims = target.map((v, i) => (v === 0 && !allowZero ? d[i] : v));
      const known = dims.filter(v => v !== -1).reduce((a, b) => a * b, 1);
      const out = dims.map(v => (v === -1 ? elementCount(d) / known : v));
      if (!out.every(Number.isInteger))
        throw new NoPredictionError(`${label}: [${d}] cannot be reshaped to [${target}]`);
      return { dims: out, type: x.type };
    }
    case 'Squeeze': {
      const axes = axesOf()?.map(a => (a < 0 ? a + d.length : a));
      return { dims: d.filter((v, i) => (axes ? !axes.includes(i) : v !== 1)), type: x.type };
    }
    default: {
      // Unsqueeze
      const axes = axesOf();
      if (!axes) throw new NoPredictionError(`${label}: Unsqueeze axes are unknown`);
      const rank = d.length + axes.length;
      const norm = axes.map(a => (a < 0 ? a + rank : a));
      const out: number[] = [];
      let j = 0;
      for (let i = 0; i < rank; i++) out.push(norm.includes(i) ? 1 : d[j++]);
      return { dims: out, type: x.type, values: x.values };
    }
  }
}

function constantTensor(node: onnx.INodeProto): Tensor | undefined {
  const t = attribute(node, 'value')?.t;
  if (!t) return undefined;
  const dims = dimsOf(t);
  const type = typeName(t.dataType);
  const values =
    elementCount(dims) <= 64 && (type === 'int64' || type === 'int32')
      ? readIntegers(t)
      : undefined;
  return { dims, type, values };
}

/** The graph's work for one call of `batch` inputs. Throws NoPredictionError when it cannot know. */
export function graphWork(model: onnx.IModelProto, batch: number): GraphWork {
  if (!Number.isInteger(batch) || batch < 1)
    throw new NoPredictionError(`the batch size must be a whole number >= 1, got ${batch}`);
  const graph = model.graph;
  if (!graph?.node?.length) throw new NoPredictionError('the model has no graph nodes');
  const known = sources(graph, batch);
  const nodes: NodeWork[] = [];
  const byClass: Record<string, ClassWork> = {};
  for (const [i, node] of graph.node.entries()) {
    const label = `node '${node.name || i}' (${node.opType})`;
    for (const a of node.attribute ?? [])
      if (a.g || a.graphs?.length)
        throw new NoPredictionError(`${label}: control flow (subgraphs) is not predicted`);
    if (node.opType === 'Constant') {
      const t = constantTensor(node);
      if (!t) throw new NoPredictionError(`${label}: only tensor constants are understood`);
      known.set(node.output?.[0] ?? '', t);
      continue;
    }
    const inputs = (node.input ?? []).map(name => (name ? known.get(name) : undefined));
    const inferred = infer(node, inputs, label);
    (node.output ?? []).forEach((name, k) => {
      if (!name) return;
      const t = inferred.outputs[k] ?? valueInfoShape(graph, name, batch);
      if (t) known.set(name, t);
    });
    const present = inputs.filter((t): t is Tensor => !!t);
    const bytes =
      inferred.bytes ??
      present.reduce((s, t) => s + bytesOf(t), 0) +
        inferred.outputs.reduce((s, t) => s + bytesOf(t), 0);
    const dtype = present[0]?.type ?? 'float32';
    const work: NodeWork = {
      name: node.name || `${node.opType}_${i}`,
      opType: node.opType ?? '',
      opClass: inferred.opClass,
      dtype,
      flops: inferred.flops,
      macs: inferred.macs,
      bytes,
      outputShape: inferred.outputs[0]?.dims ?? []
    };
    nodes.push(work);
    const key = `${work.opClass}/${dtype}`;
    const c = (byClass[key] ??= {
      opClass: work.opClass,
      dtype,
      nodes: 0,
      flops: 0,
      macs: 0,
      bytes: 0
    });
    c.nodes++;
    c.flops += work.flops;
    c.macs += work.macs;
    c.bytes += work.bytes;
  }
  const sum = (k: 'flops' | 'macs' | 'bytes') => nodes.reduce((s, w) => s + w[k], 0);
  return { batch, flops: sum('flops'), macs: sum('macs'), bytes: sum('bytes'), nodes, byClass };
}
