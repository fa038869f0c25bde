/**
 * Measurements into MLflow: one run per kernel session (or CLI invocation) in an experiment named
 * after the notebook (or GAISSA_MLFLOW_EXPERIMENT); each measurement logs gaissa.energy_J,
 * gaissa.co2e_g, gaissa.duration_s and gaissa.power_W at step = its number, and the record's id
 * as the tag gaissa.record.<step>, so MLflow and the local JSONL can be matched line by line.
 * The run and its experiment are made at the first delivery, so a server that is down at start
 * costs nothing until it answers. Labels issued in the session go to the run too: LABEL.json and
 * its SVG as artifacts (through the server's artifact proxy), the rating as the tag gaissa.label,
 * and, when one is named, onto a registered model version as tags (mlflow-model-version.ts).
 * Tactics and training comparisons log per-variant metrics and their table (mlflow-comparison.ts).
 */
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { LabelRecord } from '../../core/label/record';
import type { MeasurementRecord } from '../../core/measurement';
import { packageVersion } from '../versions';
import type { Attribution } from './attribution';
import { DeliveryQueue, type DeliveryStatus } from './delivery-queue';
import { MlflowClient, type KeyValue, type MlflowMetric, type MlflowRun } from './mlflow-client';
import {
  comparisonCsv,
  comparisonMetrics,
  comparisonTags,
  type ComparisonTable
} from './mlflow-comparison';
import { modelVersionTags, modelVersionUri, type ModelVersionRef } from './mlflow-model-version';
import type { NumberedRecord, TeamSink, TeamSinkOptions } from './team-sink';

/** MLflow 1.x took params up to 500 characters; tags are kept under the same bound. */
const MAX_VALUE = 500;

const clip = (value: string): string => value.slice(0, MAX_VALUE);

export const METRIC_KEYS = {
  energyJ: 'gaissa.energy_J',
  co2eG: 'gaissa.co2e_g',
  durationS: 'gaissa.duration_s',
  powerW: 'gaissa.power_W'
} as const;

export function mlflowMetrics({ record, n }: NumberedRecord): MlflowMetric[] {
  const timestamp = Date.parse(record.endedAt);
  return Object.entries(METRIC_KEYS)
    .map(([field, key]) => ({
      key,
      value: record[field as keyof typeof METRIC_KEYS],
      timestamp,
      step: n
    }))
    .filter(m => Number.isFinite(m.value));
}

/** Who ran it and where: set when the run is made. */
export function runTags(who: Attribution): KeyValue[] {
  const tags: Array<[string, string | null]> = [
    ['mlflow.user', who.user],
    ['mlflow.source.name', who.notebook ?? 'gaissa measure'],
    ['mlflow.source.type', who.notebook ? 'NOTEBOOK' : 'LOCAL'],
    ['gaissa.user', who.user],
    ['gaissa.notebook', who.notebook],
    ['gaissa.server', who.server],
    ['gaissa.kernel_id', who.kernelId],
    ['gaissa.instance', who.instance]
  ];
  return tags.filter(([, v]) => v !== null).map(([key, v]) => ({ key, value: clip(v!) }));
}

/** The machine and tool the run measured with: its params (MLflow params never change). */
export function setupParams(record: MeasurementRecord): KeyValue[] {
  const { host, constants } = record;
  const params: Array<[string, string | number | null | undefined]> = [
    ['gaissa.version', packageVersion],
    ['host.os', host.os],
    ['host.cpu', host.cpuModel],
    ['host.logical_cpus', host.logicalCpus],
    ['host.ram_gb', host.ramTotalGB],
    ['host.gpu', host.gpuModel],
    ['host.cloud', host.cloudProvider],
    ['meter.sampling_interval_ms', constants.samplingIntervalMs]
  ];
  return params
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([key, v]) => ({ key, value: clip(String(v)) }));
}

/** Per batch: the latest method and region, and each record's id at its step. */
export function batchTags(items: readonly NumberedRecord[]): KeyValue[] {
  const last = items[items.length - 1].record;
  return [
    { key: 'gaissa.method', value: last.method },
    { key: 'gaissa.region', value: clip(last.region) },
    ...items.map(({ record, n }) => ({ key: `gaissa.record.${n}`, value: clip(record.id) }))
  ];
}

export interface MlflowSinkOptions extends TeamSinkOptions {
  trackingUri: string;
  /** Default: the notebook's path, or `gaissa` outside a notebook. */
  experiment?: string;
  /** Send MLflow's credentials from the environment (default true; the URI's own always go). */
  envCredentials?: boolean;
}

