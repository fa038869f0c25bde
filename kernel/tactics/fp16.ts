/**
 * `fp16`: float16 weights and arithmetic for operators with a float16 rule, float32 at the
 * boundaries: graph inputs are cast to float16 on the way in, outputs back to float32, and any
 * operator without a rule (or whose input types are unknown) stays float32 behind casts.
 */
import type { onnx } from 'onnx-proto';
import type { ChangedNode, LeftAsIs } from '../../core/tactics';
import { GraphEditor, attr, makeNode } from '../onnx/graph-editor';
import { cloneModel } from '../onnx/model-file';
import {
  DataType,
  dimsOf,
  float16Tensor,
  isFloatTensor,
  readFloats,
  toNumber
} from '../onnx/tensors';
import type { TacticDefinition } from './tactic';

/** Which inputs carry float data ('all' or indices) and which outputs are float. */
interface Fp16Rule {
  inputs: 'all' | number[];
  outputs: number[];
}

const ALL: Fp16Rule = { inputs: 'all', outputs: [0] };
const FIRST: Fp16Rule = { inputs: [0], outputs: [0] };

/** Operators whose float16 form means the same computation (ONNX type constraint T includes float16). */
const RULES: Record<string, Fp16Rule> = {
  MatMul: ALL,
  Gemm: ALL,
  Conv: ALL,
  ConvTranspose: ALL,
  Add: ALL,
  Sub: ALL,
  Mul: ALL,
  Div: ALL,
  Sum: ALL,
  Max: ALL,
  Min: ALL,
  Concat: ALL,
  BatchNormalization: { inputs: 'all', outputs: [0] },
  InstanceNormalization: ALL,
  LayerNormalization: ALL,
  Clip: ALL,
  Relu: FIRST,
  LeakyRelu: FIRST,
  Elu: FIRST,
  Selu: FIRST,
  Sigmoid: FIRST,
  HardSigmoid: FIRST,
  Tanh: FIRST,
  Softplus: FIRST,
  Softmax: FIRST,
  LogSoftmax: FIRST,
  Gelu: FIRST,
  Erf: FIRST,
  Sqrt: FIRST,
  Exp: FIRST,
  Abs: FIRST,
  Neg: FIRST,
  Identity: FIRST,
  Dropout: { inputs: [0], outputs: [0] },
  MaxPool: { inputs: [0], outputs: [0] },
  AveragePool: FIRST,
  GlobalAveragePool: FIRST,
  GlobalMaxPool: FIRST,
  Flatten: FIRST,
  Reshape: FIRST,
  Transpose: FIRST,
  Squeeze: FIRST,
  Unsqueeze: FIRST,
  Slice: FIRST,
  Gather: FIRST,
  ReduceMean: FIRST,
  ReduceSum: FIRST,
  ReduceMax: FIRST,
  Pad: { inputs: [0, 2], outputs: [0] }
};

type Kind = 'f32' | 'f16' | 'other';

/**
 * Operators whose first output is not of their first input's type. Any other standard operator
 * kept in float32 is taken to write float32 when it reads float32 (type constraint T -> T).
 */
const TYPE_CHANGING = new Set([
  'Shape',
  'Size',
  'ArgMax',
  'ArgMin',
  'Cast',
  'CastLike',
  'NonZero',
  'Equal',
  'Greater',
  'GreaterOrEqual',
  'Less',
  'LessOrEqual',
  'And',
  'Or',
  'Xor',
  'Not',
  'IsNaN',
  'IsInf',
  'QuantizeLinear',
  'DynamicQuantizeLinear',
  'MatMulInteger',
  'ConvInteger',
  'ConstantOfShape',
  'EyeLike',
  'OneHot',
  'Unique',
  'NonMaxSuppression',
  'RandomNormalLike',
  'RandomUniformLike',
  'Multinomial',
  'Bernoulli',
  'StringNormalizer',
  'TfIdfVectorizer'
]);

function dataInputs(node: onnx.NodeProto, rule: Fp16Rule): number[] {
  const indices = rule.inputs === 'all' ? node.input.map((_, i) => i) : rule.inputs;
  return indices.filter(i => i < node.input.length && node.input[i] !== '');
}

