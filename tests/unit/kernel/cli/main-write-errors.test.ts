/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// Write errors of commands that write through kernel/atomic-write.ts (here `gaissa optimize`):
// the shared handler in kernel/cli/main.ts turns them into one line naming the target file (not
// the temporary beside it) and exit 2, with no stack trace.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGaissa as gaissa } from '../fixtures/run-cli';
import { mlpModel } from '../../../../kernel/onnx/synthetic-models';
import { modelFile, tempDir } from '../fixtures/tactics';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

test('optimize --out naming a directory: exit 2, one line naming it, nothing left behind', async () => {
  const model = await modelFile(tmp.dir, 'in.onnx', mlpModel({ sizes: [16, 8, 4] }));
  const folder = join(tmp.dir, 'out');
  mkdirSync(folder);
  const r = await gaissa(['optimize', model.path, '--tactic', 'fp16', '--out', folder]);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(`gaissa optimize: ${folder}: it is a directory\n`);
  expect(readdirSync(tmp.dir).sort()).toEqual(['in.onnx', 'out']);
  expect(readdirSync(folder)).toEqual([]);
});

test('optimize --out under a file: exit 2 naming the target', async () => {
  const model = await modelFile(tmp.dir, 'in.onnx', mlpModel({ sizes: [16, 8, 4] }));
  writeFileSync(join(tmp.dir, 'blocker'), 'a file');
  const out = join(tmp.dir, 'blocker', 'out.onnx');
  const r = await gaissa(['optimize', model.path, '--tactic', 'fp16', '--out', out]);
  expect(r.code).toBe(2);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^gaissa optimize: .*blocker/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});
