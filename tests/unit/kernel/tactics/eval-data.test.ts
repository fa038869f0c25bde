// Evaluation data in every form users give it, NumPy .npy files, and their errors.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TensorSignature } from '../../../../core/tactics';
import {
  batchesOf,
  evalSet,
  labelIndices,
  readEvalData,
  readLabels
} from '../../../../kernel/tactics/eval-data';
import { encodeNpy, parseNpy } from '../../../../kernel/tactics/npy';
import { tempDir } from '../fixtures/tactics';

const image: TensorSignature[] = [{ name: 'x', type: 'float32', shape: ['N', 1, 2, 2] }];

test('arrays of samples, typed arrays and tensors become [samples, ...] tensors', () => {
  const nested = evalSet(
    [
      [
        [
          [1, 2],
          [3, 4]
        ]
      ],
      [
        [
          [5, 6],
          [7, 8]
        ]
      ]
    ],
    image,
    'm'
  );
  expect(nested.samples).toBe(2);
  expect(nested.feeds.x.dims).toEqual([2, 1, 2, 2]);
  expect(Array.from(nested.feeds.x.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  const flat = evalSet(new Float32Array(12), image, 'm');
  expect(flat.feeds.x.dims).toEqual([3, 1, 2, 2]);
  const tensor = evalSet(
    { x: { type: 'float32', data: new Float32Array(8), dims: [2, 1, 2, 2] } },
    image,
    'm'
  );
  expect(tensor.samples).toBe(2);
  const ints = evalSet([[1, 2]], [{ name: 'ids', type: 'int64', shape: ['N', 2] }], 'm');
  expect(ints.feeds.ids.data).toEqual(BigInt64Array.from([1n, 2n]));
});

test('batches are views, the last one shorter', () => {
  const set = evalSet(
    Float32Array.from({ length: 20 }, (_, i) => i),
    image,
    'm'
  );
  const batches = batchesOf(set, 2);
  expect(batches.map(b => b.size)).toEqual([2, 2, 1]);
  expect(Array.from(batches[2].feeds.x.data as Float32Array)).toEqual([16, 17, 18, 19]);
  expect((batches[1].feeds.x.data as Float32Array).buffer).toBe(
    (set.feeds.x.data as Float32Array).buffer
  );
});

test('errors name the input and the problem', () => {
  expect(() => evalSet(new Float32Array(10), image, 'model.onnx')).toThrow(
    "input 'x' of model.onnx: 10 values are not a whole number of samples of [1,2,2] (4 values each)"
  );
  expect(() => evalSet([[1, 2], [3]], image, 'm')).toThrow(/samples differ in size/);
  expect(() => evalSet([], image, 'm')).toThrow(/no samples/);
  const two: TensorSignature[] = [image[0], { name: 'y', type: 'float32', shape: ['N', 3] }];
  expect(() => evalSet(new Float32Array(4), two, 'm')).toThrow(
    /takes 2 inputs \(x, y\): pass \{ name: data \}/
  );
  expect(() => evalSet({ x: new Float32Array(8), y: new Float32Array(3) }, two, 'm')).toThrow(
    /different numbers of samples \(2 and 1\)/
  );
  expect(() =>
    evalSet(new Float32Array(4), [{ name: 'x', type: 'float32', shape: ['N', 'C'] }], 'm')
  ).toThrow(/no fixed sample shape: give \{ type, data, dims \}/);
});

test('labels as indices, one-hot rows or tensors', () => {
  expect(Array.from(labelIndices([3, 1], 2))).toEqual([3, 1]);
  expect(
    Array.from(
      labelIndices(
        [
          [0, 1, 0],
          [1, 0, 0]
        ],
        2
      )
    )
  ).toEqual([1, 0]);
  expect(
    Array.from(labelIndices({ type: 'int64', data: BigInt64Array.from([2n, 0n]), dims: [2] }, 2))
  ).toEqual([2, 0]);
  expect(() => labelIndices([1], 2)).toThrow('1 labels for 2 samples');
});

test('.npy round trip, and files read from disk', async () => {
  const tmp = tempDir();
  try {
    const tensor = {
      type: 'float32',
      data: Float32Array.from([1.5, -2, 3, 4, 5, 6]),
      dims: [2, 3]
    };
    const bytes = encodeNpy(tensor);
    expect((10 + new DataView(bytes.buffer).getUint16(8, true)) % 64).toBe(0);
    const back = parseNpy(bytes);
    expect(back).toEqual({ type: 'float32', data: tensor.data, dims: [2, 3] });
    writeFileSync(join(tmp.dir, 'x.npy'), bytes);
    writeFileSync(
      join(tmp.dir, 'y.npy'),
      encodeNpy({ type: 'int64', data: BigInt64Array.from([1n, 2n]), dims: [2] })
    );
    writeFileSync(join(tmp.dir, 'data.json'), JSON.stringify({ inputs: [[1, 2, 3]], labels: [0] }));
    writeFileSync(join(tmp.dir, 'bad.json'), '{ nope');
    expect((await readEvalData(join(tmp.dir, 'x.npy'))).inputs).toEqual(back);
    expect(Array.from(labelIndices(await readLabels(join(tmp.dir, 'y.npy')), 2))).toEqual([1, 2]);
    expect(await readEvalData(join(tmp.dir, 'data.json'))).toMatchObject({
      inputs: [[1, 2, 3]],
      labels: [0]
    });
    await expect(readEvalData(join(tmp.dir, 'bad.json'))).rejects.toThrow(/is not valid JSON/);
    await expect(readEvalData(join(tmp.dir, 'none.npy'))).rejects.toThrow(
      /cannot read data file .*none.npy: no such file/
    );
    expect(() => parseNpy(bytes.subarray(0, bytes.byteLength - 4), 'cut.npy')).toThrow(
      'cut.npy: truncated .npy data (20 bytes, 24 needed)'
    );
    expect(() => parseNpy(new Uint8Array(20), 'z.npy')).toThrow(/not a NumPy .npy file/);
  } finally {
    tmp.remove();
  }
});

test('the reference workload splits: mnist[-test|-validation|-train][:N]', async () => {
  const test = await readEvalData('mnist:30');
  expect(test.description).toMatch(/^MNIST test split, 30 digits/);
  expect(test.inputs).toMatchObject({ type: 'float32', dims: [30, 784] });
  expect((test.labels as Int32Array).length).toBe(30);
  const validation = await readEvalData('mnist-validation:10');
  expect(validation.description).toMatch(/^MNIST validation split, 10 digits/);
});
