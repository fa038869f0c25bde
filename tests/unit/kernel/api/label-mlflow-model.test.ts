// gaissa.label(..., { mlflowModel }) and %gaissa label --mlflow-model: the label lands on the
// registered model version named, as tags; a malformed one, or no MLflow server, is an error
// naming the option before anything is issued or written.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LabelRequest } from '../../../../core/label/record';
import { connectOutput, gaissa } from '../../../../kernel/api';
import { labelMagic } from '../../../../kernel/magics/label';
import { measureSession } from '../../../../kernel/measure/current';
import { fakeSink } from '../../fixtures/api-outputs';
import { inTemporarySessionFolder, runLineMagics } from '../../fixtures/measure-session';
import { startFakeMlflow, type FakeMlflowServer } from '../fixtures/mlflow-server';

const request: LabelRequest = {
  phase: 'inference',
  population: 'fixed',
  metrics: { energyPerInferenceJ: 0.4, latencyMs: 12, accuracy: 0.8 },
  model: { name: 'mnist' }
};

const session = inTemporarySessionFolder('gaissa-label-mlflow-');
let mlflow: FakeMlflowServer;
beforeEach(async () => (mlflow = await startFakeMlflow()));
afterEach(async () => {
  connectOutput(undefined);
  await mlflow.close();
});

test('the rating and key fields land on the model version, the label in the run', async () => {
  process.env.MLFLOW_TRACKING_URI = mlflow.url;
  mlflow.modelVersions.set('mnist/2', new Map());
  const view = await gaissa.label(request, { mlflowModel: { name: 'mnist', version: 2 } });
  const [status] = await measureSession().sink.flush(10_000);
  expect(status).toMatchObject({ delivered: 2, pending: 0, undelivered: [] });
  const tags = mlflow.modelVersions.get('mnist/2')!;
  expect(tags.get('gaissa.label')).toBe(view.rating);
  expect(Number(tags.get('gaissa.label.score'))).toBe(view.record.score);
  expect(tags.get('gaissa.label.phase')).toBe('inference');
  expect(JSON.parse(mlflow.artifacts.get('gaissa/LABEL.json')!)).toEqual(view.record);
});

test('%gaissa label --mlflow-model NAME/VERSION does the same', async () => {
  process.env.MLFLOW_TRACKING_URI = mlflow.url;
  mlflow.modelVersions.set('mnist/5', new Map());
  const shown = fakeSink();
  connectOutput(shown);
  await runLineMagics(
    [labelMagic],
    '%gaissa label --population fixed --energy-per-inference-j 0.4 --model mnist --mlflow-model mnist/5'
  );
  await measureSession().sink.flush(10_000);
  expect(shown.shown).toHaveLength(1);
  expect(mlflow.modelVersions.get('mnist/5')!.get('gaissa.label')).toMatch(/^[A-E]$/);
});

test('a malformed model version is refused before the label is issued or written', async () => {
  process.env.MLFLOW_TRACKING_URI = mlflow.url;
  const out = join(session.dir, 'LABEL.json');
  await expect(gaissa.label(request, { out, mlflowModel: 'mnist/latest' })).rejects.toThrow(
    'options.mlflowModel.version: must be a model version number (1, 2, ...), got "latest"'
  );
  await expect(gaissa.label(request, { mlflowModel: { name: 'a/b', version: 1 } })).rejects.toThrow(
    "options.mlflowModel.name: MLflow model names hold no '/', ':'"
  );
  await expect(
    runLineMagics([labelMagic], '%gaissa label --energy-per-inference-j 0.4 --mlflow-model mnist')
  ).rejects.toThrow(/^%gaissa label --mlflow-model: must be \{ name, version \}/);
  expect(existsSync(out)).toBe(false);
  expect(measureSession().sink.status()).toEqual([]);
});

test('a model version without an MLflow server says how to set one', async () => {
  await expect(gaissa.label(request, { mlflowModel: 'mnist/1' })).rejects.toThrow(
    'options.mlflowModel: needs an MLflow tracking server: set MLFLOW_TRACKING_URI or %gaissa config set mlflowTrackingUri URL'
  );
});
