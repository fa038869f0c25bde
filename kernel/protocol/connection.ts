/** The connection file Jupyter writes for a kernel: where to bind and how to sign. */
import { readFileSync } from 'node:fs';

export interface ConnectionInfo {
  transport: 'tcp' | 'ipc';
  ip: string;
  key: string;
  signature_scheme: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
}

export function readConnectionFile(path: string): ConnectionInfo {
  const info = JSON.parse(readFileSync(path, 'utf8')) as Partial<ConnectionInfo>;
  for (const field of [
    'ip',
    'shell_port',
    'iopub_port',
    'stdin_port',
    'control_port',
    'hb_port'
  ] as const) {
    if (info[field] === undefined) throw new Error(`connection file ${path} lacks ${field}`);
  }
  return {
    transport: info.transport ?? 'tcp',
    key: info.key ?? '',
    signature_scheme: info.signature_scheme ?? 'hmac-sha256',
    ...info
  } as ConnectionInfo;
}

export function endpoint(info: ConnectionInfo, port: number): string {
  return info.transport === 'ipc' ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}
