import { onnx } from 'onnx-proto';
import { attr, makeNode } from '../../../../kernel/onnx/graph-editor';
import { convNetModel, mlpModel } from '../../../../kernel/onnx/synthetic-models';
import { float32Tensor, int64Tensor } from '../../../../kernel/onnx/tensors';
import { graphWork, NoPredictionError } from '../../../../kernel/predict/onnx-work';

function model(
  nodes: onnx.INodeProto[],
  inputs: Array<{ name: string; dims: Array<number | string>; elemType?: number }>,
  initializer: onnx.ITensorProto[] = []
): onnx.ModelProto {
  return onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'g',
      node: nodes,
      initializer,
      input: inputs.map(i => ({
        name: i.name,
        type: {
          tensorType: {
            elemType: i.elemType ?? 1,
            shape: {
              dim: i.dims.map(d => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }))
            }
          }
        }
      })),
      output: [{ name: 'y' }]
    }
  });
}

describe('graphWork', () => {
  it('counts a Gemm [B,K]x[K,N] as 2BKN FLOPs plus BN for the bias', () => {
    const [b, k, n] = [8, 30, 20];
    const m = model(
      [makeNode('Gemm', ['x', 'W', 'C'], ['y'], 'g0')],
      [{ name: 'x', dims: ['N', k] }],
      [
        float32Tensor('W', [k, n], new Float32Array(k * n)),
        float32Tensor('C', [n], new Float32Array(n))
      ]
    );
    const work = graphWork(m, b);
    expect(work.macs).toBe(b * k * n);
    expect(work.flops).toBe(2 * b * k * n + b * n);
    // bytes: x, W, C in and y out, float32
    expect(work.bytes).toBe(4 * (b * k + k * n + n + b * n));
    expect(Object.keys(work.byClass)).toEqual(['gemm/float32']);
  });

  it('honours transB and scales with the batch', () => {
    const m = mlpModel({ sizes: [10, 6, 3], gemm: true });
    const one = graphWork(m, 1);
    const four = graphWork(m, 4);
    expect(one.byClass['gemm/float32'].macs).toBe(10 * 6 + 6 * 3);
    expect(four.byClass['gemm/float32'].macs).toBe(4 * (10 * 6 + 6 * 3));
    expect(four.byClass['elementwise/float32']).toMatchObject({ nodes: 1, flops: 4 * 6 });
  });

  it('counts MatMul + Add layers and a Softmax', () => {
    const w = graphWork(mlpModel({ sizes: [5, 4], softmax: true }), 2);
    expect(w.byClass['matmul/float32'].flops).toBe(2 * 2 * 5 * 4);
    // Add (1 per element) + Softmax (5 per element) over [2, 4]
    expect(w.byClass['elementwise/float32'].flops).toBe(8 + 5 * 8);
  });

  it('counts a Conv, its pooling and the Reshape of the convnet by hand', () => {
    const w = graphWork(convNetModel({ side: 10, channels: 3, classes: 2 }), 2);
    // conv 3x3, 1 -> 3 channels on 10x10: output [2, 3, 8, 8], 9 MACs each
    expect(w.byClass['conv/float32'].macs).toBe(2 * 3 * 8 * 8 * 9);
    expect(w.byClass['conv/float32'].flops).toBe(2 * 2 * 3 * 64 * 9 + 2 * 3 * 64);
    // maxpool 2x2 stride 2: [2, 3, 4, 4], 4 comparisons each
    expect(w.byClass['pool/float32'].flops).toBe(2 * 3 * 16 * 4);
    expect(w.byClass['memory/float32']).toMatchObject({ nodes: 1, flops: 0, bytes: 0 });
    // Gemm [2, 48] x [48, 2]
    expect(w.byClass['gemm/float32'].macs).toBe(2 * 48 * 2);
    expect(w.nodes.find(n => n.opType === 'Conv')!.outputShape).toEqual([2, 3, 8, 8]);
  });

  it('follows strides, pads and groups of a Conv', () => {
    const m = model(
      [
        makeNode('Conv', ['x', 'W'], ['y'], 'c', [
          attr.ints('strides', [2, 2]),
          attr.ints('pads', [1, 1, 1, 1]),
          attr.int('group', 2)
        ])
      ],
      [{ name: 'x', dims: [1, 4, 9, 9] }],
      [float32Tensor('W', [6, 2, 3, 3], new Float32Array(6 * 18))]
    );
    const w = graphWork(m, 1);
    // (9 + 2 - 3) / 2 + 1 = 5
    expect(w.nodes[0].outputShape).toEqual([1, 6, 5, 5]);
    expect(w.macs).toBe(6 * 25 * 2 * 9);
  });

  it('groups quantized and fp16 work under their own class and type', () => {
    const m = model(
      [
        makeNode('Cast', ['x'], ['h'], 'c', [attr.int('to', 10)]),
        makeNode('Cast', ['h'], ['f'], 'c2', [attr.int('to', 1)]),
        makeNode('DynamicQuantizeLinear', ['f'], ['q', 's', 'z'], 'dq'),
        makeNode('MatMulInteger', ['q', 'Wq'], ['y'], 'mm')
      ],
      [{ name: 'x', dims: ['N', 16] }],
      [{ name: 'Wq', dims: [16, 4], dataType: 2, rawData: new Uint8Array(64) }]
    );
    const w = graphWork(m, 3);
    expect(w.byClass['cast/float32'].flops).toBe(48);
    expect(w.byClass['cast/float16'].flops).toBe(48);
    expect(w.byClass['quantize/float32'].flops).toBe(4 * 48);
    expect(w.byClass['quantize/uint8']).toMatchObject({ macs: 3 * 16 * 4, flops: 2 * 3 * 16 * 4 });
  });

  it('reshapes with 0 and -1 from a constant shape', () => {
    const m = model(
      [makeNode('Reshape', ['x', 's'], ['r'], 'r'), makeNode('Relu', ['r'], ['y'], 'relu')],
      [{ name: 'x', dims: ['N', 4, 6] }],
      [int64Tensor('s', [2], [0, -1])]
    );
    expect(graphWork(m, 5).nodes[1].outputShape).toEqual([5, 24]);
  });

  it('says why when a dimension other than the batch is dynamic', () => {
    const m = model([makeNode('Relu', ['x'], ['y'], 'r')], [{ name: 'x', dims: ['N', 'seq'] }]);
    expect(() => graphWork(m, 1)).toThrow(NoPredictionError);
    expect(() => graphWork(m, 1)).toThrow(/no prediction: dimension 1 of 'x' is dynamic \(seq\)/);
  });

  it('predicts a model with a fixed batch only at that batch', () => {
    const fixed = mlpModel({ sizes: [10, 6, 3], batch: 1 });
    expect(graphWork(fixed, 1).macs).toBe(10 * 6 + 6 * 3);
    expect(() => graphWork(fixed, 64)).toThrow(NoPredictionError);
    expect(() => graphWork(fixed, 64)).toThrow(
      /no prediction: the model's input 'input' has a fixed batch of 1; ask for batch 1/
    );
    const four = mlpModel({ sizes: [10, 6, 3], batch: 4 });
    expect(graphWork(four, 4).macs).toBe(4 * (10 * 6 + 6 * 3));
    expect(() => graphWork(four, 1)).toThrow(/fixed batch of 4/);
    // A second input with a fixed first dimension beside a symbolic batch is not the batch.
    const m = model(
      [makeNode('Add', ['x', 'b'], ['y'], 'add')],
      [
        { name: 'x', dims: ['N', 3] },
        { name: 'b', dims: [1, 3] }
      ]
    );
    expect(graphWork(m, 8).nodes[0].outputShape).toEqual([8, 3]);
  });

  it('says why for an operator it does not know', () => {
    const m = model(
      [makeNode('NonMaxSuppression', ['x'], ['y'], 'nms')],
      [{ name: 'x', dims: [1, 4] }]
    );
    expect(() => graphWork(m, 1)).toThrow(
      /no prediction: .*operator NonMaxSuppression is not known/
    );
  });

  it('says why when a Reshape target is computed at run time', () => {
    const m = model(
      [makeNode('Reshape', ['x', 'shape'], ['y'], 'r')],
      [
        { name: 'x', dims: ['N', 4] },
        { name: 'shape', dims: [2], elemType: 7 }
      ]
    );
    expect(() => graphWork(m, 1)).toThrow(/target shape is computed at run time/);
  });

  it('rejects shapes that do not multiply and a bad batch', () => {
    const m = model(
      [makeNode('MatMul', ['x', 'W'], ['y'], 'm')],
      [{ name: 'x', dims: ['N', 3] }],
      [float32Tensor('W', [4, 2], new Float32Array(8))]
    );
    expect(() => graphWork(m, 1)).toThrow(/inner dimensions 3 and 4 differ/);
    expect(() => graphWork(mlpModel(), 0)).toThrow(/batch size must be a whole number/);
  });
});
