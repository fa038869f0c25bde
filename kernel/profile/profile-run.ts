/**
 * Profiles one run of a function (a cell's body, or what `gaissa.profile(fn)` gets) inside a
 * measurement window of the kernel's meter: `%%gaissa profile` and `gaissa.profile()` both come
 * here. The profiler starts before the window opens and stops after it closes, so its own start
 * and stop are outside the measured energy; its cost while sampling is measured once per sampling
 * interval (calibrateOverhead) and shown with the profile.
 */
import { buildMeasurementRecord, type MeasurementRecord } from '../../core/measurement';
import { buildProfileRecord, type ProfileOverhead, type ProfileRecord } from '../../core/profile';
import { measureSession } from '../measure/current';
import { CellInterrupted, unlessCellInterrupted } from './cell-interrupts';
import { CpuProfiler, profilerClockUs } from './cpu-profiler';

/** V8's default is 1000 µs; cells are short, so a finer grain by default. */
export const DEFAULT_INTERVAL_US = 100;

export interface Profiled<T> {
  profile: ProfileRecord;
  /** The window's measurement, as `%%gaissa measure` would record it. */
  measurement: MeasurementRecord;
  result: T | undefined;
  /** What the run threw, if it did (the profile still shows what ran). */
  error: unknown;
  failed: boolean;
}

/** Every ratio measured so far, per interval: one noisy calibration must not stick for good. */
const ratios = new Map<number, number[]>();
/** Ratios kept per interval (the latest). */
const MAX_RATIOS = 45;
/** Timed pairs added by each profile. */
const PAIRS = 3;

/** A fixed amount of JavaScript work (about 20 ms on a laptop core), timed, ms. */
function timedWork(): number {
  const start = performance.now();
  let x = 0;
  for (let i = 0; i < 2e6; i++) x += Math.sqrt(i) % 3;
  const ms = performance.now() - start;
  return x < 0 ? -1 : ms; // keeps the loop from being optimised away
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * How much slower JavaScript runs under the profiler at `intervalUs`: the same work timed without
 * and with it, alternately; each call adds PAIRS ratios and answers the median of all this kernel
 * has measured at that interval (and how many).
 */
export async function calibrateOverhead(
  intervalUs: number
): Promise<{ slowdown: number; pairs: number }> {
  const pool = ratios.get(intervalUs) ?? [];
  ratios.set(intervalUs, pool);
  if (pool.length === 0) timedWork(); // warm
  for (let i = 0; i < PAIRS; i++) {
    const plain = timedWork();
    const profiler = new CpuProfiler();
    try {
      await profiler.start(intervalUs);
      const profiled = timedWork();
      await profiler.stop();
      pool.push(profiled / plain);
    } finally {
      profiler.close();
    }
  }
  pool.splice(0, Math.max(0, pool.length - MAX_RATIOS));
  return { slowdown: Math.max(0, median(pool) - 1), pairs: pool.length };
}

/** An interrupt of the cell stops the profile: `fn` is no longer waited for (CellInterrupted). */
export async function profileRun<T>(
  fn: () => T | Promise<T>,
  options: { intervalUs?: number } = {}
): Promise<Profiled<T>> {
  const intervalUs = options.intervalUs ?? DEFAULT_INTERVAL_US;
  const session = measureSession();
  const carbon = session.settings.carbon();
  const meter = await session.meter();
  const profiler = new CpuProfiler();
  let result: T | undefined;
  let error: unknown;
  let failed = false;
  const setupStart = performance.now();
  try {
    await profiler.start(intervalUs);
    const setupMs = performance.now() - setupStart;
    const startUs = profilerClockUs();
    const window = meter.begin();
    try {
      result = await unlessCellInterrupted(fn);
    } catch (e) {
      error = e;
      failed = true;
    }
    const ending = window.end();
    const stopStart = performance.now();
    const profile = await profiler.stop();
    // The cell has ended: no profile to show in it, but no profiler or window left open either.
    if (error instanceof CellInterrupted) {
      await ending;
      throw error;
    }
    const scripts = profiler.cellScripts(profile);
    const profilerMs = setupMs + (performance.now() - stopStart);
    const reading = await ending;
    const measurement = buildMeasurementRecord({
      runs: [reading],
      settings: carbon,
      status: failed ? 'error' : 'ok'
    });
    const { slowdown, pairs } = await calibrateOverhead(intervalUs);
    const overhead: ProfileOverhead = {
      slowdown,
      basis: `a 20 ms JavaScript loop timed with and without the profiler at ${intervalUs} µs: median of the ${pairs} pairs this kernel timed`,
      profilerMs
    };
    const record = buildProfileRecord({
      profile,
      window: {
        startUs,
        durationS: reading.durationS,
        energyJ: measurement.energyJ,
        intervals: reading.intervals,
        method: measurement.method,
        coverage: measurement.coverage
      },
      scripts,
      intervalUs,
      overhead
    });
    record.notes.push(...measurement.notes);
    return { profile: record, measurement, result, error, failed };
  } finally {
    profiler.close();
  }
}
