/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// prune-structured shrinks the matrices across layers and keeps the computation exact for the
// neurons it keeps.
import { OnnxModel } from '../../../../kernel/onnx/onnx-model';
import { convNetModel, mlpModel } from '../../../../kernel/onnx/synthetic-models';
import { applyTactics } from '../../../../kernel/tactics/catalogue';
import {
  agreement,
  expectUnchanged,
  firstOutput,
  inputs,
  maxAbsDiff,
  modelFile,
  tempDir,
  weight
} from '../fixtures/tactics';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.remove());

describe('prune-structured', () => {
  test('MLP 784-64-32-10: both hidden layers lose half their neurons across consecutive layers', async () => {
    const file = await modelFile(tmp.dir, 'mlp.onnx', mlpModel({ sizes: [784, 64, 32, 10] }));
    const base = await OnnxModel.load(file.path);
    const v = await applyTactics(base, 'prune-structured:0.5');
    expect(weight(v.model, 'W0').dims).toEqual([784, 32]);
    expect(weight(v.model, 'B0').dims).toEqual([32]);
    expect(weight(v.model, 'W1').dims).toEqual([32, 16]);
    expect(weight(v.model, 'B1').dims).toEqual([16]);
    expect(weight(v.model, 'W2').dims).toEqual([16, 10]);
    expect(v.model.summary.operators).toEqual(base.summary.operators);
    expect(v.model.sizeBytes / base.sizeBytes).toBeLessThan(0.52);
    expect(v.reports[0].changed.map(c => c.detail)).toEqual([
      "hidden layer 64 -> 32 neurons (with 'matmul1')",
      "hidden layer 32 -> 16 neurons (with 'matmul2')"
    ]);
    const out = await firstOutput(v.model, inputs(10));
    expect(out.length).toBe(100);
    expectUnchanged(file);
    // What was counted, and no claim about what was not measured.
    // Weights 784x64 + 64x32 + 32x10 = 52,544 before, 784x32 + 32x16 + 16x10 = 25,760 after.
    expect(v.reports[0].notes).toEqual([
      '26,784 of the 52,544 weights of the pruned layers removed (51.0 %), and as many multiply-adds per input; latency, energy and accuracy were not measured: compare the variant with the original (gaissa.compare) to see them'
    ]);
  });

  test('the kept neurons compute exactly what they did: removing only dead neurons changes nothing', async () => {
    const proto = mlpModel({ sizes: [784, 8, 10] });
    // Neurons 0-3 of the hidden layer are dead: no weight in or out, no bias.
    const graph = proto.graph!;
    const base = OnnxModel.fromProto(proto);
    const w0 = weight(base, 'W0');
    const b0 = weight(base, 'B0');
    const w1 = weight(base, 'W1');
    for (let r = 0; r < 784; r++) for (let j = 0; j < 4; j++) w0.values[r * 8 + j] = 0;
    for (let j = 0; j < 4; j++) b0.values[j] = 0;
    for (let j = 0; j < 4; j++) for (let c = 0; c < 10; c++) w1.values[j * 10 + c] = 0;
    for (const [name, w] of [
      ['W0', w0],
      ['B0', b0],
      ['W1', w1]
    ] as const) {
      graph.initializer!.find(t => t.name === name)!.rawData = new Uint8Array(w.values.buffer);
    }
    const dead = OnnxModel.fromProto(proto);
    const v = await applyTactics(dead, 'prune-structured:0.5');
    expect(weight(v.model, 'W0').dims).toEqual([784, 4]);
    const x = inputs(30);
    expect(maxAbsDiff(await firstOutput(dead, x), await firstOutput(v.model, x))).toBeLessThan(
      1e-5
    );
  });

  test('Gemm layers with transB=1 prune rows and columns of the right axes', async () => {
    const base = OnnxModel.fromProto(mlpModel({ sizes: [784, 64, 10], gemm: true }));
    const v = await applyTactics(base, 'prune-structured:0.25');
    expect(weight(v.model, 'W0').dims).toEqual([48, 784]);
    expect(weight(v.model, 'W1').dims).toEqual([10, 48]);
    const x = inputs(100);
    expect(
      agreement(await firstOutput(base, x), await firstOutput(v.model, x), 10)
    ).toBeGreaterThan(0.6);
  });

  test('nothing to prune in a conv net: Conv listed as left as is', async () => {
    const v = await applyTactics(OnnxModel.fromProto(convNetModel()), 'prune-structured:0.5');
    expect(v.reports[0].summary).toMatch(/nothing pruned/);
    expect(v.reports[0].leftAsIs).toEqual([expect.objectContaining({ op: 'Conv', node: 'conv0' })]);
    expect(v.reports[0].notes).toEqual([]);
  });
});
