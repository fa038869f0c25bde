/**
 * Issue 17: what `%%gaissa profile` costs over `%%gaissa measure`, one run, same machine. A fixed
 * amount of JavaScript work (compiled as a script, as a cell is) is timed inside a measurement
 * (`MeasureSession.measure`, as `%%gaissa measure` runs it) and inside `profileRun` (the same meter
 * window with the profiler around it), alternately, for each sampling interval; the ratio of the
 * medians is the slowdown the profiler causes on that work. Printed beside it: the slowdown the profile itself
 * reports (its calibration on a shorter loop), and the milliseconds spent starting the profiler and
 * reading its profile (outside the measured window).
 * Run: npm run build && node lib/bench/profile-overhead.js [--runs N] [--intervals 100,1000]
 */
import { runInThisContext } from 'node:vm';
import { parseArgs } from 'node:util';
import { closeMeasureSession, measureSession } from '../kernel/measure/current';
import { profileRun } from '../kernel/profile/profile-run';
import { median } from './stats';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '9' },
    intervals: { type: 'string', default: '100,1000' }
  }
});
const RUNS = Number(values.runs);
const INTERVALS = values.intervals.split(',').map(Number);

/** About 0.3 s of work on a laptop core: a loop and a function call, as in a cell. */
const work = runInThisContext(`(function () {
  function spin(n) { let s = 0; for (let i = 0; i < n; i++) s += Math.sqrt(i) % 3; return s; }
  let t = 0;
  for (let i = 0; i < 1e8; i++) t += i % 7;
  return t + spin(2e7);
})`) as () => number;

function timed(): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

async function main(): Promise<void> {
  timed(); // warm
  console.log(`profiling overhead, ${RUNS} alternating runs per interval (median ms)`);
  console.log(
    'interval µs   measured ms   profiled ms   slowdown   reported slowdown   profiler ms'
  );
  for (const intervalUs of INTERVALS) {
    const plain: number[] = [];
    const profiled: number[] = [];
    const reported: number[] = [];
    const profilerMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let ms = 0;
      await measureSession().measure(() => (ms = timed()), { log: false });
      plain.push(ms);
      const run = await profileRun(() => (ms = timed()), { intervalUs });
      profiled.push(ms);
      reported.push(run.profile.overhead.slowdown);
      profilerMs.push(run.profile.overhead.profilerMs);
    }
    const slowdown = median(profiled) / median(plain) - 1;
    console.log(
      `${String(intervalUs).padStart(11)}   ${median(plain).toFixed(1).padStart(11)}   ` +
        `${median(profiled).toFixed(1).padStart(11)}   ${`${(slowdown * 100).toFixed(1)} %`.padStart(8)}   ` +
        `${`${(median(reported) * 100).toFixed(1)} %`.padStart(17)}   ${median(profilerMs).toFixed(1).padStart(11)}`
    );
  }
  await closeMeasureSession();
}

void main();
