/**
 * The project's JupyterLab (.venv, where `gaissa install` put the kernel and the extension) on a
 * free port, in a scratch root with its own settings, workspaces and config: Playwright's global
 * setup for the UI tests, and the servers of bench/extension-load.ts.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The repository root, from the sources (tests/ui) or compiled for the bench (lib/tests/ui). */
function repositoryRoot(dir: string): string {
  for (let d = dir; d !== dirname(d); d = dirname(d)) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'bin', 'gaissa.js'))) return d;
  }
  return resolve(dir, '..', '..');
}

const repo = repositoryRoot(__dirname);

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForServer(url: string, token: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`JupyterLab exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/api/status`, {
        headers: { Authorization: `token ${token}` }
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 300));
  }
  throw new Error('JupyterLab did not start within 90 s');
}

export interface JupyterLabServer {
  url: string;
  token: string;
  /** The server's root directory (notebooks go here). */
  root: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * Start without the GAISSA extension, for with/without comparisons: not merely disabled
   * (JupyterLab still fetches a disabled extension's JavaScript) but absent from the
   * extension paths.
   */
  withoutExtension?: boolean;
}

/**
 * One folder holding every prebuilt extension Jupyter would find, but `name`: links to the
 * packages of each `labextensions` folder on Jupyter's data path, the first found of a name
 * winning as in JupyterLab's own search.
 */
function labextensionsWithout(name: string, into: string): string {
  const jupyter = join(repo, '.venv', 'bin', 'jupyter');
  const paths = JSON.parse(execFileSync(jupyter, ['--paths', '--json'], { encoding: 'utf8' }));
  mkdirSync(into, { recursive: true });
  const link = (source: string, pkg: string) => {
    const target = join(into, pkg);
    if (pkg === name || existsSync(target)) return;
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(source, target);
  };
  for (const data of paths.data as string[]) {
    const dir = join(data, 'labextensions');
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) {
      if (!entry.startsWith('@')) link(join(dir, entry), entry);
      else
        for (const pkg of readdirSync(join(dir, entry)))
          link(join(dir, entry, pkg), `${entry}/${pkg}`);
    }
  }
  return into;
}

/** Starts the project's JupyterLab in a scratch directory; `stop()` ends it and cleans up. */
export async function startJupyterLab(options: StartOptions = {}): Promise<JupyterLabServer> {
  const jupyter = join(repo, '.venv', 'bin', 'jupyter');
  if (!existsSync(jupyter)) throw new Error('no .venv: run scripts/setup.sh first');
  const scratch = mkdtempSync(join(tmpdir(), 'gaissa-ui-'));
  const notebooks = join(scratch, 'notebooks');
  mkdirSync(notebooks);
  // No "get notified about Jupyter news?" toast over the screenshots.
  const notification = join(scratch, 'settings', '@jupyterlab', 'apputils-extension');
  mkdirSync(notification, { recursive: true });
  writeFileSync(
    join(notification, 'notification.jupyterlab-settings'),
    JSON.stringify({ fetchNews: 'false' })
  );
  const labextensions = options.withoutExtension
    ? labextensionsWithout('gaissa-jupyterlab', join(scratch, 'labextensions'))
    : null;
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const url = `http://127.0.0.1:${port}`;
  const args = [
    'lab',
    '--no-browser',
    `--port=${port}`,
    '--ip=127.0.0.1',
    `--IdentityProvider.token=${token}`,
    `--ServerApp.root_dir=${notebooks}`,
    '--ServerApp.port_retries=0',
    // Nothing outside this machine: no news feed, no update check.
    '--LabApp.news_url=',
    '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate'
  ];
  if (labextensions) args.push(`--LabApp.labextensions_path=${labextensions}`);
  if (process.getuid?.() === 0) args.push('--allow-root');
  const child = spawn(jupyter, args, {
    cwd: notebooks,
    env: {
      ...process.env,
      // Settings, workspaces and config of this run only: a developer's own cannot leak in.
      JUPYTERLAB_SETTINGS_DIR: join(scratch, 'settings'),
      JUPYTERLAB_WORKSPACES_DIR: join(scratch, 'workspaces'),
      JUPYTER_CONFIG_DIR: join(scratch, 'config'),
      JUPYTER_RUNTIME_DIR: join(scratch, 'runtime')
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true
  });
  const output: string[] = [];
  child.stdout?.on('data', chunk => output.push(String(chunk)));
  child.stderr?.on('data', chunk => output.push(String(chunk)));
  try {
    await waitForServer(url, token, child);
  } catch (error) {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
    throw new Error(`${(error as Error).message}\n${output.join('').slice(-4000)}`, {
      cause: error
    });
  }
  return {
    url,
    token,
    root: notebooks,
    async stop() {
      if (child.pid && child.exitCode === null) {
        const exited = new Promise(r => child.once('exit', r));
        process.kill(-child.pid, 'SIGTERM');
        const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      writeFileSync(join(scratch, 'jupyterlab.log'), output.join(''));
      if (!process.env.GAISSA_UI_KEEP) rmSync(scratch, { recursive: true, force: true });
    }
  };
}

/** Playwright's global setup: one server for the run; tests find it through the environment. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const server = await startJupyterLab();
  process.env.GAISSA_UI_URL = server.url;
  process.env.GAISSA_UI_TOKEN = server.token;
  process.env.GAISSA_UI_ROOT = server.root;
  return () => server.stop();
}
