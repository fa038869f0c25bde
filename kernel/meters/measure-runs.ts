/**
 * Running measured code the way `%%gaissa measure`, `gaissa.measure()` and the CLI twin all do:
 * an optional idle baseline, K unmeasured warm-ups, then N measured runs, each its own window.
 * A run (or warm-up) that throws still yields its reading (status "error" or "interrupted") and
 * stops the series; the caller shows the error and builds the record from what was measured, so
 * `runs` is never empty when `fn` was called at all.
 */
import type { MeasurementStatus, MeterReading } from '../../core/measurement';
import type { PowerMeter } from './sampler';

export interface MeasureRunsOptions {
  /** Measured runs (default 1). */
  repeat?: number;
  /** Unmeasured runs first, to warm caches and JITs (default 0). */
  warmup?: number;
  /** Seconds of idle measured before the runs, for dynamic energy (default none). */
  baselineS?: number;
  /** Whether an error means the user interrupted (e.g. the kernel's interrupt error). */
  isInterrupt?: (error: unknown) => boolean;
  /** Progress, for update_display_data on long repeats. */
  onProgress?: (progress: {
    phase: 'baseline' | 'warmup' | 'run';
    index: number;
    total: number;
  }) => void;
}

export interface MeasuredRuns<T> {
  runs: MeterReading[];
  baseline: MeterReading | null;
  status: MeasurementStatus;
  /** What the failing run threw (status error/interrupted), to rethrow or display. */
  error: unknown;
  /** The last successful run's return value. */
  result: T | undefined;
  warmup: number;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`${name} must be a whole number >= 0, got ${n}`);
  return n;
}

/** `{ name, message }` of anything thrown, for the record. */
export function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

export async function measureRuns<T>(
  meter: PowerMeter,
  fn: () => T | Promise<T>,
  options: MeasureRunsOptions = {}
): Promise<MeasuredRuns<T>> {
  const repeat = Math.max(1, positiveInteger(options.repeat, 1, 'repeat'));
  const warmup = positiveInteger(options.warmup, 0, 'warmup');
  const failed = (error: unknown): MeasurementStatus =>
    options.isInterrupt?.(error) ? 'interrupted' : 'error';
  const outcome: MeasuredRuns<T> = {
    runs: [],
    baseline: null,
    status: 'ok',
    error: undefined,
    result: undefined,
    warmup
  };

  if (options.baselineS !== undefined && options.baselineS > 0) {
    options.onProgress?.({ phase: 'baseline', index: 0, total: 1 });
    const window = meter.begin();
    await new Promise(resolve => setTimeout(resolve, options.baselineS! * 1000));
    outcome.baseline = await window.end();
  }

  for (let i = 0; i < warmup; i++) {
    options.onProgress?.({ phase: 'warmup', index: i, total: warmup });
    // Warm-ups are metered too, only so that one that throws still leaves a reading.
    const window = meter.begin();
    try {
      await fn();
    } catch (error) {
      outcome.status = failed(error);
      outcome.error = error;
      outcome.runs.push(await window.end());
      return outcome;
    }
    await window.end();
  }

  for (let i = 0; i < repeat; i++) {
    options.onProgress?.({ phase: 'run', index: i, total: repeat });
    const window = meter.begin();
    try {
      outcome.result = await fn();
    } catch (error) {
      outcome.status = failed(error);
      outcome.error = error;
      outcome.runs.push(await window.end());
      return outcome;
    }
    outcome.runs.push(await window.end());
  }
  return outcome;
}
