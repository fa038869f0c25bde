/**
 * Work per training sample of real tfjs models, against FLOPs counted by hand: a dense layer on
 * K inputs with N units is 2KN multiply-adds plus N biases plus the activation per unit; a conv
 * is 2 x output elements x input channels x kernel area plus the biases; training adds the
 * weight gradient where a layer trains and the input gradient where a trained layer lies below.
 */
import { NoPredictionError } from '../../../../kernel/predict/onnx-work';
import { epochFeatures, sampleWork } from '../../../../kernel/predict/training-work';
import { loadTfjs, type Tfjs } from '../../../../kernel/training/tfjs-runtime';

let tf: Tfjs;
beforeAll(async () => {
  tf = await loadTfjs();
});

function mlp() {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 3, activation: 'relu', inputShape: [4] }));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  return model;
}

function convNet(trainable: boolean) {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [6, 6, 1],
      filters: 2,
      kernelSize: 3,
      activation: 'relu',
      trainable
    })
  );
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 3 }));
  return model;
}

describe('sampleWork', () => {
  test('an MLP: dense FLOPs by hand, dropout elementwise, the first layer has no input gradient', () => {
    const work = sampleWork(mlp());
    // dense 4->3 relu: 2*4*3 + 3 + 3 = 30; dense 3->2 softmax: 2*3*2 + 2 + 5*2 = 24.
    expect(work.layers.map(l => l.flops)).toEqual([30, 6, 24]);
    expect(work.forward).toEqual({ dense: 54, conv: 0, elementwise: 6 });
    // first dense: forward + weight gradient (2x); dropout: forward + input gradient (2x);
    // second dense: forward + weight + input gradient (3x).
    expect(work.training).toEqual({ dense: 60 + 72, conv: 0, elementwise: 12 });
    expect(work.trainableParams).toBe(4 * 3 + 3 + 3 * 2 + 2);
    expect(work.inputElements).toBe(4);
    expect(work.outputElements).toBe(2);
    // dense: its op, kernel and bias; dropout: its op; dense again.
    expect(work.batchOps).toBe(3 + 1 + 3);
  });

  test('a conv net: conv, pooling and dense FLOPs by hand', () => {
    const work = sampleWork(convNet(true));
    // conv out [4,4,2] = 32 elements: 2*32*1*9 + 32 bias + 32 relu = 640; pool 8 outputs x 4;
    // flatten nothing; dense 8 -> 3: 48 + 3.
    expect(work.layers.map(l => l.flops)).toEqual([640, 32, 0, 51]);
    expect(work.training).toEqual({ dense: 51 * 3, conv: 640 * 2, elementwise: 32 * 2 });
    expect(work.trainableParams).toBe(9 * 2 + 2 + 8 * 3 + 3);
    expect(work.batchOps).toBe(3 + 1 + 3);
  });

  test('a frozen base runs forward only: no gradient below the first trained layer', () => {
    const work = sampleWork(convNet(false));
    expect(work.training).toEqual({ dense: 51 * 2, conv: 640, elementwise: 32 });
    expect(work.trainableParams).toBe(8 * 3 + 3);
    // The frozen conv still runs: one op, no weight tensors to update.
    expect(work.batchOps).toBe(1 + 1 + 3);
  });

  test('a layer it does not know is "no prediction" naming the layer', () => {
    const model = tf.sequential();
    model.add(tf.layers.simpleRNN({ units: 4, inputShape: [5, 3] }));
    expect(() => sampleWork(model)).toThrow(NoPredictionError);
    expect(() => sampleWork(model)).toThrow(/SimpleRNN/);
  });

  test('a dimension known only at run time is "no prediction"', () => {
    const input = tf.input({ shape: [null, 3] });
    const model = tf.model({
      inputs: input,
      outputs: tf.layers.dense({ units: 2 }).apply(input) as never
    });
    expect(() => sampleWork(model)).toThrow(/only known at run time/);
  });
});

describe('epochFeatures', () => {
  test('training and validation samples, batches and updates of one epoch', () => {
    const work = sampleWork(mlp());
    const f = epochFeatures(work, { samples: 100, batchSize: 32, validationSamples: 40 });
    expect(f).toEqual({
      call: 1,
      batches: 4,
      batchOps: 4 * 7,
      evalBatches: 2,
      'flops:dense': 132 * 100 + 54 * 40,
      'flops:conv': 0,
      // dropout forward+backward per training sample, forward per validation sample, and the
      // shuffle's copy of each training sample's input and target.
      'flops:elementwise': 12 * 100 + 6 * 40 + 100 * (4 + 2),
      updates: 23 * 4
    });
  });
});
