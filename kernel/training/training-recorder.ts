/**
 * Epoch-by-epoch bookkeeping shared by `gaissa.train.fit` and the callbacks for a plain
 * `model.fit`: an energy window per epoch (and one for the whole run), the early stopping
 * decisions and best-weights copy, the forecast after the first epoch(s), the live display.
 */
import { co2eGrams } from '../../core/carbon';
import {
  buildMeasurementRecord,
  readingEnergyJ,
  recordCoverage,
  type MeterReading
} from '../../core/measurement';
import { combinedCoverage, provenanceOf } from '../../core/provenance';
import { earlyStoppingStatus, type EpochObservation } from '../../core/training-early-stopping';
import {
  checkForecast,
  forecastTraining,
  type TrainingForecast
} from '../../core/training-forecast';
import { escapeMarkup, formatNumber } from '../../core/format';
import { checkPrediction, type TrainingPrediction } from '../predict/training-prediction';
import type { LayersModel } from '@tensorflow/tfjs';
import { freezeStatus } from './layer-freezing';
import type { TrainingEnvironment, EnergyWindow } from './training-meter';
import type { ResolvedEarlyStopping, ResolvedFreeze } from './training-options';
import type { EpochRecord, StopInfo, TrainingRunData } from './training-run';
import { progressHtml, progressText, type LiveDisplay, type ProgressState } from './training-view';
import { WeightsSnapshot } from './weights-snapshot';

export type { LiveDisplay } from './training-view';

export interface RecorderOptions {
  name: string;
  plannedEpochs: number | null;
  earlyStopping: ResolvedEarlyStopping | null;
  /** The monitor was the default: fall back to "loss" when the logs have no "val_loss". */
  monitorDefaulted?: boolean;
  freeze: ResolvedFreeze | null;
  forecastAfter: number | null;
  live: LiveDisplay | null;
  header?: string;
}

/** Live updates within an epoch at most this often (a display message per batch is too many). */
const LIVE_INTERVAL_MS = 1000;

export class TrainingRecorder {
  private runWindow: EnergyWindow | null = null;
  private epochWindow: EnergyWindow | null = null;
  private readonly epochs: EpochRecord[] = [];
  private readonly observations: EpochObservation[] = [];
  private readonly readings: MeterReading[] = [];
  private best: WeightsSnapshot | null = null;
  private bestEpoch: number | null = null;
  private stopped: StopInfo | null = null;
  private forecast: TrainingForecast | null = null;
  private prediction: TrainingPrediction | null = null;
  private noPrediction: string | null = null;
  private current: ProgressState['current'] = null;
  private events: string[] = [];
  private lastLive = 0;
  /** Counter share of the epochs read so far; null until the first reading (not "measured"). */
  private coverage: number | null = null;
  private readonly notes: string[] = [];

  constructor(
    private readonly model: LayersModel,
    private readonly env: TrainingEnvironment,
    private readonly options: RecorderOptions
  ) {}

  get epochCount(): number {
    return this.epochs.length;
  }

  /** The prediction made before the first epoch, or why there is none: shown from now on. */
  predicted(prediction: TrainingPrediction | string): void {
    if (typeof prediction === 'string') this.noPrediction = prediction;
    else this.prediction = prediction;
    this.render();
  }

  start(): void {
    this.runWindow = this.env.meter.begin();
    this.render();
  }

  /** Notes shown with the result (e.g. what a freeze did). */
  note(text: string): void {
    this.notes.push(text);
  }

  /** Something that happened in the current epoch ("froze hidden1"...), shown in its row. */
  event(text: string): void {
    this.events.push(text);
  }

  beginEpoch(epoch: number, events: string[] = []): void {
    this.events = [...events];
    this.current = { epoch, batch: 0, batches: null };
    this.render();
    this.epochWindow = this.env.meter.begin();
  }

  batchEnd(batch: number, batches: number | null): void {
    if (!this.current) return;
    this.current = { ...this.current, batch, batches };
    const now = Date.now();
    if (now - this.lastLive >= LIVE_INTERVAL_MS) this.render();
  }

  /** The last epoch recorded. */
  get lastEpoch(): EpochRecord | undefined {
    return this.epochs[this.epochs.length - 1];
  }

  /** Records the epoch; true when early stopping says to stop. */
  async endEpoch(logs: Record<string, number>): Promise<boolean> {
    const window = this.epochWindow;
    if (!window || !this.current) throw new Error('endEpoch without beginEpoch');
    this.epochWindow = null;
    const reading = await window.end();
    this.readings.push(reading);
    this.coverage = combinedCoverage(
      this.readings.map(r => ({
        energyJ: readingEnergyJ(r),
        coverage: recordCoverage(r.components)
      }))
    );
    const energyJ = readingEnergyJ(reading);
    const epoch = this.current.epoch;
    const status = freezeStatus(this.model);
    const record: EpochRecord = {
      epoch,
      energyJ,
      durationS: reading.durationS,
      co2eG: co2eGrams(energyJ, this.env.carbon),
      metrics: { ...logs },
      trainableParams: status.trainableParams,
      frozenLayers: status.frozen,
      events: this.events
    };
    this.epochs.push(record);
    this.current = null;

    const stop = this.earlyStopping(record);
    if (this.options.forecastAfter !== null && this.epochs.length === this.options.forecastAfter) {
      this.forecast = forecastTraining(
        this.epochs,
        this.options.plannedEpochs ?? this.epochs.length,
        this.env.carbon
      );
    }
    this.render();
    return stop;
  }

