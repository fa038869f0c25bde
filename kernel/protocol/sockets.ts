/** zeromq 6 sockets of a kernel, with sends serialised (zeromq 6 allows one send at a time). */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Publisher, Router, Socket } from 'zeromq';
import { ConnectionInfo, endpoint } from './connection';

export class SendQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly socket: Socket & { send(frames: Buffer[]): Promise<void> }) {}

  send(frames: Buffer[]): Promise<void> {
    const next = this.tail.then(() => this.socket.send(frames));
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export interface KernelSockets {
  shell: Router;
  control: Router;
  stdin: Router;
  iopub: Publisher;
  heartbeat: Worker;
  close(): Promise<void>;
}

export async function bindSockets(info: ConnectionInfo): Promise<KernelSockets> {
  const shell = new Router();
  const control = new Router();
  const stdin = new Router();
  const iopub = new Publisher();
  await Promise.all([
    shell.bind(endpoint(info, info.shell_port)),
    control.bind(endpoint(info, info.control_port)),
    stdin.bind(endpoint(info, info.stdin_port)),
    iopub.bind(endpoint(info, info.iopub_port))
  ]);
  const heartbeat = new Worker(join(__dirname, 'heartbeat-worker.js'), {
    workerData: { address: endpoint(info, info.hb_port) }
  });
  await new Promise<void>((resolve, reject) => {
    heartbeat.once('message', m => (m === 'bound' ? resolve() : reject(new Error(String(m)))));
    heartbeat.once('error', reject);
  });
  return {
    shell,
    control,
    stdin,
    iopub,
    heartbeat,
    async close() {
      for (const s of [shell, control, stdin, iopub]) s.close();
      const exited = new Promise(resolve => heartbeat.once('exit', resolve));
      heartbeat.postMessage('stop');
      await exited;
    }
  };
}