export const fp16: TacticDefinition = {
  id: 'fp16',
  summary: 'float16 weights and arithmetic, float32 inputs and outputs (casts at the boundaries)',
  async apply(model) {
    const proto = cloneModel(model.proto);
    const editor = new GraphEditor(proto);
    const kinds = new Map<string, Kind>();
    const elemKind = (t: number | null | undefined): Kind =>
      t === DataType.FLOAT ? 'f32' : t === DataType.FLOAT16 ? 'f16' : 'other';
    for (const v of [...editor.graph.input, ...editor.graph.valueInfo]) {
      if (v.type?.tensorType) kinds.set(v.name, elemKind(v.type.tensorType.elemType));
    }
    for (const t of editor.graph.initializer) kinds.set(t.name, elemKind(t.dataType));

    const halves = new Map<string, string>();
    const fulls = new Map<string, string>();
    const changed: ChangedNode[] = [];
    const leftAsIs: LeftAsIs[] = [];
    let overflowed = 0;
    let converted = 0;

    /** The float16 twin of a float32 tensor: an initializer copy or a Cast, made once. */
    const half = (tensor: string, before: onnx.NodeProto[]): string => {
      const known = halves.get(tensor);
      if (known) return known;
      const init = editor.initializer(tensor);
      let name: string;
      if (init && isFloatTensor(init) && !editor.isGraphInput(tensor)) {
        const made = float16Tensor(editor.fresh(`${tensor}_fp16`), dimsOf(init), readFloats(init));
        overflowed += made.overflowed;
        name = editor.addInitializer(made.tensor);
      } else {
        name = editor.fresh(`${tensor}_fp16`);
        before.push(
          makeNode('Cast', [tensor], [name], editor.fresh(`${tensor}_cast_fp16`), [
            attr.int('to', DataType.FLOAT16)
          ])
        );
      }
      halves.set(tensor, name);
      kinds.set(name, 'f16');
      return name;
    };
    /** A float32 view of a float16 tensor, for operators kept in float32. */
    const full = (tensor: string, before: onnx.NodeProto[]): string => {
      const known = fulls.get(tensor);
      if (known) return known;
      const name = editor.fresh(`${tensor}_fp32`);
      before.push(
        makeNode('Cast', [tensor], [name], editor.fresh(`${tensor}_cast_fp32`), [
          attr.int('to', DataType.FLOAT)
        ])
      );
      fulls.set(tensor, name);
      kinds.set(name, 'f32');
      return name;
    };

    for (const node of editor.nodes) {
      const rule = node.domain ? undefined : RULES[node.opType];
      const label = node.name || node.output[0];
      const before: onnx.NodeProto[] = [];
      const floatData = rule ? dataInputs(node, rule) : [];
      const known = floatData.every(i => {
        const k = kinds.get(node.input[i]);
        return k === 'f32' || k === 'f16';
      });
      if (rule && floatData.length > 0 && known) {
        for (const i of floatData) {
          const t = node.input[i];
          if (kinds.get(t) !== 'f16') node.input[i] = half(t, before);
        }
        for (const o of rule.outputs) {
          if (node.output[o]) {
            kinds.set(node.output[o], 'f16');
            editor.retype(node.output[o]);
          }
        }
        // Outputs the rule does not list (e.g. Dropout's mask) keep their type.
        converted++;
        if (before.length) editor.insertBefore(node, before);
        continue;
      }
      // Kept in float32: float16 inputs are cast back first.
      const readsHalf = node.input.some(t => kinds.get(t) === 'f16');
      const readsFloat = node.input.some(t => kinds.get(t) === 'f32' || kinds.get(t) === 'f16');
      node.input.forEach((t, i) => {
        if (kinds.get(t) === 'f16') node.input[i] = full(t, before);
      });
      if (before.length) editor.insertBefore(node, before);
      if (!node.domain && !TYPE_CHANGING.has(node.opType) && kinds.get(node.input[0]) === 'f32') {
        kinds.set(node.output[0], 'f32');
      } else if (node.opType === 'Cast') {
        kinds.set(node.output[0], elemKind(toNumber(node.attribute.find(a => a.name === 'to')?.i)));
      } else if (node.opType === 'Constant') {
        const value = node.attribute.find(a => a.name === 'value')?.t;
        kinds.set(node.output[0], elemKind(value?.dataType));
      }
      if (readsFloat || readsHalf) {
        leftAsIs.push({
          node: label,
          op: node.opType,
          reason: rule
            ? 'the types of its inputs are unknown (no value_info); kept in float32'
            : 'no float16 rule for this operator; kept in float32 with casts around it'
        });
      }
    }
    editor.commit();

    // Graph outputs stay float32: the float16 tensor is renamed and cast back under the old name.
    const graph = editor.graph;
    for (const output of graph.output) {
      if (kinds.get(output.name) !== 'f16') continue;
      const renamed = `${output.name}_fp16`;
      for (const node of graph.node) {
        node.input = node.input.map(t => (t === output.name ? renamed : t));
        node.output = node.output.map(t => (t === output.name ? renamed : t));
      }
      graph.node.push(
        makeNode('Cast', [renamed], [output.name], `${output.name}_cast_fp32_output`, [
          attr.int('to', DataType.FLOAT)
        ])
      );
    }
    if (converted > 0) {
      changed.push({
        node: '(graph)',
        op: 'fp16',
        detail: `${converted} operators in float16, ${halves.size} tensors converted`
      });
    }
    const notes = [
      'float16 weights take half the bytes; the CPU provider has no float16 kernels for most operators and runs them through casts, so expect no speed-up (often a slowdown) on the CPU',
      'a GPU with float16 units is where fp16 pays off in speed'
    ];
    if (overflowed > 0)
      notes.push(`${overflowed} weights exceed the float16 range (+-65504) and became +-Infinity`);
    return {
      proto,
      summary: `${converted} operators in float16 with float32 inputs/outputs; ${leftAsIs.length} kept in float32`,
      changed,
      leftAsIs,
      notes
    };
  }
};
