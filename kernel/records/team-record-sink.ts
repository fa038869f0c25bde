/**
 * The RecordSink of a kernel or CLI run: the local emissions files first, always, then the team
 * servers the settings name (MLflow, a Pushgateway), each fed through its own bounded background
 * queue. The local result is returned as soon as the files are written: no cell waits on a team
 * server. When a setting changes, the old sink keeps delivering what it holds and is closed with
 * the others.
 *
 * A sink's report of an outage arrives in the background, usually after the cell that measured
 * has finished, when a frontend no longer shows that cell's output. So it is held and said on the
 * warning stream by the next write (in the next measured cell), `%gaissa sinks` or the close.
 * A write's own trouble with the team servers is said at its end, and never fails it.
 */
import type { LabelRecord } from '../../core/label/record';
import type { MeasurementRecord } from '../../core/measurement';
import type { TacticsPayload } from '../../core/tactics';
import type { TrainingFigures, TrainingTacticsPayload } from '../training/compare-training';
import { reasonText, type DeliveryStatus } from './delivery-queue';
import { tacticsTable, trainingTable, type ComparisonTable } from './mlflow-comparison';
import type { ModelVersionRef } from './mlflow-model-version';
import { MlflowSink } from './mlflow-sink';
import { PushgatewaySink } from './pushgateway-sink';
import type { RecordSink, SinkResult } from './record-sink';
import type { TeamSink, TeamSinkOptions } from './team-sink';

export interface TeamTargets {
  mlflowTrackingUri?: string;
  mlflowExperiment?: string;
  pushgatewayUrl?: string;
  /**
   * MLflow's credentials in the environment may go to this tracking URI: true only when the user
   * chose it (environment, their settings), not a file in the notebook's folder.
   */
  mlflowEnvCredentials?: boolean;
}

export class TeamRecordSink implements RecordSink {
  private count = 0;
  private readonly active = new Map<string, TeamSink>();
  private readonly retired: TeamSink[] = [];
  private readonly held: string[] = [];
  /** The team part's failures already said (each is said once). */
  private readonly failures = new Set<string>();
  private readonly options: TeamSinkOptions;
  private readonly warn: (text: string) => void;

  constructor(
    readonly local: RecordSink,
    private readonly targets: () => TeamTargets,
    options: TeamSinkOptions
  ) {
    this.warn = options.warn ?? (text => process.stderr.write(text));
    this.options = { ...options, warn: text => this.held.push(text) };
  }

  /** The outage reports not yet said, once each. */
  takeNotices(): string[] {
    return this.held.splice(0);
  }

  write(record: MeasurementRecord): SinkResult {
    const result = this.local.write(record);
    const item = { record, n: ++this.count };
    this.guarded(`measurement ${record.id}`, () => {
      for (const sink of this.current()) sink.push(item);
    });
    for (const notice of this.takeNotices()) this.warn(notice);
    return result;
  }

  /**
   * A label issued in the session, to the team sinks that keep labels; the drawing is made only
   * then. `mlflowModel`: the registered model version that also gets it.
   */
  writeLabel(label: LabelRecord, svg: () => string, mlflowModel?: ModelVersionRef): void {
    this.guarded(`label ${label.rating}`, () => {
      const sinks = this.current().filter(s => s.pushLabel);
      if (sinks.length === 0) return;
      const issued = { label, svg: svg(), ...(mlflowModel ? { mlflowModel } : {}) };
      for (const sink of sinks) sink.pushLabel!(issued);
    });
    for (const notice of this.takeNotices()) this.warn(notice);
  }

  /** A tactics comparison made in the session, to the team sinks that keep comparisons. */
  writeComparison(payload: TacticsPayload): void {
    this.writeTable('the comparison', () => tacticsTable(payload));
  }

  /** A training comparison (`gaissa.train.compare`): its payload and each variant's training. */
  writeTrainingComparison(
    payload: TrainingTacticsPayload,
    training: Readonly<Record<string, TrainingFigures>>
  ): void {
    this.writeTable('the training comparison', () => trainingTable(payload, training));
  }

  /** The table is made only for sinks that keep comparisons, and never fails the caller. */
  private writeTable(what: string, table: () => ComparisonTable): void {
    this.guarded(what, () => {
      const sinks = this.current().filter(s => s.pushComparison);
      if (sinks.length === 0) return;
      const made = table();
      for (const sink of sinks) sink.pushComparison!(made);
    });
    for (const notice of this.takeNotices()) this.warn(notice);
  }

  /** Whether an MLflow tracking server is set (a label for a registered model needs one). */
  hasMlflow(): boolean {
    return Boolean(this.targets().mlflowTrackingUri);
  }

