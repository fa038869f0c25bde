/**
 * `quantize-dynamic`: int8 weights with uint8 activations quantized at run time, built from
 * standard ONNX operators as ONNX Runtime's own tool builds it:
 *
 *   x -> DynamicQuantizeLinear -> (x_q, x_scale, x_zp)
 *   MatMulInteger(x_q, W_q, x_zp, 0) -> Cast(float) -> Mul(., x_scale x W_scale) [-> Add(bias)]
 *
 * (ConvInteger likewise for Conv.) Weights are symmetric, so their zero point is a scalar 0 even
 * per channel: the per-channel scale is applied after the integer product. ONNX Runtime fuses the
 * MatMul pattern into DynamicQuantizeMatMul at graph optimization level extended or above.
 */
import type { onnx } from 'onnx-proto';
import {
  PER_TENSOR,
  channelLayout,
  int8SymmetricRange,
  quantizeSymmetric
} from '../../core/quantization';
import type { ChangedNode, LeftAsIs } from '../../core/tactics';
import { attr, makeNode } from '../onnx/graph-editor';
import { cloneModel, opsetOf } from '../onnx/model-file';
import type { OnnxModel } from '../onnx/onnx-model';
import { DataType, float32Tensor, int8Tensor } from '../onnx/tensors';
import { chooseWeightRange } from './int8-weight-range';
import { quantizationTargets } from './quantization-targets';
import { DEFAULT_OPS, TacticDefinition, TacticError, TacticOptions, argumentWords } from './tactic';

const ID = 'quantize-dynamic';

interface QuantizedWeight {
  values: string;
  scale: string;
  zeroPoint: string;
  scaleCount: number;
}

/** Options from the `quantize-dynamic:ARG[/ARG]` form (per-tensor, reduce-range, full-range, conv). */
export function dynamicOptions(arg: string | undefined, options: TacticOptions): TacticOptions {
  const out = { ...options };
  for (const word of argumentWords(arg)) {
    if (word === 'per-channel') out.perChannel = true;
    else if (word === 'per-tensor') out.perChannel = false;
    else if (word === 'reduce-range') out.reduceRange = true;
    else if (word === 'full-range') out.reduceRange = false;
    else if (word === 'conv') out.ops = [...new Set([...(out.ops ?? DEFAULT_OPS), 'Conv'])];
    else {
      throw new TacticError(
        ID,
        `unknown argument '${word}'; use per-channel, per-tensor, reduce-range, full-range or conv (combine with '/')`
      );
    }
  }
  return out;
}

