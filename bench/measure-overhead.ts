/**
 * Issue 3 benchmarks, one run, same machine:
 *  1. `%%gaissa measure` on an empty cell vs the same cell unmeasured, through the real kernel
 *     (execute_request to idle); goal <= 2 ms at the median. The same on a cell of fixed-length
 *     busy work long enough that its window closes through the sampler thread (which reads the
 *     counters at both ends), as every cell that does real work does.
 *  2. The same on a cell doing ~1 s of CPU work; goal <= 1 % at the median.
 *  3. The per-measurement cost a user pays, same work on both sides: around the same fixed-length
 *     busy work, ours is gaissa.measure on a running meter (window through the sampler thread:
 *     counter reads where counters exist, the estimator's /proc reads otherwise, and the record);
 *     CodeCarbon 3.x's is a new OfflineEmissionsTracker (country code), start() and stop(): a
 *     stopped tracker cannot be started again, so each measurement pays the construction. Each
 *     side's cost is its wall time minus the work's own; goal ours >= 100x lower.
 *  4. The sampler thread's own CPU while a 10 s cell runs; goal < 1 % of one core.
 *  5. The overhead on the 1 s cell from its parts (1. per cell through the thread, 4. per second),
 *     which a shared VM can resolve where the A/B difference of 2. cannot.
 * Run: npm run build && node lib/bench/measure-overhead.js [--python PYTHON_WITH_CODECARBON]
 * (CodeCarbon: pip install -r bench/requirements.txt into that Python's environment.)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MeasureSession } from '../kernel/measure/session';
import { SHORT_WINDOW_MS } from '../kernel/meters/short-window';
import { packageRoot } from '../kernel/versions';
import { BenchKernel } from './kernel-client';
import { kernelSpec } from '../kernel/cli/install';
import { median, quantile } from './stats';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '100' },
    heavy: { type: 'string', default: '15' },
    python: { type: 'string', default: join(packageRoot, '.venv', 'bin', 'python') }
  }
});

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** CPU time of every thread of a process, ms (schedstat: ns; steadier than wall time under load). */
function processCpuMs(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return ns / 1e6;
}

// Fixed work (not fixed time), calibrated below to take about 1 s on this machine. It is a function
// declared once, so the measured and unmeasured cells run the same compiled loop on locals (a loop
// at a cell's top level would work on tslab's exported variables, slower, and differently so
// once the magic wraps the cell).
const WORK_FUNCTION = `function work(n: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) acc = (acc + i * i) % 1000003;
  return acc;
}`;
const work = (n: number) => `work(${n})`;

/**
 * Busy work of a fixed length (ms), just over the short-window limit: a window around it closes
 * through the sampler thread, whose reading is the one with counter reads.
 */
const FIXED_MS = SHORT_WINDOW_MS + 2;
// Declared once, like work(), so both cells run the same compiled code.
const BUSY_FUNCTION = `function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}`;
const FIXED_CELL = `busy(${FIXED_MS})`;
function busyFor(msLong: number): number {
  const t0 = performance.now();
  while (performance.now() - t0 < msLong);
  return performance.now() - t0;
}

