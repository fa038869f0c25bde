/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// ONNX model files: load and summary, atomic save that never overwrites an input, and a clear
// message for every kind of bad file or input.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { InputMismatchError } from '../../../../kernel/onnx/inference';
import { OnnxModelError, encodeModel } from '../../../../kernel/onnx/model-file';
import { OnnxModel } from '../../../../kernel/onnx/onnx-model';
import { mlpModel } from '../../../../kernel/onnx/synthetic-models';
import { float32Tensor } from '../../../../kernel/onnx/tensors';
import { expectUnchanged, inputs, modelFile, tempDir } from '../fixtures/tactics';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => tmp.remove());

async function loadError(bytes: Uint8Array | string): Promise<OnnxModelError> {
  const path = join(tmp.dir, 'bad.onnx');
  writeFileSync(path, bytes);
  const error = await OnnxModel.load(path).then(
    () => undefined,
    (e: unknown) => e
  );
  expect(error).toBeInstanceOf(OnnxModelError);
  return error as OnnxModelError;
}

describe('load and summary', () => {
  test('summarises operators, parameters, size, inputs/outputs and opset', async () => {
    const file = await modelFile(tmp.dir, 'mlp.onnx', mlpModel({ sizes: [784, 64, 10] }));
    const model = await OnnxModel.load(file.path);
    const s = model.summary;
    expect(s.name).toBe('mlp');
    expect(s.opset).toBe(13);
    expect(s.operators).toEqual({ Add: 2, MatMul: 2, Relu: 1 });
    expect(s.parameters).toBe(784 * 64 + 64 + 64 * 10 + 10);
    expect(s.parametersByType).toEqual({ float32: s.parameters });
    expect(s.sizeBytes).toBe(file.bytes.byteLength);
    expect(s.inputs).toEqual([{ name: 'input', type: 'float32', shape: ['N', 784] }]);
    expect(s.outputs).toEqual([{ name: 'output', type: 'float32', shape: ['N', 10] }]);
    const bundle = model.toMimeBundle();
    expect(bundle['text/plain']).toMatch(/opset 13/);
    expect(bundle['text/plain']).toMatch(/MatMul x2/);
    expect(bundle['text/html']).toMatch(/^<div class="gaissa-model-summary">/);
  });

  test('runs inference and names a wrong input shape', async () => {
    const model = OnnxModel.fromProto(mlpModel({ sizes: [784, 16, 10] }));
    const out = await model.run(inputs(3));
    expect(out.output.dims).toEqual([3, 10]);
    await expect(model.run(inputs(2, [2, 783]))).rejects.toThrow(InputMismatchError);
    await expect(model.run(inputs(2, [2, 783]))).rejects.toThrow(
      "input 'input' of model expects shape [N, 784], got [2, 783]"
    );
    await expect(model.run({ wrong: inputs(1) as never })).rejects.toThrow(
      /missing 'input'; unknown 'wrong'/
    );
    await expect(
      model.run({ type: 'int32', data: new Int32Array(784), dims: [1, 784] })
    ).rejects.toThrow(/takes float32 values, got int32/);
  });

  test('reads initializers stored as external data beside the model', async () => {
    const proto = mlpModel({ sizes: [4, 3, 2] });
    const w0 = proto.graph!.initializer![0] as onnx.TensorProto;
    writeFileSync(
      join(tmp.dir, 'weights.bin'),
      Buffer.concat([Buffer.alloc(8), Buffer.from(w0.rawData)])
    );
    w0.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    w0.externalData = [
      { key: 'location', value: 'weights.bin' },
      { key: 'offset', value: '8' },
      { key: 'length', value: String(w0.rawData.byteLength) }
    ];
    const inline = OnnxModel.fromProto(mlpModel({ sizes: [4, 3, 2] }));
    w0.rawData = new Uint8Array(0);
    const file = await modelFile(tmp.dir, 'external.onnx', proto);
    const model = await OnnxModel.load(file.path);
    const x = inputs(2, [2, 4]);
    expect((await model.run(x)).output.data).toEqual((await inline.run(x)).output.data);
    // The same file without its data file: a clear message.
    const bare = tempDir();
    try {
      const moved = await modelFile(bare.dir, 'external.onnx', proto);
      await expect(OnnxModel.load(moved.path)).rejects.toThrow(
        /keeps its data in 'weights.bin', which is missing/
      );
    } finally {
      bare.remove();
    }
  });
});

