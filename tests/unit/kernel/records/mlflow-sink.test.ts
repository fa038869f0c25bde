// The MLflow sink against a fake MLflow that keeps runs in memory: one run per session, made at
// the first delivery; metrics at step = the measurement's number, equal to the record; tags and
// params; a server that comes up late; a refusal listed as not delivered.
import type { LabelRecord } from '../../../../core/label/record';
import type { Attribution } from '../../../../kernel/records/attribution';
import type { KeyValue, MlflowMetric } from '../../../../kernel/records/mlflow-client';
import {
  batchTags,
  mlflowMetrics,
  MlflowSink,
  runTags,
  setupParams
} from '../../../../kernel/records/mlflow-sink';
import { tacticsTable, trainingTable } from '../../../../kernel/records/mlflow-comparison';
import { undeliveredText } from '../../../../kernel/records/team-record-sink';
import { comparisonPayload } from './fixtures/tactics-payload';
import { trainingComparison } from './fixtures/training-payload';
import { sampleRecord } from '../../fixtures/sample-record';
import { FakeClock } from './fixtures/fake-clock';
import { fakeFetch, type SentRequest } from './fixtures/fake-fetch';

const who: Attribution = {
  user: 'ann',
  server: 'gpu',
  notebook: 'work/train.ipynb',
  kernelId: 'k-1',
  instance: 'k-1'
};

/** Experiments and runs in memory, answering as MLflow's REST API 2.0 does. */
function fakeMlflow() {
  const experiments = new Map<string, string>();
  const runs = new Map<
    string,
    {
      experimentId: string;
      name: string;
      tags: KeyValue[];
      metrics: MlflowMetric[];
      params: KeyValue[];
      status: string;
    }
  >();
  const artifacts = new Map<string, string>();
  /** Registered model versions (`name/version`) and their tags. */
  const modelVersions = new Map<string, Map<string, string>>();
  let down = false;
  /** Endpoints that do their work but never answer, once each: an attempt cut off by the timeout. */
  const hangOnce = new Set<string>();
  let artifactRoot = (exp: string, run: string) => `mlflow-artifacts:/${exp}/${run}/artifacts`;
  const handler = (r: SentRequest) => {
    if (down)
      return Promise.reject(
        Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })
      );
    const url = new URL(r.url);
    const artifact = '/mlflow/api/2.0/mlflow-artifacts/artifacts/';
    if (url.pathname.startsWith(artifact) && r.method === 'PUT') {
      artifacts.set(decodeURIComponent(url.pathname.slice(artifact.length)), r.body);
      return { status: 200, body: {} };
    }
    const body = r.body ? JSON.parse(r.body) : {};
    const answer = answerOf(url, body);
    const endpoint = url.pathname.replace('/mlflow/api/2.0/mlflow/', '');
    if (hangOnce.delete(endpoint)) return new Promise<never>(() => undefined);
    return answer;
  };
  const answerOf = (url: URL, body: Record<string, never>) => {
    switch (url.pathname) {
      case '/mlflow/api/2.0/mlflow/experiments/get-by-name': {
        const id = experiments.get(url.searchParams.get('experiment_name')!);
        return id
          ? { status: 200, body: { experiment: { experiment_id: id } } }
          : { status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'none' } };
      }
      case '/mlflow/api/2.0/mlflow/experiments/create': {
        const id = String(experiments.size + 1);
        experiments.set(body.name, id);
        return { status: 200, body: { experiment_id: id } };
      }
      case '/mlflow/api/2.0/mlflow/runs/create': {
        const id = `run${runs.size + 1}`;
        runs.set(id, {
          experimentId: body.experiment_id,
          name: body.run_name,
          tags: body.tags,
          metrics: [],
          params: [],
          status: 'RUNNING'
        });
        return {
          status: 200,
          body: {
            run: {
              info: {
                run_id: id,
                experiment_id: body.experiment_id,
                status: 'RUNNING',
                artifact_uri: artifactRoot(body.experiment_id, id)
              },
              data: {}
            }
          }
        };
      }
      case '/mlflow/api/2.0/mlflow/runs/log-batch': {
        const run = runs.get(body.run_id)!;
        if (body.tags.length > 100)
          return {
            status: 400,
            body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'too many tags' }
          };
        const params: KeyValue[] = body.params ?? [];
        if (params.some(p => run.params.some(q => q.key === p.key)))
          return {
            status: 400,
            body: {
              error_code: 'INVALID_PARAMETER_VALUE',
              message: 'Changing param values is not allowed'
            }
          };
        run.metrics.push(...(body.metrics ?? []));
        run.params.push(...params);
        run.tags.push(...(body.tags ?? []));
        return { status: 200, body: {} };
      }
      case '/mlflow/api/2.0/mlflow/runs/search': {
        const key = /'(.*)'/.exec(body.filter)![1];
        const found = [...runs].filter(([, run]) =>
          run.tags.some(t => t.key === 'gaissa.session' && t.value === key)
        );
        return {
          status: 200,
          body: {
            runs: found.map(([id, run]) => ({
              info: { run_id: id, experiment_id: run.experimentId, status: run.status },
              data: { tags: run.tags }
            }))
          }
        };
      }
      case '/mlflow/api/2.0/mlflow/runs/get': {
        const run = runs.get(url.searchParams.get('run_id')!)!;
        return { status: 200, body: { run: { info: {}, data: { params: run.params } } } };
      }
      case '/mlflow/api/2.0/mlflow/model-versions/set-tag': {
        const tags = modelVersions.get(`${body.name}/${body.version}`);
        if (!tags)
          return {
            status: 404,
            body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no such version' }
          };
        tags.set(body.key, body.value);
        return { status: 200, body: {} };
      }
      case '/mlflow/api/2.0/mlflow/runs/update':
        runs.get(body.run_id)!.status = body.status;
        return { status: 200, body: {} };
      default:
        return { status: 404, body: 'no such endpoint' };
    }
  };
  return {
    experiments,
    runs,
    artifacts,
    modelVersions,
    handler,
    hangOnce,
    setDown: (d: boolean) => (down = d),
    setArtifactRoot: (f: typeof artifactRoot) => (artifactRoot = f)
  };
}