  private earlyStopping(record: EpochRecord): boolean {
    const rule = this.options.earlyStopping;
    if (!rule) return false;
    if (
      !(rule.monitor in record.metrics) &&
      this.options.monitorDefaulted &&
      'loss' in record.metrics
    ) {
      rule.monitor = 'loss';
      rule.mode = 'min';
    }
    const value = record.metrics[rule.monitor];
    if (value === undefined) {
      throw new Error(
        `earlyStopping.monitor: '${rule.monitor}' is not among the logged metrics (${Object.keys(record.metrics).join(', ')})`
      );
    }
    this.observations.push({ value, energyJ: record.energyJ });
    const status = earlyStoppingStatus(this.observations, rule);
    if (status.improved) {
      this.bestEpoch = record.epoch;
      record.events.push(`best ${rule.monitor} so far`);
      if (rule.restoreBestWeights) {
        this.best?.dispose();
        this.best = WeightsSnapshot.take(this.model);
      }
    }
    if (status.stop === null) return false;
    const detail =
      status.stop === 'patience'
        ? `no ${rule.monitor} improvement above ${formatNumber(rule.minDelta)} for ${status.wait} epoch${status.wait === 1 ? '' : 's'} (patience ${rule.patience})`
        : `${rule.monitor} gained ${formatNumber(status.gainPerKJ)} per kJ over the last ${rule.gainWindow} epochs, below ${formatNumber(rule.minGainPerKJ)} (energy-aware rule)`;
    this.stopped = { epoch: record.epoch, reason: status.stop, detail };
    record.events.push(`stop: ${status.stop}`);
    return true;
  }

  /** Ends the windows after a failure, so the meter keeps no open window. */
  async abort(): Promise<void> {
    await Promise.allSettled([this.epochWindow?.end(), this.runWindow?.end()]);
    this.epochWindow = null;
    this.runWindow = null;
    this.best?.dispose();
    this.best = null;
  }

  /** Restores the best weights where asked, closes the run window and builds the result. */
  async finish(): Promise<Omit<TrainingRunData, 'test' | 'logged'>> {
    const window = this.runWindow;
    if (!window) throw new Error('finish without start');
    this.runWindow = null;
    const rule = this.options.earlyStopping;
    const last = this.epochs[this.epochs.length - 1];
    let restored = false;
    if (
      rule?.restoreBestWeights &&
      this.best &&
      this.bestEpoch !== null &&
      this.bestEpoch !== last?.epoch
    ) {
      this.best.restore();
      restored = true;
    }
    this.best?.dispose();
    this.best = null;
    const reading = await window.end();
    const record = buildMeasurementRecord({
      runs: [reading],
      settings: this.env.carbon,
      label: `train: ${this.options.name}`
    });
    const held = restored && this.bestEpoch !== null ? this.epochs[this.bestEpoch - 1] : last;
    const forecastCheck = this.forecast
      ? checkForecast(this.forecast, this.epochs, this.env.carbon)
      : null;
    return {
      name: this.options.name,
      plannedEpochs: this.options.plannedEpochs,
      epochs: this.epochs,
      stopped: this.stopped,
      earlyStopping: rule,
      bestEpoch: this.bestEpoch,
      restoredBestWeights: restored,
      freeze: this.options.freeze,
      frozenAtEnd: freezeStatus(this.model).frozen,
      forecast: this.forecast,
      forecastCheck,
      prediction: this.prediction,
      noPrediction: this.noPrediction,
      predictionCheck:
        this.prediction && this.epochs.length > 0
          ? checkPrediction(this.prediction, this.epochs, forecastCheck)
          : null,
      energyJ: record.energyJ,
      durationS: record.durationS,
      co2eG: record.co2eG,
      // The run's own record decides, whatever the epochs said.
      method: record.provenance,
      coverage: record.coverage,
      finalMetrics: { ...(held?.metrics ?? {}) },
      record,
      notes: this.notes
    };
  }

  /**
   * Shrinks the live display to one line once the run is over: the result shows the full report,
   * and two copies of the epoch table would be one too many.
   */
  collapseLive(): void {
    const live = this.options.live;
    if (!live) return;
    const [title, energy] = progressText({ ...this.state(), current: null }).split('\n');
    const line = `${title}; ${energy}`;
    live.update({
      'text/plain': line,
      'text/html': `<div class="gaissa-training">${escapeMarkup(line)}</div>`
    });
  }

  private state(): ProgressState {
    return {
      name: this.options.name,
      header: this.options.header,
      plannedEpochs: this.options.plannedEpochs,
      epochs: this.epochs,
      current: this.current,
      forecast: this.forecast,
      prediction: this.prediction,
      noPrediction: this.noPrediction,
      stopped: this.stopped,
      method: this.coverage === null ? null : provenanceOf(this.coverage),
      coverage: this.coverage
    };
  }

  private render(): void {
    const live = this.options.live;
    if (!live) return;
    this.lastLive = Date.now();
    const state = this.state();
    live.update({ 'text/html': progressHtml(state), 'text/plain': progressText(state) });
  }
}
