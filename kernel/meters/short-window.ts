/**
 * A window shorter than SHORT_WINDOW_MS is closed on the main thread, without asking the sampler
 * thread: a round trip to it costs ~0.1–0.2 ms, far more than the window itself and most of what
 * measuring an empty cell would cost. Such a window holds no sample of its own (the thread samples
 * every 100 ms), so the thread would read it off the nearest interval anyway; here:
 *  - estimator: this process's CPU time over the window (process.cpuUsage, µs resolution) against
 *    the machine's utilisation of the last sampled interval, through the same estimateInterval;
 *  - RAPL: the package and DRAM power of the last sampled interval times the window's length
 *    (RAPL counters move about once a millisecond: a few ms of counter would be mostly noise).
 *    No counter was read over the window itself, so its joules are not counted (coverage 0, method
 *    `estimate`, machine scope) and a note says where they came from.
 * GPU machines and tracked child processes always go through the thread (nvidia-smi samples and
 * the process tree live there).
 */
import type { HostInfo, MeterConstants, MeterReading } from '../../core/measurement';
import { estimateInterval } from './estimate';
import type { MeterProbe } from './probe';
import type { PublishedRates } from './shared-state';

export const SHORT_WINDOW_MS = 10;

/** What the main thread notes at both ends of a window. */
export interface WindowMark {
  /** Epoch ms. */
  t: number;
  cpu: NodeJS.CpuUsage;
}

export function markNow(now: number): WindowMark {
  return { t: now, cpu: process.cpuUsage() };
}

export interface MeterContext {
  probe: MeterProbe;
  constants: MeterConstants;
  host: HostInfo;
}

/** The reading of a short window, or null when the sampler thread must compute it. */
export function shortWindowReading(
  start: WindowMark,
  end: WindowMark,
  rates: PublishedRates | null,
  meter: MeterContext
): MeterReading | null {
  const { probe, constants, host } = meter;
  const durationMs = end.t - start.t;
  if (!rates || durationMs >= SHORT_WINDOW_MS || durationMs < 0) return null;
  // RAPL stopped answering since the probe: the thread's reading carries that note.
  if (rates.rapl !== probe.rapl.available || probe.nvidia.available) return null;

  const dtS = durationMs / 1000;
  // The whole process, the sampler thread included (its share of a few ms is within the noise
  // of a per-process estimate; the thread's own accounting needs /proc/thread-self, in the thread).
  const processCpuS = (end.cpu.user + end.cpu.system - start.cpu.user - start.cpu.system) / 1e6;
  const machineTotalS = host.logicalCpus * dtS;
  const estimate = estimateInterval(
    {
      dtS,
      processCpuS,
      machineBusyS: Math.max(processCpuS, rates.machineBusy * machineTotalS),
      machineTotalS,
      rssGB: rates.rssGB
    },
    probe.estimator
  );
  const rapl = rates.rapl;
  const dram = rapl && probe.rapl.hasDram;
  const cpuW = rapl ? rates.cpuW : estimate.cpuW;
  const ramW = dram ? rates.ramW : estimate.ramW;
  const reading: MeterReading = {
    startedAt: start.t,
    endedAt: end.t,
    durationS: dtS,
    components: {
      cpu: {
        energyJ: cpuW * dtS,
        method: 'estimate',
        scope: rapl ? 'machine' : 'process',
        coverage: 0
      },
      gpu: { energyJ: 0, method: null, scope: null, coverage: 1 },
      ram: {
        energyJ: ramW * dtS,
        method: 'estimate',
        scope: dram ? 'machine' : 'process',
        coverage: 0
      }
    },
    gpus: [],
    intervals: dtS > 0 ? [{ t0: 0, t1: dtS, cpuW, gpuW: 0, ramW }] : [],
    constants,
    host,
    fallbackReasons: [...probe.fallbackReasons],
    notes: rapl
      ? [
          `window shorter than ${SHORT_WINDOW_MS} ms: RAPL power of the last sampled interval x the window (extrapolated, not counted)`
        ]
      : [],
    cpuUtilisationPercent: estimate.utilisationPercent,
    ramUsedGB: rates.rssGB,
    samples: 0,
    samplerCpuS: 0
  };
  if (rapl) reading.estimateCheck = { cpuJ: estimate.cpuW * dtS, ramJ: estimate.ramW * dtS };
  return reading;
}
