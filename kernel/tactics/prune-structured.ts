/**
 * `prune-structured:F`: removes the least important fraction F of the hidden neurons between two
 * dense layers (MatMul or Gemm, each with a constant weight) joined by elementwise operators
 * (bias Add, activation). Neuron j's importance is ||[W1[:, j]; b1[j]]||2 x ||W2[j, :]||2: what
 * flows into it times what flows out. Its column in W1, its bias and its row in W2 go away, so
 * both matrices shrink and their multiply-adds with them, unlike unstructured zeros. Whether that
 * makes the model faster or use less energy is for a measurement (gaissa.compare) to show: the
 * report counts what was removed and claims nothing it did not measure.
 */
import { onnx } from 'onnx-proto';
import type { ChangedNode, LeftAsIs } from '../../core/tactics';
import { GraphEditor, intAttribute } from '../onnx/graph-editor';
import { cloneModel } from '../onnx/model-file';
import { DataType, dimsOf, elementCount, readFloats } from '../onnx/tensors';
import { TacticDefinition, fractionArgument } from './tactic';

const ID = 'prune-structured';

/** Elementwise operators with one data input: neuron j of the output depends on neuron j only. */
const ELEMENTWISE = new Set([
  'Relu',
  'LeakyRelu',
  'PRelu',
  'Elu',
  'Selu',
  'Sigmoid',
  'HardSigmoid',
  'HardSwish',
  'Tanh',
  'Softplus',
  'Softsign',
  'Gelu',
  'Erf',
  'Identity',
  'Dropout',
  'Clip'
]);

/** A weight matrix as [rows, cols] with the axis that indexes hidden neurons. */
interface Matrix {
  name: string;
  dims: number[];
  values: Float32Array;
}

interface DenseLayer {
  node: onnx.NodeProto;
  weight: string;
  /** Gemm with transB=1 stores [out, in]. */
  transposed: boolean;
  /** Bias initializer of this layer (Gemm C, or the Add right after a MatMul). */
  bias?: string;
  /** The tensor that carries the layer's output (after its bias). */
  output: string;
}

/** Column j of a [rows, cols] matrix, or row j when `byRow`. */
function neuronNorms(m: Matrix, byRow: boolean): Float64Array {
  const [rows, cols] = m.dims;
  const out = new Float64Array(byRow ? rows : cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = m.values[r * cols + c];
      out[byRow ? r : c] += v * v;
    }
  }
  return out;
}

/** Keeps rows (or columns) listed in `keep`. */
function keepNeurons(m: Matrix, keep: readonly number[], byRow: boolean): Matrix {
  const [rows, cols] = m.dims;
  if (byRow) {
    const values = new Float32Array(keep.length * cols);
    keep.forEach((r, i) => values.set(m.values.subarray(r * cols, (r + 1) * cols), i * cols));
    return { name: m.name, dims: [keep.length, cols], values };
  }
  const values = new Float32Array(rows * keep.length);
  for (let r = 0; r < rows; r++)
    keep.forEach((c, i) => (values[r * keep.length + i] = m.values[r * cols + c]));
  return { name: m.name, dims: [rows, keep.length], values };
}

