/**
 * The sampler's thread. It reads the meters on its own timer, so a cell that blocks the main
 * event loop for minutes is still sampled: 10 Hz while a measurement window is open, the live
 * interval while the status-bar meter listens, not at all otherwise.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { NvidiaSampleStream } from './nvidia';
import { probeMeters } from './probe';
import type { FromWorker, ToWorker, WorkerConfig } from './sampler-messages';
import { DEFAULT_INTERVAL_MS, DEFAULT_LIVE_INTERVAL_MS, SamplingEngine } from './sampling-engine';
import { SharedRates } from './shared-state';

/** How long the meter waits for nvidia-smi's first lines before it is ready anyway. */
const FIRST_LINE_TIMEOUT_MS = 3000;

async function run(config: WorkerConfig): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('sampler-worker must run in a worker thread');
  const send = (message: FromWorker) => port.postMessage(message);
  const options = config.options;
  const activeMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const liveMs = options.liveIntervalMs ?? DEFAULT_LIVE_INTERVAL_MS;

  const probe = await probeMeters(options);
  const engine = new SamplingEngine(probe, options);
  const shared = new SharedRates(config.shared);
  const publish = () => shared.write(engine.rates());
  publish();
  // A window's end waits for every GPU's next line (at most a few intervals), so that its GPU
  // joules are read between samples rather than extrapolated past the last one.
  const waiting = new Map<number, { t: number; timer: ReturnType<typeof setTimeout> }>();
  const finish = (id: number, t: number) => {
    const wait = waiting.get(id);
    if (wait) clearTimeout(wait.timer);
    waiting.delete(id);
    try {
      send({ type: 'reading', id, reading: engine.end(id, t) });
    } catch (e) {
      send({ type: 'failed', id, message: (e as Error).message });
    }
    publish();
  };
  const settleWaiting = (all: boolean) => {
    for (const [id, { t }] of waiting) if (all || !engine.awaitsGpu(t)) finish(id, t);
    reschedule();
  };
  // The meter is ready once every GPU has reported a line since it opened: a window opened before
  // any would have its first milliseconds extrapolated, not counted.
  const openedAt = engine.now();
  let firstLines: (() => void) | null = null;
  const stream = probe.nvidia.available
    ? new NvidiaSampleStream(
        probe.nvidia,
        activeMs,
        (s, at) => {
          engine.gpuSample(s, at);
          if (firstLines && !engine.awaitsGpu(openedAt)) firstLines();
          if (waiting.size > 0) settleWaiting(false);
        },
        { env: options.nvidiaEnv }
      )
    : null;
  if (stream) {
    stream.onUnexpectedExit = reason => {
      engine.note(`nvidia-smi stopped (${reason}): GPU energy after that is extrapolated`);
      firstLines?.();
      settleWaiting(true);
    };
    const started = new Promise<void>(resolve => {
      const timer = setTimeout(() => firstLines?.(), FIRST_LINE_TIMEOUT_MS);
      firstLines = () => {
        clearTimeout(timer);
        firstLines = null;
        resolve();
      };
    });
    stream.start();
    await started;
  }

  let live = false;
  let lastLive = 0;
  let timer: ReturnType<typeof setInterval> | null = null;
  let timerMs: number | null = null;

  const tick = () => {
    engine.sample();
    publish();
    if (live && engine.now() - lastLive >= liveMs * 0.9) {
      lastLive = engine.now();
      send({ type: 'live', ...engine.live() });
    }
  };
  const reschedule = () => {
    const wanted = engine.openWindows > 0 ? activeMs : live ? liveMs : null;
    if (wanted === timerMs) return;
    if (timer) clearInterval(timer);
    timer = wanted === null ? null : setInterval(tick, wanted);
    timerMs = wanted;
  };

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'begin':
        engine.begin(message.id, message.t);
        publish();
        break;
      case 'end': {
        const { id, t } = message;
        if (stream?.running && engine.awaitsGpu(t)) {
          const timer = setTimeout(() => {
            finish(id, t);
            reschedule();
          }, activeMs * 3);
          waiting.set(id, { t, timer });
        } else finish(id, t);
        break;
      }
      case 'discard':
        engine.discard(message.id);
        break;
      case 'live':
        live = message.enabled;
        break;
      case 'close':
        for (const { timer } of waiting.values()) clearTimeout(timer);
        stream?.stop();
        engine.close();
        if (timer) clearInterval(timer);
        timer = null;
        port.close();
        return;
    }
    reschedule();
  });
  send({ type: 'ready', probe, constants: engine.constants });
}

run(workerData as WorkerConfig).catch(e => {
  parentPort?.postMessage({
    type: 'failed',
    id: null,
    message: (e as Error).stack ?? String(e)
  } satisfies FromWorker);
});
