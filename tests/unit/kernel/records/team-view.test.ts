// The team view read back from MLflow: answers in the shapes MLflow 3 gives (runs/search,
// metrics/get-history, experiments/search), aggregated per user and notebook; failures become
// the view's status and errors, never an exception; credentials never reach the view.
import Ajv from 'ajv';
import schema from '../../../../schema/team-view-comm.schema.json';
import {
  aggregateTeamView,
  readTeamView,
  type RunRead
} from '../../../../kernel/records/team-view';
import { fakeFetch, type SentRequest } from './fixtures/fake-fetch';

const validView = new Ajv({ allowUnionTypes: true }).compile(schema);

const tags = (t: Record<string, string>) =>
  Object.entries(t).map(([key, value]) => ({ key, value }));

function run(id: string, experiment: string, t: Record<string, string>, start: number) {
  return {
    info: {
      run_uuid: id,
      run_id: id,
      experiment_id: experiment,
      run_name: 'nb.ipynb · ann',
      user_id: 'ann',
      status: 'FINISHED',
      start_time: start,
      end_time: start + 5000,
      artifact_uri: `mlflow-artifacts:/${experiment}/${id}/artifacts`,
      lifecycle_stage: 'active'
    },
    data: { metrics: [], params: [], tags: tags(t) }
  };
}

const metric = (key: string, step: number, value: number, timestamp: number) => ({
  key,
  value,
  timestamp,
  step
});

/** Two users, two notebooks; ann measured twice, bob once outside a notebook and issued a label. */
const RUNS = [
  run(
    'r-bob',
    '2',
    { 'gaissa.user': 'bob', 'gaissa.record.1': 'rec-b1', 'gaissa.label': 'B' },
    3000
  ),
  run(
    'r-ann',
    '1',
    {
      'gaissa.user': 'ann',
      'gaissa.notebook': 'team/<b>nb</b>.ipynb',
      'gaissa.record.1': 'rec-a1',
      'gaissa.record.2': 'rec-a2'
    },
    1000
  )
];

const HISTORY: Record<string, Record<string, ReturnType<typeof metric>[]>> = {
  'r-ann': {
    'gaissa.energy_J': [
      metric('gaissa.energy_J', 1, 10, 1100),
      metric('gaissa.energy_J', 2, 30, 1200)
    ],
    'gaissa.co2e_g': [metric('gaissa.co2e_g', 1, 1, 1100), metric('gaissa.co2e_g', 2, 3, 1200)],
    'gaissa.duration_s': [
      metric('gaissa.duration_s', 1, 0.5, 1100),
      metric('gaissa.duration_s', 2, 1.5, 1200)
    ]
  },
  'r-bob': {
    'gaissa.energy_J': [metric('gaissa.energy_J', 1, 100, 3100)],
    'gaissa.co2e_g': [metric('gaissa.co2e_g', 1, 10, 3100)],
    'gaissa.duration_s': []
  }
};

function mlflow(
  override: (r: SentRequest) => { status: number; body?: unknown } | undefined = () => undefined
) {
  return fakeFetch(r => {
    const answer = override(r);
    if (answer) return answer;
    const url = new URL(r.url);
    if (url.pathname.endsWith('experiments/search'))
      return {
        status: 200,
        body: {
          experiments: [
            { experiment_id: '1', name: 'team/<b>nb</b>.ipynb', lifecycle_stage: 'active' },
            { experiment_id: '2', name: 'gaissa-cli', lifecycle_stage: 'active' }
          ]
        }
      };
    if (url.pathname.endsWith('experiments/get-by-name'))
      return { status: 200, body: { experiment: { experiment_id: '2', name: 'gaissa-cli' } } };
    if (url.pathname.endsWith('runs/search')) {
      const ids: string[] = JSON.parse(r.body).experiment_ids;
      return { status: 200, body: { runs: RUNS.filter(x => ids.includes(x.info.experiment_id)) } };
    }
    if (url.pathname.endsWith('metrics/get-history')) {
      const h = HISTORY[url.searchParams.get('run_id')!][url.searchParams.get('metric_key')!];
      return { status: 200, body: h.length ? { metrics: h } : {} };
    }
    return { status: 404, body: { error_code: 'ENDPOINT_NOT_FOUND', message: r.url } };
  });
}

