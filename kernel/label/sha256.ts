/** SHA-256 of the files a label rests on: a model file, or one record of a JSON Lines file. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';

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

/** Hex SHA-256 of a regular file's bytes, streamed (model files can be gigabytes). */
export async function sha256File(path: string, maxBytes = MAX_MODEL_BYTES): Promise<string> {
  await requireRegularFile(path, maxBytes);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Hex SHA-256 of the line of a JSON Lines file whose record has `id`, without its line break.
 * Hashing one line rather than the file lets the file keep growing (measurements append to it)
 * without breaking the labels that rest on earlier records. Undefined when no record has the id;
 * an error when several do (the reference would be ambiguous).
 */
export async function sha256JsonLine(path: string, id: string): Promise<string | undefined> {
  await requireRegularFile(path, MAX_RECORD_FILE_BYTES);
  const lines = (await readFile(path, 'utf8')).split('\n');
  const found = lines
    .map(line => line.replace(/\r$/, ''))
    .filter(line => {
      try {
        const record = JSON.parse(line) as { id?: unknown };
        return record !== null && typeof record === 'object' && String(record.id) === id;
      } catch {
        return false;
      }
    });
  if (found.length > 1) throw new Error(`${path}: ${found.length} records have id ${id}`);
  return found.length === 1 ? sha256Text(found[0]) : undefined;
}