/** Returns the fixed cost of the magic (ms) and the A/B overhead on the ~1 s cell (%). */
async function kernelOverheads(): Promise<{ fixedMs: number; abPct: number; cellMs: number }> {
  const cwd = mkdtempSync(join(tmpdir(), 'gaissa-bench-'));
  const k = await BenchKernel.start(kernelSpec(), cwd);
  await k.kernelInfo();
  await k.waitForIopub();
  const pid = k.process.pid!;
  let lastCpuMs = 0;
  const time = async (code: string) => {
    const c0 = processCpuMs(pid);
    const wall = await k.execute(code);
    lastCpuMs = processCpuMs(pid) - c0;
    return wall;
  };
  await time(BUSY_FUNCTION);
  for (let i = 0; i < 10; i++) {
    await time(FIXED_CELL);
    await time('');
    await time('%%gaissa measure --no-log\n');
  }
  const plain: number[] = [];
  const measured: number[] = [];
  const logged: number[] = [];
  const fixedPlain: number[] = [];
  const fixedMeasured: number[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    plain.push(await time(''));
    measured.push(await time('%%gaissa measure --no-log\n'));
    logged.push(await time('%%gaissa measure\n'));
    // Alternating order, so drift does not favour one side.
    const pair = [FIXED_CELL, `%%gaissa measure --no-log\n${FIXED_CELL}`];
    if (i % 2) pair.reverse();
    for (const cell of pair) {
      (cell === FIXED_CELL ? fixedPlain : fixedMeasured).push(await time(cell));
    }
  }
  console.log('\n1. Empty cell through the kernel, ms (median / p95)');
  console.log(
    `   unmeasured                    ${median(plain).toFixed(2)} / ${quantile(plain, 0.95).toFixed(2)}`
  );
  console.log(
    `   %%gaissa measure --no-log     ${median(measured).toFixed(2)} / ${quantile(measured, 0.95).toFixed(2)}`
  );
  console.log(
    `   %%gaissa measure (logs CSV)   ${median(logged).toFixed(2)} / ${quantile(logged, 0.95).toFixed(2)}`
  );
  console.log(
    `   overhead at the median        ${(median(measured) - median(plain)).toFixed(2)} ms without log, ${(median(logged) - median(plain)).toFixed(2)} ms with log   (goal <= 2 ms)`
  );
  const threadMs = median(fixedMeasured) - median(fixedPlain);
  console.log(
    `   ${FIXED_MS} ms busy cell, window through the sampler thread: unmeasured ${median(fixedPlain).toFixed(2)}, measured --no-log ${median(fixedMeasured).toFixed(2)}; overhead ${threadMs.toFixed(2)} ms   (goal <= 2 ms)`
  );

  // Calibrate ~1 s of work, then run measured/unmeasured pairs, alternating which goes first
  // so that drift of a shared machine does not favour one side; compare each pair.
  await time(WORK_FUNCTION);
  let n = 1e7;
  for (let i = 0; i < 2; i++) n = Math.round((n * 1000) / (await time(work(n))));
  const heavyPlain: number[] = [];
  const heavyMeasured: number[] = [];
  const pairRatios: number[] = [];
  const cpuRatios: number[] = [];
  for (let i = 0; i < Number(values.heavy); i++) {
    const plainFirst = i % 2 === 0;
    const cells = [work(n), `%%gaissa measure --no-log\n${work(n)}`];
    if (!plainFirst) cells.reverse();
    const wall: number[] = [];
    const cpu: number[] = [];
    for (const cell of cells) {
      wall.push(await time(cell));
      cpu.push(lastCpuMs);
    }
    const [p, m] = plainFirst ? [0, 1] : [1, 0];
    heavyPlain.push(wall[p]);
    heavyMeasured.push(wall[m]);
    pairRatios.push(wall[m] / wall[p]);
    cpuRatios.push(cpu[m] / cpu[p]);
  }
  const overhead = (median(pairRatios) - 1) * 100;
  const cpuOverhead = (median(cpuRatios) - 1) * 100;
  console.log(
    `\n2. ~1 s CPU cell (${n.toExponential(2)} iterations), ${heavyPlain.length} pairs in alternating order, ms (median)`
  );
  console.log(
    `   wall: unmeasured ${median(heavyPlain).toFixed(1)}, measured ${median(heavyMeasured).toFixed(1)}; overhead ${overhead.toFixed(2)} % (median of pair ratios; pairs ${quantile(pairRatios, 0).toFixed(3)}..${quantile(pairRatios, 1).toFixed(3)})   (goal <= 1 %)`
  );
  console.log(
    `   kernel CPU time (all threads, sampler included): overhead ${cpuOverhead.toFixed(2)} % (median of pair ratios; pairs ${quantile(cpuRatios, 0).toFixed(3)}..${quantile(cpuRatios, 1).toFixed(3)})`
  );
  await k.shutdown();
  return {
    fixedMs: threadMs,
    abPct: overhead,
    cellMs: median(heavyPlain)
  };
}

interface CodeCarbonTimes {
  /** Per measurement: construction + start() + stop() around the work, minus the work, median. */
  perMeasurementMs: number;
  /** start() + stop() alone (a tracker cannot be restarted, so no user pays only this), median. */
  startStopMs: number;
  /** The first tracker of the process, construction included (hardware probe). */
  firstMs: number;
  /** The meters CodeCarbon found, e.g. "RAM, CPU:cpu_load". */
  cpuMode: string;
}

function codecarbonPerMeasurement(python: string, runs: number): CodeCarbonTimes | string {
  if (!existsSync(python)) return `no Python at ${python}`;
  const script = `
import json, time, statistics
from codecarbon import OfflineEmissionsTracker
WORK_S = ${FIXED_MS / 1000}
def work():
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < WORK_S:
        pass
    return time.perf_counter() - t0
def tracker():
    return OfflineEmissionsTracker(country_iso_code="FRA", save_to_file=False, log_level="error")
t0 = time.perf_counter()
first = tracker(); first.start(); first.stop()
first_ms = (time.perf_counter() - t0) * 1000
# What CodeCarbon measures with here (private fields of 3.x: description only).
mode = ", ".join(f"{type(h).__name__}{':' + h._mode if getattr(h, '_mode', None) else ''}" for h in getattr(first, "_hardware", [])) or "unknown"
per, start_stop = [], []
for _ in range(${runs}):
    # A stopped tracker's start() does nothing (it returns the old figure): a new one each time.
    t0 = time.perf_counter()
    t = tracker()
    t1 = time.perf_counter()
    t.start()
    worked = work()
    t.stop()
    end = time.perf_counter()
    per.append(((end - t0) - worked) * 1000)
    start_stop.append(((end - t1) - worked) * 1000)
print(json.dumps({"perMeasurementMs": statistics.median(per), "startStopMs": statistics.median(start_stop), "firstMs": first_ms, "cpuMode": mode}))
`;
  try {
    const out = execFileSync(python, ['-c', script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore']
    });
    return JSON.parse(out.trim().split('\n').pop() as string);
  } catch (e) {
    return `CodeCarbon did not run (${(e as Error).message.split('\n')[0]}); pip install -r bench/requirements.txt`;
  }
}

