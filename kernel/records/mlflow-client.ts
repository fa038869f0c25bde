/**
 * A thin typed client over the part of MLflow's REST API 2.0 that logging needs. Our own, because
 * MLflow ships clients for Python, Java and R only: on npm, `mlflow-js` does not exist and
 * `mlflow` (2.0.7) is a third party's wrapper pulling in isomorphic-unfetch, while the endpoints
 * used here are five small JSON calls, stable since MLflow 1.x, that Node's global fetch does.
 * Credentials come from MLflow's own variables (MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME
 * and MLFLOW_TRACKING_PASSWORD), or the tracking URI's user and password.
 */
import { DeliveryRefused, refusesRetry } from './delivery-queue';
import { printable, readCappedText, readServerText } from './server-text';
import { serverUrl } from './server-url';

export interface MlflowMetric {
  key: string;
  value: number;
  /** Epoch ms. */
  timestamp: number;
  step: number;
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface MlflowRun {
  info: {
    run_id: string;
    experiment_id: string;
    status: string;
    run_name?: string;
    /** `mlflow-artifacts:/...` when the server proxies artifacts (its default since 2.0). */
    artifact_uri?: string;
  };
  data: { metrics?: MlflowMetric[]; params?: KeyValue[]; tags?: KeyValue[] };
}

/** An MLflow error answer: its HTTP status and `error_code` (RESOURCE_DOES_NOT_EXIST...). */
export class MlflowError extends Error {
  override name = 'MlflowError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message);
  }
}

/** Bytes an answer may take: a server (or a proxy) sending more is not read on. */
export const MLFLOW_ANSWER_BYTES = 16 * 1024 * 1024;

/** Metric values one history read takes (one page): a GAISSA run logs a step per measurement. */
export const METRIC_HISTORY_PAGE = 5000;

export class MlflowClient {
  readonly baseUrl: string;
  private readonly urlAuthorization: string | null;

  constructor(
    trackingUri: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly fetchImpl: typeof fetch = fetch
  ) {
    const { base, authorization } = serverUrl(trackingUri);
    this.baseUrl = base;
    this.urlAuthorization = authorization;
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const { MLFLOW_TRACKING_TOKEN: token, MLFLOW_TRACKING_USERNAME: user } = this.env;
    if (this.urlAuthorization) headers.authorization = this.urlAuthorization;
    if (token) headers.authorization = `Bearer ${token}`;
    else if (user) {
      const basic = Buffer.from(`${user}:${this.env.MLFLOW_TRACKING_PASSWORD ?? ''}`);
      headers.authorization = `Basic ${basic.toString('base64')}`;
    }
    return headers;
  }

