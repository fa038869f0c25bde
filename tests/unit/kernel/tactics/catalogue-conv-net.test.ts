/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// Every tactic of the catalogue on a convolutional net (Conv 3x3 + Relu + MaxPool + Gemm, from
// kernel/onnx/synthetic-models.ts): each either handles the Conv or lists it as left as is, and
// the variant stays close to fp32 on 200 seeded inputs. Tolerances are stated per case as
// (max |output - fp32 output| / max |fp32 output|, top-1 agreement with fp32); the values
// observed with onnxruntime-node 1.30 are in the comments. The net is untrained, so its top-1
// margins are thin: pruning is checked at a low sparsity.
import { OnnxModel } from '../../../../kernel/onnx/onnx-model';
import { convNetModel } from '../../../../kernel/onnx/synthetic-models';
import { DataType, readFloats } from '../../../../kernel/onnx/tensors';
import { TACTICS, applyTactics } from '../../../../kernel/tactics/catalogue';
import type { Variant } from '../../../../kernel/tactics/variant';
import { CONV_LEFT_AS_IS } from '../../../../kernel/tactics/tactic';
import { agreement, firstOutput, inputs, maxAbs, maxAbsDiff } from '../fixtures/tactics';

const X = inputs(200, [200, 1, 28, 28]);
const CALIBRATION = inputs(20, [20, 1, 28, 28], 7);

interface Case {
  spec: string;
  relative: number;
  agreement: number;
  /** `Op 'node'` of every node the report lists as left as is. */
  leftAsIs: string[];
  /** What happened to the Conv, beyond the report. */
  check(variant: Variant): void;
}

const initializer = (v: Variant, name: string) =>
  v.model.proto.graph!.initializer!.find(t => t.name === name);

const CASES: Case[] = [
  {
    // Observed 0.0071, 100 %. Conv stays float by default (integer convolutions are slower here).
    spec: 'quantize-dynamic',
    relative: 0.02,
    agreement: 0.97,
    leftAsIs: ["Conv 'conv0'"],
    check: v => {
      expect(v.model.summary.operators).toMatchObject({ Conv: 1, MatMulInteger: 1 });
      expect(v.reports[0].leftAsIs[0].reason).toBe(CONV_LEFT_AS_IS);
    }
  },
  {
    // Observed 0.0071, 100 %.
    spec: 'quantize-dynamic:conv',
    relative: 0.02,
    agreement: 0.97,
    leftAsIs: [],
    check: v => {
      expect(v.model.summary.operators).toMatchObject({ ConvInteger: 1, MatMulInteger: 1 });
      expect(v.model.summary.operators.Conv).toBeUndefined();
      // Per output channel: 8 scales shaped [8, 1, 1], which broadcast over [N, 8, H, W].
      expect(initializer(v, 'conv_W_scale')?.dims?.map(Number)).toEqual([8, 1, 1]);
      expect(initializer(v, 'conv_W_quantized')?.dataType).toBe(DataType.INT8);
    }
  },
  {
    // Observed 0.0072, 100 %.
    spec: 'quantize-static',
    relative: 0.02,
    agreement: 0.97,
    leftAsIs: ["Conv 'conv0'"],
    check: v => {
      expect(v.model.summary.operators).toMatchObject({ Conv: 1, QuantizeLinear: 1 });
      expect(v.reports[0].leftAsIs[0].reason).toBe(CONV_LEFT_AS_IS);
    }
  },
  {
    // Observed 0.012, 99.5 %: the Conv output is re-quantized to 8 bits as well.
    spec: 'quantize-static:conv',
    relative: 0.03,
    agreement: 0.97,
    leftAsIs: [],
    check: v => {
      // Q/DQ on the Conv input and output and the MatMul input; DQ on 2 weights and the bias.
      expect(v.model.summary.operators).toMatchObject({ QuantizeLinear: 3, DequantizeLinear: 6 });
      expect(v.reports[0].changed.map(c => c.node)).toContain('conv0');
    }
  },
  {
    // Observed 0.00028, 100 %.
    spec: 'fp16',
    relative: 0.002,
    agreement: 1,
    leftAsIs: [],
    check: v => {
      const conv = v.model.proto.graph!.node!.find(n => n.opType === 'Conv')!;
      expect(initializer(v, conv.input![1])?.dataType).toBe(DataType.FLOAT16);
    }
  },
  {
    // Observed 0.055, 98 %: a tenth of the 72 Conv weights is a large cut for a 3x3 kernel.
    spec: 'prune-magnitude:0.1',
    relative: 0.1,
    agreement: 0.95,
    leftAsIs: [],
    check: v => {
      expect(v.reports[0].changed.map(c => c.node)).toEqual(['conv0', 'fc0']);
      const w = readFloats(initializer(v, 'conv_W')!);
      expect(w.filter(x => x === 0)).toHaveLength(Math.floor(0.1 * 72));
    }
  },
  {
    // Nothing to prune: one Gemm has no consecutive layer, and channels of a Conv are not pruned.
    spec: 'prune-structured:0.5',
    relative: 0,
    agreement: 1,
    leftAsIs: ["Conv 'conv0'"],
    check: v => expect(v.reports[0].summary).toMatch(/nothing pruned/)
  },
  {
    spec: 'graph-optimize',
    relative: 1e-5,
    agreement: 1,
    leftAsIs: [],
    check: v => expect(v.model.summary.operators['com.microsoft.FusedConv']).toBe(1)
  },
  {
    spec: 'threads:1',
    relative: 0,
    agreement: 1,
    leftAsIs: [],
    check: v => expect(v.runtime.intraOpNumThreads).toBe(1)
  },
  {
    spec: 'batch:8',
    relative: 0,
    agreement: 1,
    leftAsIs: [],
    check: v => expect(v.runtime.batchSize).toBe(8)
  }
];

test('every tactic of the catalogue has a conv-net case', () => {
  const covered = new Set(CASES.map(c => c.spec.split(':')[0]));
  expect(TACTICS.map(t => t.id).filter(id => !covered.has(id))).toEqual([]);
});

describe('tactics on a conv net', () => {
  const base = OnnxModel.fromProto(convNetModel());
  let fp32: Float32Array;
  beforeAll(async () => {
    fp32 = await firstOutput(base, X);
  });

  test.each(CASES.map(c => [c.spec, c] as const))('%s', async (_, c) => {
    const variant = await applyTactics(base, c.spec, { calibration: CALIBRATION });
    const out = await firstOutput(variant.model, X);
    expect(maxAbsDiff(fp32, out)).toBeLessThanOrEqual(c.relative * maxAbs(fp32));
    expect(agreement(fp32, out, 10)).toBeGreaterThanOrEqual(c.agreement);
    expect(variant.reports[0].leftAsIs.map(l => `${l.op} '${l.node}'`)).toEqual(c.leftAsIs);
    c.check(variant);
  });
});
