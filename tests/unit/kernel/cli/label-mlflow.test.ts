/**
 * `gaissa label` with MLflow: the label goes to a run of its own (LABEL.json, its SVG, the rating
 * as a tag) and, with --mlflow-model NAME/VERSION, onto that registered model version as tags; a
 * malformed model version, or no MLflow server, exits 2 before anything is issued or written.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runGaissa as gaissa } from '../fixtures/run-cli';
import { startFakeMlflow, type FakeMlflowServer } from '../fixtures/mlflow-server';
import { scratchDir } from '../fixtures/scratch-dir';

const scratch = scratchDir('gaissa-label-mlflow-');
const request = {
  phase: 'inference',
  population: 'fixed',
  metrics: { energyPerInferenceJ: 0.8, latencyMs: 18, modelSizeMB: 90, accuracy: 0.77 },
  model: { name: 'mnist' }
};

let mlflow: FakeMlflowServer;
const saved = process.env.MLFLOW_TRACKING_URI;
beforeEach(async () => {
  mlflow = await startFakeMlflow();
  process.env.MLFLOW_TRACKING_URI = mlflow.url;
});
afterEach(async () => {
  if (saved === undefined) delete process.env.MLFLOW_TRACKING_URI;
  else process.env.MLFLOW_TRACKING_URI = saved;
  await mlflow.close();
});

test('--mlflow-model NAME/VERSION tags that model version with the rating and key fields', async () => {
  mlflow.modelVersions.set('mnist/4', new Map());
  const r = await gaissa([
    'label',
    '--json',
    scratch.write('in.json', request),
    '--mlflow-model',
    'mnist/4'
  ]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const label = JSON.parse(r.stdout);
  const tags = mlflow.modelVersions.get('mnist/4')!;
  expect(tags.get('gaissa.label')).toBe(label.rating);
  expect(tags.get('gaissa.label.model')).toBe('mnist');
  expect(tags.get('gaissa.label.run_id')).toBe('r1');
  expect(JSON.parse(mlflow.artifacts.get('gaissa/LABEL.json')!)).toEqual(label);
  expect(mlflow.artifacts.get('gaissa/LABEL.svg')).toMatch(/^<svg/);
  expect(mlflow.tags.get('gaissa.label')).toBe(label.rating);
});

test('a model version MLflow does not have is named on stderr; the label stands (exit 0)', async () => {
  const r = await gaissa([
    'label',
    '--json',
    scratch.write('in.json', request),
    '--mlflow-model',
    'models:/mnist/9'
  ]);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).rating).toMatch(/^[A-E]$/);
  expect(r.stderr).toContain(
    'label(s) not delivered to MLflow at ' +
      mlflow.url +
      ': label 1 (C) on models:/mnist/9 (refused: MLflow has no registered model version models:/mnist/9)'
  );
});

test.each([
  [
    'mnist',
    '--mlflow-model: must be { name, version }, "NAME/VERSION" or "models:/NAME/VERSION", got "mnist" (no version)'
  ],
  ['mnist/v2', '--mlflow-model.version: must be a model version number (1, 2, ...), got "v2"'],
  ['a:b/2', "--mlflow-model.name: MLflow model names hold no '/', ':' or control characters"]
])('a malformed --mlflow-model %p exits 2 and writes nothing', async (value, message) => {
  const out = join(scratch.dir, 'LABEL.json');
  const r = await gaissa([
    'label',
    '--json',
    scratch.write('in.json', request),
    '--out',
    out,
    '--mlflow-model',
    value
  ]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(message);
  expect(r.stdout).toBe('');
  expect(existsSync(out)).toBe(false);
});

test('--mlflow-model without an MLflow server exits 2', async () => {
  delete process.env.MLFLOW_TRACKING_URI;
  const r = await gaissa([
    'label',
    '--json',
    scratch.write('in.json', request),
    '--mlflow-model',
    'mnist/1'
  ]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--mlflow-model needs an MLflow tracking server');
});