  /** One call; an error answer throws MlflowError (a refusal also is a DeliveryRefused). */
  async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: Record<string, unknown>,
    signal?: AbortSignal
  ): Promise<T> {
    const url = new URL(`${this.baseUrl}/api/2.0/mlflow/${path}`);
    if (method === 'GET' && body) {
      for (const [k, v] of Object.entries(body)) url.searchParams.set(k, String(v));
    }
    const response = await this.fetchImpl(url, {
      method,
      headers: this.headers(),
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
      signal
    });
    if (!response.ok) {
      const text = await readServerText(response);
      let code = `HTTP_${response.status}`;
      let message = text;
      try {
        const error = JSON.parse(text) as { error_code?: string; message?: string };
        code = String(error.error_code ?? code);
        message = String(error.message ?? message);
      } catch {
        // not JSON (a proxy's error page, or cut short): its start is the message
      }
      code = printable(code).slice(0, 100);
      message = printable(message).slice(0, 300);
      const error = new MlflowError(response.status, code, `MLflow ${path}: ${code} ${message}`);
      if (refusesRetry(response.status) && code !== 'RESOURCE_DOES_NOT_EXIST')
        throw Object.assign(new DeliveryRefused(error.message), { mlflow: error });
      throw error;
    }
    let text: string;
    try {
      text = await readCappedText(response, MLFLOW_ANSWER_BYTES);
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new MlflowError(response.status, 'ANSWER_TOO_LARGE', `MLflow ${path}: ${String(e)}`);
    }
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** The experiment's id, or null when none has that name. */
  async experimentId(name: string, signal?: AbortSignal): Promise<string | null> {
    try {
      const { experiment } = await this.call<{ experiment: { experiment_id: string } }>(
        'GET',
        'experiments/get-by-name',
        { experiment_name: name },
        signal
      );
      return experiment.experiment_id;
    } catch (e) {
      if (e instanceof MlflowError && e.code === 'RESOURCE_DOES_NOT_EXIST') return null;
      throw e;
    }
  }

  /** The experiment's id, creating it when missing (another writer may create it meanwhile). */
  async ensureExperiment(name: string, signal?: AbortSignal): Promise<string> {
    const found = await this.experimentId(name, signal);
    if (found !== null) return found;
    try {
      const { experiment_id } = await this.call<{ experiment_id: string }>(
        'POST',
        'experiments/create',
        { name },
        signal
      );
      return experiment_id;
    } catch (e) {
      const code = (e as { mlflow?: MlflowError }).mlflow?.code;
      if (code !== 'RESOURCE_ALREADY_EXISTS') throw e;
      const raced = await this.experimentId(name, signal);
      if (raced === null) throw e;
      return raced;
    }
  }

  async createRun(
    run: { experimentId: string; runName: string; startTime: number; tags: KeyValue[] },
    signal?: AbortSignal
  ): Promise<MlflowRun['info']> {
    const { run: created } = await this.call<{ run: MlflowRun }>(
      'POST',
      'runs/create',
      {
        experiment_id: run.experimentId,
        run_name: run.runName,
        start_time: run.startTime,
        tags: run.tags
      },
      signal
    );
    return created.info;
  }

  /**
   * Uploads one file into a run's artifacts through the server's artifact proxy
   * (`mlflow-artifacts` API). A run whose artifacts go straight to a store the server does not
   * proxy (s3://, a local path) cannot take it from here: that is a refusal.
   */
  async uploadArtifact(
    artifactUri: string | undefined,
    name: string,
    body: string,
    contentType: string,
    signal?: AbortSignal
  ): Promise<void> {
    const prefix = 'mlflow-artifacts:';
    if (!artifactUri?.startsWith(prefix)) {
      throw new DeliveryRefused(
        `MLflow does not proxy this run's artifacts (artifact URI ${artifactUri ?? 'unknown'}); start it with --serve-artifacts`
      );
    }
    const path = artifactUri
      .slice(prefix.length)
      .replace(/^\/\/[^/]*/, '')
      .split('/')
      .filter(Boolean)
      .concat(name)
      .map(encodeURIComponent)
      .join('/');
    const response = await this.fetchImpl(
      `${this.baseUrl}/api/2.0/mlflow-artifacts/artifacts/${path}`,
      {
        method: 'PUT',
        headers: { ...this.headers(), 'content-type': contentType },
        body,
        signal
      }
    );
    if (!response.ok) {
      const text = printable(await readServerText(response)).slice(0, 300);
      const message = `MLflow artifact ${name}: HTTP ${response.status} ${text}`;
      throw refusesRetry(response.status) ? new DeliveryRefused(message) : new Error(message);
    }
  }

  async listArtifacts(runId: string, signal?: AbortSignal): Promise<string[]> {
    const { files } = await this.call<{ files?: Array<{ path: string }> }>(
      'GET',
      'artifacts/list',
      { run_id: runId },
      signal
    );
    return (files ?? []).map(f => f.path);
  }

  async logBatch(
    runId: string,
    batch: { metrics?: MlflowMetric[]; params?: KeyValue[]; tags?: KeyValue[] },
    signal?: AbortSignal
  ): Promise<void> {
    await this.call('POST', 'runs/log-batch', { run_id: runId, ...batch }, signal);
  }

  // Model registry: a label on a registered model version.

  /** One tag on a registered model version; a version that does not exist is a refusal. */
  async setModelVersionTag(
    model: { name: string; version: string },
    tag: KeyValue,
    signal?: AbortSignal
  ): Promise<void> {
    try {
      await this.call('POST', 'model-versions/set-tag', { ...model, ...tag }, signal);
    } catch (e) {
      if (!(e instanceof MlflowError && e.code === 'RESOURCE_DOES_NOT_EXIST')) throw e;
      throw new DeliveryRefused(
        `MLflow has no registered model version ${printable(`models:/${model.name}/${model.version}`)}`
      );
    }
  }

  async updateRun(
    runId: string,
    status: 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED',
    endTime: number,
    signal?: AbortSignal
  ): Promise<void> {
    await this.call('POST', 'runs/update', { run_id: runId, status, end_time: endTime }, signal);
  }

  async searchRuns(
    experimentIds: string[],
    filter: string,
    signal?: AbortSignal
  ): Promise<MlflowRun[]> {
    const { runs } = await this.call<{ runs?: MlflowRun[] }>(
      'POST',
      'runs/search',
      { experiment_ids: experimentIds, filter, max_results: 10 },
      signal
    );
    return runs ?? [];
  }

  async getRun(runId: string, signal?: AbortSignal): Promise<MlflowRun> {
    return (await this.call<{ run: MlflowRun }>('GET', 'runs/get', { run_id: runId }, signal)).run;
  }

  /** A metric's first page of values; `more` when the server holds further pages. */
  async metricHistory(
    runId: string,
    key: string,
    signal?: AbortSignal
  ): Promise<{ metrics: MlflowMetric[]; more: boolean }> {
    const { metrics, next_page_token } = await this.call<{
      metrics?: MlflowMetric[];
      next_page_token?: string;
    }>(
      'GET',
      'metrics/get-history',
      { run_id: runId, metric_key: key, max_results: METRIC_HISTORY_PAGE },
      signal
    );
    return { metrics: Array.isArray(metrics) ? metrics : [], more: Boolean(next_page_token) };
  }

  // Reads for the team view (kernel/records/team-view.ts).

  /** Active experiments, at most `maxResults` (MLflow caps a page at 1000 here). */
  async searchExperiments(
    maxResults: number,
    signal?: AbortSignal
  ): Promise<{ experiments: MlflowExperiment[]; more: boolean }> {
    const { experiments, next_page_token } = await this.call<{
      experiments?: MlflowExperiment[];
      next_page_token?: string;
    }>('POST', 'experiments/search', { max_results: maxResults, view_type: 'ACTIVE_ONLY' }, signal);
    return {
      experiments: Array.isArray(experiments) ? experiments : [],
      more: Boolean(next_page_token)
    };
  }

  /** One page of runs, newest first; `more` when the server has further pages. */
  async searchRecentRuns(
    experimentIds: string[],
    filter: string,
    maxResults: number,
    signal?: AbortSignal
  ): Promise<{ runs: MlflowRun[]; more: boolean }> {
    const { runs, next_page_token } = await this.call<{
      runs?: MlflowRun[];
      next_page_token?: string;
    }>(
      'POST',
      'runs/search',
      {
        experiment_ids: experimentIds,
        filter,
        max_results: maxResults,
        order_by: ['attributes.start_time DESC']
      },
      signal
    );
    return { runs: Array.isArray(runs) ? runs : [], more: Boolean(next_page_token) };
  }
}

export interface MlflowExperiment {
  experiment_id: string;
  name: string;
}