describe('readTeamView', () => {
  it('lists every measurement newest first, with totals per user and per notebook', async () => {
    const { fetch, sent } = mlflow();
    const view = await readTeamView({ trackingUri: 'http://m:5000', fetch, now: () => 42 });
    expect(validView({ ...view })).toBe(true);
    expect(view.status).toBe('ok');
    expect(view.source).toBe('mlflow');
    expect(view.fetchedAt).toBe(42);
    expect(view.runs).toBe(2);
    expect(
      view.measurements.map(m => [
        m.user,
        m.notebook,
        m.step,
        m.recordId,
        m.energyJ,
        m.co2eG,
        m.durationS
      ])
    ).toEqual([
      ['bob', null, 1, 'rec-b1', 100, 10, null],
      ['ann', 'team/<b>nb</b>.ipynb', 2, 'rec-a2', 30, 3, 1.5],
      ['ann', 'team/<b>nb</b>.ipynb', 1, 'rec-a1', 10, 1, 0.5]
    ]);
    expect(view.measurements[1].experiment).toBe('team/<b>nb</b>.ipynb');
    expect(view.totals.perUser).toEqual([
      { key: 'bob', measurements: 1, energyJ: 100, co2eG: 10 },
      { key: 'ann', measurements: 2, energyJ: 40, co2eG: 4 }
    ]);
    expect(view.totals.perNotebook).toEqual([
      { key: null, measurements: 1, energyJ: 100, co2eG: 10 },
      { key: 'team/<b>nb</b>.ipynb', measurements: 2, energyJ: 40, co2eG: 4 }
    ]);
    expect(view.labels).toEqual([
      {
        runId: 'r-bob',
        experiment: 'gaissa-cli',
        user: 'bob',
        notebook: null,
        rating: 'B',
        time: 8000
      }
    ]);
    const search = sent.find(r => r.url.endsWith('runs/search'))!;
    expect(JSON.parse(search.body)).toEqual({
      experiment_ids: ['1', '2'],
      filter: "tags.`gaissa.user` LIKE '%'",
      max_results: 100,
      order_by: ['attributes.start_time DESC']
    });
  });

  it('reads only the configured experiment', async () => {
    const { fetch, sent } = mlflow();
    const view = await readTeamView({ trackingUri: 'http://m', experiment: 'gaissa-cli', fetch });
    expect(view.experiment).toBe('gaissa-cli');
    expect(view.measurements.map(m => m.user)).toEqual(['bob']);
    expect(sent.some(r => r.url.includes('experiments/search'))).toBe(false);
  });

  it('says so when no tracking URI is configured, asking nothing', async () => {
    const { fetch, sent } = mlflow();
    const view = await readTeamView({ fetch });
    expect(view).toMatchObject({
      status: 'unconfigured',
      source: null,
      trackingUri: null,
      runs: 0
    });
    expect(validView(view)).toBe(true);
    expect(sent).toEqual([]);
  });

  it('is unreachable when the runs cannot be listed, with the reason and no credentials', async () => {
    const { fetch } = fakeFetch(() =>
      Promise.reject(
        Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })
      )
    );
    const view = await readTeamView({ trackingUri: 'http://ann:s3cret@m:5000/', fetch });
    expect(view.status).toBe('unreachable');
    expect(view.trackingUri).toBe('http://m:5000/');
    expect(view.errors).toEqual(['fetch failed: ECONNREFUSED']);
    expect(JSON.stringify(view)).not.toContain('s3cret');
    expect(validView(view)).toBe(true);
  });

  it("keeps the other runs when one run's history fails, and names it", async () => {
    const { fetch } = mlflow(r =>
      r.url.includes('run_id=r-bob')
        ? { status: 500, body: { error_code: 'INTERNAL_ERROR', message: 'db' } }
        : undefined
    );
    const view = await readTeamView({ trackingUri: 'http://m', fetch });
    expect(view.status).toBe('ok');
    expect(view.totals.perUser.map(t => t.key)).toEqual(['ann']);
    expect(view.errors[0]).toBe('run r-bob: MLflow metrics/get-history: INTERNAL_ERROR db');
  });

  it('takes odd answers: a tag value that is a number, metrics that are no list', async () => {
    const { fetch } = mlflow(r => {
      if (r.url.includes('runs/search')) {
        const odd = run('r-odd', '1', { 'gaissa.user': 'ann' }, 1000);
        odd.data.tags.push({ key: 'gaissa.label', value: 7 as unknown as string });
        return { status: 200, body: { runs: [odd] } };
      }
      if (r.url.includes('get-history'))
        return r.url.includes('energy')
          ? { status: 200, body: { metrics: [metric('gaissa.energy_J', 1, 5, 1100)] } }
          : { status: 200, body: { metrics: {} } };
      return undefined;
    });
    const view = await readTeamView({ trackingUri: 'http://m', fetch });
    expect(view.status).toBe('ok');
    expect(view.labels.map(l => l.rating)).toEqual(['7']);
    expect(view.measurements.map(m => [m.energyJ, m.co2eG])).toEqual([[5, null]]);
    expect(validView(view)).toBe(true);
  });

  it.each([
    ['experiments', 'experiments/search'],
    ['a metric history', 'get-history']
  ])('is truncated when %s has further pages', async (_, endpoint) => {
    const plain = await readTeamView({ trackingUri: 'http://m', fetch: mlflow().fetch });
    expect(plain.truncated).toBe(false);
    const paged = mlflow();
    const { fetch } = fakeFetch(async r => {
      const answer = (await paged.fetch(r.url, { method: r.method, body: r.body })) as Response;
      const body = await answer.json();
      return {
        status: answer.status,
        body: r.url.includes(endpoint) ? { ...body, next_page_token: 'more' } : body
      };
    });
    const view = await readTeamView({ trackingUri: 'http://m', fetch });
    expect(view.truncated).toBe(true);
    expect(view.totals.perUser.map(t => t.key)).toEqual(['bob', 'ann']);
  });

  it("sends the environment's credentials only when the URI is the user's choice", async () => {
    const env = { MLFLOW_TRACKING_TOKEN: 'tok' };
    const chosen = mlflow();
    await readTeamView({ trackingUri: 'http://m', env, envCredentials: true, fetch: chosen.fetch });
    expect(chosen.sent[0].headers.authorization).toBe('Bearer tok');
    const fromFile = mlflow();
    await readTeamView({
      trackingUri: 'http://m',
      env,
      envCredentials: false,
      fetch: fromFile.fetch
    });
    expect(fromFile.sent[0].headers.authorization).toBeUndefined();
  });
});

