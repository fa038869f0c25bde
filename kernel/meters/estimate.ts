/**
 * The fallback estimator's readings: this process's CPU time, the machine's CPU time (for
 * utilisation) and resident memory. Power per sampling interval:
 *
 *   machine CPU power  = TDP x TeadsCurve(machine utilisation)
 *   process share      = process CPU seconds / machine busy CPU seconds   (0..1)
 *   process CPU power  = machine CPU power x share
 *   process RAM power  = resident GB x W/GB
 *
 * Attributing by CPU time means a process alone on a machine carries the machine's idle CPU
 * power too, as RAPL would report; the optional idle baseline separates the dynamic part.
 */
import { closeSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import {
  RAM_W_PER_GB,
  RAM_W_PER_GB_SOURCE,
  resolveCpuTdp,
  TEADS_CURVE,
  TEADS_CURVE_SOURCE,
  teadsMultiplier
} from '../../core/cpu-power';
import type { EstimatorConstants } from '../../core/measurement';

/**
 * Clock ticks per second of /proc's CPU times (USER_HZ): 100 on every mainstream Linux
 * architecture (it is part of the user-space ABI, independent of the kernel's HZ).
 */
export const CLOCK_TICKS_PER_S = 100;

export const ATTRIBUTION =
  'machine CPU power (TDP x load curve at machine utilisation) x process CPU time / machine busy CPU time; RAM by resident memory';

export interface EstimatorOptions {
  /** TDP override, W, for the CPUs this OS sees. */
  tdpW?: number;
  ramWPerGB?: number;
  cpuModel?: string;
  logicalCpus?: number;
}

export function estimatorConstants(options: EstimatorOptions = {}): EstimatorConstants {
  const cpus = os.cpus();
  const cpuModel = options.cpuModel ?? cpus[0]?.model?.trim() ?? 'unknown';
  const logicalCpus = options.logicalCpus ?? Math.max(1, cpus.length);
  const tdp = resolveCpuTdp({ model: cpuModel, logicalCpus, overrideW: options.tdpW });
  return {
    cpuTdpW: tdp.tdpW,
    cpuTdpSource: tdp.source,
    cpuModel,
    logicalCpus,
    loadCurve: TEADS_CURVE.map(([u, m]) => [u, m] as [number, number]),
    loadCurveSource: TEADS_CURVE_SOURCE,
    ramWPerGB: options.ramWPerGB ?? RAM_W_PER_GB,
    ramWPerGBSource: options.ramWPerGB === undefined ? RAM_W_PER_GB_SOURCE : 'user override',
    attribution: ATTRIBUTION
  };
}

export interface IntervalInput {
  /** Seconds the interval lasted. */
  dtS: number;
  /** CPU seconds this process (and what it tracks) used in the interval. */
  processCpuS: number;
  /** CPU seconds all CPUs spent busy / in total (busy + idle) in the interval. */
  machineBusyS: number;
  machineTotalS: number;
  /** Resident memory, GB. */
  rssGB: number;
}

export interface IntervalEstimate {
  cpuW: number;
  ramW: number;
  utilisationPercent: number;
  share: number;
}

/** Power over one interval; pure arithmetic, tested on its own. */
export function estimateInterval(
  input: IntervalInput,
  constants: Pick<EstimatorConstants, 'cpuTdpW' | 'ramWPerGB'>
): IntervalEstimate {
  const utilisationPercent =
    input.machineTotalS > 0
      ? Math.min(100, Math.max(0, (100 * input.machineBusyS) / input.machineTotalS))
      : 0;
  // /proc/stat counts in 10 ms ticks while our own CPU time is in µs, so the share can come out
  // above 1 (or busy time at 0) over a short interval: clamp.
  const share =
    input.machineBusyS > 0
      ? Math.min(1, Math.max(0, input.processCpuS / input.machineBusyS))
      : input.processCpuS > 0
        ? 1
        : 0;
  const cpuW = constants.cpuTdpW * teadsMultiplier(utilisationPercent) * share;
  const ramW = Math.max(0, input.rssGB) * constants.ramWPerGB;
  return { cpuW, ramW, utilisationPercent, share };
}

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces or ")". */
export function parseProcStat(text: string): string[] {
  return text
    .slice(text.lastIndexOf(')') + 2)
    .trim()
    .split(/\s+/);
}

/** utime + stime (+ cutime + cstime: reaped children) from a /proc/<pid>/stat line, seconds. */
export function procStatCpuSeconds(text: string, withChildren: boolean): number {
  const f = parseProcStat(text);
  // Fields 14-17 of proc(5), counted from 1; the parsed list starts at field 3 (state).
  const ticks = Number(f[11]) + Number(f[12]) + (withChildren ? Number(f[13]) + Number(f[14]) : 0);
  return ticks / CLOCK_TICKS_PER_S;
}

function readOr<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/**
 * A /proc file kept open and re-read from offset 0, where procfs regenerates it: one pread per
 * sample instead of open + fstat + read + close, which keeps the sampler's own CPU use low.
 */
export class ProcFile {
  private fd: number | null = null;
  private readonly buffer: Buffer;

  constructor(
    readonly path: string,
    size = 1024
  ) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  read(): string {
    this.fd ??= openSync(this.path, 'r');
    const length = readSync(this.fd, this.buffer, 0, this.buffer.length, 0);
    return this.buffer.toString('latin1', 0, length);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

function reader(source: string | ProcFile): () => string {
  return typeof source === 'string' ? () => readFileSync(source, 'utf8') : () => source.read();
}

/**
 * CPU seconds of this process, all threads, plus children it has waited for. The children's part
 * matters for commands run from the notebook or the CLI twin.
 */
export function readProcessCpuSeconds(selfStat: string | ProcFile = '/proc/self/stat'): number {
  const usage = process.cpuUsage();
  const own = (usage.user + usage.system) / 1e6;
  const children = readOr(() => {
    const f = parseProcStat(reader(selfStat)());
    return (Number(f[13]) + Number(f[14])) / CLOCK_TICKS_PER_S;
  }, 0);
  return own + (Number.isFinite(children) ? children : 0);
}

/**
 * CPU seconds of the calling thread (the sampler's own cost); null where /proc lacks it.
 * schedstat's first field is the thread's run time in ns; stat's utime + stime only move in
 * 10 ms ticks, too coarse to subtract the sampler's ~0.1 ms per sample from the process's time.
 */
export function readThreadCpuSeconds(
  threadSchedstat: string | ProcFile = '/proc/thread-self/schedstat',
  threadStat: string | ProcFile = '/proc/thread-self/stat'
): number | null {
  const ns = readOr(() => Number(reader(threadSchedstat)().split(' ', 1)[0]), NaN);
  if (Number.isFinite(ns)) return ns / 1e9;
  return readOr(() => procStatCpuSeconds(reader(threadStat)(), false), null);
}

/** Busy and total CPU seconds of the whole machine (all CPUs) since boot. */
export function readMachineCpuSeconds(stat: string | ProcFile = '/proc/stat'): {
  busyS: number;
  totalS: number;
} {
  const fromProc = readOr(() => {
    const line = reader(stat)().split('\n', 1)[0];
    if (!line.startsWith('cpu ')) return null;
    // user nice system idle iowait irq softirq [steal guest...]; guest time is inside user.
    const [user, nice, system, idle, iowait, irq, softirq] = line
      .slice(4)
      .trim()
      .split(/\s+/)
      .map(Number);
    const idleAll = idle + (iowait || 0);
    // Steal is time the hypervisor gave to someone else: neither our busy time nor our capacity.
    const busy = user + nice + system + (irq || 0) + (softirq || 0);
    return { busyS: busy / CLOCK_TICKS_PER_S, totalS: (busy + idleAll) / CLOCK_TICKS_PER_S };
  }, null);
  if (fromProc) return fromProc;
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busyS: busy / 1000, totalS: total / 1000 };
}

/** Resident memory of this process, GB. */
export function readRssGB(): number {
  return process.memoryUsage.rss() / 1e9;
}

/**
 * CPU seconds and resident GB of a process and all its live descendants (the CLI twin's command).
 * Children a process has reaped are in its cutime/cstime; live ones are found through
 * /proc/<pid>/task/<tid>/children.
 */
export function readProcessTreeUsage(
  pid: number,
  procRoot = '/proc'
): { cpuS: number; rssGB: number } {
  let cpuS = 0;
  let rssKB = 0;
  const seen = new Set<number>();
  const visit = (p: number) => {
    if (seen.has(p)) return;
    seen.add(p);
    const stat = readOr(() => readFileSync(`${procRoot}/${p}/stat`, 'utf8'), null);
    if (stat === null) return;
    cpuS += procStatCpuSeconds(stat, true);
    const status = readOr(() => readFileSync(`${procRoot}/${p}/status`, 'utf8'), '');
    const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    if (rss) rssKB += Number(rss[1]);
    const tasks = readOr(() => readdirSync(`${procRoot}/${p}/task`), [] as string[]);
    for (const tid of tasks) {
      const children = readOr(
        () => readFileSync(`${procRoot}/${p}/task/${tid}/children`, 'utf8'),
        ''
      );
      for (const child of children.split(/\s+/)) if (child) visit(Number(child));
    }
  };
  visit(pid);
  return { cpuS, rssGB: (rssKB * 1024) / 1e9 };
}
