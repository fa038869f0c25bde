/**
 * Files the kernel and the CLI read whole or hash: only regular files of a bounded size, since a
 * device (/dev/zero) or a FIFO would make a read or a hash run forever.
 */
import { stat } from 'node:fs/promises';

/** Largest model file hashed: far above any single-file model, far below an endless device. */
export const MAX_MODEL_BYTES = 64 * 2 ** 30;
/** Largest measurement record file read whole: a JSON Lines log of thousands of records. */
export const MAX_RECORD_FILE_BYTES = 64 * 2 ** 20;

/** A file a label names that is not something to hash or read (a device, a FIFO, too large). */
export class UnreadableFileError extends Error {
  constructor(path: string, reason: string) {
    super(`${path} ${reason}`);
    this.name = 'UnreadableFileError';
  }
}

function sizeText(bytes: number): string {
  return bytes >= 2 ** 30 ? `${bytes / 2 ** 30} GiB` : `${bytes / 2 ** 20} MiB`;
}

/**
 * Checks that `path` is a regular file (symbolic links followed) of at most `maxBytes`: /dev/zero
 * or a FIFO would make a read or a hash run forever. Errors of stat itself (ENOENT...) pass through.
 */
export async function requireRegularFile(path: string, maxBytes: number): Promise<void> {
  const info = await stat(path);
  if (!info.isFile()) throw new UnreadableFileError(path, 'is not a regular file');
  if (info.size > maxBytes) {
    throw new UnreadableFileError(path, `is larger than ${sizeText(maxBytes)}`);
  }
}