/** A label issued in the session: LABEL.json and its drawing go to the run's artifacts. */
export interface IssuedLabel {
  label: LabelRecord;
  svg: string;
  /** The registered model version the label is also set on. */
  mlflowModel?: ModelVersionRef;
}

type Item =
  | ({ kind: 'record' } & NumberedRecord)
  | ({ kind: 'label'; n: number } & IssuedLabel)
  | { kind: 'model-version'; n: number; label: LabelRecord; model: ModelVersionRef }
  | { kind: 'comparison'; n: number; table: ComparisonTable };

/** LABEL.json, LABEL-2.json...: one file per label issued in the session (COMPARISON alike). */
const labelName = (n: number, ext: string, stem = 'LABEL') =>
  `gaissa/${stem}${n === 1 ? '' : `-${n}`}.${ext}`;

/** log-batch takes 1000 metrics at most (and 1000 entities in all). */
const METRICS_PER_BATCH = 900;

const idOf = (item: Item): string => {
  switch (item.kind) {
    case 'record':
      return item.record.id;
    case 'label':
      return `label ${item.n} (${item.label.rating})`;
    case 'model-version':
      return `label ${item.n} (${item.label.rating}) on ${modelVersionUri(item.model)}`;
    case 'comparison':
      return `${item.table.noun} ${item.n}`;
  }
};

export class MlflowSink implements TeamSink {
  readonly name: string;
  readonly client: MlflowClient;
  private readonly queue: DeliveryQueue<Item>;
  private readonly startTime = Date.now();
  private runInfo: MlflowRun['info'] | null = null;
  private paramsLogged = false;
  private paramsTried = false;
  private createTried = false;
  /** Tags the run, so that a retry finds the run an abandoned attempt made. */
  private readonly sessionKey = randomUUID();
  private labels = 0;
  /** Comparisons pushed, by kind (their prefix): each kind numbers its own. */
  private readonly comparisons = new Map<string, number>();

  constructor(private readonly options: MlflowSinkOptions) {
    this.client = new MlflowClient(
      options.trackingUri,
      options.envCredentials === false ? {} : options.env,
      options.fetch
    );
    this.name = `MLflow at ${this.client.baseUrl}`;
    this.queue = new DeliveryQueue<Item>({
      name: this.name,
      deliver: (items, signal) => this.deliver(items, signal),
      idOf,
      kindOf: item =>
        item.kind === 'record'
          ? 'measurement'
          : item.kind === 'comparison'
            ? 'comparison'
            : 'label',
      // Records go together; anything else alone: its upload failing (or a model version that
      // does not exist) must not refuse or re-log the items beside it.
      batchKey: item => (item.kind === 'record' ? 'records' : idOf(item)),
      bounds: { batchSize: 50, ...options.bounds }, // 50 x 1 id tag stays under log-batch's 100 tags
      clock: options.clock,
      warn: options.warn,
      onDelivered: (item, ms) => {
        if (item.kind === 'record') options.onDelivered?.(item, ms, this.name);
      }
    });
  }

  get experiment(): string {
    return this.options.experiment || this.options.attribution.notebook || 'gaissa';
  }

  /** The run's id once made (null before the first delivery). */
  get run(): string | null {
    return this.runInfo?.run_id ?? null;
  }

  push(item: NumberedRecord): void {
    this.queue.push({ kind: 'record', ...item });
  }

  /** LABEL.json and the SVG as artifacts, the rating as the tag gaissa.label. */
  pushLabel(issued: IssuedLabel): void {
    const n = ++this.labels;
    this.queue.push({ kind: 'label', n, ...issued });
    if (issued.mlflowModel)
      this.queue.push({ kind: 'model-version', n, label: issued.label, model: issued.mlflowModel });
  }

  /** Per-variant metrics at step = the comparison's number, and the table as artifacts. */
  pushComparison(table: ComparisonTable): void {
    const n = (this.comparisons.get(table.prefix) ?? 0) + 1;
    this.comparisons.set(table.prefix, n);
    this.queue.push({ kind: 'comparison', n, table });
  }

  status(): DeliveryStatus {
    return this.queue.status();
  }

  flush(timeoutMs: number): Promise<DeliveryStatus> {
    return this.queue.flush(timeoutMs);
  }

  /** Delivers what it can within timeoutMs, then marks the run finished (best effort). */
  async close(timeoutMs: number): Promise<DeliveryStatus> {
    const status = await this.queue.close(timeoutMs);
    if (this.runInfo !== null) {
      await this.client
        .updateRun(this.runInfo.run_id, 'FINISHED', Date.now(), AbortSignal.timeout(1000))
        .catch(() => undefined);
    }
    return status;
  }

