/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// gaissa.compare hands its comparison to the session's team servers: with MLflow set, each
// variant's figures land as metrics at the comparison's number and the table as artifacts.
import { resolveCarbonSettings } from '../../../../core/carbon';
import { gaissa } from '../../../../kernel/api';
import { measureSession } from '../../../../kernel/measure/current';
import { mlpModel } from '../../../../kernel/onnx/synthetic-models';
import { inTemporarySessionFolder } from '../../fixtures/measure-session';
import { startFakeMlflow, type FakeMlflowServer } from '../fixtures/mlflow-server';
import { fakeMeter, inputs, modelFile } from '../fixtures/tactics';

const session = inTemporarySessionFolder('gaissa-compare-mlflow-');
let mlflow: FakeMlflowServer;
beforeEach(async () => (mlflow = await startFakeMlflow()));
afterEach(() => mlflow.close());

test('a comparison goes to MLflow: per-variant metrics and the table', async () => {
  process.env.MLFLOW_TRACKING_URI = mlflow.url;
  const file = await modelFile(session.dir, 'mlp.onnx', mlpModel({ sizes: [784, 16, 10] }));
  const model = await gaissa.model.load(file.path);
  const int8 = await gaissa.tactics.apply(model, 'quantize-dynamic');
  const comparison = await gaissa.compare(
    { 'fp32 model': model, 'int8 (dynamic)': int8 },
    {
      inputs: inputs(16),
      repeat: 1,
      warmup: 0,
      minWindowS: 0,
      meter: fakeMeter(),
      carbon: resolveCarbonSettings({ region: 'FR' }),
      progress: false
    }
  );
  const [status] = await measureSession().sink.flush(10_000);
  expect(status).toMatchObject({ delivered: 1, pending: 0, undelivered: [] });
  const int8Row = comparison.variants.find(v => v.name === 'int8 (dynamic)')!;
  expect(mlflow.metrics.get('gaissa.compare.int8_dynamic.energy_per_inference_J')).toEqual([
    expect.objectContaining({ value: int8Row.energyPerInferenceJ, step: 1 })
  ]);
  expect(mlflow.metrics.get('gaissa.compare.fp32_model.latency_ms')![0].value).toBe(
    comparison.variants[0].latencyMs
  );
  expect(mlflow.tags.get('gaissa.compare.1.baseline')).toBe('fp32_model');
  expect(JSON.parse(mlflow.artifacts.get('gaissa/COMPARISON.json')!)).toEqual(
    JSON.parse(JSON.stringify(comparison.payload))
  );
  expect(mlflow.artifacts.get('gaissa/COMPARISON.csv')).toContain('int8 (dynamic),int8_dynamic,');
});

test('without a team server a comparison goes nowhere else', async () => {
  const model = gaissa.model.synthetic.mlp({ sizes: [784, 8, 10] });
  await gaissa.compare([model], {
    inputs: inputs(4),
    repeat: 1,
    warmup: 0,
    minWindowS: 0,
    meter: fakeMeter(),
    progress: false
  });
  expect(measureSession().sink.status()).toEqual([]);
  expect(mlflow.metrics.size).toBe(0);
});
