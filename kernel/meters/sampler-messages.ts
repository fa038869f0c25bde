/** Messages between the sampler (main thread) and its worker thread. Times are epoch ms. */
import type { MeterConstants, MeterReading } from '../../core/measurement';
import type { MeterOptions, MeterProbe } from './probe';

export interface LiveSample {
  /** Epoch ms of the sample. */
  t: number;
  powerW: number;
  cpuW: number;
  gpuW: number;
  ramW: number;
  /** Energy since the meter opened, J (IT energy, before PUE). */
  energyJ: number;
  /** Share of powerW that hardware counters read (the rest estimated), 0..1. */
  coverage: number;
}

export type ToWorker =
  | { type: 'begin'; id: number; t: number }
  | { type: 'end'; id: number; t: number }
  /** The main thread closed a short window itself: forget it, send nothing back. */
  | { type: 'discard'; id: number }
  | { type: 'live'; enabled: boolean }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; probe: MeterProbe; constants: MeterConstants }
  | { type: 'reading'; id: number; reading: MeterReading }
  | { type: 'failed'; id: number | null; message: string }
  | ({ type: 'live' } & LiveSample);

export interface WorkerConfig {
  options: MeterOptions;
  /** Where the thread publishes its latest rates (shared-state.ts). */
  shared: SharedArrayBuffer;
  /** When the worker runs from TypeScript source (tests), the module to load after the hook. */
  entry?: string;
  typescript?: string;
}