describe('aggregateTeamView', () => {
  const head = {
    trackingUri: 'http://m',
    experiment: null,
    fetchedAt: 1,
    truncated: true,
    errors: []
  };

  it('caps the list but counts every measurement in the totals', () => {
    const energy = Array.from({ length: 5 }, (_, i) =>
      metric('gaissa.energy_J', i + 1, 1, 100 + i)
    );
    const reads: RunRead[] = [
      {
        run: run('r', '1', { 'gaissa.user': 'u' }, 0),
        experiment: 'e',
        histories: { energyJ: energy }
      }
    ];
    const view = aggregateTeamView(reads, head, { measurements: 2, labels: 2 });
    expect(view.measurements.map(m => m.step)).toEqual([5, 4]);
    expect(view.totals.perUser).toEqual([{ key: 'u', measurements: 5, energyJ: 5, co2eG: 0 }]);
    expect(view.truncated).toBe(true);
  });

  it("takes the latest value of a step logged twice, skips values that are not energies, and bounds the tags' text", () => {
    const reads: RunRead[] = [
      {
        run: run(
          'r',
          '1',
          {
            'gaissa.user': 'u\u001b[31m',
            'gaissa.notebook': 'n'.repeat(600),
            'gaissa.label': 'A'.repeat(50)
          },
          0
        ),
        experiment: 'e',
        histories: {
          energyJ: [
            metric('gaissa.energy_J', 1, 5, 10),
            metric('gaissa.energy_J', 1, 7, 20),
            metric('gaissa.energy_J', 2, -1, 30),
            metric('gaissa.energy_J', 3, NaN, 40)
          ]
        }
      }
    ];
    const view = aggregateTeamView(reads, head);
    expect(view.measurements.map(m => [m.step, m.energyJ])).toEqual([[1, 7]]);
    expect(view.measurements[0].user).toBe('u\u001b[31m');
    expect(view.labels[0].rating).toHaveLength(20);
    expect(view.labels[0].notebook).toHaveLength(500);
    expect(validView(view)).toBe(true);
  });
});
