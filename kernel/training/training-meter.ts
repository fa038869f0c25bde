/**
 * Where training gets its energy figures and carbon settings: the kernel's measurement session
 * (one shared power meter, the notebook's settings) unless the caller brings its own meter, as
 * tests and benchmarks do.
 */
import type { CarbonSettings } from '../../core/carbon';
import type { MeasurementRecord, MeterReading } from '../../core/measurement';
import { measureSession } from '../measure/current';

export interface EnergyWindow {
  end(): Promise<MeterReading>;
}

/** What training needs from a meter: windows that may overlap (a run's and its epochs'). */
export interface EnergyMeter {
  begin(): EnergyWindow;
}

export interface TrainingEnvironmentOptions {
  /** A meter of your own (default: the kernel's shared one). */
  meter?: EnergyMeter;
  /** Resolved carbon settings (default: the notebook's settings, with region/pue overrides). */
  carbon?: CarbonSettings;
  region?: string;
  pue?: number | string;
  /** false: do not append the run's record to gaissa-emissions.csv / .jsonl (default true). */
  log?: boolean;
}

export interface TrainingEnvironment {
  meter: EnergyMeter;
  carbon: CarbonSettings;
  /** Appends a run's record to the emissions log; returns where, or why not. */
  log(record: MeasurementRecord): string | null;
}

export async function trainingEnvironment(
  options: TrainingEnvironmentOptions = {}
): Promise<TrainingEnvironment> {
  const needsSession = !options.meter || !options.carbon || options.log !== false;
  const session = needsSession ? measureSession() : undefined;
  const carbon =
    options.carbon ?? session!.settings.carbon({ region: options.region, pue: options.pue });
  const meter = options.meter ?? (await session!.meter());
  return {
    meter,
    carbon,
    log: record => {
      if (options.log === false || !session) return null;
      // Losing the log line must not lose the training run: the sink warns on stderr instead.
      const result = session.sink.write(record);
      return result.ok
        ? result.paths[0]
        : `not logged: cannot write ${result.file} (${result.reason})`;
    }
  };
}
