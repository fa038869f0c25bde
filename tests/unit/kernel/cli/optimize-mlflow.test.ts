/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// `gaissa compare` with MLFLOW_TRACKING_URI set: the comparison is printed, then lands in an MLflow
// run as per-variant metrics and the table; a server that is down is named on stderr once and
// changes neither the output nor the exit status.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { mlpModel } from '../../../../kernel/onnx/synthetic-models';
import { encodeNpy } from '../../../../kernel/tactics/npy';
import { startFakeMlflow } from '../fixtures/mlflow-server';
import { runGaissa as gaissa } from '../fixtures/run-cli';
import { inputs, modelFile, tempDir } from '../fixtures/tactics';

let tmp: ReturnType<typeof tempDir>;
const cwd = process.cwd();
const saved = process.env.MLFLOW_TRACKING_URI;
beforeEach(() => {
  tmp = tempDir();
  process.chdir(tmp.dir); // no gaissa.config.json of the repository's
});
afterEach(() => {
  process.chdir(cwd);
  if (saved === undefined) delete process.env.MLFLOW_TRACKING_URI;
  else process.env.MLFLOW_TRACKING_URI = saved;
  tmp.remove();
});

async function compareArgs(): Promise<string[]> {
  const model = await modelFile(tmp.dir, 'base.onnx', mlpModel({ sizes: [784, 16, 10] }));
  writeFileSync(join(tmp.dir, 'x.npy'), encodeNpy(inputs(16)));
  const args = ['compare', model.path, '--inputs', join(tmp.dir, 'x.npy')];
  return [...args, '--repeat', '1', '--min-window', '0', '--region', 'DE', '--json'];
}

test('the comparison lands in MLflow after it is printed', async () => {
  const mlflow = await startFakeMlflow();
  try {
    process.env.MLFLOW_TRACKING_URI = mlflow.url;
    const r = await gaissa(await compareArgs());
    expect(r.code).toBe(0);
    const payload = JSON.parse(r.stdout);
    expect(mlflow.metrics.get('gaissa.compare.base.energy_per_inference_J')).toEqual([
      expect.objectContaining({ value: payload.variants[0].energyPerInferenceJ, step: 1 })
    ]);
    expect(JSON.parse(mlflow.artifacts.get('gaissa/COMPARISON.json')!)).toEqual(payload);
    expect(r.stderr).not.toContain('not delivered');
  } finally {
    await mlflow.close();
  }
});

test('an MLflow that is down is named on stderr; the output and exit status stand', async () => {
  // A port nothing listens on: every attempt is refused at once.
  const port = await new Promise<number>(resolve => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
  process.env.MLFLOW_TRACKING_URI = `http://127.0.0.1:${port}`;
  const r = await gaissa(await compareArgs());
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).variants).toHaveLength(1);
  expect(r.stderr.match(/warning: MLflow at/g)).toHaveLength(1);
  expect(r.stderr).toContain(
    `gaissa: 1 comparison(s) not delivered to MLflow at http://127.0.0.1:${port}: comparison 1 (still waiting at exit`
  );
}, 20_000);
