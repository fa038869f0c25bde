/**
 * Layer freezing: frozen weights stay put while the others train, at the start or from a given
 * epoch, and unfreezing trains them again; the optimizer's per-variable state survives the
 * recompile under the right names (tfjs indexes it by position, see layer-freezing.ts).
 */
import type { Sequential, Tensor } from '@tensorflow/tfjs';
import { fitWithEnergy, type TrainingData } from '../../../../kernel/training/fit';
import {
  freezeLayers,
  freezeStatus,
  selectLayers,
  unfreezeLayers
} from '../../../../kernel/training/layer-freezing';
import { loadTfjs, type Tfjs } from '../../../../kernel/training/tfjs-runtime';
import { testEnvironment } from './fixtures/fake-meter';

let tf: Tfjs;
let data: TrainingData;

beforeAll(async () => {
  tf = await loadTfjs();
  const rows = 32;
  const x = Array.from({ length: rows * 4 }, (_, i) => Math.sin(i * 1.3));
  const y = Array.from({ length: rows }, (_, r) => [r % 2, 1 - (r % 2)]).flat();
  data = { train: { x: tf.tensor2d(x, [rows, 4]), y: tf.tensor2d(y, [rows, 2]) } };
});

function threeLayers(): Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      name: 'first',
      units: 6,
      activation: 'relu',
      inputShape: [4],
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 })
    })
  );
  model.add(
    tf.layers.dense({
      name: 'second',
      units: 5,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 2 })
    })
  );
  model.add(
    tf.layers.dense({
      name: 'head',
      units: 2,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 3 })
    })
  );
  model.compile({
    optimizer: tf.train.adam(0.05),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy']
  });
  return model;
}

/** Each layer's weights, flattened. */
function weightsOf(model: Sequential): Record<string, number[]> {
  return Object.fromEntries(
    model.layers.map(l => [l.name, l.getWeights().flatMap((w: Tensor) => Array.from(w.dataSync()))])
  );
}

/** Per epoch, which layers' weights changed during it. */
async function changesPerEpoch(model: Sequential, options: object, epochs: number) {
  let before = weightsOf(model);
  const changed: string[][] = [];
  await fitWithEnergy(model, data, {
    epochs,
    batchSize: 8,
    shuffle: false,
    ...testEnvironment(),
    ...options,
    onEpochEnd: () => {
      const after = weightsOf(model);
      changed.push(Object.keys(after).filter(k => after[k].some((v, i) => v !== before[k][i])));
      before = after;
    }
  });
  return changed;
}

describe('layer freezing', () => {
  test('selections: first k layers, all but the head, names; never every layer', () => {
    const model = threeLayers();
    expect(selectLayers(model, 1)).toEqual(['first']);
    expect(selectLayers(model, 'all-but-head')).toEqual(['first', 'second']);
    expect(selectLayers(model, ['second'])).toEqual(['second']);
    expect(() => selectLayers(model, 3)).toThrow(/every layer/);
    expect(() => selectLayers(model, ['nope'])).toThrow(/no layer named nope/);
    expect(() => selectLayers(model, 0)).toThrow(/from 1 to 3/);
  });

  test('frozen from the start: the frozen layer never changes, the others do every epoch', async () => {
    const model = threeLayers();
    const initial = weightsOf(model).first;
    const changed = await changesPerEpoch(model, { freeze: 1 }, 3);
    expect(changed).toEqual([
      ['second', 'head'],
      ['second', 'head'],
      ['second', 'head']
    ]);
    expect(weightsOf(model).first).toEqual(initial);
  });

  test('all but the head from epoch 2, unfrozen from epoch 4', async () => {
    const model = threeLayers();
    const changed = await changesPerEpoch(
      model,
      { freeze: { layers: 'all-but-head', fromEpoch: 2, untilEpoch: 4 } },
      4
    );
    expect(changed).toEqual([
      ['first', 'second', 'head'],
      ['head'],
      ['head'],
      ['first', 'second', 'head']
    ]);
    expect(freezeStatus(model).frozen).toEqual([]);
  });

  test('the run records frozen layers and trained parameters per epoch', async () => {
    const model = threeLayers();
    const result = await fitWithEnergy(model, data, {
      epochs: 2,
      batchSize: 8,
      freeze: { layers: 1, fromEpoch: 2 },
      ...testEnvironment()
    });
    expect(result.epochs[0].frozenLayers).toEqual([]);
    expect(result.epochs[1].frozenLayers).toEqual(['first']);
    expect(result.epochs[1].trainableParams).toBe(6 * 5 + 5 + 5 * 2 + 2);
    expect(result.epochs[1].events[0]).toBe('froze first');
    expect(result.data.frozenAtEnd).toEqual(['first']);
  });

  test("the optimizer's state moves with its variable, by name, across freeze and unfreeze", async () => {
    const model = threeLayers();
    await model.fit(data.train.x, data.train.y, {
      epochs: 1,
      batchSize: 8,
      shuffle: false,
      verbose: 0
    });
    const state = async () =>
      new Map(
        (await model.optimizer.getWeights())
          .slice(1)
          .map(w => [w.name, Array.from(w.tensor.dataSync())])
      );
    const before = await state();
    const headMoment = [...before.keys()].find(
      k => k.startsWith('head/kernel') && k.endsWith('/m')
    )!;
    const firstMoment = [...before.keys()].find(
      k => k.startsWith('first/kernel') && k.endsWith('/m')
    )!;

    await freezeLayers(model, 1);
    const frozen = await state();
    expect(frozen.has(firstMoment)).toBe(false);
    expect(frozen.get(headMoment)).toEqual(before.get(headMoment));
    // Training goes on (with the naive recompile, Adam would apply first/kernel's moments to
    // second/kernel and fail on the shapes).
    await model.fit(data.train.x, data.train.y, {
      epochs: 1,
      batchSize: 8,
      shuffle: false,
      verbose: 0
    });

    await unfreezeLayers(model);
    const back = await state();
    expect(back.get(firstMoment)).toEqual(before.get(firstMoment));
    const iterations = (await model.optimizer.getWeights())[0].tensor.dataSync()[0];
    expect(iterations).toBe(8); // 4 batches before the freeze, 4 after
  });
});

