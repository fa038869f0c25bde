/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// Old exporters (IR 3, PyTorch's keep_initializers_as_inputs) list every weight as a graph input
// too. Every tactic keeps those declarations in step with the weights it changes.
import { OnnxModel } from '../../../../kernel/onnx/onnx-model';
import { mlpModel } from '../../../../kernel/onnx/synthetic-models';
import { applyTactics } from '../../../../kernel/tactics/catalogue';
import { inputs } from '../fixtures/tactics';

test.each([
  'quantize-dynamic',
  'quantize-static',
  'fp16',
  'prune-magnitude:0.5',
  'prune-structured:0.5'
])('%s on an IR 3 model whose weights are also graph inputs', async spec => {
  const proto = mlpModel({ sizes: [784, 16, 10], irVersion: 3, opset: 11 });
  for (const t of proto.graph!.initializer!) {
    proto.graph!.input!.push({
      name: t.name,
      type: {
        tensorType: { elemType: t.dataType, shape: { dim: t.dims!.map(d => ({ dimValue: d })) } }
      }
    });
  }
  const model = OnnxModel.fromProto(proto);
  expect(model.summary.inputs.map(i => i.name)).toEqual(['input']);
  const x = inputs(4);
  const variant = await applyTactics(model, spec, { calibration: x });
  const graph = variant.model.proto.graph!;
  const weights = new Set(graph.initializer!.map(t => t.name));
  // Every weight is declared as an input, with its new type and shape; no stale declaration.
  expect(
    graph
      .input!.filter(i => i.name !== 'input')
      .map(i => i.name)
      .sort()
  ).toEqual([...weights].sort());
  expect((await variant.model.run(x)).output.dims).toEqual([4, 10]);
});
