/**
 * What a team server sink offers behind the RecordSink: a record is pushed and delivered in the
 * background (delivery-queue.ts); its status says what is delivered, waiting and given up.
 */
import type { LabelRecord } from '../../core/label/record';
import type { MeasurementRecord } from '../../core/measurement';
import type { Attribution } from './attribution';
import type { Clock, DeliveryBounds, DeliveryStatus } from './delivery-queue';
import type { ComparisonTable } from './mlflow-comparison';
import type { ModelVersionRef } from './mlflow-model-version';

/** A record and its number in this session (1, 2, ...): MLflow's step. */
export interface NumberedRecord {
  record: MeasurementRecord;
  n: number;
}

export interface TeamSink {
  readonly name: string;
  /** Returns at once; never throws. */
  push(item: NumberedRecord): void;
  /** A label issued in the session, for the sinks that keep labels (MLflow). */
  pushLabel?(issued: { label: LabelRecord; svg: string; mlflowModel?: ModelVersionRef }): void;
  /** A tactics or training comparison made in the session, for the sinks that keep them (MLflow). */
  pushComparison?(table: ComparisonTable): void;
  status(): DeliveryStatus;
  flush(timeoutMs: number): Promise<DeliveryStatus>;
  /** A last bounded flush; what is left is listed as not delivered. */
  close(timeoutMs: number): Promise<DeliveryStatus>;
}

/** What every team sink is made with. */
export interface TeamSinkOptions {
  attribution: Attribution;
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  bounds?: Partial<DeliveryBounds>;
  clock?: Clock;
  warn?: (text: string) => void;
  /** Each delivered record, how long it waited since it was pushed (ms) and the sink's name. */
  onDelivered?: (item: NumberedRecord, latencyMs: number, sink: string) => void;
}
