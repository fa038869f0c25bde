/**
 * Heartbeat echo in a worker thread: a cell that blocks the main event loop for minutes must not
 * make the kernel look dead to its frontend.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Reply } from 'zeromq';

async function echo(address: string): Promise<void> {
  const socket = new Reply();
  await socket.bind(address);
  // Closing the socket ends the loop below, so the worker exits on its own: terminating a worker
  // with an open zeromq socket aborts the whole process.
  parentPort?.on('message', m => m === 'stop' && socket.close());
  parentPort?.postMessage('bound');
  try {
    for await (const frames of socket) await socket.send(frames);
  } catch (e) {
    if (!socket.closed) throw e;
  }
  parentPort?.close();
}

echo((workerData as { address: string }).address).catch(e => {
  parentPort?.postMessage(`heartbeat failed: ${(e as Error).message}`);
});
