/**
 * Issue 2 benchmark: our kernel against tslab 1.0.22's own kernel, side by side in one run.
 *   - start: process spawn to the first kernel_info_reply
 *   - start to first result: process spawn to the idle status of a first `1+1` (what a user waits
 *     for before the first cell's output, whatever the kernel defers)
 *   - round trip: execute_request of `1+1` to its idle status
 * Prints medians, p95 and the ratios ours/tslab (<= 1.0 means ours is no slower).
 * Run: npm run build && node lib/bench/kernel-latency.js [--starts N] [--runs N]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchKernel } from './kernel-client';
import { packageRoot } from '../kernel/versions';
import { quantile } from './stats';

const { values } = parseArgs({
  options: { starts: { type: 'string', default: '7' }, runs: { type: 'string', default: '200' } }
});
const STARTS = Number(values.starts);
const RUNS = Number(values.runs);

const kernels: Record<string, string[]> = {
  gaissa: [
    process.execPath,
    join(packageRoot, 'bin', 'gaissa.js'),
    'kernel',
    '-f',
    '{connection_file}'
  ],
  tslab: [
    process.execPath,
    join(packageRoot, 'node_modules', 'tslab', 'bin', 'tslab'),
    'kernel',
    '--config-path',
    '{connection_file}'
  ]
};

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function measure(name: string, argv: string[], cwd: string) {
  const starts: number[] = [];
  const firsts: number[] = [];
  const trips: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const t0 = process.hrtime.bigint();
    const k = await BenchKernel.start(argv, cwd);
    await k.kernelInfo();
    starts.push(ms(t0));
    await k.waitForIopub();
    await k.execute('1+1');
    firsts.push(ms(t0));
    // Round trips on the first few kernels only; warm-up runs, then timed runs.
    if (i < 3) {
      for (let w = 0; w < 10; w++) await k.execute('1+1');
      for (let r = 0; r < Math.ceil(RUNS / 3); r++) {
        const t1 = process.hrtime.bigint();
        await k.execute('1+1');
        trips.push(ms(t1));
      }
    }
    await k.shutdown();
  }
  process.stdout.write(
    `  measured ${name}: ${starts.length} starts, ${trips.length} round trips\n`
  );
  return { starts, firsts, trips };
}

async function main() {
  // Both kernels start in a directory with no node_modules, as a notebook folder would be.
  const cwd = mkdtempSync(join(tmpdir(), 'gaissa-bench-cwd-'));
  // Interleave the two kernels so that machine noise hits both alike.
  type Series = { starts: number[]; firsts: number[]; trips: number[] };
  const empty = (): Series => ({ starts: [], firsts: [], trips: [] });
  const results: Record<string, Series> = { gaissa: empty(), tslab: empty() };
  for (let round = 0; round < 2; round++) {
    for (const name of Object.keys(kernels)) {
      const r = await measure(name, kernels[name], cwd);
      results[name].starts.push(...r.starts);
      results[name].firsts.push(...r.firsts);
      results[name].trips.push(...r.trips);
    }
  }
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
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  }
);
