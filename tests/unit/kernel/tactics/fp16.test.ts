/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// fp16: float16 weights inside, float32 at the boundaries. Tolerance: max |Δ| <= 0.2 % of the
// largest fp32 output (float16 keeps ~3 decimal digits), same top-1 on every input.
import { OnnxModel } from '../../../../kernel/onnx/onnx-model';
import { convNetModel, mlpModel } from '../../../../kernel/onnx/synthetic-models';
import { DataType } from '../../../../kernel/onnx/tensors';
import { applyTactics } from '../../../../kernel/tactics/catalogue';
import {
  agreement,
  expectUnchanged,
  firstOutput,
  inputs,
  maxAbs,
  maxAbsDiff,
  modelFile,
  tempDir
} from '../fixtures/tactics';

describe('fp16 tactic', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.remove());

  test('MLP: float16 weights, float32 inputs and outputs, half the size, same answers', async () => {
    const file = await modelFile(
      tmp.dir,
      'mlp.onnx',
      mlpModel({ sizes: [784, 64, 10], softmax: true })
    );
    const base = await OnnxModel.load(file.path);
    const variant = await applyTactics(base, 'fp16');
    const m = variant.model;
    expect(m.summary.inputs[0].type).toBe('float32');
    expect(m.summary.outputs[0].type).toBe('float32');
    expect(m.summary.operators).toEqual({ Add: 2, Cast: 2, MatMul: 2, Relu: 1, Softmax: 1 });
    const weights = m.proto.graph!.initializer!;
    expect(weights.every(t => t.dataType === DataType.FLOAT16)).toBe(true);
    expect(m.sizeBytes / base.sizeBytes).toBeGreaterThan(0.49);
    expect(m.sizeBytes / base.sizeBytes).toBeLessThan(0.52);
    const x = inputs(100);
    const [a, b] = [await firstOutput(base, x), await firstOutput(m, x)];
    expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(0.002 * maxAbs(a));
    expect(agreement(a, b, 10)).toBe(1);
    expect(variant.reports[0].notes[0]).toMatch(/no speed-up .* on the CPU/);
    expectUnchanged(file);
  });

  test('conv net, Gemm with transB; an operator without a rule stays float32 behind casts', async () => {
    const conv = OnnxModel.fromProto(convNetModel());
    const x = inputs(20, [20, 1, 28, 28]);
    const v = await applyTactics(conv, 'fp16');
    const [a, b] = [await firstOutput(conv, x), await firstOutput(v.model, x)];
    expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(0.002 * maxAbs(a));
    const proto = mlpModel({ sizes: [784, 32, 10], gemm: true });
    // Swap the activation for an operator fp16 has no rule for.
    proto.graph!.node!.find(n => n.opType === 'Relu')!.opType = 'Celu';
    const celu = OnnxModel.fromProto(proto);
    const c = await applyTactics(celu, 'fp16');
    expect(c.reports[0].leftAsIs).toEqual([
      {
        node: 'relu0',
        op: 'Celu',
        reason: 'no float16 rule for this operator; kept in float32 with casts around it'
      }
    ]);
    expect(c.model.summary.operators.Cast).toBe(4);
    const y = inputs(50);
    const [p, q] = [await firstOutput(celu, y), await firstOutput(c.model, y)];
    expect(maxAbsDiff(p, q)).toBeLessThanOrEqual(0.002 * maxAbs(p));
  });
});
