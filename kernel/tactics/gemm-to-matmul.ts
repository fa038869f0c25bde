/**
 * Gemm (Y = alpha A' B' + beta C) rewritten as MatMul + Add with alpha, beta and transB folded
 * into constant weights, so the int8 tactics have one weight layout ([K, N]) to quantize.
 */
import type { onnx } from 'onnx-proto';
import type { ChangedNode, LeftAsIs } from '../../core/tactics';
import {
  GraphEditor,
  describeNode,
  floatAttribute,
  intAttribute,
  makeNode
} from '../onnx/graph-editor';
import { float32Tensor } from '../onnx/tensors';
import { TacticOptions, inScope } from './tactic';

export function transpose2d(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c];
  return out;
}

/** Rewrites every Gemm in scope with a constant B; returns what it did and what it could not. */
export function gemmToMatMul(
  model: onnx.ModelProto,
  options: TacticOptions
): { changed: ChangedNode[]; leftAsIs: LeftAsIs[]; matmuls: Set<string> } {
  const editor = new GraphEditor(model);
  const changed: ChangedNode[] = [];
  const matmuls = new Set<string>();
  const leftAsIs: LeftAsIs[] = [];
  for (const node of editor.nodes) {
    if (node.opType !== 'Gemm' || !inScope(node, options)) continue;
    const leave = (reason: string) =>
      leftAsIs.push({ node: node.name || node.output[0], op: 'Gemm', reason });
    const [a, b, c] = node.input;
    const weight = editor.constantFloat(b);
    if (intAttribute(node, 'transA', 0) !== 0) {
      leave('transA=1 (the input would need a Transpose)');
      continue;
    }
    if (!weight || weight.dims.length !== 2) {
      leave('B is not a constant 2-D weight');
      continue;
    }
    const alpha = floatAttribute(node, 'alpha', 1);
    const beta = floatAttribute(node, 'beta', 1);
    const bias = c ? editor.constantFloat(c) : undefined;
    if (c && !bias && beta !== 1) {
      leave('beta != 1 with a computed C');
      continue;
    }
    const transB = intAttribute(node, 'transB', 0) !== 0;
    let values = transB
      ? transpose2d(weight.values, weight.dims[0], weight.dims[1])
      : weight.values;
    const [k, n] = transB ? [weight.dims[1], weight.dims[0]] : weight.dims;
    if (alpha !== 1) values = values.map(v => v * alpha);
    const label = node.name || node.output[0];
    const w = editor.addInitializer(float32Tensor(editor.fresh(`${b}_matmul`), [k, n], values));
    const out = node.output[0];
    const matmul = editor.fresh(`${label}_matmul`);
    matmuls.add(matmul);
    if (!c) {
      editor.replace(node, [makeNode('MatMul', [a, w], [out], matmul)]);
    } else {
      let addend = c;
      if (bias && beta !== 1) {
        const scaled = bias.values.map(v => v * beta);
        addend = editor.addInitializer(float32Tensor(editor.fresh(`${c}_bias`), bias.dims, scaled));
      }
      const product = editor.fresh(`${out}_matmul`);
      editor.replace(node, [
        makeNode('MatMul', [a, w], [product], matmul),
        makeNode('Add', [product, addend], [out], editor.fresh(`${label}_bias`))
      ]);
    }
    changed.push({
      node: label,
      op: 'Gemm',
      detail: `${describeNode(node)} rewritten as MatMul + Add${transB ? ' (B transposed)' : ''}`
    });
  }
  editor.commit();
  return { changed, leftAsIs, matmuls };
}
