/**
 * Kernel memory over many cells: each kernel (ours, tslab 1.0.22's, Deno's where available, a
 * baseline build with GAISSA_BASELINE) alive at once, the same stream of new two-line cells
 * (`const vN = N * 2;` / `vN + 1`, a different N each time) sent to each in turn, and the RSS of the
 * kernel's process (and PSS of its process tree) read every CELLS/20 cells. "Bounded" means the
 * last quarter of the run grows no further than its first quarter did: a kernel that keeps every
 * cell's compiled code or declarations alive climbs all the way.
 * Prints RSS at start and at each checkpoint, the maximum, the growth over the last half, and the
 * ratios ours/others (<= 1.0: ours no larger).
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
  const sample = () =>
    alive.forEach((k, i) => {
      const m = rss(k);
      own[i].push(m.own);
      tree[i].push(m.tree);
    });
  sample();
  const marks = [0];
  const started = Date.now();
  for (let n = 1; n <= CELLS; n++) {
    for (const k of alive) await k.execute(`const v${n} = ${n} * 2;\nv${n} + 1`);
    if (n % Math.floor(CELLS / CHECKPOINTS) === 0 || n === CELLS) {
      sample();
      marks.push(n);
      const figures = names.map((name, i) => `${name} ${own[i].at(-1)!.toFixed(0)}`).join(', ');
      process.stdout.write(
        `  ${n}/${CELLS} cells, ${((Date.now() - started) / 1000).toFixed(0)} s: RSS MB ${figures}\n`
      );
    }
  }
  for (const k of alive) await k.shutdown();

  const cell = (s: string) => s.padStart(12);
  const others = names.filter(n => n !== 'gaissa');
  const line = (label: string, values: number[], digits = 0) =>
    `${label.padEnd(34)}${values.map(v => cell(v.toFixed(digits))).join('')}${others
      .map((_, j) => cell((values[0] / values[j + 1]).toFixed(2)))
      .join('')}`;
  console.log(`\nKernel memory over ${CELLS} new cells, MB`);
  console.log(
    `${''.padEnd(34)}${names.map(cell).join('')}${others.map(o => cell(`ours/${o}`)).join('')}`
  );
  for (const at of [
    0,
    Math.floor(marks.length / 4),
    Math.floor(marks.length / 2),
    marks.length - 1
  ]) {
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
      tree.map(s => s.at(-1)!)
    )
  );
  const half = Math.floor(marks.length / 2);
  console.log(
    line(
      `RSS growth over the last ${CELLS - marks[half]} cells`,
      own.map(s => s.at(-1)! - s[half]),
      1
    )
  );
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    for (const k of alive) k.process.kill('SIGKILL');
    process.exit(1);
  }
);