describe('save', () => {
  test('writes atomically, refuses the input file, and leaves no temporary file', async () => {
    const file = await modelFile(tmp.dir, 'in.onnx', mlpModel({ sizes: [8, 4, 2] }));
    const model = await OnnxModel.load(file.path);
    await expect(model.save(file.path)).rejects.toThrow(
      /refusing to write .*in.onnx: it is the input model/
    );
    await expect(model.save(join(tmp.dir, '.', 'in.onnx'))).rejects.toThrow(/input model/);
    const out = join(tmp.dir, 'sub', 'out.onnx');
    const written = await model.save(out);
    expect(written.endsWith('out.onnx')).toBe(true);
    expect(readFileSync(out).equals(file.bytes)).toBe(true);
    expect(readdirSync(join(tmp.dir, 'sub'))).toEqual(['out.onnx']);
    expectUnchanged(file);
  });
});

describe('bad files', () => {
  const good = () => encodeModel(mlpModel({ sizes: [8, 4, 2] }));

  test('missing and empty files', async () => {
    await expect(OnnxModel.load(join(tmp.dir, 'nope.onnx'))).rejects.toThrow(
      /cannot read the model: no such file/
    );
    expect((await loadError(new Uint8Array(0))).problem).toBe('empty');
  });

  test('a text file and a PNG are not ONNX models', async () => {
    const text = await loadError('hello, this is not a model\n');
    expect(text.problem).toBe('not-onnx');
    expect(text.message).toMatch(/not an ONNX model/);
    const png = Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82
    ]);
    expect((await loadError(png)).problem).toBe('not-onnx');
  });

  test('truncated files, wherever they are cut', async () => {
    const bytes = good();
    for (const keep of [0.3, 0.6, 0.9, 0.99]) {
      const error = await loadError(bytes.subarray(0, Math.floor(bytes.byteLength * keep)));
      expect(['truncated', 'invalid-graph', 'not-onnx']).toContain(error.problem);
      expect(error.message).toMatch(/truncated|corrupt|not an ONNX model/);
    }
    expect((await loadError(bytes.subarray(0, bytes.byteLength - 7))).problem).toBe('truncated');
  });

  test('unsupported opsets', async () => {
    const high = await loadError(encodeModel(mlpModel({ sizes: [8, 4, 2], opset: 27 })));
    expect(high.problem).toBe('unsupported-opset');
    expect(high.message).toMatch(
      /opset 27 is not supported: onnxruntime-node 1.30 runs opsets 7 to 26/
    );
    expect(
      (await loadError(encodeModel(mlpModel({ sizes: [8, 4, 2], opset: 5 })))).message
    ).toMatch(/opset 5 is not supported.*convert the model/);
  });

  test('a graph whose node reads a tensor nothing produces', async () => {
    const proto = mlpModel({ sizes: [8, 4, 2] });
    proto.graph!.initializer = proto.graph!.initializer!.filter(t => t.name !== 'W0');
    const error = await loadError(encodeModel(proto));
    expect(error.problem).toBe('invalid-graph');
    expect(error.message).toMatch(/reads 'W0', which nothing before it produces/);
  });

  test('the bad file is left as it was', async () => {
    const path = join(tmp.dir, 'bad.onnx');
    writeFileSync(path, 'garbage');
    await expect(OnnxModel.load(path)).rejects.toThrow();
    expect(readFileSync(path, 'utf8')).toBe('garbage');
    expect(existsSync(path)).toBe(true);
  });

  test('weights that do not fill their dims', async () => {
    const proto = mlpModel({ sizes: [8, 4, 2] });
    proto.graph!.initializer![0] = float32Tensor('W0', [8, 4], new Float32Array(31));
    const model = OnnxModel.fromProto(proto);
    await expect(model.run(inputs(1, [1, 8]))).rejects.toThrow(
      /^model: ONNX Runtime cannot load the model: /
    );
  });
});
