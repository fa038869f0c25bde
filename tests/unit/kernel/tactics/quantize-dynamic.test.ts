/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// quantize-dynamic on small generated models: int8 weights, integer operators.
// Stated tolerances (expectClose): max |output - fp32 output| <= 2 % of the largest fp32 output,
// and top-1 agreement with fp32 >= 97 % on 200 seeded inputs. Observed on AMD EPYC (AVX2, no VNNI:
// 7-bit weights by default) 0.6-1.5 % and 99-100 %; a CPU with VNNI gets full-range weights, with
// half the rounding step (not run here). The input file stays byte for byte the same.
import type { onnx } from 'onnx-proto';
import { seededRandom } from '../../../../core/seeded-random';
import { makeNode } from '../../../../kernel/onnx/graph-editor';
import { OnnxModel } from '../../../../kernel/onnx/onnx-model';
import { convNetModel, mlpModel } from '../../../../kernel/onnx/synthetic-models';
import { DataType, float32Tensor, readIntegers } from '../../../../kernel/onnx/tensors';
import { applyTactics } from '../../../../kernel/tactics/catalogue';
import { TacticError } from '../../../../kernel/tactics/tactic';
import {
  expectClose,
  expectUnchanged,
  initializersOf,
  inputs,
  modelFile,
  tempDir
} from '../fixtures/tactics';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.remove());

const X = inputs(200);

