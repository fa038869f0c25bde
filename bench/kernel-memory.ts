/**
 * Kernel memory over many cells: each kernel (ours, tslab 1.0.22's, Deno's where available, a
 * baseline build with GAISSA_BASELINE) alive at once, the same stream of new two-line cells
 * (`const vN = N * 2;` / `vN + 1`, a different N each time) sent to each in turn, and the RSS of the
 * kernel's process (and PSS of its process tree) read every CELLS/20 cells. "Bounded" means the
 * last quarter of the run grows no further than its first quarter did: a kernel that keeps every
 * cell's compiled code or declarations alive climbs all the way.
 * Prints RSS at start and at each checkpoint, the maximum, the growth over the first and the last
 * quarter with the verdict, and the ratios ours/others (<= 1.0: ours no larger). A kernel that
 * stops answering (tslab's did, under load, somewhere past 150 cells) ends its own column with
 * the cell and the reason; the others go on.
 * Run: npm run build && node lib/bench/kernel-memory.js [--cells 10000]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchKernel } from './kernel-client';
import { benchKernels, rss } from './bench-kernels';

const { values } = parseArgs({ options: { cells: { type: 'string', default: '10000' } } });
const CELLS = Number(values.cells);
if (!Number.isInteger(CELLS) || CELLS < 20) throw new Error('--cells takes a whole number >= 20');
const CHECKPOINTS = 20;

/** The kernels started, ended on the way out whatever happens (a failed run leaves none behind). */
const alive: BenchKernel[] = [];

async function main(): Promise<void> {
  const kernels = benchKernels();
  const names = Object.keys(kernels);
  const cwd = mkdtempSync(join(tmpdir(), 'gaissa-bench-cwd-'));
  for (const name of names) {
    const k = await BenchKernel.start(kernels[name], cwd);
    await k.kernelInfo();
    await k.waitForIopub();
    await k.execute('1+1');
    alive.push(k);
  }
  // Column per kernel: RSS (own) and PSS (tree) at start and after each checkpoint.
  const own: number[][] = names.map(() => []);
  const tree: number[][] = names.map(() => []);
  /** Kernels that stopped answering: the cell and why; their columns end there. */
  const stopped = new Map<string, string>();
  const running = () => alive.filter((_, i) => !stopped.has(names[i]));
  const sample = () =>
    alive.forEach((k, i) => {
      if (stopped.has(names[i])) return;
      const m = rss(k);
      own[i].push(m.own);
      tree[i].push(m.tree);
    });
  sample();
  const marks = [0];
  const started = Date.now();
  for (let n = 1; n <= CELLS && running().length > 0; n++) {
    for (const [i, k] of alive.entries()) {
      if (stopped.has(names[i])) continue;
      try {
        await k.execute(`const v${n} = ${n} * 2;\nv${n} + 1`);
      } catch (e) {
        // One kernel that stops answering ends its own column, not the others' run.
        stopped.set(names[i], `stopped answering at cell ${n}: ${(e as Error).message}`);
        process.stdout.write(`  ${names[i]} ${stopped.get(names[i])}\n`);
        k.process.kill('SIGKILL');
      }
    }
    if (n % Math.floor(CELLS / CHECKPOINTS) === 0 || n === CELLS) {
      sample();
      marks.push(n);
      const figures = names
        .map((name, i) => `${name} ${stopped.has(name) ? '-' : own[i].at(-1)!.toFixed(0)}`)
        .join(', ');
      process.stdout.write(
        `  ${n}/${CELLS} cells, ${((Date.now() - started) / 1000).toFixed(0)} s: RSS MB ${figures}\n`
      );
    }
  }
  for (const k of running()) await k.shutdown();

  const cell = (s: string) => s.padStart(12);
  const others = names.filter(n => n !== 'gaissa');
  const figure = (v: number | undefined, digits: number) =>
    v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits);
  const line = (label: string, values: (number | undefined)[], digits = 0) =>
    `${label.padEnd(40)}${values.map(v => cell(figure(v, digits))).join('')}${others
      .map((_, j) => cell(figure(values[0]! / values[j + 1]!, 2)))
      .join('')}`;
  console.log(`\nKernel memory over ${CELLS} new cells, MB`);
  console.log(
    `${''.padEnd(40)}${names.map(cell).join('')}${others.map(o => cell(`ours/${o}`)).join('')}`
  );
  const quarter = Math.floor((marks.length - 1) / 4);
  for (const at of [0, quarter, 2 * quarter, marks.length - 1]) {
    console.log(
      line(
        `RSS after ${marks[at]} cells`,
        own.map(s => s[at])
      )
    );
  }
  console.log(
    line(
      'RSS, maximum',
      own.map(s => Math.max(...s))
    )
  );
  console.log(
    line(
      'PSS with children, at the end',
      tree.map(s => (s.length === marks.length ? s.at(-1) : undefined))
    )
  );
  // Bounded: the last quarter of the run grows no further than the first quarter did.
  const last = marks.length - 1;
  const growth = (from: number, to: number) => own.map(s => s[to]! - s[from]!);
  console.log(line(`RSS growth, first ${marks[quarter]} cells`, growth(0, quarter), 1));
  console.log(
    line(`RSS growth, last ${CELLS - marks[last - quarter]} cells`, growth(last - quarter, last), 1)
  );
  for (const [i, name] of names.entries()) {
    const reason = stopped.get(name);
    if (reason) {
      console.log(`${name}: ${reason}`);
      continue;
    }
    const [first, end] = [growth(0, quarter)[i], growth(last - quarter, last)[i]];
    console.log(
      `${name}: ${end <= Math.max(first, 0) ? 'bounded' : 'still growing'} over ${CELLS} cells`
    );
  }
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    for (const k of alive) k.process.kill('SIGKILL');
    process.exit(1);
  }
);
