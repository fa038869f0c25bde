/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
/** The tfjs -> ONNX exporter: the exported graph, run by onnxruntime-node, matches tfjs. */
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { exportToOnnx, UnsupportedLayerError } from '../../../../kernel/onnx-export/tfjs-to-onnx';
import { loadTfjs, type Tfjs } from '../../../../kernel/training/tfjs-runtime';

let tf: Tfjs;

beforeAll(async () => {
  tf = await loadTfjs();
});

function inputs(rows: number, columns: number): Float32Array {
  const x = new Float32Array(rows * columns);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.7) * 2;
  return x;
}

async function parity(model: LayersModel, columns: number, shape = [columns]): Promise<number> {
  const rows = 5;
  const x = inputs(rows, columns);
  const prediction = model.predict(tf.tensor(x, [rows, ...shape])) as Tensor;
  const expected = prediction.dataSync();
  const exported = exportToOnnx(model);
  const session = await ort.InferenceSession.create(exported.bytes);
  const feed = new ort.Tensor('float32', x, [rows, ...shape]);
  const out = await session.run({ [exported.inputName]: feed });
  const actual = out[exported.outputName].data as Float32Array;
  expect(actual.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < actual.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
  return max;
}

function dense(
  units: number,
  activation: string,
  seed: number,
  extra: Record<string, unknown> = {}
) {
  return tf.layers.dense({
    units,
    activation: activation as 'relu',
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
    biasInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: seed + 100 }),
    ...extra
  });
}

describe('exportToOnnx', () => {
  test('a Dense MLP with relu and softmax runs in onnxruntime with the same outputs', async () => {
    const model = tf.sequential();
    model.add(dense(16, 'relu', 1, { inputShape: [12] }));
    model.add(dense(8, 'relu', 2));
    model.add(dense(4, 'softmax', 3));
    const exported = exportToOnnx(model);
    expect(exported.operators).toEqual(['Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm', 'Softmax']);
    expect(exported.parameters).toBe(12 * 16 + 16 + 16 * 8 + 8 + 8 * 4 + 4);
    expect(exported.inputShape).toEqual([-1, 12]);
    expect(exported.outputShape).toEqual([-1, 4]);
    expect(await parity(model, 12)).toBeLessThan(1e-5);
  });

  test.each([
    'linear',
    'sigmoid',
    'tanh',
    'elu',
    'selu',
    'softplus',
    'softsign',
    'hardSigmoid',
    'relu6',
    'swish',
    'mish',
    'gelu'
  ])('activation %s matches tfjs', async activation => {
    const model = tf.sequential();
    model.add(dense(6, activation, 7, { inputShape: [5] }));
    expect(await parity(model, 5)).toBeLessThan(1e-4);
  });

  test('Flatten, Dropout, standalone activations, LeakyReLU and a bias-free Dense', async () => {
    const model = tf.sequential();
    model.add(tf.layers.flatten({ inputShape: [2, 3] }));
    model.add(dense(7, 'linear', 4, { useBias: false }));
    model.add(tf.layers.leakyReLU({ alpha: 0.1 }));
    model.add(tf.layers.dropout({ rate: 0.5 }));
    model.add(dense(3, 'linear', 5));
    model.add(tf.layers.activation({ activation: 'softmax' }));
    const exported = exportToOnnx(model);
    expect(exported.operators).toEqual(['Flatten', 'MatMul', 'LeakyRelu', 'Gemm', 'Softmax']);
    expect(await parity(model, 6, [2, 3])).toBeLessThan(1e-5);
  });

  test('the file is a valid ModelProto with opset 13, named input/output and the producer', () => {
    const model = tf.sequential();
    model.add(dense(2, 'softmax', 9, { inputShape: [3] }));
    const exported = exportToOnnx(model, { inputName: 'pixels', outputName: 'probabilities' });
    const proto = onnx.ModelProto.decode(exported.bytes);
    expect(Number(proto.opsetImport[0].version)).toBe(13);
    expect(proto.producerName).toBe('gaissa');
    expect(proto.graph?.input?.[0].name).toBe('pixels');
    expect(proto.graph?.output?.[0].name).toBe('probabilities');
    expect(proto.graph?.input?.[0].type?.tensorType?.shape?.dim?.[0].dimParam).toBe('batch');
  });

  test('a layer it cannot translate is refused by name', () => {
    const model = tf.sequential();
    model.add(tf.layers.conv1d({ filters: 2, kernelSize: 2, inputShape: [4, 1] }));
    expect(() => exportToOnnx(model)).toThrow(UnsupportedLayerError);
    expect(() => exportToOnnx(model)).toThrow(/Conv1D/);
  });
});
