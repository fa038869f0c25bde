/** Input handling shared by the label, sci, card and badge commands: bad input exits 2 with a message. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FieldError } from '../../core/field-error';
import type { LabelRecord } from '../../core/label/record';
import { validateLabelRecord } from '../label/label-schema';
import { requireRegularFile } from '../regular-file';

/** Largest label file read: the schema bounds a label to well under this. */
const MAX_LABEL_FILE_BYTES = 16 * 2 ** 20;
import { UsageError } from './command';

/** Runs a node:util parseArgs call, turning its errors (unknown option...) into usage errors. */
export function parsingOptions<R>(parse: () => R): R {
  try {
    return parse();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Runs `body`, reporting invalid input (a FieldError naming its field) as a usage error. */
export async function reportingFields<R>(body: () => Promise<R>): Promise<R> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof FieldError) throw new UsageError(e.message);
    throw e;
  }
}

/** The label record in `path` (relative to the current folder), checked against its schema. */
export async function readLabelFile(path: string): Promise<LabelRecord> {
  let raw: unknown;
  try {
    // A label is small: a device or FIFO named as one must not hang the command.
    await requireRegularFile(resolve(path), MAX_LABEL_FILE_BYTES);
    raw = JSON.parse(await readFile(resolve(path), 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read label ${path}: ${(e as Error).message}`);
  }
  return reportingFields(async () => validateLabelRecord(raw));
}