describe('quantize-dynamic', () => {
  test.each([
    ['MatMul + Add', false],
    ['Gemm (transB=1), rewritten as MatMul + Add', true]
  ])('%s: standard integer operators, 4x smaller, close to fp32', async (_, gemm) => {
    const file = await modelFile(tmp.dir, 'mlp.onnx', mlpModel({ sizes: [784, 64, 10], gemm }));
    const base = await OnnxModel.load(file.path);
    const variant = await applyTactics(base, 'quantize-dynamic');
    expect(variant.model.summary.operators).toEqual({
      Add: 2,
      Cast: 2,
      DynamicQuantizeLinear: 2,
      MatMulInteger: 2,
      Mul: 4,
      Relu: 1
    });
    const weights = initializersOf(variant.model, DataType.INT8).filter(t =>
      t.name.endsWith('_quantized')
    );
    expect(weights.map(t => t.dims.map(Number))).toEqual([
      [784, 64],
      [64, 10]
    ]);
    // Symmetric: one scale per output column, zero point 0.
    const scales = (variant.model.proto.graph?.initializer ?? []).filter(t =>
      t.name.endsWith('_scale')
    );
    expect(scales.map(t => t.dims.map(Number))).toEqual([[64], [10]]);
    expect(variant.model.sizeBytes / base.sizeBytes).toBeLessThan(0.27);
    await expectClose(base, variant.model);
    const report = variant.reports[0];
    expect(report.leftAsIs).toEqual([]);
    expect(report.changed.filter(c => /int8 weights/.test(c.detail))).toHaveLength(2);
    if (gemm)
      expect(report.changed.filter(c => /rewritten as MatMul \+ Add/.test(c.detail))).toHaveLength(
        2
      );
    expect(report.notes.join(' ')).toMatch(/speed-up grows with the batch size/);
    // The saved variant is another file; the input is untouched.
    await variant.save(`${tmp.dir}/mlp-int8.onnx`);
    expectUnchanged(file);
    expect((await OnnxModel.load(`${tmp.dir}/mlp-int8.onnx`)).sizeBytes).toBe(
      variant.model.sizeBytes
    );
  });

  test('ONNX Runtime fuses what it makes into the kernels of its own tool', async () => {
    // The latency parity with onnxruntime.quantization.quantize_dynamic rests on this: each
    // DynamicQuantizeLinear + MatMulInteger + rescale (+ bias) group becomes one
    // DynamicQuantizeMatMul, and an input shared by several MatMuls is quantized once, read by
    // MatMulIntegerToFloat kernels (the graphs of their tool's files, optimized alike).
    const fused = async (proto: onnx.ModelProto, spec = 'quantize-dynamic') =>
      (await applyTactics(OnnxModel.fromProto(proto), `${spec}+graph-optimize`)).model.summary
        .operators;
    for (const gemm of [false, true]) {
      expect(await fused(mlpModel({ sizes: [784, 64, 32, 10], gemm }))).toEqual({
        'com.microsoft.DynamicQuantizeMatMul': 3,
        Relu: 2
      });
    }
    expect(await fused(mlpModel({ sizes: [784, 64, 10] }), 'quantize-dynamic:per-tensor')).toEqual({
      'com.microsoft.DynamicQuantizeMatMul': 2,
      Relu: 1
    });
    // x -> three MatMuls -> sum: one DynamicQuantizeLinear for the three.
    const random = seededRandom(5);
    const weight = (name: string) =>
      float32Tensor(
        name,
        [32, 16],
        Float32Array.from({ length: 512 }, () => random() - 0.5)
      );
    const shared = mlpModel({ sizes: [32, 16] });
    shared.graph!.initializer = [weight('Wa'), weight('Wb'), weight('Wc')];
    shared.graph!.node = [
      makeNode('MatMul', ['input', 'Wa'], ['a'], 'ma'),
      makeNode('MatMul', ['input', 'Wb'], ['b'], 'mb'),
      makeNode('MatMul', ['input', 'Wc'], ['c'], 'mc'),
      makeNode('Sum', ['a', 'b', 'c'], ['output'], 'sum')
    ];
    const quantized = await applyTactics(OnnxModel.fromProto(shared), 'quantize-dynamic');
    expect(quantized.model.summary.operators.DynamicQuantizeLinear).toBe(1);
    await expectClose(OnnxModel.fromProto(shared), quantized.model, inputs(50, [50, 32]), 16);
    expect(await fused(shared)).toEqual({
      'com.microsoft.MatMulIntegerToFloat': 3,
      DynamicQuantizeLinear: 1,
      Sum: 1
    });
  });

  test('per-tensor and reduce-range options', async () => {
    const base = OnnxModel.fromProto(mlpModel({ sizes: [784, 64, 10] }));
    const perTensor = await applyTactics(base, 'quantize-dynamic', { perChannel: false });
    const scales = (perTensor.model.proto.graph?.initializer ?? []).filter(t =>
      t.name.endsWith('_scale')
    );
    expect(scales.every(t => t.dims.length === 0)).toBe(true);
    await expectClose(base, perTensor.model);
    const reduced = await applyTactics(base, 'quantize-dynamic:reduce-range');
    const q = initializersOf(reduced.model, DataType.INT8).flatMap(t => readIntegers(t));
    expect(Math.max(...q.map(Math.abs))).toBeLessThanOrEqual(64);
    await expectClose(base, reduced.model, X, 10, 0.03);
  });

  test('a convolution is left as is by default, with the reason; :conv takes the ConvInteger path', async () => {
    const base = OnnxModel.fromProto(convNetModel());
    const x = inputs(50, [50, 1, 28, 28]);
    const plain = await applyTactics(base, 'quantize-dynamic');
    expect(plain.reports[0].leftAsIs).toEqual([
      expect.objectContaining({
        node: 'conv0',
        op: 'Conv',
        reason: expect.stringMatching(/3-20x slower.*':conv'/)
      })
    ]);
    expect(plain.model.summary.operators.Conv).toBe(1);
    expect(plain.model.summary.operators.MatMulInteger).toBe(1);
    await expectClose(base, plain.model, x);
    const conv = await applyTactics(base, 'quantize-dynamic:conv');
    expect(conv.model.summary.operators.ConvInteger).toBe(1);
    expect(conv.model.summary.operators.Conv).toBeUndefined();
    expect(conv.reports[0].leftAsIs).toEqual([]);
    await expectClose(base, conv.model, x);
  });

  test('refuses an opset without DynamicQuantizeLinear, and unknown arguments', async () => {
    const old = OnnxModel.fromProto(mlpModel({ sizes: [8, 4, 2], opset: 10 }));
    await expect(applyTactics(old, 'quantize-dynamic')).rejects.toThrow(
      'quantize-dynamic: needs opset 11 or later (DynamicQuantizeLinear); model has opset 10'
    );
    await expect(applyTactics(old, 'quantize-dynamic:int4')).rejects.toThrow(TacticError);
  });

  test('weights that are computed, not constant, are listed and left', async () => {
    const proto = mlpModel({ sizes: [8, 4, 2] });
    const graph = proto.graph!;
    // W0 now arrives through an Identity node fed by a graph input: not a constant.
    graph.initializer = graph.initializer!.filter(t => t.name !== 'W0');
    graph.input!.push({
      name: 'W0in',
      type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 8 }, { dimValue: 4 }] } } }
    });
    graph.node!.unshift({ opType: 'Identity', input: ['W0in'], output: ['W0'], name: 'w0' });
    const variant = await applyTactics(OnnxModel.fromProto(proto), 'quantize-dynamic');
    expect(variant.reports[0].leftAsIs).toEqual([
      { node: 'matmul0', op: 'MatMul', reason: 'its weight is not a constant float tensor' }
    ]);
    expect(variant.model.summary.operators.MatMulInteger).toBe(1);
  });
});
