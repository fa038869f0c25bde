/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// graph-optimize saves ONNX Runtime's optimized graph; threads/batch are runtime settings only.
// Also the tactic spec syntax shared by the API, the magic and the CLI.
import { OnnxModel } from '../../../../kernel/onnx/onnx-model';
import { mlpModel } from '../../../../kernel/onnx/synthetic-models';
import { applyTactics, parseTacticChain, tacticsHelp } from '../../../../kernel/tactics/catalogue';
import { TacticError } from '../../../../kernel/tactics/tactic';
import {
  expectUnchanged,
  firstOutput,
  inputs,
  maxAbsDiff,
  modelFile,
  tempDir
} from '../fixtures/tactics';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.remove());

test('graph-optimize:basic keeps standard operators; extended fuses into ONNX Runtime operators', async () => {
  const file = await modelFile(tmp.dir, 'mlp.onnx', mlpModel({ sizes: [784, 64, 32, 10] }));
  const base = await OnnxModel.load(file.path);
  const x = inputs(20);
  const basic = await applyTactics(base, 'graph-optimize:basic');
  expect(Object.keys(basic.model.summary.operators).every(op => !op.includes('.'))).toBe(true);
  expect(basic.runtime.graphOptimizationLevel).toBe('basic');
  const extended = await applyTactics(base, 'graph-optimize');
  expect(extended.reports[0].spec).toBe('graph-optimize');
  expect(extended.model.summary.nodes).toBeLessThan(base.summary.nodes);
  expect(extended.model.summary.operators['com.microsoft.FusedGemm']).toBe(2);
  expect(extended.reports[0].notes.join(' ')).toMatch(/ONNX Runtime only/);
  for (const v of [basic, extended]) {
    expect(maxAbsDiff(await firstOutput(base, x), await firstOutput(v.model, x))).toBeLessThan(
      1e-4
    );
  }
  const all = await applyTactics(base, 'graph-optimize:all');
  expect(all.reports[0].notes.join(' ')).toMatch(/specific to this CPU/);
  await expect(applyTactics(base, 'graph-optimize:turbo')).rejects.toThrow(/unknown level 'turbo'/);
  expectUnchanged(file);
});

test('threads and batch change the runtime settings, not the model; chains accumulate', async () => {
  const base = OnnxModel.fromProto(mlpModel({ sizes: [784, 16, 10] }));
  const v = await applyTactics(base, 'threads:1+batch:8');
  expect(v.model).toBe(base);
  expect(v.runtime).toEqual({ intraOpNumThreads: 1, batchSize: 8 });
  expect(v.name).toBe('threads:1+batch:8');
  const chained = await applyTactics(v, ['prune-structured:0.5', 'quantize-dynamic']);
  expect(chained.tactics).toEqual([
    'threads:1',
    'batch:8',
    'prune-structured:0.5',
    'quantize-dynamic'
  ]);
  expect(chained.runtime).toEqual({ intraOpNumThreads: 1, batchSize: 8 });
  expect(chained.model.summary.operators.MatMulInteger).toBe(2);
  await expect(applyTactics(base, 'threads:0')).rejects.toThrow(
    /threads: needs the number of threads N as a whole number >= 1/
  );
});

test('the spec syntax: ID[:ARG], chains with +, clear errors', () => {
  expect(parseTacticChain('prune-structured:0.5+quantize-dynamic:per-tensor/reduce-range')).toEqual(
    [
      { id: 'prune-structured', arg: '0.5', spec: 'prune-structured:0.5' },
      {
        id: 'quantize-dynamic',
        arg: 'per-tensor/reduce-range',
        spec: 'quantize-dynamic:per-tensor/reduce-range'
      }
    ]
  );
  expect(() => parseTacticChain('quantise')).toThrow(TacticError);
  expect(() => parseTacticChain('quantise')).toThrow(
    /unknown tactic; known: quantize-dynamic, quantize-static, fp16/
  );
  expect(() => parseTacticChain('fp16:half')).toThrow('fp16: takes no argument');
  expect(() => parseTacticChain('')).toThrow(/no tactic given/);
  expect(tacticsHelp()).toMatch(/prune-structured:F/);
});