export const pruneStructured: TacticDefinition = {
  id: ID,
  summary:
    'structured pruning: the least important fraction F of hidden neurons removed between consecutive MatMul/Gemm layers',
  argument: {
    name: 'F',
    description: 'fraction of hidden neurons to remove, in [0, 1)',
    required: true
  },
  async apply(model, arg) {
    const fraction = fractionArgument(ID, arg, 'the fraction F of neurons to remove');
    const proto = cloneModel(model.proto);
    const editor = new GraphEditor(proto);
    const changed: ChangedNode[] = [];
    const leftAsIs: LeftAsIs[] = [];
    const matrices = new Map<string, Matrix>();
    const matrix = (name: string): Matrix | undefined => {
      if (matrices.has(name)) return matrices.get(name);
      const t = editor.initializer(name);
      if (!t || t.dataType !== DataType.FLOAT || editor.isGraphInput(name)) return undefined;
      const m = { name, dims: dimsOf(t), values: readFloats(t) };
      matrices.set(name, m);
      return m;
    };
    const onlyReader = (tensor: string): onnx.NodeProto | undefined => {
      const readers = editor.consumersOf(tensor);
      return readers.length === 1 && !editor.isGraphOutput(tensor) ? readers[0] : undefined;
    };
    /** The node as a dense layer with a constant 2-D weight (and its bias), or why not. */
    const dense = (node: onnx.NodeProto): DenseLayer | string => {
      const isGemm = node.opType === 'Gemm';
      if (node.domain || (node.opType !== 'MatMul' && !isGemm)) return 'not a MatMul or Gemm';
      if (isGemm && intAttribute(node, 'transA', 0) !== 0) return 'Gemm with transA=1';
      const weight = node.input[1];
      const m = matrix(weight);
      if (!m || m.dims.length !== 2) return 'its weight is not a constant 2-D float32 initializer';
      if (editor.consumersOf(weight).length !== 1) return 'its weight is shared with another node';
      const transposed = isGemm && intAttribute(node, 'transB', 0) !== 0;
      let output = node.output[0];
      let bias: string | undefined;
      if (isGemm && node.input[2]) {
        const b = matrix(node.input[2]);
        if (
          !b ||
          elementCount(b.dims) !== (transposed ? b.dims[0] : m.dims[1]) ||
          editor.consumersOf(node.input[2]).length !== 1
        ) {
          return 'its bias is not a per-neuron constant';
        }
        bias = node.input[2];
      } else if (!isGemm) {
        const next = onlyReader(output);
        const other = next?.opType === 'Add' ? next.input.find(t => t !== output) : undefined;
        const b = other ? matrix(other) : undefined;
        if (
          next &&
          other &&
          b &&
          elementCount(b.dims) === m.dims[1] &&
          b.dims[b.dims.length - 1] === m.dims[1] &&
          editor.consumersOf(other).length === 1
        ) {
          bias = other;
          output = next.output[0];
        }
      }
      return { node, weight, transposed, bias, output };
    };

    for (const node of editor.nodes) {
      const first = dense(node);
      if (typeof first === 'string') continue;
      const label = node.name || node.output[0];
      // Follow elementwise operators to the next dense layer.
      const hidden = [first.output];
      let tensor = first.output;
      let reader = onlyReader(tensor);
      while (
        reader &&
        ELEMENTWISE.has(reader.opType) &&
        !reader.domain &&
        reader.input[0] === tensor &&
        reader.output.length >= 1
      ) {
        if (reader.opType === 'PRelu' || reader.opType === 'Clip') {
          // Their extra inputs must be scalars to stay per-neuron-independent of the width.
          const extras = reader.input
            .slice(1)
            .filter(Boolean)
            .map(n => matrix(n));
          if (extras.some(e => !e || elementCount(e.dims) !== 1)) break;
        }
        tensor = reader.output[0];
        hidden.push(tensor);
        reader = onlyReader(tensor);
      }
      if (hidden.length === 1 || !reader) {
        if (!editor.isGraphOutput(tensor) && hidden.length > 1) {
          leftAsIs.push({
            node: label,
            op: node.opType,
            reason: 'its activations feed more than one node'
          });
        }
        continue;
      }
      const second = dense(reader);
      if (typeof second === 'string' || reader.input[0] !== tensor) {
        leftAsIs.push({
          node: label,
          op: node.opType,
          reason: `the layer after it (${reader.opType} '${reader.name || reader.output[0]}') ${typeof second === 'string' ? second : 'reads it as its weight'}`
        });
        continue;
      }
      const w1 = matrix(first.weight)!;
      const w2 = matrix(second.weight)!;
      const width = first.transposed ? w1.dims[0] : w1.dims[1];
      if ((second.transposed ? w2.dims[1] : w2.dims[0]) !== width) {
        leftAsIs.push({
          node: label,
          op: node.opType,
          reason: 'the next layer does not read its neurons one to one'
        });
        continue;
      }
      const inNorms = neuronNorms(w1, first.transposed);
      const b1 = first.bias ? matrix(first.bias)! : undefined;
      if (b1) b1.values.forEach((v, j) => (inNorms[j] += v * v));
      const outNorms = neuronNorms(w2, !second.transposed);
      const scores = Array.from(inNorms, (v, j) => ({
        j,
        score: Math.sqrt(v) * Math.sqrt(outNorms[j])
      }));
      const remove = Math.min(width - 1, Math.floor(width * fraction));
      if (remove === 0) continue;
      // Least important first; ties by index so the result is deterministic.
      scores.sort((a, b) => a.score - b.score || a.j - b.j);
      const keep = scores
        .slice(remove)
        .map(s => s.j)
        .sort((a, b) => a - b);
      matrices.set(w1.name, keepNeurons(w1, keep, first.transposed));
      matrices.set(w2.name, keepNeurons(w2, keep, !second.transposed));
      if (b1) {
        const values = Float32Array.from(keep, j => b1.values[j]);
        const dims = b1.dims.map((d, i) => (i === b1.dims.length - 1 ? keep.length : d));
        matrices.set(b1.name, { name: b1.name, dims, values });
      }
      for (const t of hidden) editor.retype(t);
      changed.push({
        node: label,
        op: node.opType,
        detail: `hidden layer ${width} -> ${keep.length} neurons (with '${reader.name || reader.output[0]}')`
      });
    }
    // Write back every matrix that changed: new buffers, the clone may share the input's memory.
    let weightsBefore = 0;
    let weightsAfter = 0;
    for (const m of matrices.values()) {
      const t = editor.initializer(m.name)!;
      if (elementCount(dimsOf(t)) === m.values.length && dimsOf(t).every((d, i) => d === m.dims[i]))
        continue;
      // Matrices, not biases: one multiply-add per weight and input.
      if (m.dims.length === 2) {
        weightsBefore += elementCount(dimsOf(t));
        weightsAfter += m.values.length;
      }
      t.dims = [...m.dims];
      t.rawData = new Uint8Array(m.values.buffer);
      t.floatData = [];
      t.dataLocation = onnx.TensorProto.DataLocation.DEFAULT;
    }
    for (const node of editor.nodes) {
      if (node.opType === 'Conv' && !node.domain) {
        leftAsIs.push({
          node: node.name || node.output[0],
          op: 'Conv',
          reason: 'structured pruning removes MatMul/Gemm neurons only (not Conv filters)'
        });
      }
    }
    editor.commit();
    return {
      proto,
      summary: changed.length
        ? `${changed.length} hidden layer${changed.length === 1 ? '' : 's'} narrowed by ${(fraction * 100).toFixed(0)} %`
        : 'no MatMul/Gemm -> elementwise -> MatMul/Gemm chain found: nothing pruned',
      changed,
      leftAsIs,
      notes: changed.length
        ? [
            `${(weightsBefore - weightsAfter).toLocaleString('en-US')} of the ${weightsBefore.toLocaleString('en-US')} weights of the pruned layers removed (${((1 - weightsAfter / weightsBefore) * 100).toFixed(1)} %), and as many multiply-adds per input; latency, energy and accuracy were not measured: compare the variant with the original (gaissa.compare) to see them`
          ]
        : []
    };
  }
};