  /**
   * The session's run, made once. An attempt cut off by the timeout may have made it on the
   * server all the same: a retry first looks for the run by this session's key.
   */
  private async ensureRun(signal: AbortSignal): Promise<MlflowRun['info']> {
    if (this.runInfo !== null) return this.runInfo;
    const who = this.options.attribution;
    const experimentId = await this.client.ensureExperiment(this.experiment, signal);
    if (this.createTried) {
      const filter = `tags.\`gaissa.session\` = '${this.sessionKey}'`;
      const [made] = await this.client.searchRuns([experimentId], filter, signal);
      if (made) return (this.runInfo = made.info);
    }
    this.createTried = true;
    const name = `${who.notebook ? basename(who.notebook) : 'gaissa measure'} · ${who.user}`;
    const tags = [...runTags(who), { key: 'gaissa.session', value: this.sessionKey }];
    this.runInfo = await this.client.createRun(
      { experimentId, runName: clip(name), startTime: this.startTime, tags },
      signal
    );
    return this.runInfo;
  }

  /**
   * The setup params not yet in the run. MLflow refuses a param logged twice, and an attempt cut
   * off by the timeout may have logged them: a retry asks the run which it has.
   */
  private async paramsToLog(
    run: MlflowRun['info'],
    record: MeasurementRecord,
    signal: AbortSignal
  ): Promise<KeyValue[]> {
    if (this.paramsLogged) return [];
    const params = setupParams(record);
    if (!this.paramsTried) {
      this.paramsTried = true;
      return params;
    }
    const have = (await this.client.getRun(run.run_id, signal)).data.params ?? [];
    return params.filter(p => !have.some(h => h.key === p.key));
  }

  /** A batch is records, in one log-batch, or one label (two uploads and a tag). */
  private async deliver(items: Item[], signal: AbortSignal): Promise<void> {
    const run = await this.ensureRun(signal);
    const records = items.filter(i => i.kind === 'record');
    if (records.length > 0) {
      await this.client.logBatch(
        run.run_id,
        {
          metrics: records.flatMap(mlflowMetrics),
          params: await this.paramsToLog(run, records[0].record, signal),
          tags: batchTags(records)
        },
        signal
      );
      this.paramsLogged = true;
    }
    for (const item of items) {
      if (item.kind === 'comparison') await this.deliverComparison(run, item.n, item.table, signal);
      if (item.kind === 'model-version') {
        // The rating last: a version tagged gaissa.label has all its label's tags.
        const tags = modelVersionTags(item.label, run.run_id).reverse();
        for (const tag of tags) await this.client.setModelVersionTag(item.model, tag, signal);
      }
      if (item.kind !== 'label') continue;
      const json = JSON.stringify(item.label, null, 2) + '\n';
      await this.client.uploadArtifact(
        run.artifact_uri,
        labelName(item.n, 'json'),
        json,
        'application/json',
        signal
      );
      await this.client.uploadArtifact(
        run.artifact_uri,
        labelName(item.n, 'svg'),
        item.svg,
        'image/svg+xml',
        signal
      );
      await this.client.logBatch(
        run.run_id,
        { tags: [{ key: 'gaissa.label', value: item.label.rating }] },
        signal
      );
    }
  }

  /**
   * The metrics first, so a server that keeps no artifacts still gets them (a retry logs them
   * again with the same timestamp, which MLflow keeps once), then the table as artifacts.
   */
  private async deliverComparison(
    run: MlflowRun['info'],
    n: number,
    table: ComparisonTable,
    signal: AbortSignal
  ): Promise<void> {
    const metrics = comparisonMetrics(table, n);
    const tags = comparisonTags(table, n);
    for (let i = 0; i === 0 || i < metrics.length; i += METRICS_PER_BATCH) {
      const batch = { metrics: metrics.slice(i, i + METRICS_PER_BATCH), tags: i === 0 ? tags : [] };
      await this.client.logBatch(run.run_id, batch, signal);
    }
    const upload = (ext: string, body: string, type: string) =>
      this.client.uploadArtifact(
        run.artifact_uri,
        labelName(n, ext, table.stem),
        body,
        type,
        signal
      );
    await upload('json', JSON.stringify(table.json, null, 2) + '\n', 'application/json');
    await upload('csv', comparisonCsv(table), 'text/csv');
  }
}
