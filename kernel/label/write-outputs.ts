/**
 * Writing a command's outputs all or none: each goes to a temporary file beside its target, and
 * only when every one is written are they renamed over their targets; a failure on the way
 * removes the temporaries and puts back what the targets held. No output may be one of the
 * command's inputs. Errors are OutputErrors: one line naming the file and the reason.
 */
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { copyFile, link, lstat, mkdir, realpath, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

export class OutputError extends Error {
  constructor(
    readonly path: string,
    reason: string
  ) {
    super(`cannot write ${path}: ${reason}`);
    this.name = 'OutputError';
  }
}

export interface Output {
  path: string;
  data: string | Uint8Array;
}

/** The two calls a write can fail in; tests pass failing ones (a read-only folder as root). */
export interface OutputFs {
  open: typeof fsPromises.open;
  rename: typeof fsPromises.rename;
}

const realFs: OutputFs = { open: fsPromises.open, rename: fsPromises.rename };

/** Removes a side file; one that cannot be there (its folder is a file) is not an error. */
async function removeQuietly(path: string): Promise<void> {
  await rm(path, { force: true }).catch(() => undefined);
}

/** The reason of a file-system error in words, without the temporary names Node puts in it. */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a folder on its path is a file';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ENOENT':
      return 'its folder does not exist';
    default:
      return (e as Error)?.message ?? String(e);
  }
}

/** The path as the file system names it (symbolic links and `..` resolved) when it exists. */
export function canonicalPath(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync.native(absolute);
  } catch {
    try {
      return join(realpathSync.native(dirname(absolute)), basename(absolute));
    } catch {
      return absolute;
    }
  }
}

function sideName(path: string, kind: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.${kind}`
  );
}

/**
 * The file an output really replaces: a symbolic link is written through to its target (the link
 * stays a link), so the rename lands on the target, never on the link.
 */
async function realTarget(path: string): Promise<string> {
  const link = await lstat(path).catch(() => undefined);
  if (!link?.isSymbolicLink()) return path;
  try {
    return await realpath(path);
  } catch {
    throw new OutputError(path, 'it is a symbolic link to a file that does not exist');
  }
}

/**
 * Refuses outputs that are inputs, repeat one another or name anything but a regular file (a
 * directory, a FIFO, a device: renaming over one would replace it); writes nothing. Returns the
 * paths to write, symbolic links resolved.
 */
async function checkTargets(paths: string[], inputs: readonly string[]): Promise<string[]> {
  const inputSet = new Map(inputs.map(p => [canonicalPath(p), p]));
  const seen = new Set<string>();
  const targets: string[] = [];
  for (const path of paths) {
    const key = canonicalPath(path);
    const input = inputSet.get(key);
    if (input !== undefined) {
      throw new OutputError(path, `it is the input ${input}; choose another path`);
    }
    if (seen.has(key)) throw new OutputError(path, 'it is named as two outputs');
    seen.add(key);
    const target = await realTarget(path);
    const info = await stat(target).catch(() => undefined);
    if (info?.isDirectory()) throw new OutputError(path, 'it is a directory');
    if (info && !info.isFile()) throw new OutputError(path, 'it is not a regular file');
    targets.push(target);
  }
  return targets;
}

async function writeTemp(output: Output & { shown: string }, fs: OutputFs): Promise<string> {
  const temp = sideName(output.path, 'tmp');
  try {
    await mkdir(dirname(output.path), { recursive: true });
    const handle = await fs.open(temp, 'wx');
    try {
      await handle.writeFile(output.data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    return temp;
  } catch (e) {
    await removeQuietly(temp);
    throw new OutputError(output.shown, fsReason(e));
  }
}

/** A copy of what `path` holds now (a hard link where possible), or undefined when nothing. */
async function backUp(path: string): Promise<string | undefined> {
  const exists = await stat(path).then(
    () => true,
    () => false
  );
  if (!exists) return undefined;
  const backup = sideName(path, 'bak');
  try {
    await link(path, backup);
  } catch {
    await copyFile(path, backup);
  }
  return backup;
}

/**
 * Writes every output or none. `inputs` are the files the command read: naming one of them as an
 * output is refused before anything is written.
 */
export async function writeOutputs(
  outputs: readonly Output[],
  inputs: readonly string[] = [],
  fs: OutputFs = realFs
): Promise<void> {
  const real = await checkTargets(
    outputs.map(o => resolve(o.path)),
    inputs
  );
  // Errors name the path as given; the write goes to the file it resolves to.
  const targets = outputs.map((o, i) => ({ ...o, path: real[i], shown: resolve(o.path) }));
  const temps: string[] = [];
  const backups: (string | undefined)[] = [];
  let renamed = 0;
  try {
    for (const t of targets) temps.push(await writeTemp(t, fs));
    for (const t of targets) {
      try {
        backups.push(await backUp(t.path));
      } catch (e) {
        throw new OutputError(t.shown, `cannot keep its earlier content: ${fsReason(e)}`);
      }
    }
    for (const [i, t] of targets.entries()) {
      try {
        await fs.rename(temps[i], t.path);
      } catch (e) {
        throw new OutputError(t.shown, fsReason(e));
      }
      renamed++;
    }
  } catch (e) {
    // Put back what the already replaced targets held, then drop every side file.
    for (let i = 0; i < renamed; i++) {
      const backup = backups[i];
      if (backup) await fsPromises.rename(backup, targets[i].path).catch(() => undefined);
      else await removeQuietly(targets[i].path);
    }
    await Promise.all([...temps, ...backups].map(f => f && removeQuietly(f)));
    throw e;
  }
  await Promise.all(backups.map(f => f && removeQuietly(f)));
}