function makeSink(handler: Parameters<typeof fakeFetch>[0], env: NodeJS.ProcessEnv = {}) {
  const { fetch, sent } = fakeFetch(handler);
  const clock = new FakeClock();
  const warnings: string[] = [];
  const sink = new MlflowSink({
    trackingUri: 'http://mlflow.test/mlflow/',
    attribution: who,
    env,
    fetch,
    clock,
    warn: w => warnings.push(w)
  });
  return { sink, sent, clock, warnings };
}

describe('mlflowMetrics, tags and params', () => {
  it("logs the record's own figures at step n, stamped with its end", () => {
    const record = sampleRecord('m-1');
    expect(mlflowMetrics({ record, n: 7 })).toEqual([
      {
        key: 'gaissa.energy_J',
        value: record.energyJ,
        timestamp: Date.parse(record.endedAt),
        step: 7
      },
      { key: 'gaissa.co2e_g', value: record.co2eG, timestamp: Date.parse(record.endedAt), step: 7 },
      {
        key: 'gaissa.duration_s',
        value: record.durationS,
        timestamp: Date.parse(record.endedAt),
        step: 7
      },
      {
        key: 'gaissa.power_W',
        value: record.powerW,
        timestamp: Date.parse(record.endedAt),
        step: 7
      }
    ]);
  });

  it('attributes the run, leaving out what is unknown', () => {
    const tags = Object.fromEntries(runTags({ ...who, server: null }).map(t => [t.key, t.value]));
    expect(tags).toMatchObject({
      'mlflow.user': 'ann',
      'gaissa.user': 'ann',
      'gaissa.notebook': 'work/train.ipynb',
      'gaissa.kernel_id': 'k-1'
    });
    expect('gaissa.server' in tags).toBe(false);
  });

  it('keeps the setup as params and method, region and ids as tags', () => {
    const record = sampleRecord('m-1');
    const params = Object.fromEntries(setupParams(record).map(p => [p.key, p.value]));
    expect(params).toMatchObject({ 'host.cpu': 'Test CPU, "quoted"', 'host.logical_cpus': '2' });
    expect(batchTags([{ record, n: 3 }])).toEqual([
      { key: 'gaissa.method', value: 'estimate' },
      { key: 'gaissa.region', value: 'FRA' },
      { key: 'gaissa.record.3', value: 'm-1' }
    ]);
  });
});

