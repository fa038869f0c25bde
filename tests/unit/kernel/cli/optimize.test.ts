/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// `gaissa optimize` and `gaissa compare`: exit 0 with output, exit 2 with a message naming the
// problem for bad input; the input model is never written and no half-written output remains.
import { existsSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGaissa as gaissa } from '../fixtures/run-cli';
import { OnnxModel } from '../../../../kernel/onnx/onnx-model';
import { mlpModel } from '../../../../kernel/onnx/synthetic-models';
import { encodeNpy } from '../../../../kernel/tactics/npy';
import { expectUnchanged, expectValid, inputs, modelFile, tempDir } from '../fixtures/tactics';

let tmp: ReturnType<typeof tempDir>;
let model: Awaited<ReturnType<typeof modelFile>>;
beforeEach(async () => {
  tmp = tempDir();
  model = await modelFile(tmp.dir, 'in.onnx', mlpModel({ sizes: [784, 32, 10] }));
  writeFileSync(join(tmp.dir, 'x.npy'), encodeNpy(inputs(40)));
});
afterEach(() => tmp.remove());

test('optimize writes OUT and prints the report; IN untouched', async () => {
  const out = join(tmp.dir, 'out.onnx');
  const r = await gaissa([
    'optimize',
    model.path,
    '--tactic',
    'prune-structured:0.5',
    '--tactic',
    'quantize-dynamic',
    '--per-tensor',
    '--out',
    out
  ]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/prune-structured:0.5: 1 hidden layer narrowed by 50 %/);
  expect(r.stdout).toMatch(/quantize-dynamic: int8 weights for 2 nodes/);
  const written = await OnnxModel.load(out);
  expect(written.summary.operators.MatMulInteger).toBe(2);
  expectUnchanged(model);
  const json = await gaissa([
    'optimize',
    model.path,
    '--tactic',
    'fp16',
    '--out',
    join(tmp.dir, 'half.onnx'),
    '--json'
  ]);
  expect(JSON.parse(json.stdout).reports[0].tactic).toBe('fp16');
});

test('optimize refuses OUT == IN, also through another spelling or a symlink', async () => {
  symlinkSync(model.path, join(tmp.dir, 'link.onnx'));
  for (const out of [model.path, join(tmp.dir, '.', 'in.onnx'), join(tmp.dir, 'link.onnx')]) {
    const r = await gaissa(['optimize', model.path, '--tactic', 'fp16', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is the input model: the input is never overwritten/);
  }
  expectUnchanged(model);
});

test('optimize: bad input exits 2 with a message, and writes nothing', async () => {
  writeFileSync(join(tmp.dir, 'bad.onnx'), 'not a model');
  const cases: Array<[string[], RegExp]> = [
    [
      [
        'optimize',
        join(tmp.dir, 'bad.onnx'),
        '--tactic',
        'fp16',
        '--out',
        join(tmp.dir, 'o1.onnx')
      ],
      /not an ONNX model/
    ],
    [
      ['optimize', model.path, '--tactic', 'quantize-static', '--out', join(tmp.dir, 'o2.onnx')],
      /needs calibration data/
    ],
    [
      ['optimize', model.path, '--tactic', 'shrink', '--out', join(tmp.dir, 'o3.onnx')],
      /unknown tactic; known:/
    ],
    [['optimize', model.path, '--out', join(tmp.dir, 'o4.onnx')], /--tactic T is required/],
    [['optimize', model.path, '--tactic', 'fp16'], /--out OUT.onnx is required/],
    [
      [
        'optimize',
        model.path,
        '--tactic',
        'quantize-static',
        '--calibration',
        join(tmp.dir, 'none.npy'),
        '--out',
        join(tmp.dir, 'o5.onnx')
      ],
      /cannot read data file/
    ]
  ];
  for (const [args, message] of cases) {
    const r = await gaissa(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  }
  expect(readdirSync(tmp.dir).sort()).toEqual(['bad.onnx', 'in.onnx', 'x.npy']);
});

test('optimize quantize-static with --calibration DATA', async () => {
  const out = join(tmp.dir, 'qdq.onnx');
  const r = await gaissa([
    'optimize',
    model.path,
    '--tactic',
    'quantize-static',
    '--calibration',
    join(tmp.dir, 'x.npy'),
    '--out',
    out
  ]);
  expect(r.code).toBe(0);
  expect((await OnnxModel.load(out)).isQdq).toBe(true);
});

test('compare prints a table, or the payload with --json; bad data exits 2', async () => {
  const out = join(tmp.dir, 'int8.onnx');
  await gaissa(['optimize', model.path, '--tactic', 'quantize-dynamic', '--out', out]);
  writeFileSync(
    join(tmp.dir, 'labels.json'),
    JSON.stringify(Array.from({ length: 40 }, (_, i) => i % 10))
  );
  const common = [
    '--inputs',
    join(tmp.dir, 'x.npy'),
    '--repeat',
    '1',
    '--min-window',
    '0',
    '--region',
    'DE'
  ];
  const json = await gaissa([
    'compare',
    model.path,
    out,
    ...common,
    '--labels',
    join(tmp.dir, 'labels.json'),
    '--json'
  ]);
  expect(json.code).toBe(0);
  const payload = JSON.parse(json.stdout);
  expectValid(payload);
  expect(payload.metric).toBe('accuracy');
  expect(payload.variants.map((v: { name: string }) => v.name)).toEqual(['in', 'int8']);
  expect(payload.setup.region).toBe('DEU');
  const text = await gaissa(['compare', model.path, out, ...common]);
  expect(text.code).toBe(0);
  expect(text.stdout).toMatch(/^Tactics comparison: 2 variants, 40 inputs, metric agreement/);
  expect(text.stderr).toMatch(/\[\d+\/\d+\] measuring int8/);
  writeFileSync(join(tmp.dir, 'short.npy'), encodeNpy(inputs(2, [2, 700])));
  const bad = await gaissa(['compare', model.path, '--inputs', join(tmp.dir, 'short.npy')]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/expects shape \[N, 784\], got \[2, 700\]/);
  expect((await gaissa(['compare', model.path])).stderr).toMatch(/--inputs DATA is required/);
  expect(existsSync(out)).toBe(true);
});
