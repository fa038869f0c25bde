/**
 * Issue 3 benchmarks, one run, same machine:
 *  1. `%%gaissa measure` on an empty cell vs the same cell unmeasured, through the real kernel
 *     (execute_request to idle); goal <= 2 ms at the median.
 *  2. The same on a cell doing ~1 s of CPU work; goal <= 1 % at the median.
 *  3. Start+stop around empty work: ours in-process (gaissa.measure on a running meter: reading and
 *     record) vs CodeCarbon 3.x's OfflineEmissionsTracker (country code) start()+stop() on a fresh
 *     tracker (construction reported apart); goal ours >= 100x lower.
 *  4. The sampler thread's own CPU while a 10 s cell runs; goal < 1 % of one core.
 *  5. The overhead on the 1 s cell from its parts (1. per cell, 4. per second), which a shared VM
 *     can resolve where the A/B difference of 2. cannot.
 * Run: npm run build && .venv/bin/pip install -r bench/requirements.txt && node lib/bench/measure-overhead.js
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MeasureSession } from '../kernel/measure/session';
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

/** Returns the fixed cost of the magic (ms) and the A/B overhead on the ~1 s cell (%). */
async function kernelOverheads(): Promise<{ fixedMs: number; abPct: number; cellMs: number }> {
  const cwd = mkdtempSync(join(tmpdir(), 'gaissa-bench-'));
  const k = await BenchKernel.start(kernelSpec().argv, cwd);
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
  for (let i = 0; i < 10; i++) {
    await time('');
    await time('%%gaissa measure --no-log\n');
  }
  const plain: number[] = [];
  const measured: number[] = [];
  const logged: number[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    plain.push(await time(''));
    measured.push(await time('%%gaissa measure --no-log\n'));
    logged.push(await time('%%gaissa measure\n'));
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
    fixedMs: median(measured) - median(plain),
    abPct: overhead,
    cellMs: median(heavyPlain)
  };
}

interface CodeCarbonTimes {
  /** start()+stop() of a fresh tracker, median. */
  medianMs: number;
  /** The same with the tracker's construction, which each measurement needs, median. */
  withConstructionMs: number;
  /** The first tracker of the process, construction included (hardware probe). */
  constructMs: number;
}

function codecarbonStartStop(python: string): CodeCarbonTimes | string {
  if (!existsSync(python)) return `no Python at ${python}`;
  const script = `
import json, time, logging, statistics
from codecarbon import OfflineEmissionsTracker
# A stopped tracker's start() does nothing (it returns the old figure), so each measurement gets a
# fresh tracker, as CodeCarbon's users do; the first one also pays the one-off hardware probe.
t0 = time.perf_counter()
first = OfflineEmissionsTracker(country_iso_code="FRA", save_to_file=False, log_level="error")
first.start(); first.stop()
construct = (time.perf_counter() - t0) * 1000
times, whole = [], []
for _ in range(15):
    t0 = time.perf_counter()
    tracker = OfflineEmissionsTracker(country_iso_code="FRA", save_to_file=False, log_level="error")
    t = time.perf_counter()
    tracker.start()
    tracker.stop()
    end = time.perf_counter()
    times.append((end - t) * 1000)
    whole.append((end - t0) * 1000)
print(json.dumps({"medianMs": statistics.median(times), "withConstructionMs": statistics.median(whole), "constructMs": construct}))
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
  await session.meter();
  const meter = await session.meter();
  const ours: number[] = [];
  const windows: number[] = [];
  // Steady state, as CodeCarbon's figure below is (its first tracker is reported apart): the
  // first 500 rounds only warm the JIT.
  for (let i = 0; i < 3500; i++) {
    let t0 = process.hrtime.bigint();
    await session.measure(() => undefined, { log: false });
    const measured = ms(t0);
    t0 = process.hrtime.bigint();
    await meter.begin().end();
    const window = ms(t0);
    if (i < 500) continue;
    ours.push(measured);
    windows.push(window);
  }
  const cold0 = process.hrtime.bigint();
  const cold = new MeasureSession(mkdtempSync(join(tmpdir(), 'gaissa-bench-')), {});
  await cold.measure(() => undefined, { log: false });
  const coldMs = ms(cold0);
  await cold.close();
  const cc = codecarbonStartStop(values.python as string);
  console.log('\n3. Start+stop around empty work, ms (median)');
  console.log(
    `   gaissa.measure (reading + record, meter running)   ${median(ours).toFixed(4)}   (begin/end alone ${median(windows).toFixed(4)})`
  );
  if (typeof cc === 'string') console.log(`   CodeCarbon: ${cc}`);
  else {
    console.log(
      `   CodeCarbon OfflineEmissionsTracker start()+stop()   ${cc.medianMs.toFixed(2)}   (with the tracker's construction ${cc.withConstructionMs.toFixed(2)}; first tracker, with its hardware probe: ${cc.constructMs.toFixed(0)} ms)`
    );
    console.log(
      `   ratio CodeCarbon start+stop / gaissa.measure        ${(cc.medianMs / median(ours)).toFixed(0)}x   (goal >= 100x)`
    );
    console.log(
      `   first measurement: gaissa ${coldMs.toFixed(0)} ms (starts the sampler thread) vs CodeCarbon ${cc.constructMs.toFixed(0)} ms: ${(cc.constructMs / coldMs).toFixed(1)}x`
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
  // overhead's parts can: the magic's fixed cost per cell plus the sampler's CPU while it runs.
  const partsPct = (kernel.fixedMs / kernel.cellMs) * 100 + samplerPct;
  console.log(
    `\n5. Overhead on the ${(kernel.cellMs / 1000).toFixed(2)} s CPU cell from its parts: fixed ${kernel.fixedMs.toFixed(2)} ms per cell (1.) + sampler ${samplerPct.toFixed(2)} % of a core (4.) = ${partsPct.toFixed(2)} %   (goal <= 1 %; A/B median in 2.: ${kernel.abPct.toFixed(2)} %)`
  );
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  }
);