  /**
   * The team part of a write: whatever goes wrong there (a setting no sink can use...) must not
   * fail the cell or the local record, so it becomes a notice, held and said once per reason.
   */
  private guarded(what: string, deliver: () => void): void {
    try {
      deliver();
    } catch (e) {
      const reason = reasonText(e);
      if (this.failures.has(reason)) return;
      this.failures.add(reason);
      this.held.push(
        `warning: ${what} not sent to the team servers (${reason}); ` +
          `it is in the local gaissa-emissions files.\n`
      );
    }
  }

  /** The team sinks the settings name now (made on first use). */
  current(): TeamSink[] {
    const { mlflowTrackingUri, mlflowExperiment, pushgatewayUrl, mlflowEnvCredentials } =
      this.targets();
    const wanted = new Map<string, () => TeamSink>();
    if (mlflowTrackingUri) {
      const envCredentials = mlflowEnvCredentials === true;
      wanted.set(
        `mlflow ${mlflowTrackingUri} ${mlflowExperiment ?? ''} ${envCredentials}`,
        () =>
          new MlflowSink({
            ...this.options,
            trackingUri: mlflowTrackingUri,
            experiment: mlflowExperiment,
            envCredentials
          })
      );
    }
    if (pushgatewayUrl) {
      wanted.set(
        `pushgateway ${pushgatewayUrl}`,
        () => new PushgatewaySink({ ...this.options, url: pushgatewayUrl })
      );
    }
    for (const [key, sink] of this.active) {
      if (!wanted.has(key)) {
        this.active.delete(key);
        this.retired.push(sink);
      }
    }
    for (const [key, make] of wanted) if (!this.active.has(key)) this.active.set(key, make());
    return [...this.active.values()];
  }

  private all(): TeamSink[] {
    return [...this.retired, ...this.active.values()];
  }

  status(): DeliveryStatus[] {
    return this.all().map(s => s.status());
  }

  flush(timeoutMs: number): Promise<DeliveryStatus[]> {
    return Promise.all(this.all().map(s => s.flush(timeoutMs)));
  }

  /** Last bounded delivery for every team sink; what is left is listed as not delivered. */
  async close(timeoutMs: number): Promise<DeliveryStatus[]> {
    const statuses = await Promise.all(this.all().map(s => s.close(timeoutMs)));
    for (const notice of this.takeNotices()) this.warn(notice);
    return statuses;
  }
}

/** `%gaissa sinks`: each team server, what it received, what waits and what was given up. */
export function sinksText(statuses: readonly DeliveryStatus[]): string {
  if (statuses.length === 0) {
    return (
      'No team server: measurements go to gaissa-emissions.csv/.jsonl only.\n' +
      'Set MLFLOW_TRACKING_URI or GAISSA_PUSHGATEWAY_URL (or %gaissa config set mlflowTrackingUri URL).\n'
    );
  }
  const lines = ['Team servers (the local gaissa-emissions files hold every record):'];
  for (const s of statuses) {
    const not = notDelivered(s);
    const count = countOf(s);
    lines.push(
      `  ${s.name}: ${s.delivered} delivered, ${s.pending} waiting, ${count} ${not}` +
        (s.down ? ` (failing: ${s.down})` : '')
    );
    if (count > s.undelivered.length) lines.push(`    the latest ${s.undelivered.length}:`);
    for (const u of s.undelivered) lines.push(`    ${not}: ${u.id}: ${u.reason}`);
  }
  return lines.join('\n') + '\n';
}

const countOf = ({ notDelivered: n }: DeliveryStatus) => n.measurements + n.labels + n.comparisons;

/** A Pushgateway's next push carries what it gave up: that is only not pushed yet. */
const notDelivered = (s: DeliveryStatus) => (s.cumulative ? 'not yet pushed' : 'not delivered');

/** What a run leaves undelivered, said at its end; null when everything arrived. */
export function undeliveredText(statuses: readonly DeliveryStatus[]): string | null {
  const missing = statuses.filter(s => countOf(s) > 0);
  if (missing.length === 0) return null;
  return (
    missing
      .map(s => {
        const { measurements, labels, comparisons } = s.notDelivered;
        const what = [
          measurements > 0 ? `${measurements} measurement(s)` : '',
          labels > 0 ? `${labels} label(s)` : '',
          comparisons > 0 ? `${comparisons} comparison(s)` : ''
        ]
          .filter(Boolean)
          .join(' and ');
        return (
          `gaissa: ${what} ${notDelivered(s)} to ${s.name}` +
          (measurements > 0 ? ' (the measurements are in the local gaissa-emissions files)' : '') +
          (countOf(s) > s.undelivered.length ? `; the latest ${s.undelivered.length}: ` : ': ') +
          s.undelivered.map(u => `${u.id} (${u.reason})`).join(', ')
        );
      })
      .join('\n') + '\n'
  );
}
