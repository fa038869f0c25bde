/**
 * What a measured training run leaves behind: per-epoch energy, time and metrics, why it stopped,
 * which weights the model holds, the forecast against the actual cost, and the measurement record
 * of the whole run (for `gaissa.label(run.record, { phase: 'training' })` and the emissions log).
 */
import type { Provenance } from '../../core/provenance';
import type { MeasurementRecord } from '../../core/measurement';
import type { StopReason } from '../../core/training-early-stopping';
import type { ForecastCheck, TrainingForecast } from '../../core/training-forecast';
import type { PredictionCheck, TrainingPrediction } from '../predict/training-prediction';
import type { Displayable, MimeBundle } from '../display';
import type { ResolvedEarlyStopping, ResolvedFreeze } from './training-options';
import { runHtml, runText } from './training-view';

export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  energyJ: number;
  durationS: number;
  co2eG: number;
  /** What tfjs logged for the epoch: loss, acc, val_loss, val_acc... */
  metrics: Record<string, number>;
  trainableParams: number;
  frozenLayers: string[];
  /** What happened before or during the epoch ("froze hidden1", "best so far"...). */
  events: string[];
}

export interface StopInfo {
  /** The last epoch that ran. */
  epoch: number;
  reason: StopReason;
  detail: string;
}

export interface TrainingRunData {
  name: string;
  plannedEpochs: number | null;
  epochs: EpochRecord[];
  stopped: StopInfo | null;
  earlyStopping: ResolvedEarlyStopping | null;
  /** Epoch whose weights were best on the monitored metric. */
  bestEpoch: number | null;
  /** True when the model was set back to the best epoch's weights at the end. */
  restoredBestWeights: boolean;
  freeze: ResolvedFreeze | null;
  /** Layers frozen when the run ended (`gaissa.train.unfreeze(model)` trains them again). */
  frozenAtEnd: string[];
  forecast: TrainingForecast | null;
  forecastCheck: ForecastCheck | null;
  /** Predicted before the first epoch (`method: "predicted"`), never a measurement. */
  prediction?: TrainingPrediction | null;
  /** Why there is no prediction ("no prediction: ..."), when one was asked for. */
  noPrediction?: string | null;
  /** The prediction and the forecast against the measured epochs. */
  predictionCheck?: PredictionCheck | null;
  /** The whole run (epochs plus what ran between them), IT energy before PUE. */
  energyJ: number;
  durationS: number;
  co2eG: number;
  /** How the run's energy was obtained, from its record (never assumed). */
  method: Provenance;
  /** Share of energyJ a hardware counter measured, 0..1. */
  coverage: number;
  /** Metrics of the epoch whose weights the model holds at the end. */
  finalMetrics: Record<string, number>;
  /** Evaluated after training on the test data, outside the measured energy. */
  test: { accuracy: number | null; loss: number | null } | null;
  record: MeasurementRecord;
  /** Where the record was logged (or why not); null when logging was off. */
  logged: string | null;
  notes: string[];
}

export class TrainingRun implements Displayable {
  constructor(readonly data: TrainingRunData) {}

  get name(): string {
    return this.data.name;
  }

  get energyJ(): number {
    return this.data.energyJ;
  }

  get durationS(): number {
    return this.data.durationS;
  }

  get epochs(): EpochRecord[] {
    return this.data.epochs;
  }

  /** Test accuracy (fraction) when test data was given and the targets are classes. */
  get testAccuracy(): number | null {
    return this.data.test?.accuracy ?? null;
  }

  /** The measurement record of the whole run (schema/measurement.schema.json). */
  get record(): MeasurementRecord {
    return this.data.record;
  }

  toJSON(): TrainingRunData {
    return this.data;
  }

  toMimeBundle(): MimeBundle {
    return { 'text/html': runHtml(this.data), 'text/plain': runText(this.data) };
  }
}
