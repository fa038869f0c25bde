/**
 * Kernel benchmark: our kernel against tslab 1.0.22's own kernel and Deno's Jupyter kernel, side by
 * side in one run.
 *   - start: process spawn to the first kernel_info_reply
 *   - start to first result: process spawn to the idle status of a first `1+1` (what a user waits
 *     for before the first cell's output, whatever the kernel defers)
 *   - round trip: execute_request of `1+1` to its idle status, with one kernel of each kind alive
 *     and single requests alternating between them (one identical cell, repeated)
 *   - new cell: the same for a two-line cell that is new each time (`const vN = N * 2;` / `vN + 1`,
 *     a different N each time), as every cell a user writes is
 *   - top-level loop and the same loop in a function: execute_request to idle of a new cell each
 *     time (`let s = 0; for (…) { s += i % 7; } s`, and that loop in a function called in the same
 *     cell), alternating shapes and kernels; each kernel's ratio loop/function is the cost of
 *     top-level code (goal: ours <= 1.5)
 *   - RSS: VmRSS of the kernel's process after those cells; and the PSS of it with its child
 *     processes (our SIGINT relay is a second Node), shared pages counted once between them
 * Each kernel first starts once untimed and idles (caches a kernel keeps between starts are then
 * made, as for a user's every start but the first).
 * Prints medians (RSS: over the passes), p95 and the ratios ours/tslab and ours/Deno (<= 1.0 means
 * ours is no slower, no larger).
 *
 * Deno's column and a baseline build's: see bench-kernels.ts (DENO_BIN, GAISSA_BASELINE).
 * Run: npm run build && node lib/bench/kernel-latency.js [--starts N] [--runs N] [--cells N]
 *   [--loops N]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchKernel } from './kernel-client';
import { benchKernels, rss } from './bench-kernels';
import { quantile } from './stats';

const { values } = parseArgs({
  options: {
    starts: { type: 'string', default: '7' },
    runs: { type: 'string', default: '200' },
    cells: { type: 'string', default: '60' },
    loops: { type: 'string', default: '9' }
  }
});
const STARTS = Number(values.starts);
const RUNS = Number(values.runs);
const CELLS = Number(values.cells);
const LOOPS = Number(values.loops);

/** The loop cells, new each time (a different name), so no kernel answers one from a cache. */
const loopCells = {
  loop: (n: number) => `let s${n} = 0; for (let i = 0; i < 2e6; i++) { s${n} += i % 7; } s${n}`,
  function: (n: number) =>
    `function f${n}() { let s = 0; for (let i = 0; i < 2e6; i++) { s += i % 7; } return s; } f${n}()`
};

// ---- new cells: a different two-line cell each time ----

let cellNumber = 0;

