/**
 * The measurement engine's entry point for the kernel, the CLI and the in-notebook API.
 *
 *   const meter = await openPowerMeter();        // once per kernel: starts the sampler thread
 *   const window = meter.begin();                // synchronous, microseconds
 *   ...the user's code...
 *   const reading = await window.end();          // MeterReading, see core/measurement.ts
 *
 * or, for a one-off, `const session = await startMeasurement(); ...; await session.stop()`.
 * Readings become records with core/measurement.ts's buildMeasurementRecord.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HostInfo, MeterConstants, MeterReading } from '../../core/measurement';
import type { MeterOptions, MeterProbe } from './probe';
import type { FromWorker, LiveSample, ToWorker, WorkerConfig } from './sampler-messages';
import { hostInfo } from './sampling-engine';
import { SharedRates } from './shared-state';
import { markNow, shortWindowReading, type WindowMark } from './short-window';

export { probeMeters, type MeterOptions, type MeterProbe } from './probe';
export type { LiveSample } from './sampler-messages';

/**
 * Loads the worker from TypeScript source when there is no compiled file beside this one (jest
 * runs the sources): a require hook transpiles each .ts module with the typescript package.
 */
const TYPESCRIPT_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const ts = require(workerData.typescript);
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      inlineSourceMap: true
    }
  });
  module._compile(outputText, filename);
};
require(workerData.entry);
`;

function createWorker(options: MeterOptions, shared: SharedArrayBuffer): Worker {
  const compiled = join(__dirname, 'sampler-worker.js');
  if (existsSync(compiled)) {
    return new Worker(compiled, { workerData: { options, shared } satisfies WorkerConfig });
  }
  const source = join(__dirname, 'sampler-worker.ts');
  const config: WorkerConfig = {
    options,
    shared,
    entry: source,
    typescript: require.resolve('typescript')
  };
  return new Worker(TYPESCRIPT_BOOTSTRAP, { eval: true, workerData: config });
}

/** Epoch ms with sub-millisecond resolution, on the same clock the worker uses. */
function now(): number {
  return performance.timeOrigin + performance.now();
}

export interface MeasurementWindow {
  readonly id: number;
  /** Epoch ms. */
  readonly startedAt: number;
  /** Close the window; resolves with what the meters saw between begin and end. */
  end(): Promise<MeterReading>;
}

type Pending = { resolve: (r: MeterReading) => void; reject: (e: Error) => void };

/** A running sampler. One per process is enough; windows may overlap. */
export class PowerMeter {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly liveListeners = new Set<(sample: LiveSample) => void>();
  private failure: Error | null = null;
  private closed = false;
  private exited = false;
  /** The machine, as records describe it. */
  readonly host: HostInfo;

  private constructor(
    private readonly worker: Worker,
    private readonly shared: SharedRates,
    /** Short windows may close here (no tracked child process, whose usage the thread reads). */
    private readonly shortWindows: boolean,
    readonly probe: MeterProbe,
    readonly constants: MeterConstants
  ) {
    this.host = hostInfo(probe);
    worker.on('message', (message: FromWorker) => this.receive(message));
    worker.on('error', e => this.fail(e));
    worker.on('exit', code => {
      this.exited = true;
      if (!this.closed) this.fail(new Error(`the sampler thread exited (code ${code})`));
    });
    // An idle meter must not keep the process alive; pending readings do (see ref()).
    worker.unref();
  }

  static open(options: MeterOptions = {}): Promise<PowerMeter> {
    const shared = SharedRates.create();
    const worker = createWorker(options, shared.buffer);
    const shortWindows = options.trackPid === undefined;
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if (message.type === 'ready') {
          cleanup();
          resolve(new PowerMeter(worker, shared, shortWindows, message.probe, message.constants));
        } else if (message.type === 'failed') {
          cleanup();
          void worker.terminate();
          reject(new Error(`sampler failed to start: ${message.message}`));
        }
      };
      const onError = (e: Error) => {
        cleanup();
        reject(e);
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
    });
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'reading':
        this.settle(message.id)?.resolve(message.reading);
        break;
      case 'failed':
        if (message.id === null) this.fail(new Error(message.message));
        else this.settle(message.id)?.reject(new Error(message.message));
        break;
      case 'live': {
        const { type: _type, ...sample } = message;
        for (const listener of this.liveListeners) listener(sample);
        break;
      }
    }
  }

  private settle(id: number): Pending | undefined {
    const entry = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
    return entry;
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
  }

  /** Open a measurement window now. Synchronous and cheap: it only posts a message. */
  begin(): MeasurementWindow {
    if (this.closed) throw new Error('the power meter is closed');
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    const start = markNow(now());
    this.send({ type: 'begin', id, t: start.t });
    let ended: Promise<MeterReading> | null = null;
    return {
      id,
      startedAt: start.t,
      end: () => {
        ended ??= this.end(id, start);
        return ended;
      }
    };
  }

  private end(id: number, start: WindowMark): Promise<MeterReading> {
    const t = now();
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('the power meter is closed'));
    const short = this.shortWindows
      ? shortWindowReading(start, markNow(t), this.shared.read(), this)
      : null;
    if (short) {
      this.send({ type: 'discard', id });
      return Promise.resolve(short);
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.send({ type: 'end', id, t });
    });
  }

  /**
   * Live power and energy since the meter opened, about every liveIntervalMs (for the
   * `gaissa.meter` comm). Returns the unsubscribe function; sampling stops with the last listener.
   */
  onLive(listener: (sample: LiveSample) => void): () => void {
    this.liveListeners.add(listener);
    if (this.liveListeners.size === 1) this.send({ type: 'live', enabled: true });
    return () => {
      if (this.liveListeners.delete(listener) && this.liveListeners.size === 0 && !this.closed) {
        this.send({ type: 'live', enabled: false });
      }
    };
  }

  /** Stop the sampler thread (and nvidia-smi). Pending windows are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(new Error('the power meter is closed'));
    if (this.exited) return;
    const exited = new Promise<void>(resolve => this.worker.once('exit', () => resolve()));
    // Hold the process open until the thread is gone: an unref'd worker is no reason to wait,
    // and a caller awaiting close() would otherwise see the process end under it.
    this.worker.ref();
    this.send({ type: 'close' });
    const timeout = setTimeout(() => void this.worker.terminate(), 1000);
    timeout.unref();
    await exited;
    clearTimeout(timeout);
  }
}

export function openPowerMeter(options: MeterOptions = {}): Promise<PowerMeter> {
  return PowerMeter.open(options);
}

export interface MeasurementSession {
  readonly startedAt: number;
  /** End the measurement; closes the meter too unless one was passed in. */
  stop(): Promise<MeterReading>;
}

/** A one-off measurement. Pass `meter` to reuse a running sampler (no thread start-up cost). */
export async function startMeasurement(
  options: MeterOptions & { meter?: PowerMeter } = {}
): Promise<MeasurementSession> {
  const { meter: shared, ...meterOptions } = options;
  const meter = shared ?? (await openPowerMeter(meterOptions));
  const window = meter.begin();
  return {
    startedAt: window.startedAt,
    stop: async () => {
      try {
        return await window.end();
      } finally {
        if (!shared) await meter.close();
      }
    }
  };
}
