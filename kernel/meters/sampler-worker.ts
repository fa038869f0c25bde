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
  const stream = probe.nvidia.available
    ? new NvidiaSampleStream(probe.nvidia, activeMs, (s, at) => engine.gpuSample(s, at), {
        env: options.nvidiaEnv
      })
    : null;
  if (stream) {
    stream.onUnexpectedExit = reason =>
      engine.note(`nvidia-smi stopped (${reason}): GPU energy after that is extrapolated`);
    stream.start();
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
      case 'end':
        try {
          send({ type: 'reading', id: message.id, reading: engine.end(message.id, message.t) });
        } catch (e) {
          send({ type: 'failed', id: message.id, message: (e as Error).message });
        }
        publish();
        break;
      case 'discard':
        engine.discard(message.id);
        break;
      case 'live':
        live = message.enabled;
        break;
      case 'close':
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
