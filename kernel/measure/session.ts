/**
 * Measurement inside a kernel: one shared power meter (opened on first use), the settings, and the
 * one `measure` routine behind `%%gaissa measure`, auto-measure and `gaissa.measure()`.
 */
import { co2eGrams, energyCost } from '../../core/carbon';
import type { CellPrediction } from '../../core/cell-prediction';
import { buildMeasurementRecord, MeasurementRecord, MeterReading } from '../../core/measurement';
import { describeError, measureRuns } from '../meters/measure-runs';
import { openPowerMeter, PowerMeter, type LiveSample } from '../meters/sampler';
import { attributionOf } from '../records/attribution';
import { EmissionsFileSink, type SinkResult } from '../records/record-sink';
import { TeamRecordSink, undeliveredText } from '../records/team-record-sink';
import { packageVersion } from '../versions';
import { SettingsStore } from './settings';

/** Jupyter waits 5 s for a kernel to stop before it kills it. */
export const TEAM_CLOSE_MS = 2000;

export interface MeasureOptions {
  /** Measured runs (default: the defaultRepeats setting). */
  repeat?: number;
  /** Unmeasured runs first. */
  warmup?: number;
  /** Seconds of idle measured first, for energy above idle. */
  baseline?: number;
  label?: string;
  /** Per-measurement overrides of the settings. */
  region?: string;
  pue?: number | string;
  /** false: do not append to gaissa-emissions.csv / .jsonl. */
  log?: boolean;
  onProgress?: (p: { phase: 'baseline' | 'warmup' | 'run'; index: number; total: number }) => void;
  /** Tells an interruption apart from an error (status 'interrupted'). */
  isInterrupt?: (e: unknown) => boolean;
  /** What was predicted before the run (`--predict`): recorded beside the measured figures. */
  prediction?: CellPrediction;
}

export interface Measured<T> {
  record: MeasurementRecord;
  result: T | undefined;
  /** What the failing run threw, when status is not ok. */
  error: unknown;
  /** What the record sink did (a failure was also warned about on stderr); null when not logged. */
  logged: SinkResult | null;
}

export class MeasureSession {
  readonly settings: SettingsStore;
  private meterPromise: Promise<PowerMeter> | undefined;
  /**
   * Where every measurement of this kernel goes: the emissions files in the notebook's folder,
   * then the team servers the settings name, in the background.
   */
  readonly sink: TeamRecordSink;

  constructor(
    readonly dir: string,
    env: NodeJS.ProcessEnv = process.env,
    settings = new SettingsStore(dir, env)
  ) {
    this.settings = settings;
    this.sink = new TeamRecordSink(
      new EmissionsFileSink(dir, { toolVersion: packageVersion }),
      () => this.settings.teamTargets(),
      { attribution: attributionOf(env), env }
    );
  }

  /** The kernel's power meter, started on first use (its worker thread costs ~0.1 s once). */
  meter(): Promise<PowerMeter> {
    this.meterPromise ??= openPowerMeter();
    this.meterPromise.catch(() => (this.meterPromise = undefined));
    return this.meterPromise;
  }

  async measure<T>(fn: () => T | Promise<T>, options: MeasureOptions = {}): Promise<Measured<T>> {
    // Settings first: a bad region or PUE fails before anything runs.
    const carbon = this.settings.carbon({ region: options.region, pue: options.pue });
    const meter = await this.meter();
    const runs = await measureRuns(meter, fn, {
      repeat: options.repeat ?? this.settings.current.defaultRepeats,
      warmup: options.warmup,
      baselineS: options.baseline,
      onProgress: options.onProgress,
      isInterrupt: options.isInterrupt
    });
    const record = buildMeasurementRecord({
      runs: runs.runs,
      settings: carbon,
      status: runs.status,
      error: runs.status === 'ok' ? null : describeError(runs.error),
      label: options.label ?? null,
      warmup: runs.warmup,
      baseline: runs.baseline
    });
    if (options.prediction) record.prediction = options.prediction;
    // The record is returned whatever the sink does; a failure is warned about on stderr.
    const logged = options.log !== false ? this.sink.write(record) : null;
    return { record, result: runs.result, error: runs.error, logged };
  }

  /** A manual window, for work spread over cells (`gaissa.meter().begin/end`). */
  async window(): Promise<{ end(): Promise<MeterReading> }> {
    return (await this.meter()).begin();
  }

  /** Live samples with the session's CO2e and cost under the current settings. */
  async live(
    listener: (sample: LiveSample & { co2eG: number; cost: number | null }) => void
  ): Promise<() => void> {
    const meter = await this.meter();
    return meter.onLive(sample => {
      const carbon = this.settings.carbon();
      listener({
        ...sample,
        co2eG: co2eGrams(sample.energyJ, carbon),
        cost: energyCost(sample.energyJ, carbon)
      });
    });
  }

  /**
   * Stops the meter and gives the team servers a last TEAM_CLOSE_MS; what they did not take is
   * said on stderr (at kernel shutdown: the Jupyter server's log).
   */
  async close(): Promise<void> {
    const meter = await this.meterPromise?.catch(() => undefined);
    const [, statuses] = await Promise.all([meter?.close(), this.sink.close(TEAM_CLOSE_MS)]);
    const text = undeliveredText(statuses);
    if (text) process.stderr.write(text);
  }
}
