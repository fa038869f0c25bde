/**
 * Issue 3: where the machine exposes RAPL, how far is the estimator (TDP x Teads curve, per-process
 * share) from the counters on the same work? Each window's reading carries both: RAPL in
 * `components`, the estimator in `estimateCheck`. Loads: idle, one busy thread, every CPU busy.
 * Run: npm run build && node lib/bench/estimator-vs-rapl.js [--seconds 5]
 * Without a readable /sys/class/powercap (VMs, containers) it says so and measures nothing.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { openPowerMeter } from '../kernel/meters/sampler';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' } } });
const seconds = Number(values.seconds);

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

async function main(): Promise<void> {
  const meter = await openPowerMeter({ nvidia: false });
  try {
    if (meter.probe.cpu.method !== 'rapl') {
      console.log(`No RAPL here: ${meter.probe.fallbackReasons.join('; ') || 'not readable'}.`);
      console.log('Nothing to compare; run this on a machine that exposes /sys/class/powercap.');
      return;
    }
    const loads: Array<[string, () => Promise<void>]> = [
      ['idle', () => new Promise(resolve => setTimeout(resolve, seconds * 1000))],
      ['one busy thread', () => spin(1, seconds * 1000)],
      [`${cpus().length} busy threads`, () => spin(cpus().length, seconds * 1000)]
    ];
    console.log(
      `CPU package energy over ${seconds} s windows, J (RAPL: machine; estimator: process)`
    );
    console.log('load                  RAPL     estimator   error');
    for (const [name, run] of loads) {
      const window = meter.begin();
      await run();
      const reading = await window.end();
      const rapl = reading.components.cpu.energyJ;
      const estimate = reading.estimateCheck?.cpuJ ?? NaN;
      const error = ((estimate - rapl) / rapl) * 100;
      console.log(
        `${name.padEnd(20)} ${rapl.toFixed(1).padStart(7)} ${estimate.toFixed(1).padStart(11)}   ${error >= 0 ? '+' : ''}${error.toFixed(0)} %`
      );
    }
    console.log(
      'RAPL counts the whole package (other processes and idle power included); the estimator ' +
        'attributes to this process only, so idle and light loads differ by design.'
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
