/**
 * `prune-magnitude:S`: unstructured magnitude pruning. In each weight matrix of MatMul, Gemm and
 * Conv, the fraction S of weights with the smallest absolute value becomes exactly zero. The
 * tensors keep their shape and dense kernels do the same work, so only the compressed size
 * changes: the report says so.
 */
import { onnx } from 'onnx-proto';
import type { ChangedNode, LeftAsIs } from '../../core/tactics';
import { GraphEditor } from '../onnx/graph-editor';
import { cloneModel } from '../onnx/model-file';
import { DataType, dimsOf, readFloats } from '../onnx/tensors';
import { TacticDefinition, fractionArgument } from './tactic';

const ID = 'prune-magnitude';
const TARGETS = new Set(['MatMul', 'Gemm', 'Conv']);

/** Zeroes the `fraction` of smallest-|w| values; returns the new values and how many are zero. */
export function pruneSmallest(
  values: Float32Array,
  fraction: number
): { values: Float32Array; zeros: number } {
  const k = Math.floor(values.length * fraction);
  const out = Float32Array.from(values);
  if (k === 0) return { values: out, zeros: out.filter(v => v === 0).length };
  const sorted = out.map(Math.abs).sort();
  const threshold = sorted[k - 1];
  // Below the threshold: all go. At it: only as many as still needed, so exactly k are pruned.
  let below = 0;
  for (let i = 0; i < out.length; i++) if (Math.abs(out[i]) < threshold) below++;
  let atThreshold = k - below;
  for (let i = 0; i < out.length; i++) {
    const a = Math.abs(out[i]);
    if (a < threshold) out[i] = 0;
    else if (a === threshold && atThreshold > 0) {
      out[i] = 0;
      atThreshold--;
    }
  }
  let zeros = 0;
  for (let i = 0; i < out.length; i++) if (out[i] === 0) zeros++;
  return { values: out, zeros };
}

export const pruneMagnitude: TacticDefinition = {
  id: ID,
  summary:
    'unstructured magnitude pruning: the fraction S of smallest weights set to zero in MatMul, Gemm and Conv',
  argument: {
    name: 'S',
    description: 'sparsity, a fraction in [0, 1) (0.5 zeroes half the weights)',
    required: true
  },
  async apply(model, arg) {
    const sparsity = fractionArgument(ID, arg, 'the sparsity S');
    const proto = cloneModel(model.proto);
    const editor = new GraphEditor(proto);
    const changed: ChangedNode[] = [];
    const leftAsIs: LeftAsIs[] = [];
    const done = new Set<string>();
    let total = 0;
    let zeros = 0;
    for (const node of editor.nodes) {
      if (!TARGETS.has(node.opType) || node.domain) continue;
      const label = node.name || node.output[0];
      const name = node.input[1];
      const tensor = editor.initializer(name);
      if (!tensor || tensor.dataType !== DataType.FLOAT) {
        leftAsIs.push({
          node: label,
          op: node.opType,
          reason: 'its weight is not a float32 initializer'
        });
        continue;
      }
      if (done.has(name)) continue;
      done.add(name);
      const pruned = pruneSmallest(readFloats(tensor), sparsity);
      // A new buffer: the clone's raw_data may share memory with the input model.
      tensor.rawData = new Uint8Array(pruned.values.buffer);
      tensor.floatData = [];
      tensor.dataLocation = onnx.TensorProto.DataLocation.DEFAULT;
      total += pruned.values.length;
      zeros += pruned.zeros;
      changed.push({
        node: label,
        op: node.opType,
        detail: `weight '${name}' [${dimsOf(tensor).join(', ')}]: ${((pruned.zeros / pruned.values.length) * 100).toFixed(1)} % zeros`
      });
    }
    editor.commit();
    const overall = total ? zeros / total : 0;
    return {
      proto,
      summary: `${changed.length} weight tensors pruned to ${(overall * 100).toFixed(1)} % zeros (target ${(sparsity * 100).toFixed(1)} %)`,
      changed,
      leftAsIs,
      notes: [
        'zeros stay in the dense tensors: the file keeps its size (only the compressed size shrinks) and the CPU provider does the same multiplications, so no speed or energy gain is expected',
        'unstructured sparsity pays off only with a sparse runtime, or as a step before structured pruning'
      ]
    };
  }
};