describe('frozen outputs computed once (freeze.cacheOutputs)', () => {
  const train = (model: Sequential, cacheOutputs: boolean, untilEpoch?: number) =>
    fitWithEnergy(
      model,
      { ...data, validation: data.train },
      {
        epochs: 4,
        batchSize: 8,
        freeze: { layers: 1, fromEpoch: 2, cacheOutputs, ...(untilEpoch ? { untilEpoch } : {}) },
        ...testEnvironment()
      }
    );

  test('gives the same training as running the frozen layer every batch', async () => {
    const cached = threeLayers();
    const plain = threeLayers();
    const a = await train(cached, true);
    const b = await train(plain, false);
    expect(a.data.notes.join(' ')).toMatch(/computed once/);
    expect(b.data.notes.join(' ')).not.toMatch(/computed once/);
    const wa = weightsOf(cached);
    const wb = weightsOf(plain);
    for (const layer of Object.keys(wa)) {
      wa[layer].forEach((v, i) => expect(v).toBeCloseTo(wb[layer][i], 5));
    }
    a.epochs.forEach((e, i) => {
      expect(e.metrics.loss).toBeCloseTo(b.epochs[i].metrics.loss, 5);
      expect(e.metrics.val_acc).toBeCloseTo(b.epochs[i].metrics.val_acc, 5);
    });
  });

  test('hands the optimizer state back on unfreeze, and the model exports to ONNX after', async () => {
    const model = threeLayers();
    const reference = threeLayers();
    await train(model, true, 4);
    await train(reference, false, 4);
    const wa = weightsOf(model);
    const wb = weightsOf(reference);
    wa.first.forEach((v, i) => expect(v).toBeCloseTo(wb.first[i], 5));
    const iterations = (await model.optimizer.getWeights())[0].tensor.dataSync()[0];
    expect(iterations).toBe(16); // 4 epochs x 4 batches, whichever model ran them
    const { exportToOnnx } = await import('../../../../kernel/onnx-export/tfjs-to-onnx');
    expect(exportToOnnx(model).operators).toEqual([
      'Gemm',
      'Relu',
      'Gemm',
      'Relu',
      'Gemm',
      'Softmax'
    ]);
  });

  test('is skipped, with the reason, when a frozen layer acts differently in training', async () => {
    const model = tf.sequential();
    model.add(tf.layers.dense({ name: 'first', units: 6, inputShape: [4] }));
    model.add(tf.layers.dropout({ name: 'drop', rate: 0.2 }));
    model.add(tf.layers.dense({ name: 'head', units: 2, activation: 'softmax' }));
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const result = await fitWithEnergy(model, data, {
      epochs: 1,
      freeze: 'all-but-head',
      ...testEnvironment()
    });
    expect(result.data.notes.join(' ')).toMatch(/drop \(Dropout\) may act differently/);
  });
});