/** `options.reduceRange` must be decided (chooseWeightRange) by the caller; unset is full range. */
export function quantizeDynamicProto(
  model: OnnxModel,
  options: TacticOptions
): {
  proto: onnx.ModelProto;
  changed: ChangedNode[];
  leftAsIs: LeftAsIs[];
  quantized: number;
  conv: number;
} {
  const opset = opsetOf(model.proto) ?? 0;
  if (opset < 11) {
    throw new TacticError(
      ID,
      `needs opset 11 or later (DynamicQuantizeLinear); ${model.name} has opset ${opset}: convert it to a newer opset first`
    );
  }
  const proto = cloneModel(model.proto);
  const { editor, targets, changed, leftAsIs } = quantizationTargets(proto, options);
  const gemmRewrites = changed.length;
  const perChannel = options.perChannel ?? true;
  const reduceRange = options.reduceRange ?? false;
  const range = int8SymmetricRange(reduceRange);
  const activations = new Map<string, [string, string, string]>();
  const weights = new Map<string, QuantizedWeight>();
  let conv = 0;

  const quantizeWeight = (name: string, dims: number[], values: Float32Array, axis: number) => {
    const key = `${name}@${axis}`;
    const known = weights.get(key);
    if (known) return known;
    const layout = perChannel ? channelLayout(dims, axis) : PER_TENSOR;
    const q = quantizeSymmetric(values, layout, range);
    // A Conv scale broadcasts over [N, M, spatial...]: shape [M, 1, ...].
    const scaleDims = !perChannel
      ? []
      : axis === 1
        ? [dims[1]]
        : [dims[0], ...dims.slice(2).map(() => 1)];
    const made: QuantizedWeight = {
      values: editor.addInitializer(int8Tensor(editor.fresh(`${name}_quantized`), dims, q.values)),
      scale: editor.addInitializer(
        float32Tensor(editor.fresh(`${name}_scale`), scaleDims, q.scales)
      ),
      zeroPoint: editor.addInitializer(
        int8Tensor(editor.fresh(`${name}_zero_point`), [], new Int8Array(1))
      ),
      scaleCount: q.scales.length
    };
    weights.set(key, made);
    return made;
  };

  for (const { node, label, isConv, weight: w, bias: b } of targets) {
    const isMatMul = !isConv;
    const [x, wName, biasName] = node.input;
    // A Conv bias broadcasts over [N, M, spatial...]: shape [M, 1, ...].
    const bias = b && {
      name: editor.addInitializer(
        float32Tensor(
          editor.fresh(`${biasName}_reshaped`),
          [w.dims[0], ...w.dims.slice(2).map(() => 1)],
          b.values
        )
      )
    };
    const qw = quantizeWeight(wName, w.dims, w.values, isMatMul ? 1 : 0);
    const newNodes: onnx.NodeProto[] = [];
    let act = activations.get(x);
    if (!act) {
      act = [
        editor.fresh(`${x}_quantized`),
        editor.fresh(`${x}_scale`),
        editor.fresh(`${x}_zero_point`)
      ];
      newNodes.push(
        makeNode('DynamicQuantizeLinear', [x], [...act], editor.fresh(`${x}_DynamicQuantizeLinear`))
      );
      activations.set(x, act);
    }
    const [xq, xs, xz] = act;
    const out = node.output[0];
    const integer = editor.fresh(`${out}_output_quantized`);
    const asFloat = editor.fresh(`${out}_output_quantized_cast_output`);
    const scales = editor.fresh(`${out}_scales_mul`);
    const scaled = bias ? editor.fresh(`${out}_scaled`) : out;
    newNodes.push(
      isMatMul
        ? makeNode(
            'MatMulInteger',
            [xq, qw.values, xz, qw.zeroPoint],
            [integer],
            editor.fresh(`${label}_quant`)
          )
        : makeNode(
            'ConvInteger',
            [xq, qw.values, xz, qw.zeroPoint],
            [integer],
            editor.fresh(`${label}_quant`),
            node.attribute
          ),
      makeNode('Cast', [integer], [asFloat], editor.fresh(`${label}_cast`), [
        attr.int('to', DataType.FLOAT)
      ]),
      makeNode('Mul', [xs, qw.scale], [scales], editor.fresh(`${label}_scales_mul`)),
      makeNode('Mul', [asFloat, scales], [scaled], editor.fresh(`${label}_output_scale_mul`))
    );
    if (bias)
      newNodes.push(makeNode('Add', [scaled, bias.name], [out], editor.fresh(`${label}_bias_add`)));
    editor.replace(node, newNodes);
    if (isConv) conv++;
    changed.push({
      node: label,
      op: node.opType,
      detail:
        `int8 weights${reduceRange ? ' (7-bit)' : ''} [${w.dims.join(', ')}] ${perChannel ? `per channel (${qw.scaleCount} scales)` : 'per tensor'}` +
        `, ${isMatMul ? 'MatMulInteger' : 'ConvInteger'} on uint8 activations`
    });
  }
  editor.commit();
  return { proto, changed, leftAsIs, quantized: changed.length - gemmRewrites, conv };
}

export const quantizeDynamic: TacticDefinition = {
  id: ID,
  summary:
    'int8 weights (symmetric, per output channel; 7-bit where the CPU has no int8 dot product) for MatMul, Gemm (as MatMul + Add) and Conv; uint8 activations quantized at run time',
  argument: {
    name: 'per-channel|per-tensor|reduce-range|full-range|conv',
    description:
      "scale per output channel (default) or per tensor; reduce-range / full-range: 7-bit or 8-bit weights (default: 7-bit exactly where the CPU has no VNNI or Arm dot product); conv: quantize Conv too (ConvInteger); combine with '/'",
    required: false
  },
  async apply(model, arg, options) {
    const opts = dynamicOptions(arg, options);
    const weightRange = chooseWeightRange(opts, ID);
    const { proto, changed, leftAsIs, quantized, conv } = quantizeDynamicProto(model, {
      ...opts,
      reduceRange: weightRange.reduceRange
    });
    const notes = [
      weightRange.note,
      "int8 weights take a quarter of the float32 bytes; activations are quantized on every call, so the speed-up grows with the batch size and depends on the CPU's integer instructions",
      'ONNX Runtime fuses DynamicQuantizeLinear + MatMulInteger + rescale into one kernel at graph optimization level extended or all'
    ];
    if (conv > 0) {
      notes.push(
        'ConvInteger has a plain integer kernel on the CPU provider: measure before assuming a convolution got faster'
      );
    }
    return {
      proto,
      summary: `int8 weights for ${quantized} node${quantized === 1 ? '' : 's'}${conv ? ` (${conv} Conv)` : ''}, ${weightRange.reduceRange ? '7-bit (reduce-range)' : 'full range'}; ${leftAsIs.length} left as is`,
      changed,
      leftAsIs,
      notes
    };
  }
};