/** `cells` new cells on each kernel, alternating between them; their round trips go `into`. */
async function newCells(
  alive: BenchKernel[],
  into: number[][],
  cells: number,
  rotation: (r: number) => number[]
): Promise<void> {
  for (let r = 0; r < cells; r++) {
    const n = ++cellNumber;
    for (const i of rotation(r))
      into[i].push(await alive[i].execute(`const v${n} = ${n} * 2;\nv${n} + 1`));
  }
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

type Series = {
  starts: number[];
  firsts: number[];
  trips: number[];
  newCells: number[];
  rss: number[];
  rssTree: number[];
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

const kernels = benchKernels();

async function main() {
  const names = Object.keys(kernels);
  // Every kernel starts in a directory with no node_modules, as a notebook folder would be.
  const cwd = mkdtempSync(join(tmpdir(), 'gaissa-bench-cwd-'));
  const results: Record<string, Series> = {};
  for (const name of names) {
    results[name] = {
      starts: [],
      firsts: [],
      trips: [],
      newCells: [],
      rss: [],
      rssTree: [],
      loop: [],
      function: []
    };
  }
  // Each pass starts the kernels in another order, so that neither always follows the other.
  const rotation = (r: number) => names.map((_, i) => (i + r) % names.length);
  // One untimed start of each, idle a while: kernels keep caches between starts (ours V8's code
  // for TypeScript, Deno its own), and the starts measured are what a user's every start but the
  // first is.
  for (const name of names) {
    const k = await started(name, cwd);
    await new Promise(done => setTimeout(done, 2000));
    await k.shutdown();
  }
  // Starts alternate between the kernels so that machine noise hits all alike.
  for (let i = 0; i < STARTS; i++) {
    for (const j of rotation(i)) {
      await (await started(names[j], cwd, results[names[j]])).shutdown();
    }
  }
  // Round trips: one kernel of each kind alive at once, single requests alternating between them
  // (drift on this shared machine then lands on all); a fresh set per pass.
  const PASSES = 3;
  const perPass = Math.ceil(RUNS / PASSES);
  for (let pass = 0; pass < PASSES; pass++) {
    const alive: BenchKernel[] = [];
    for (const name of names) alive.push(await started(name, cwd));
    for (let w = 0; w < 20; w++) for (const k of alive) await k.execute('1+1');
    for (let r = 0; r < perPass; r++) {
      for (const i of rotation(r)) results[names[i]].trips.push(await alive[i].execute('1+1'));
    }
    await newCells(
      alive,
      names.map(n => results[n].newCells),
      Math.ceil(CELLS / PASSES),
      rotation
    );
    alive.forEach((k, i) => {
      const { own, tree } = rss(k);
      results[names[i]].rss.push(own);
      results[names[i]].rssTree.push(tree);
    });
    for (const k of alive) await k.shutdown();
    const last = (name: string) => results[name].trips.slice(-perPass);
    const figures = names.map(n => `${n} ${quantile(last(n), 0.5).toFixed(2)}`).join(', ');
    process.stdout.write(`  pass ${pass + 1}/${PASSES}: 1+1 round trip ms: ${figures}\n`);
  }
  await loops(names, results, cwd, rotation);
  printTable(names, results);
}

/** Top-level loop and loop in a function, new cells, the shapes and kernels alternating. */
async function loops(
  names: string[],
  results: Record<string, Series>,
  cwd: string,
  rotation: (r: number) => number[]
): Promise<void> {
  const alive: BenchKernel[] = [];
  for (const name of names) alive.push(await started(name, cwd));
  for (let r = 0; r < LOOPS + 1; r++) {
    const shapes = (r % 2 === 0 ? ['loop', 'function'] : ['function', 'loop']) as (
      'loop' | 'function'
    )[];
    for (const shape of shapes) {
      for (const i of rotation(r)) {
        const trip = await alive[i].execute(loopCells[shape](r));
        if (r > 0) results[names[i]][shape].push(trip); // the first round warms up
      }
    }
  }
  for (const k of alive) await k.shutdown();
}

function printTable(names: string[], results: Record<string, Series>): void {
  const others = names.filter(n => n !== 'gaissa');
  const cell = (s: string) => s.padStart(10);
  const ratioCell = (s: string) => s.padStart(15);
  const row = (label: string, pick: keyof Series, digits = 2) => {
    const m = names.map(n => quantile(results[n][pick], 0.5));
    const ratios = others.map((_, i) => (m[0] / m[i + 1]).toFixed(2));
    const p95 = pick.startsWith('rss')
      ? ''
      : `   p95 ${names.map(n => quantile(results[n][pick], 0.95).toFixed(digits)).join(' / ')}`;
    return `${label.padEnd(36)}${m.map(x => cell(x.toFixed(digits))).join('')}${ratios.map(ratioCell).join('')}${p95}`;
  };
  const g = results.gaissa;
  console.log(
    `\nKernel latency, ms (median; ${g.starts.length} starts, ${g.trips.length} round trips, ${g.newCells.length} new cells each); memory, MB (median of ${g.rss.length} passes)`
  );
  console.log(
    `${''.padEnd(36)}${names.map(cell).join('')}${others.map(o => ratioCell(`ours/${o}`)).join('')}`
  );
  console.log(row('start -> first kernel_info_reply', 'starts'));
  console.log(row('start -> first 1+1 idle', 'firsts'));
  console.log(row('execute 1+1 -> idle (round trip)', 'trips'));
  console.log(row('new two-line cell -> idle', 'newCells'));
  console.log(row('top-level loop (new cell)', 'loop'));
  console.log(row('same loop in a function (new cell)', 'function'));
  console.log(row('RSS after these cells', 'rss', 0));
  console.log(row('PSS with child processes', 'rssTree', 0));
  const cost = (n: string) => quantile(results[n].loop, 0.5) / quantile(results[n].function, 0.5);
  console.log(
    `${'top-level loop / loop in a function'.padEnd(36)}${names.map(n => cost(n).toFixed(2).padStart(10)).join('')}   (goal: gaissa <= 1.50)`
  );
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  }
);
