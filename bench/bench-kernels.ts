/**
 * The kernels the kernel benchmarks compare, and how much memory one uses.
 *
 * Deno: $DENO_BIN, else node_modules/.bin/deno when present (`npm install --no-save deno`, or
 * `npm install --prefix DIR deno` and DENO_BIN=DIR/node_modules/.bin/deno); without it the Deno
 * column is left out and the reason printed. GAISSA_BASELINE=DIR adds the kernel built in another
 * checkout DIR (its bin/gaissa.js) as a column, for before/after figures in the same run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchKernel, KernelCommand } from './kernel-client';
import { kernelSpec } from '../kernel/cli/install';
import { packageRoot } from '../kernel/versions';

/** How each kernel compared is started, by column name. */
export type Kernels = Record<string, KernelCommand>;

/**
 * Ours as the installed kernelspec starts it, tslab 1.0.22's own kernel, and where available Deno's
 * kernel and a baseline build (further columns).
 */
export function benchKernels(): Kernels {
  const kernels: Kernels = {
    // Ours exactly as the installed kernelspec starts it.
    gaissa: kernelSpec(),
    tslab: {
      argv: [
        process.execPath,
        join(packageRoot, 'node_modules', 'tslab', 'bin', 'tslab'),
        'kernel',
        '--config-path',
        '{connection_file}'
      ]
    }
  };
  addColumns(kernels);
  return kernels;
}

// ---- Deno's kernel and a baseline build as further columns ----

/** Deno's binary, or why there is none: the column is then left out, the run goes on. */
function denoBinary(): { bin: string } | { reason: string } {
  const bin = process.env.DENO_BIN || join(packageRoot, 'node_modules', '.bin', 'deno');
  if (!process.env.DENO_BIN && !existsSync(bin)) {
    return { reason: `no ${bin} (set DENO_BIN, or npm install --no-save deno@2.9.6)` };
  }
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.status !== 0) {
    return { reason: `${bin} --version failed: ${probe.error?.message ?? probe.stderr.trim()}` };
  }
  process.stdout.write(`Deno: ${probe.stdout.split('\n')[0]} (${bin})\n`);
  return { bin };
}

function addColumns(kernels: Kernels): void {
  const deno = denoBinary();
  if ('bin' in deno)
    kernels.deno = { argv: [deno.bin, 'jupyter', '--kernel', '--conn', '{connection_file}'] };
  else process.stdout.write(`Deno column left out: ${deno.reason}\n`);
  const base = process.env.GAISSA_BASELINE;
  if (base) {
    // As that build's own kernelspec starts it (argv and env).
    const install = join(resolve(base), 'lib', 'kernel', 'cli', 'install.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- another build's module
    kernels.baseline = (require(install) as { kernelSpec(): KernelCommand }).kernelSpec();
    process.stdout.write(`baseline: the kernel built in ${resolve(base)}\n`);
  }
}

// ---- RSS of a kernel process (and PSS of it with its children) ----

/** A `NAME: N kB` field of a /proc file, in MB. */
function procMb(file: string, field: string): number {
  const text = readFileSync(file, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(text)?.[1]) / 1024;
}

/** The process and all its descendants, from /proc/PID/stat's parent ids. */
function processTree(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // the process ended meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parentOf) if (ppid === tree[i]) tree.push(pid);
  }
  return tree;
}

export function rss(k: BenchKernel): { own: number; tree: number } {
  const own = procMb(`/proc/${k.process.pid}/status`, 'VmRSS');
  let tree = 0;
  for (const pid of processTree(k.process.pid!)) {
    try {
      tree += procMb(`/proc/${pid}/smaps_rollup`, 'Pss');
    } catch {
      // the process ended meanwhile
    }
  }
  return { own, tree };
}