describe('MlflowSink', () => {
  it('makes the experiment and one run at the first delivery, then logs each measurement', async () => {
    const mlflow = fakeMlflow();
    const { sink, clock } = makeSink(mlflow.handler);
    const records = [sampleRecord('m-1'), sampleRecord('m-2'), sampleRecord('m-3')];
    records.forEach((record, i) => sink.push({ record, n: i + 1 }));
    await clock.advance(0);
    expect(sink.status()).toMatchObject({ delivered: 3, pending: 0 });
    expect([...mlflow.experiments.keys()]).toEqual(['work/train.ipynb']);
    expect(mlflow.runs.size).toBe(1);
    const run = mlflow.runs.get(sink.run!)!;
    expect(run.name).toBe('train.ipynb · ann');
    const energy = run.metrics.filter(m => m.key === 'gaissa.energy_J');
    expect(energy.map(m => [m.step, m.value])).toEqual(records.map((r, i) => [i + 1, r.energyJ]));
    // Params once, whatever the number of batches.
    expect(run.params.filter(p => p.key === 'host.cpu')).toHaveLength(1);
    await sink.close(1000);
    expect(run.status).toBe('FINISHED');
  });

  it('retries an attempt cut off after the server did its work without a second run or param', async () => {
    const mlflow = fakeMlflow();
    mlflow.hangOnce.add('runs/create');
    mlflow.hangOnce.add('runs/log-batch');
    const { sink, clock } = makeSink(mlflow.handler);
    sink.push({ record: sampleRecord('m-1'), n: 1 });
    // create (made, no answer: cut at 5 s) -> retry finds it, log-batch (logged, no answer) -> retry.
    await clock.advance(5000 + 1000 + 5000 + 2000);
    expect(sink.status()).toMatchObject({ delivered: 1, pending: 0, undelivered: [] });
    expect(mlflow.runs.size).toBe(1);
    const run = mlflow.runs.get(sink.run!)!;
    expect(run.params.filter(p => p.key === 'host.cpu')).toHaveLength(1);
    expect(run.metrics.filter(m => m.key === 'gaissa.energy_J').length).toBeGreaterThan(0);
  });

  it('names the experiment GAISSA_MLFLOW_EXPERIMENT when given', async () => {
    const mlflow = fakeMlflow();
    const { fetch } = fakeFetch(mlflow.handler);
    const clock = new FakeClock();
    const sink = new MlflowSink({
      trackingUri: 'http://mlflow.test/mlflow',
      experiment: 'team-energy',
      attribution: who,
      fetch,
      clock
    });
    sink.push({ record: sampleRecord('m-1'), n: 1 });
    await clock.advance(0);
    expect([...mlflow.experiments.keys()]).toEqual(['team-energy']);
  });

  it('holds records while the server is down and delivers them when it answers', async () => {
    const mlflow = fakeMlflow();
    mlflow.setDown(true);
    const { sink, clock, warnings } = makeSink(mlflow.handler);
    sink.push({ record: sampleRecord('m-1'), n: 1 });
    sink.push({ record: sampleRecord('m-2'), n: 2 });
    await clock.advance(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('MLflow at http://mlflow.test/mlflow');
    expect(mlflow.runs.size).toBe(0);
    mlflow.setDown(false);
    await clock.advance(1000);
    expect(sink.status()).toMatchObject({ delivered: 2, pending: 0, undelivered: [] });
    expect(mlflow.runs.get(sink.run!)!.metrics.filter(m => m.key === 'gaissa.co2e_g')).toHaveLength(
      2
    );
  });

  it("lists a refused batch as not delivered, with MLflow's reason", async () => {
    const { sink, clock } = makeSink(r =>
      r.url.includes('get-by-name')
        ? { status: 403, body: { error_code: 'PERMISSION_DENIED', message: 'no access' } }
        : { status: 500 }
    );
    sink.push({ record: sampleRecord('m-1'), n: 1 });
    await clock.advance(0);
    expect(sink.status().undelivered).toEqual([
      { id: 'm-1', reason: 'refused: MLflow experiments/get-by-name: PERMISSION_DENIED no access' }
    ]);
  });

  it('puts labels in the run: LABEL.json and the SVG as artifacts, the rating as a tag', async () => {
    const mlflow = fakeMlflow();
    const { sink, clock } = makeSink(mlflow.handler);
    const label = { rating: 'B', score: 1.2 } as unknown as LabelRecord;
    sink.push({ record: sampleRecord('m-1'), n: 1 });
    sink.pushLabel({ label, svg: '<svg>B</svg>' });
    sink.pushLabel({ label: { ...label, rating: 'A' }, svg: '<svg>A</svg>' });
    await clock.advance(0);
    expect(sink.status()).toMatchObject({ delivered: 3, pending: 0, undelivered: [] });
    const run = sink.run!;
    expect(JSON.parse(mlflow.artifacts.get(`1/${run}/artifacts/gaissa/LABEL.json`)!)).toEqual(
      label
    );
    expect(mlflow.artifacts.get(`1/${run}/artifacts/gaissa/LABEL.svg`)).toBe('<svg>B</svg>');
    expect(mlflow.artifacts.get(`1/${run}/artifacts/gaissa/LABEL-2.svg`)).toBe('<svg>A</svg>');
    const tags = mlflow.runs.get(run)!.tags.filter(t => t.key === 'gaissa.label');
    expect(tags.map(t => t.value)).toEqual(['B', 'A']);
  });

  it("refuses a label when the server does not proxy the run's artifacts, naming why", async () => {
    const mlflow = fakeMlflow();
    mlflow.setArtifactRoot(() => 's3://bucket/runs');
    const { sink, clock } = makeSink(mlflow.handler);
    sink.pushLabel({ label: { rating: 'C' } as unknown as LabelRecord, svg: '<svg/>' });
    await clock.advance(0);
    expect(sink.status().undelivered).toEqual([
      {
        id: 'label 1 (C)',
        reason:
          "refused: MLflow does not proxy this run's artifacts (artifact URI s3://bucket/runs); start it with --serve-artifacts",
        label: true
      }
    ]);
  });

  it('delivers a label apart from the records beside it: a refused label refuses only itself', async () => {
    const mlflow = fakeMlflow();
    mlflow.setArtifactRoot(() => 's3://bucket/runs');
    const { sink, clock } = makeSink(mlflow.handler);
    mlflow.setDown(true); // the record and the label wait together for the retry
    sink.push({ record: sampleRecord('m-1'), n: 1 });
    sink.pushLabel({ label: { rating: 'C' } as unknown as LabelRecord, svg: '<svg/>' });
    await clock.advance(0);
    mlflow.setDown(false);
    await clock.advance(60_000);
    expect(sink.status()).toMatchObject({ delivered: 1, pending: 0 });
    expect(sink.status().undelivered.map(u => [u.id, u.label])).toEqual([['label 1 (C)', true]]);
    expect(undeliveredText([sink.status()])).toMatch(
      /^gaissa: 1 label\(s\) not delivered to MLflow at http:\/\/mlflow.test\/mlflow: label 1 \(C\)/
    );
  });

  it("retries a label whose upload failed without logging the records' metrics again", async () => {
    const mlflow = fakeMlflow();
    let failUploads = 1;
    const { sink, clock } = makeSink(r =>
      r.method === 'PUT' && failUploads-- > 0 ? { status: 503, body: 'busy' } : mlflow.handler(r)
    );
    // Down at first, so the record and the label wait together for the retry.
    mlflow.setDown(true);
    sink.push({ record: sampleRecord('m-1'), n: 1 });
    sink.pushLabel({ label: { rating: 'B' } as unknown as LabelRecord, svg: '<svg/>' });
    await clock.advance(0);
    mlflow.setDown(false);
    await clock.advance(60_000);
    expect(sink.status()).toMatchObject({ delivered: 2, pending: 0, undelivered: [] });
    const run = mlflow.runs.get(sink.run!)!;
    expect(run.metrics.filter(m => m.key === 'gaissa.energy_J')).toHaveLength(1);
  });

  it('logs a comparison: per-variant metrics at its number, the table as artifacts', async () => {
    const mlflow = fakeMlflow();
    const { sink, clock } = makeSink(mlflow.handler);
    const payload = comparisonPayload();
    sink.push({ record: sampleRecord('m-1'), n: 1 });
    sink.pushComparison(tacticsTable(payload));
    sink.pushComparison(tacticsTable({ ...payload, recommended: 'fp16' }));
    await clock.advance(0);
    expect(sink.status()).toMatchObject({ delivered: 3, pending: 0, undelivered: [] });
    const run = mlflow.runs.get(sink.run!)!;
    const energy = run.metrics.filter(
      m => m.key === 'gaissa.compare.quantize-dynamic.energy_per_inference_J'
    );
    expect(energy.map(m => [m.step, m.value])).toEqual([
      [1, payload.variants[1].energyPerInferenceJ],
      [2, payload.variants[1].energyPerInferenceJ]
    ]);
    expect(run.tags).toContainEqual({ key: 'gaissa.compare.2.recommended', value: 'fp16' });
    const root = `1/${sink.run}/artifacts/gaissa`;
    expect(JSON.parse(mlflow.artifacts.get(`${root}/COMPARISON.json`)!)).toEqual(payload);
    expect(mlflow.artifacts.get(`${root}/COMPARISON.csv`)!.split('\n')[0]).toMatch(
      /^variant,mlflow_key,/
    );
    expect(mlflow.artifacts.has(`${root}/COMPARISON-2.csv`)).toBe(true);
  });

  it('lists a comparison it could not deliver as a comparison, not a measurement', async () => {
    const mlflow = fakeMlflow();
    mlflow.setArtifactRoot(() => 's3://bucket/runs');
    const { sink, clock } = makeSink(mlflow.handler);
    sink.pushComparison(tacticsTable(comparisonPayload()));
    await clock.advance(0);
    expect(sink.status().notDelivered).toEqual({ measurements: 0, labels: 0, comparisons: 1 });
    expect(sink.status().undelivered[0]).toMatchObject({ id: 'comparison 1', comparison: true });
    expect(undeliveredText([sink.status()])).toMatch(
      /^gaissa: 1 comparison\(s\) not delivered to MLflow at http:\/\/mlflow.test\/mlflow: comparison 1 \(refused: MLflow does not proxy/
    );
    // The metrics went before the artifacts were refused.
    const run = mlflow.runs.get(sink.run!)!;
    expect(run.metrics.some(m => m.key.startsWith('gaissa.compare.'))).toBe(true);
  });

  it('numbers training comparisons apart from tactics ones, under names of their own', async () => {
    const mlflow = fakeMlflow();
    const { sink, clock } = makeSink(mlflow.handler);
    const { payload, training } = trainingComparison();
    sink.pushComparison(tacticsTable(comparisonPayload()));
    sink.pushComparison(trainingTable(payload, training));
    sink.pushComparison(trainingTable({ ...payload, recommended: 'baseline' }, training));
    await clock.advance(0);
    expect(sink.status()).toMatchObject({ delivered: 3, pending: 0, undelivered: [] });
    const run = mlflow.runs.get(sink.run!)!;
    const energy = run.metrics.filter(m => m.key === 'gaissa.train_compare.freeze_2.energy_J');
    expect(energy.map(m => [m.step, m.value])).toEqual([
      [1, 700],
      [2, 700]
    ]);
    expect(run.tags).toContainEqual({
      key: 'gaissa.train_compare.1.recommended',
      value: 'early_stop_val_acc'
    });
    expect(run.tags).toContainEqual({
      key: 'gaissa.train_compare.2.recommended',
      value: 'baseline'
    });
    const root = `1/${sink.run}/artifacts/gaissa`;
    expect(JSON.parse(mlflow.artifacts.get(`${root}/TRAINING-COMPARISON.json`)!)).toEqual(payload);
    expect(mlflow.artifacts.get(`${root}/TRAINING-COMPARISON-2.csv`)).toContain(
      'freeze:2,freeze_2,freeze(2),'
    );
    // The tactics comparison keeps its own number and names.
    expect(mlflow.artifacts.has(`${root}/COMPARISON.json`)).toBe(true);
    expect(mlflow.artifacts.has(`${root}/COMPARISON-2.json`)).toBe(false);
  });

  it('retries a training comparison while MLflow is down, then lists it by its kind', async () => {
    const mlflow = fakeMlflow();
    let refuseUploads = false;
    const { sink, clock, warnings } = makeSink(r =>
      refuseUploads && r.method === 'PUT'
        ? { status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'no' } }
        : mlflow.handler(r)
    );
    const { payload, training } = trainingComparison();
    mlflow.setDown(true);
    sink.pushComparison(trainingTable(payload, training));
    sink.pushComparison(trainingTable(payload, training));
    await clock.advance(0);
    expect(sink.status()).toMatchObject({ delivered: 0, pending: 2 });
    await clock.advance(1000); // one retry fails too
    mlflow.setDown(false);
    await clock.advance(60_000);
    expect(sink.status()).toMatchObject({ delivered: 2, pending: 0, undelivered: [] });
    expect(warnings).toHaveLength(1);
    // A server refusing the artifacts: the next one is listed as a training comparison.
    refuseUploads = true;
    sink.pushComparison(trainingTable(payload, training));
    await clock.advance(0);
    expect(sink.status().notDelivered).toEqual({ measurements: 0, labels: 0, comparisons: 1 });
    expect(sink.status().undelivered[0]).toMatchObject({
      id: 'training comparison 3',
      comparison: true
    });
  });

  it('sets a label on the registered model version named, the rating last', async () => {
    const mlflow = fakeMlflow();
    mlflow.modelVersions.set('mnist/2', new Map());
    const { sink, clock, sent } = makeSink(mlflow.handler);
    const label = {
      rating: 'B',
      score: 1.2,
      phase: 'inference',
      method: 'measured',
      basis: {},
      model: { name: 'mnist' },
      metrics: {}
    } as unknown as LabelRecord;
    sink.pushLabel({ label, svg: '<svg/>', mlflowModel: { name: 'mnist', version: '2' } });
    await clock.advance(0);
    expect(sink.status()).toMatchObject({ delivered: 2, pending: 0, undelivered: [] });
    const tags = mlflow.modelVersions.get('mnist/2')!;
    expect(tags.get('gaissa.label')).toBe('B');
    expect(tags.get('gaissa.label.run_id')).toBe(sink.run);
    expect(tags.get('gaissa.label.method')).toBe('measured');
    const setTags = sent.filter(r => r.url.endsWith('model-versions/set-tag'));
    expect(JSON.parse(setTags[setTags.length - 1].body)).toMatchObject({ key: 'gaissa.label' });
    // The run has the label too.
    expect(mlflow.artifacts.has(`1/${sink.run}/artifacts/gaissa/LABEL.json`)).toBe(true);
  });

  it('lists a label for a model version that does not exist as not delivered, once', async () => {
    const mlflow = fakeMlflow();
    const { sink, clock, sent } = makeSink(mlflow.handler);
    sink.pushLabel({
      label: { rating: 'C', model: { name: 'm' } } as unknown as LabelRecord,
      svg: '<svg/>',
      mlflowModel: { name: 'nope', version: '7' }
    });
    await clock.advance(60_000);
    expect(sink.status()).toMatchObject({ delivered: 1, pending: 0 });
    expect(sink.status().undelivered).toEqual([
      {
        id: 'label 1 (C) on models:/nope/7',
        reason: 'refused: MLflow has no registered model version models:/nope/7',
        label: true
      }
    ]);
    expect(sent.filter(r => r.url.endsWith('model-versions/set-tag'))).toHaveLength(1);
  });

  it("sends MLflow's credentials from its own variables", async () => {
    const mlflow = fakeMlflow();
    const bearer = makeSink(mlflow.handler, { MLFLOW_TRACKING_TOKEN: 'tok' });
    bearer.sink.push({ record: sampleRecord('m-1'), n: 1 });
    await bearer.clock.advance(0);
    expect(bearer.sent[0].headers.authorization).toBe('Bearer tok');
    const basic = makeSink(fakeMlflow().handler, {
      MLFLOW_TRACKING_USERNAME: 'u',
      MLFLOW_TRACKING_PASSWORD: 'p'
    });
    basic.sink.push({ record: sampleRecord('m-1'), n: 1 });
    await basic.clock.advance(0);
    expect(basic.sent[0].headers.authorization).toBe(
      `Basic ${Buffer.from('u:p').toString('base64')}`
    );
  });
});
