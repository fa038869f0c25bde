/** SHA-256 of the files a label rests on: a model file, or one record of a JSON Lines file. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { MAX_MODEL_BYTES, MAX_RECORD_FILE_BYTES, requireRegularFile } from '../regular-file';

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
