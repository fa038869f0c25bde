/**
 * Who and where a measurement was made, for team servers that gather many users' records: the
 * user (JupyterHub's, else the OS account), the JupyterHub named server, the notebook (Jupyter
 * server sets JPY_SESSION_NAME to the notebook's path when it starts a kernel for it) and the
 * kernel's id (the name of its connection file, `kernel-<id>.json`).
 */
import { hostname, userInfo } from 'node:os';
import { basename } from 'node:path';

export interface Attribution {
  user: string;
  /** JupyterHub's named server; null for the default server or outside JupyterHub. */
  server: string | null;
  notebook: string | null;
  /** The Jupyter kernel's id; null outside a kernel (the CLI). */
  kernelId: string | null;
  /** Names this process's series and run when there is no kernel id (`cli-host-pid`). */
  instance: string;
}

let connectionFile: string | undefined;

/** Called by `gaissa kernel -f FILE`: the kernel's id is the file's name. */
export function setConnectionFile(path: string): void {
  connectionFile = path;
}

export function kernelIdOf(path: string): string {
  return basename(path)
    .replace(/^kernel-/, '')
    .replace(/\.json$/, '');
}

function osUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER || 'unknown'; // no passwd entry (a container's arbitrary uid)
  }
}

export function attributionOf(
  env: NodeJS.ProcessEnv = process.env,
  file: string | undefined = connectionFile
): Attribution {
  const kernelId = file ? kernelIdOf(file) : null;
  return {
    user: env.JUPYTERHUB_USER || osUser(env),
    server: env.JUPYTERHUB_SERVER_NAME || null,
    notebook: env.JPY_SESSION_NAME || null,
    kernelId,
    instance: kernelId ?? `cli-${hostname()}-${process.pid}`
  };
}
