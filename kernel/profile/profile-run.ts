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

const slowdowns = new Map<number, Promise<number>>();

/** A fixed amount of JavaScript work, timed, ms. */
function timedWork(): number {
  const start = performance.now();
  let x = 0;
  for (let i = 0; i < 2e6; i++) x += Math.sqrt(i) % 3;
  const ms = performance.now() - start;
  return x < 0 ? -1 : ms; // keeps the loop from being optimised away
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * How much slower JavaScript runs under the profiler at `intervalUs`: the same work timed without
 * and with it, alternately, five times; the median ratio. Once per interval per kernel.
 */
export function calibrateOverhead(intervalUs: number): Promise<number> {
  let slowdown = slowdowns.get(intervalUs);
  if (!slowdown) {
    slowdown = (async () => {
      timedWork(); // warm
      const ratios: number[] = [];
      for (let i = 0; i < 5; i++) {
        const plain = timedWork();
        const profiler = new CpuProfiler();
        await profiler.start(intervalUs);
        const profiled = timedWork();
        await profiler.stop();
        profiler.close();
        ratios.push(profiled / plain);
      }
      return Math.max(0, median(ratios) - 1);
    })();
    slowdowns.set(intervalUs, slowdown);
  }
  return slowdown;
}

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
      result = await fn();
    } catch (e) {
      error = e;
      failed = true;
    }
    const ending = window.end();
    const stopStart = performance.now();
    const profile = await profiler.stop();
    const scripts = profiler.cellScripts(profile);
    const profilerMs = setupMs + (performance.now() - stopStart);
    const reading = await ending;
    const measurement = buildMeasurementRecord({
      runs: [reading],
      settings: carbon,
      status: failed ? 'error' : 'ok'
    });
    const slowdown = await calibrateOverhead(intervalUs);
    const overhead: ProfileOverhead = {
      slowdown,
      basis: `the same JavaScript loop timed with and without the profiler at ${intervalUs} µs (median of 5)`,
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
