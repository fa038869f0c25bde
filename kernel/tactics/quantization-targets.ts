/**
 * The nodes the int8 tactics (quantize-dynamic, quantize-static) rewrite, found by one walk: Gemm
 * in scope is first rewritten as MatMul + Add, then every MatMul and Conv in scope with a constant
 * float weight becomes a target; the others are listed as left as is, with the reason.
 */
import type { onnx } from 'onnx-proto';
import type { ChangedNode, LeftAsIs } from '../../core/tactics';
import { ConstantFloat, GraphEditor } from '../onnx/graph-editor';
import { gemmToMatMul } from './gemm-to-matmul';
import { CONV_LEFT_AS_IS, DEFAULT_OPS, TacticOptions, inScope } from './tactic';

export interface QuantizationTarget {
  node: onnx.NodeProto;
  /** The node's name, or its first output where it has none. */
  label: string;
  isConv: boolean;
  weight: ConstantFloat;
  /** A Conv's constant bias. */
  bias?: ConstantFloat;
}

export interface QuantizationPlan {
  /** An editor on `proto` after the Gemm rewrite; the tactic plans its replacements on it. */
  editor: GraphEditor;
  targets: QuantizationTarget[];
  /** The Gemm rewrites so far; the tactic adds its own. */
  changed: ChangedNode[];
  leftAsIs: LeftAsIs[];
}

/** Rewrites Gemm in `proto` (a clone: it is changed in place) and walks MatMul/Conv. */
export function quantizationTargets(
  proto: onnx.ModelProto,
  options: TacticOptions
): QuantizationPlan {
  const ops = options.ops ?? DEFAULT_OPS;
  const rewrite = ops.includes('Gemm')
    ? gemmToMatMul(proto, { ...options, ops: ['Gemm'] })
    : { changed: [], leftAsIs: [], matmuls: new Set<string>() };
  const editor = new GraphEditor(proto);
  const leftAsIs: LeftAsIs[] = [...rewrite.leftAsIs];
  const targets: QuantizationTarget[] = [];
  for (const node of editor.nodes) {
    const isMatMul = node.opType === 'MatMul' && !node.domain;
    const isConv = node.opType === 'Conv' && !node.domain;
    if (!isMatMul && !isConv) continue;
    const label = node.name || node.output[0];
    const leave = (reason: string) => leftAsIs.push({ node: label, op: node.opType, reason });
    // MatMuls that came from a Gemm are quantized even when `ops` names only Gemm.
    if (!inScope(node, options) && !(isMatMul && rewrite.matmuls.has(node.name))) {
      if (isConv && !ops.includes('Conv')) leave(CONV_LEFT_AS_IS);
      continue;
    }
    const [x, w, b] = node.input;
    const weight = editor.constantFloat(w);
    if (!weight) {
      leave('its weight is not a constant float tensor');
      continue;
    }
    if (editor.constantFloat(x)) {
      leave('both inputs are constants (fold them instead)');
      continue;
    }
    if (isMatMul && weight.dims.length !== 2) {
      leave(`its weight has ${weight.dims.length} dimensions (2 supported)`);
      continue;
    }
    if (isConv && weight.dims.length < 3) {
      leave('its weight has fewer than 3 dimensions');
      continue;
    }
    let bias: ConstantFloat | undefined;
    if (isConv && b) {
      bias = editor.constantFloat(b);
      if (!bias) {
        leave('its bias is not a constant');
        continue;
      }
    }
    targets.push({ node, label, isConv, weight, bias });
  }
  return { editor, targets, changed: [...rewrite.changed], leftAsIs };
}
