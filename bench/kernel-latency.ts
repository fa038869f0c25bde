/**
 * Issue 2 benchmark: our kernel against tslab 1.0.22's own kernel, side by side in one run.
 *   - start: process spawn to the first kernel_info_reply
 *   - start to first result: process spawn to the idle status of a first `1+1` (what a user waits
 *     for before the first cell's output, whatever the kernel defers)
 *   - round trip: execute_request of `1+1` to its idle status, with one kernel of each kind alive
 *     and single requests alternating between them
 *   - top-level loop and the same loop in a function: execute_request to idle of a new cell each
 *     time (`let s = 0; for (…) { s += i % 7; } s`, and that loop in a function called in the same
 *     cell), alternating shapes and kernels; each kernel's ratio loop/function is the cost of
 *     top-level code (goal: ours <= 1.5)
 * Prints medians, p95 and the ratios ours/tslab (<= 1.0 means ours is no slower).
 * Run: npm run build && node lib/bench/kernel-latency.js [--starts N] [--runs N] [--loops N]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchKernel } from './kernel-client';
import { kernelSpec } from '../kernel/cli/install';
import { packageRoot } from '../kernel/versions';
import { quantile } from './stats';

const { values } = parseArgs({
  options: {
    starts: { type: 'string', default: '7' },
    runs: { type: 'string', default: '200' },
    loops: { type: 'string', default: '9' }
  }
});
const STARTS = Number(values.starts);
const RUNS = Number(values.runs);
const LOOPS = Number(values.loops);

/** The loop cells, new each time (a different name), so no kernel answers one from a cache. */
const loopCells = {
  loop: (n: number) => `let s${n} = 0; for (let i = 0; i < 2e6; i++) { s${n} += i % 7; } s${n}`,
  function: (n: number) =>
    `function f${n}() { let s = 0; for (let i = 0; i < 2e6; i++) { s += i % 7; } return s; } f${n}()`
};

const kernels: Record<string, string[]> = {
  // Ours exactly as the installed kernelspec starts it.
  gaissa: kernelSpec().argv,
  tslab: [
    process.execPath,
    join(packageRoot, 'node_modules', 'tslab', 'bin', 'tslab'),
    'kernel',
    '--config-path',
    '{connection_file}'
  ]
};

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const names = Object.keys(kernels);

type Series = {
  starts: number[];
  firsts: number[];
  trips: number[];
  loop: number[];
  function: number[];
};

/** A started kernel, its first `1+1` answered; its start-up figures go `into` the series given. */
async function started(name: string, cwd: string, into?: Series): Promise<BenchKernel> {
  const t0 = process.hrtime.bigint();
  const k = await BenchKernel.start(kernels[name], cwd);
  await k.kernelInfo();
  into?.starts.push(ms(t0));
  await k.waitForIopub();
  await k.execute('1+1');
  into?.firsts.push(ms(t0));
  return k;
}

async function main() {
  // Both kernels start in a directory with no node_modules, as a notebook folder would be.
  const cwd = mkdtempSync(join(tmpdir(), 'gaissa-bench-cwd-'));
  const results: Record<string, Series> = {};
  for (const name of names)
    results[name] = { starts: [], firsts: [], trips: [], loop: [], function: [] };
  // Starts alternate between the kernels so that machine noise hits both alike.
  for (let i = 0; i < STARTS; i++) {
    for (const name of names) await (await started(name, cwd, results[name])).shutdown();
  }
  // Round trips: one kernel of each kind alive at once, single requests alternating between them
  // (drift on this shared machine then lands on both); a fresh pair per pass.
  const PASSES = 3;
  for (let pass = 0; pass < PASSES; pass++) {
    const pair: BenchKernel[] = [];
    for (const name of names) pair.push(await started(name, cwd));
    for (let w = 0; w < 20; w++) for (const k of pair) await k.execute('1+1');
    for (let r = 0; r < Math.ceil(RUNS / PASSES); r++) {
      // Alternate which kernel goes first, so neither always follows the other.
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) {
        results[names[i]].trips.push(await pair[i].execute('1+1'));
      }
    }
    for (const k of pair) await k.shutdown();
    const last = (name: string) => results[name].trips.slice(-Math.ceil(RUNS / PASSES));
    const [ours, theirs] = names.map(n => quantile(last(n), 0.5));
    process.stdout.write(
      `  pass ${pass + 1}/${PASSES}: round trip ${ours.toFixed(2)} vs ${theirs.toFixed(2)} ms (${(ours / theirs).toFixed(2)})\n`
    );
  }
  // Loops: one kernel of each kind alive, the two shapes and the two kernels alternating.
  const pair: BenchKernel[] = [];
  for (const name of names) pair.push(await started(name, cwd));
  for (let r = 0; r < LOOPS + 1; r++) {
    const shapes = (r % 2 === 0 ? ['loop', 'function'] : ['function', 'loop']) as (
      'loop' | 'function'
    )[];
    for (const shape of shapes) {
      for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) {
        const trip = await pair[i].execute(loopCells[shape](r));
        if (r > 0) results[names[i]][shape].push(trip); // the first round warms up
      }
    }
  }
  for (const k of pair) await k.shutdown();
  const row = (label: string, pick: keyof Series) => {
    const ours = results.gaissa[pick];
    const theirs = results.tslab[pick];
    const m = [quantile(ours, 0.5), quantile(theirs, 0.5)];
    const p = [quantile(ours, 0.95), quantile(theirs, 0.95)];
    return `${label.padEnd(34)} ${m[0].toFixed(2).padStart(9)} ${m[1].toFixed(2).padStart(9)} ${(m[0] / m[1]).toFixed(2).padStart(7)}   p95 ${p[0].toFixed(2)} / ${p[1].toFixed(2)}`;
  };
  console.log(
    `\nKernel latency, ms (median; ${results.gaissa.starts.length} starts and ${results.gaissa.trips.length} round trips each)`
  );
  console.log(
    `${''.padEnd(34)} ${'gaissa'.padStart(9)} ${'tslab'.padStart(9)} ${'ratio'.padStart(7)}`
  );
  console.log(row('start -> first kernel_info_reply', 'starts'));
  console.log(row('start -> first 1+1 idle', 'firsts'));
  console.log(row('execute 1+1 -> idle (round trip)', 'trips'));
  console.log(row('top-level loop (new cell)', 'loop'));
  console.log(row('same loop in a function (new cell)', 'function'));
  const cost = (name: string) =>
    quantile(results[name].loop, 0.5) / quantile(results[name].function, 0.5);
  console.log(
    `${'top-level loop / loop in a function'.padEnd(34)} ${cost('gaissa').toFixed(2).padStart(9)} ${cost('tslab').toFixed(2).padStart(9)}   (goal: gaissa <= 1.50)`
  );
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  }
);
