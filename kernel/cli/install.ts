/** `gaissa install` / `gaissa uninstall`: the kernelspec and the prebuilt JupyterLab extension. */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KERNEL_NAME } from '../../core/mime-types';
import { packageRoot } from '../versions';
import { CliIO, Command, UsageError } from './command';

const locationOptions = {
  prefix: { type: 'string' },
  user: { type: 'boolean' },
  'sys-prefix': { type: 'boolean' },
  python: { type: 'string' }
} as const;

const locationUsage = `Where (one of; default --user):
  --prefix DIR     DIR/share/jupyter/...
  --user           the per-user Jupyter data directory (~/.local/share/jupyter)
  --sys-prefix     the prefix of the Python environment (of --python, default python3)
  --python PATH    the Python whose sys.prefix --sys-prefix uses`;

/** The Jupyter data directory to write into, as Jupyter itself would look for it. */
export function dataDir(values: {
  prefix?: string;
  user?: boolean;
  'sys-prefix'?: boolean;
  python?: string;
}): string {
  const chosen = [values.prefix !== undefined, values.user, values['sys-prefix']].filter(
    Boolean
  ).length;
  if (chosen > 1) throw new UsageError('choose one of --prefix, --user and --sys-prefix');
  if (values.prefix !== undefined) return join(values.prefix, 'share', 'jupyter');
  if (values['sys-prefix']) {
    const python = values.python ?? 'python3';
    let prefix: string;
    try {
      prefix = execFileSync(python, ['-c', 'import sys; print(sys.prefix)'], {
        encoding: 'utf8'
      }).trim();
    } catch (e) {
      throw new UsageError(`--sys-prefix needs a working ${python}: ${(e as Error).message}`);
    }
    return join(prefix, 'share', 'jupyter');
  }
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter');
}

/** The extension's federated build, produced by `npm run build` (absent before the extension exists). */
export const labextensionBuild = join(packageRoot, 'labextension');

function packageName(): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { name: string })
    .name;
}

/** A Jupyter kernelspec (kernel.json); `argv` is how Jupyter, and our benchmarks, start the kernel. */
export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: 'signal' | 'message';
  metadata: Record<string, unknown>;
  /** Set for the kernel's process by Jupyter. */
  env: Record<string, string>;
}

export function kernelSpec(): KernelSpec {
  return {
    argv: [
      process.execPath,
      join(packageRoot, 'bin', 'gaissa.js'),
      'kernel',
      '-f',
      '{connection_file}'
    ],
    display_name: 'TypeScript (GAISSA)',
    language: 'typescript',
    interrupt_mode: 'signal',
    metadata: { debugger: false },
    // glibc gives each thread that allocates its own malloc arena (up to 8 per core), each keeping
    // freed memory: two arenas take 7-10 MB less RSS from the kernel (V8's heap is its own; its
    // GC threads and ZeroMQ's allocate little). Read by glibc at exec; elsewhere ignored.
    env: { MALLOC_ARENA_MAX: '2' }
  };
}

export function installInto(dir: string, io: CliIO): void {
  if (!existsSync(join(packageRoot, 'lib', 'kernel', 'kernel.js'))) {
    throw new UsageError(
      `the kernel is not built yet; run 'npm run build' in ${packageRoot} first`
    );
  }
  const kernelDir = join(dir, 'kernels', KERNEL_NAME);
  mkdirSync(kernelDir, { recursive: true });
  writeFileSync(join(kernelDir, 'kernel.json'), JSON.stringify(kernelSpec(), null, 2) + '\n');
  copyFileSync(
    join(packageRoot, 'kernel', 'assets', 'logo-svg.svg'),
    join(kernelDir, 'logo-svg.svg')
  );
  io.stdout(`installed kernelspec '${KERNEL_NAME}' in ${kernelDir}\n`);
  if (existsSync(join(labextensionBuild, 'package.json'))) {
    const target = join(dir, 'labextensions', packageName());
    rmSync(target, { recursive: true, force: true });
    cpSync(labextensionBuild, target, { recursive: true });
    io.stdout(`installed JupyterLab extension in ${target}\n`);
  }
}

export const install: Command = {
  name: 'install',
  summary: 'install the kernelspec (and the JupyterLab extension) into Jupyter',
  usage: `Usage: gaissa install [--prefix DIR | --user | --sys-prefix [--python PATH]]\n\n${locationUsage}`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: locationOptions });
    installInto(dataDir(values), io);
    return 0;
  }
};

export const uninstall: Command = {
  name: 'uninstall',
  summary: 'remove the kernelspec and the JupyterLab extension from Jupyter',
  usage: `Usage: gaissa uninstall [--prefix DIR | --user | --sys-prefix [--python PATH]]\n\n${locationUsage}`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: locationOptions });
    const dir = dataDir(values);
    for (const path of [
      join(dir, 'kernels', KERNEL_NAME),
      join(dir, 'labextensions', packageName())
    ]) {
      if (existsSync(path)) {
        rmSync(path, { recursive: true, force: true });
        io.stdout(`removed ${path}\n`);
      }
    }
    return 0;
  }
};
