/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// A TensorFlow.js conv net (Conv2D, pooling) exported to ONNX: onnxruntime-node computes what
// tfjs computes (max difference < 1e-5, observed ~2e-7), in both data formats and with a free
// image size, and the int8 tactics then run on it (max |output - fp32 output| <= 2 % of the
// largest fp32 output, observed ~0.3 %).
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { exportToOnnx } from '../../../../kernel/onnx-export/tfjs-to-onnx';
import { OnnxModel } from '../../../../kernel/onnx/onnx-model';
import { applyTactics } from '../../../../kernel/tactics/catalogue';
import { loadTfjs, type Tfjs } from '../../../../kernel/training/tfjs-runtime';
import { firstOutput, maxAbs, maxAbsDiff } from '../fixtures/tactics';

let tf: Tfjs;
beforeAll(async () => {
  tf = await loadTfjs();
});

type Format = 'channelsLast' | 'channelsFirst';

/** Conv2D 'same' + relu, MaxPool with an odd padding, strided and dilated Conv2D, AvgPool, Dense. */
function convNet(format: Format, image: Array<number | null> = [13, 11]): LayersModel {
  const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });
  const dataFormat = format;
  const m = tf.sequential();
  m.add(
    tf.layers.conv2d({
      inputShape: format === 'channelsFirst' ? [3, ...image] : [...image, 3],
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      dataFormat,
      kernelInitializer: seeded(1),
      biasInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 2 })
    }) as never
  );
  m.add(tf.layers.maxPooling2d({ poolSize: 2, padding: 'same', dataFormat }));
  m.add(
    tf.layers.conv2d({
      filters: 5,
      kernelSize: [3, 2],
      strides: 2,
      dataFormat,
      kernelInitializer: seeded(3)
    })
  );
  m.add(
    tf.layers.conv2d({
      filters: 2,
      kernelSize: 2,
      dilationRate: 2,
      padding: 'same',
      activation: 'softmax',
      dataFormat,
      kernelInitializer: seeded(4)
    })
  );
  m.add(tf.layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same', dataFormat }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 3, kernelInitializer: seeded(5) }));
  return m;
}

function images(n: number, shape: number[]): { x: Float32Array; dims: number[] } {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    x: Float32Array.from({ length: n * size }, (_, i) => Math.sin(i * 0.37) * 2),
    dims: [n, ...shape]
  };
}

async function parity(model: LayersModel, shape: number[]): Promise<number> {
  const { x, dims } = images(4, shape);
  const expected = (model.predict(tf.tensor(x, dims)) as Tensor).dataSync();
  const exported = exportToOnnx(model);
  const session = await ort.InferenceSession.create(exported.bytes);
  const out = await session.run({ [exported.inputName]: new ort.Tensor('float32', x, dims) });
  const actual = out[exported.outputName].data as Float32Array;
  expect(actual.length).toBe(expected.length);
  return maxAbsDiff(actual, expected);
}

const convAttributes = (bytes: Uint8Array) =>
  onnx.ModelProto.decode(bytes)
    .graph!.node!.filter(n => n.opType === 'Conv')
    .map(n =>
      Object.fromEntries(
        n.attribute!.map(a => [
          a.name,
          a.ints?.length
            ? a.ints.map(Number)
            : a.s?.length
              ? new TextDecoder().decode(a.s)
              : undefined
        ])
      )
    );

describe('Conv2D and pooling export', () => {
  test('channels last: transposed to NCHW around each run of spatial layers; same outputs as tfjs', async () => {
    const model = convNet('channelsLast');
    const exported = exportToOnnx(model);
    expect(exported.operators).toEqual([
      'Transpose',
      'Conv',
      'Relu',
      'MaxPool',
      'Conv',
      'Conv',
      'Transpose', // softmax reads the channels, the last axis in NHWC
      'Softmax',
      'Transpose',
      'AveragePool',
      'Transpose', // Flatten in tfjs order
      'Flatten',
      'Gemm'
    ]);
    expect(exported.parameters).toBe(model.countParams());
    expect(exported.inputShape).toEqual([-1, 13, 11, 3]);
    // 'same' as explicit pads (ONNX Runtime has no auto_pad SAME with dilations).
    expect(convAttributes(exported.bytes)).toEqual([
      { kernel_shape: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1] },
      { kernel_shape: [3, 2], strides: [2, 2], dilations: [1, 1] },
      { kernel_shape: [2, 2], strides: [1, 1], dilations: [2, 2], pads: [1, 1, 1, 1] }
    ]);
    expect(await parity(model, [13, 11, 3])).toBeLessThan(1e-5);
  });

  test('channels first: no transposes; same outputs as tfjs', async () => {
    const model = convNet('channelsFirst');
    expect(exportToOnnx(model).operators).not.toContain('Transpose');
    expect(await parity(model, [3, 13, 11])).toBeLessThan(1e-5);
  });

  test('a free image size: SAME_UPPER puts the odd padding pixel after, as TensorFlow', async () => {
    const m = tf.sequential();
    m.add(
      tf.layers.conv2d({
        inputShape: [null, null, 2],
        filters: 3,
        kernelSize: 2,
        padding: 'same',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 6 })
      }) as never
    );
    m.add(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }));
    expect(convAttributes(exportToOnnx(m).bytes)[0].auto_pad).toBe('SAME_UPPER');
    expect(await parity(m, [7, 6, 2])).toBeLessThan(1e-5);
    // Dilations with 'same' on a free size cannot be written for ONNX Runtime: refused by name.
    const dilated = tf.sequential();
    dilated.add(
      tf.layers.conv2d({
        inputShape: [null, null, 1],
        filters: 1,
        kernelSize: 2,
        dilationRate: 2,
        padding: 'same'
      }) as never
    );
    expect(() => exportToOnnx(dilated)).toThrow(/'conv2d_.*' \(Conv2D\).*dilations on a free size/);
  });
});

test('the int8 tactics run on the exported conv net, close to fp32', async () => {
  const base = OnnxModel.fromProto(
    onnx.ModelProto.decode(exportToOnnx(convNet('channelsLast')).bytes)
  );
  const { x, dims } = images(50, [13, 11, 3]);
  const input = { type: 'float32', data: x, dims };
  const fp32 = await firstOutput(base, input);
  const plain = await applyTactics(base, 'quantize-dynamic');
  expect(plain.reports[0].leftAsIs.map(l => l.op)).toEqual(['Conv', 'Conv', 'Conv']);
  const conv = await applyTactics(base, 'quantize-dynamic:conv');
  expect(conv.model.summary.operators.ConvInteger).toBe(3);
  expect(conv.reports[0].leftAsIs).toEqual([]);
  for (const v of [plain, conv]) {
    expect(maxAbsDiff(fp32, await firstOutput(v.model, input))).toBeLessThanOrEqual(
      0.02 * maxAbs(fp32)
    );
  }
});
