/**
 * The team view (contract: schema/team-view-comm.schema.json): what the team's kernels logged to
 * MLflow, read back with this kernel's tracking URI and credentials, which stay here; the browser
 * gets the aggregate only. Every GAISSA run (tag gaissa.user) of the experiment, or of every
 * active experiment, newest first and bounded; each measurement is a step of the run's gaissa.*
 * metrics, attributed by the run's tags; a run's label is its tag gaissa.label.
 */
import { reasonText } from './delivery-queue';
import { METRIC_KEYS } from './mlflow-sink';
import { MlflowClient, type KeyValue, type MlflowMetric, type MlflowRun } from './mlflow-client';
import { withoutCredentials } from './server-url';
import type { TeamLabel, TeamMeasurement, TeamTotal, TeamView } from '../../core/team-view';

export type { TeamView };

export const TEAM_VIEW_LIMITS = {
  /** GAISSA runs read, newest first: one runs/search page. */
  runs: 100,
  measurements: 200,
  labels: 200,
  /** Metric histories asked for at once (three per run). */
  concurrency: 6,
  /** For the whole read. */
  timeoutMs: 30_000
};

export interface TeamViewOptions {
  trackingUri?: string;
  /** Read this experiment only (GAISSA_MLFLOW_EXPERIMENT); default: every active one. */
  experiment?: string;
  /** MLflow's credentials in the environment go to this URI (see SettingsStore.teamTargets). */
  envCredentials?: boolean;
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  now?: () => number;
  limits?: Partial<typeof TEAM_VIEW_LIMITS>;
}

/** A run as runs/search returns it, with the times the logging client does not read. */
type SearchedRun = MlflowRun & { info: { start_time?: number; end_time?: number | null } };

/** A run read: its tags and the history of each gaissa.* metric. */
export interface RunRead {
  run: SearchedRun;
  experiment: string;
  histories: Partial<Record<'energyJ' | 'co2eG' | 'durationS', MlflowMetric[]>>;
}

/**
 * Tag values come from anyone's runs: bounded here, and shown as DOM text only, where a control
 * character does nothing (they are kept, so a name matches its notebook's).
 */
const text = (value: unknown): string => String(value).slice(0, 500);

const errorText = (e: unknown): string => reasonText(e).slice(0, 1000);

/** Any answer's tags: a value that is no string (a number) is taken as its text. */
function tagsOf(run: MlflowRun): Map<string, string> {
  const tags: unknown = run.data?.tags;
  return new Map(
    (Array.isArray(tags) ? (tags as KeyValue[]) : [])
      .filter(t => t !== null && typeof t === 'object' && t.value !== undefined)
      .map(t => [String(t.key), String(t.value)])
  );
}