/** Returns the sampler thread's CPU share while a window is open (%). */
async function inProcess(): Promise<number> {
  const session = new MeasureSession(mkdtempSync(join(tmpdir(), 'gaissa-bench-')), {});
  const meter = await session.meter();
  // Per measurement around the same fixed work as CodeCarbon's below: wall time minus the work's
  // own. The first rounds only warm the JIT (CodeCarbon's first tracker is reported apart too).
  const perMeasurement: number[] = [];
  const empty: number[] = [];
  let threadReadings = 0;
  const rounds = 300;
  for (let i = 0; i < rounds + 30; i++) {
    let worked = 0;
    let t0 = process.hrtime.bigint();
    const m = await session.measure(() => (worked = busyFor(FIXED_MS)), { log: false });
    const whole = ms(t0);
    t0 = process.hrtime.bigint();
    await session.measure(() => undefined, { log: false });
    const short = ms(t0);
    if (i < 30) continue;
    perMeasurement.push(whole - worked);
    empty.push(short);
    // A reading from the thread has samples; a short window closed on the main thread has none.
    if (m.record.overhead.samples > 0) threadReadings++;
  }
  const cold0 = process.hrtime.bigint();
  const cold = new MeasureSession(mkdtempSync(join(tmpdir(), 'gaissa-bench-')), {});
  await cold.measure(() => undefined, { log: false });
  const coldMs = ms(cold0);
  await cold.close();
  const cc = codecarbonPerMeasurement(values.python as string, 30);
  const ours = median(perMeasurement);
  console.log(
    `\n3. Per-measurement cost around ${FIXED_MS} ms of busy work (wall minus the work), ms (median)`
  );
  console.log(
    `   gaissa.measure, meter running (window through the sampler thread: ${meter.probe.cpu.method === 'rapl' ? 'RAPL read' : 'no CPU counter here, estimator /proc reads'}${meter.probe.gpu.method ? ', GPU' : ''}; record)   ${ours.toFixed(3)}   (${threadReadings}/${perMeasurement.length} readings from the thread)`
  );
  console.log(
    `   for comparison, gaissa.measure of empty work (window under ${SHORT_WINDOW_MS} ms, closed on the main thread without the thread's reading)   ${median(empty).toFixed(3)}`
  );
  if (typeof cc === 'string') console.log(`   CodeCarbon: ${cc}`);
  else {
    console.log(
      `   CodeCarbon OfflineEmissionsTracker: new tracker + start() + stop() (meters: ${cc.cpuMode})   ${cc.perMeasurementMs.toFixed(2)}   (start()+stop() alone ${cc.startStopMs.toFixed(2)})`
    );
    console.log(
      `   ratio CodeCarbon / gaissa per measurement, same work   ${(cc.perMeasurementMs / ours).toFixed(0)}x   (goal >= 100x)`
    );
    console.log(
      `   first measurement of a process: gaissa ${coldMs.toFixed(0)} ms (starts the sampler thread) vs CodeCarbon ${cc.firstMs.toFixed(0)} ms (hardware probe): ${(cc.firstMs / coldMs).toFixed(1)}x`
    );
  }

  // 4. The sampler's own CPU over a 10 s busy cell (its thread's exact run time, schedstat).
  const m = await session.measure(
    () => {
      const end = Date.now() + 10_000;
      let x = 0;
      while (Date.now() < end) x++;
      return x;
    },
    { log: false }
  );
  const share = (m.record.overhead.samplerCpuS / m.record.durationS) * 100;
  console.log(
    `\n4. Sampler thread CPU during a ${m.record.durationS.toFixed(1)} s busy cell: ${(m.record.overhead.samplerCpuS * 1000).toFixed(1)} ms = ${share.toFixed(2)} % of one core, ${m.record.overhead.samples} samples   (goal < 1 %)`
  );
  await session.close();
  return share;
}

async function main() {
  const kernel = await kernelOverheads();
  const samplerPct = await inProcess();
  // The A/B difference above cannot resolve 1 % on a shared VM (single runs vary by ~10 %); the
  // overhead's parts can: the magic's fixed cost per cell (a cell of real work closes its window
  // through the sampler thread, as the fixed-work cell of 1. does) plus the sampler's CPU.
  const partsPct = (kernel.fixedMs / kernel.cellMs) * 100 + samplerPct;
  console.log(
    `\n5. Overhead on the ${(kernel.cellMs / 1000).toFixed(2)} s CPU cell from its parts: fixed ${kernel.fixedMs.toFixed(2)} ms per cell (1., through the thread) + sampler ${samplerPct.toFixed(2)} % of a core (4.) = ${partsPct.toFixed(2)} %   (goal <= 1 %; A/B median in 2.: ${kernel.abPct.toFixed(2)} %)`
  );
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  }
);
