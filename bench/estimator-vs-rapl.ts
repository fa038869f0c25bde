/**
 * Issue 3: where the machine exposes RAPL, how far is the estimator (TDP x Teads load curve) from
 * the counters on the same work, at the same scope? RAPL counts the whole CPU package, so the
 * estimator is taken at machine level too: its power at the machine's utilisation, every CPU's
 * busy time attributed (the kernel's records then take the process's share of that figure, which
 * RAPL cannot see and so cannot check). Both are integrated over the same 100 ms intervals of the
 * same window. Loads: idle, one busy thread, every CPU busy; each repeated, in rotating order, and
 * the error reported as mean ± standard deviation with its range.
 * Run: npm run build && node lib/bench/estimator-vs-rapl.js [--seconds 5] [--repeat 5]
 *      [--rapl-root DIR]   (another powercap tree, e.g. a fixture, to try the bench itself)
 * Without a readable powercap tree (VMs, containers) it says why and measures nothing.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { EstimatorConstants } from '../core/measurement';
import { mean, sampleStandardDeviation } from '../core/statistics';
import { estimateInterval, readMachineCpuSeconds } from '../kernel/meters/estimate';
import { openPowerMeter } from '../kernel/meters/sampler';
import { DEFAULT_POWERCAP_ROOT } from '../kernel/meters/rapl';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    repeat: { type: 'string', default: '5' },
    'rapl-root': { type: 'string', default: DEFAULT_POWERCAP_ROOT }
  }
});
const seconds = Number(values.seconds);
const repeat = Number(values.repeat);
const INTERVAL_MS = 100;

/** `threads` worker threads spinning for `ms` (this process's own CPU, as a cell's would be). */
function spin(threads: number, ms: number): Promise<void> {
  const code = `const end = Date.now() + ${ms}; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1);`;
  return Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(code, { eval: true });
          w.on('exit', () => resolve());
          w.on('error', reject);
        })
    )
  ).then(() => undefined);
}

/**
 * The estimator at machine scope over a window: every interval's machine utilisation through the
 * load curve, with all busy CPU time attributed (share 1). Runs on the main thread, which the
 * loads leave idle (they spin in workers or wait on a timer).
 */
function machineEstimate(constants: EstimatorConstants): { stop(): number } {
  let last = { t: performance.now(), ...readMachineCpuSeconds() };
  let energyJ = 0;
  const step = () => {
    const now = { t: performance.now(), ...readMachineCpuSeconds() };
    const busyS = now.busyS - last.busyS;
    const { cpuW } = estimateInterval(
      {
        dtS: (now.t - last.t) / 1000,
        processCpuS: busyS,
        machineBusyS: busyS,
        machineTotalS: now.totalS - last.totalS,
        rssGB: 0
      },
      constants
    );
    energyJ += (cpuW * (now.t - last.t)) / 1000;
    last = now;
  };
  const timer = setInterval(step, INTERVAL_MS);
  return {
    stop: () => {
      clearInterval(timer);
      step();
      return energyJ;
    }
  };
}

const signed = (x: number, digits = 1) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;

async function main(): Promise<void> {
  const meter = await openPowerMeter({ nvidia: false, raplRoot: values['rapl-root'] });
  try {
    if (meter.probe.cpu.method !== 'rapl') {
      console.log(`No RAPL here: ${meter.probe.fallbackReasons.join('; ') || 'not readable'}.`);
      console.log(
        'Nothing to compare: run this on a machine that exposes /sys/class/powercap (as root since Linux 5.10).'
      );
      return;
    }
    const constants = meter.probe.estimator;
    const loads: Array<[string, () => Promise<void>]> = [
      ['idle', () => new Promise(resolve => setTimeout(resolve, seconds * 1000))],
      ['one busy thread', () => spin(1, seconds * 1000)],
      [`${cpus().length} busy threads`, () => spin(cpus().length, seconds * 1000)]
    ];
    console.log(
      `CPU package energy, RAPL vs the estimator at machine scope (TDP ${constants.cpuTdpW} W: ${constants.cpuTdpSource}), ` +
        `${seconds} s windows, ${repeat} rounds in rotating order`
    );
    const results = new Map<string, Array<{ rapl: number; estimate: number }>>(
      loads.map(([name]) => [name, []])
    );
    const skipped: string[] = [];
    for (let r = 0; r < repeat; r++) {
      const order = loads.map((_, i) => loads[(i + r) % loads.length]);
      for (const [name, run] of order) {
        const estimate = machineEstimate(constants);
        const window = meter.begin();
        await run();
        const reading = await window.end();
        const estimateJ = estimate.stop();
        // A window where RAPL stopped answering holds estimator joules: not a comparison.
        const cpu = reading.components.cpu as { method: string | null; coverage?: number };
        const partial = cpu.coverage !== undefined && cpu.coverage < 1;
        if (cpu.method !== 'rapl' || partial || reading.notes.some(n => /RAPL stopped/.test(n))) {
          skipped.push(`${name}, round ${r + 1}: ${reading.notes.join('; ') || 'no RAPL reading'}`);
          continue;
        }
        results.get(name)!.push({ rapl: reading.components.cpu.energyJ, estimate: estimateJ });
      }
    }
    console.log(
      '\nload                    RAPL J (mean ± sd)   estimator J (mean ± sd)   error % mean ± sd   [min, max]   n'
    );
    for (const [name] of loads) {
      const rows = results.get(name)!;
      if (rows.length === 0) {
        console.log(`${name.padEnd(22)}  no window with a RAPL reading`);
        continue;
      }
      const rapl = rows.map(x => x.rapl);
      const est = rows.map(x => x.estimate);
      const errors = rows.map(x => ((x.estimate - x.rapl) / x.rapl) * 100);
      const sd = (xs: number[]) => sampleStandardDeviation(xs) ?? NaN;
      console.log(
        `${name.padEnd(22)}  ${mean(rapl).toFixed(1).padStart(8)} ± ${sd(rapl).toFixed(1).padEnd(7)}` +
          `  ${mean(est).toFixed(1).padStart(9)} ± ${sd(est).toFixed(1).padEnd(11)}` +
          `  ${signed(mean(errors)).padStart(7)} ± ${sd(errors).toFixed(1).padEnd(6)}` +
          `  [${signed(Math.min(...errors), 0)}, ${signed(Math.max(...errors), 0)}]   ${rows.length}`
      );
    }
    for (const s of skipped) console.log(`skipped: ${s}`);
    console.log(
      '\nBoth figures cover the whole machine: RAPL its packages (every process, idle power included), ' +
        'the estimator all busy CPU time at the machine utilisation. A VM or container sees only ' +
        'its own CPUs while RAPL counts the whole package: compare on bare metal.'
    );
  } finally {
    await meter.close();
  }
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  }
);