/** The latest value at each step (a retried log-batch may have logged a step twice). */
function byStep(history: readonly MlflowMetric[] | undefined): Map<number, MlflowMetric> {
  const steps = new Map<number, MlflowMetric>();
  // An odd answer (`metrics: {}`) has no steps.
  for (const m of Array.isArray(history) ? history : []) {
    if (m === null || typeof m !== 'object') continue;
    const seen = steps.get(m.step);
    if (!seen || m.timestamp >= seen.timestamp) steps.set(m.step, m);
  }
  return steps;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;

function addTo(totals: Map<string | null, TeamTotal>, key: string | null, m: TeamMeasurement) {
  const total = totals.get(key) ?? { key, measurements: 0, energyJ: 0, co2eG: 0 };
  total.measurements += 1;
  total.energyJ += m.energyJ;
  total.co2eG += m.co2eG ?? 0;
  totals.set(key, total);
}

const byEnergy = (totals: Map<string | null, TeamTotal>): TeamTotal[] =>
  [...totals.values()].sort((a, b) => b.energyJ - a.energyJ);

/**
 * The view of the runs read: every measurement counts in the totals; the newest are listed.
 * Pure, so that the shapes MLflow answers with can be checked without a server.
 */
export function aggregateTeamView(
  reads: readonly RunRead[],
  head: Pick<TeamView, 'trackingUri' | 'experiment' | 'fetchedAt' | 'truncated' | 'errors'>,
  limits: Pick<typeof TEAM_VIEW_LIMITS, 'measurements' | 'labels'> = TEAM_VIEW_LIMITS
): TeamView {
  const measurements: TeamMeasurement[] = [];
  const labels: TeamLabel[] = [];
  for (const { run, experiment, histories } of reads) {
    const tags = tagsOf(run);
    const user = text(tags.get('gaissa.user') ?? '');
    const notebookTag = tags.get('gaissa.notebook');
    const notebook = notebookTag === undefined ? null : text(notebookTag);
    const who = { runId: text(run.info.run_id), experiment: text(experiment), user, notebook };
    const co2e = byStep(histories.co2eG);
    const duration = byStep(histories.durationS);
    for (const [step, energy] of byStep(histories.energyJ)) {
      if (!finite(energy.value) || !Number.isInteger(step) || step < 0) continue;
      const record = tags.get(`gaissa.record.${step}`);
      const co2eG = co2e.get(step)?.value;
      const durationS = duration.get(step)?.value;
      measurements.push({
        ...who,
        step,
        recordId: record === undefined ? null : text(record),
        endedAt: finite(energy.timestamp) ? energy.timestamp : 0,
        energyJ: energy.value,
        co2eG: finite(co2eG) ? co2eG : null,
        durationS: finite(durationS) ? durationS : null
      });
    }
    const rating = tags.get('gaissa.label');
    if (rating !== undefined) {
      const time = run.info.end_time ?? run.info.start_time;
      labels.push({ ...who, rating: text(rating).slice(0, 20), time: finite(time) ? time : null });
    }
  }
  const perUser = new Map<string | null, TeamTotal>();
  const perNotebook = new Map<string | null, TeamTotal>();
  for (const m of measurements) {
    addTo(perUser, m.user, m);
    addTo(perNotebook, m.notebook, m);
  }
  measurements.sort((a, b) => b.endedAt - a.endedAt);
  labels.sort((a, b) => (b.time ?? 0) - (a.time ?? 0));
  return {
    type: 'team-view',
    status: 'ok',
    source: 'mlflow',
    ...head,
    runs: reads.length,
    measurements: measurements.slice(0, limits.measurements),
    labels: labels.slice(0, limits.labels),
    totals: {
      perUser: byEnergy(perUser).slice(0, 1000),
      perNotebook: byEnergy(perNotebook).slice(0, 1000)
    }
  };
}

/** Runs each task, at most `limit` at once; a task's failure is its result. */
async function bounded<T>(
  tasks: Array<() => Promise<T>>,
  limit: number
): Promise<Array<T | Error>> {
  const results: Array<T | Error> = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]().catch((e: unknown) =>
        e instanceof Error ? e : new Error(String(e))
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

const HISTORY_KEYS = ['energyJ', 'co2eG', 'durationS'] as const;

/** The team view from MLflow; never throws: a failure is the view's status and errors. */
export async function readTeamView(options: TeamViewOptions): Promise<TeamView> {
  const limits = { ...TEAM_VIEW_LIMITS, ...options.limits };
  const now = options.now ?? Date.now;
  const experiment = options.experiment || null;
  const head = {
    trackingUri: options.trackingUri ? withoutCredentials(options.trackingUri) : null,
    experiment: experiment === null ? null : text(experiment),
    fetchedAt: now(),
    truncated: false,
    errors: [] as string[]
  };
  if (!options.trackingUri) {
    return { ...aggregateTeamView([], head), status: 'unconfigured', source: null };
  }
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let runs: SearchedRun[];
  const names = new Map<string, string>();
  let client: MlflowClient;
  try {
    client = new MlflowClient(
      options.trackingUri,
      options.envCredentials ? (options.env ?? process.env) : {},
      options.fetch
    );
    if (experiment !== null) {
      const id = await client.experimentId(experiment, signal);
      if (id !== null) names.set(id, experiment);
      else head.errors.push(`MLflow has no experiment named ${JSON.stringify(head.experiment)}`);
    } else {
      const listed = await client.searchExperiments(1000, signal);
      for (const e of listed.experiments) names.set(e.experiment_id, e.name);
      head.truncated = listed.more;
    }
    const found =
      names.size === 0
        ? { runs: [], more: false }
        : await client.searchRecentRuns(
            [...names.keys()],
            "tags.`gaissa.user` LIKE '%'",
            limits.runs,
            signal
          );
    runs = found.runs;
    head.truncated ||= found.more;
  } catch (e) {
    return {
      ...aggregateTeamView([], { ...head, errors: [errorText(e)] }),
      status: 'unreachable'
    };
  }
  const tasks = runs.flatMap(run =>
    HISTORY_KEYS.map(key => () => client.metricHistory(run.info.run_id, METRIC_KEYS[key], signal))
  );
  const histories = await bounded(tasks, limits.concurrency);
  const reads = runs.map((run, r): RunRead => {
    const read: RunRead = {
      run,
      experiment: names.get(run.info.experiment_id) ?? run.info.experiment_id,
      histories: {}
    };
    HISTORY_KEYS.forEach((key, k) => {
      const history = histories[r * HISTORY_KEYS.length + k];
      if (!(history instanceof Error)) {
        read.histories[key] = history.metrics;
        head.truncated ||= history.more;
      } else if (head.errors.length < 20)
        head.errors.push(`run ${text(run.info.run_id)}: ${errorText(history)}`);
    });
    return read;
  });
  return aggregateTeamView(reads, head, limits);
}
