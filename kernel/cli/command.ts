/** The contract every `gaissa` subcommand fulfils, so `gaissa --help` can list them all. */
import { readFileSync } from 'node:fs';
import { MAX_RECORD_FILE_BYTES, requireRegularFile } from '../regular-file';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads all of standard input (used by `--json -`). */
  readStdin(): Promise<string>;
}

export interface Command {
  name: string;
  /** One line for `gaissa --help`. */
  summary: string;
  /** Full usage text for `gaissa CMD --help`. */
  usage: string;
  /** Returns the process exit status: 0 ok, 1 a gate failed, 2 bad usage or invalid input. */
  run(args: string[], io: CliIO): Promise<number>;
}

/** Thrown for bad usage or invalid input; the dispatcher prints the message and exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Reads and parses a JSON document from a file path, or from standard input when the path is `-`. */
export async function readJsonArg(path: string | undefined, io: CliIO): Promise<unknown> {
  if (!path) throw new UsageError('--json FILE|- is required');
  let text: string;
  try {
    // A FIFO or a device (/dev/zero) would make the read run forever: only a regular file.
    if (path !== '-') await requireRegularFile(path, MAX_RECORD_FILE_BYTES);
    text = path === '-' ? await io.readStdin() : readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(
      `${path === '-' ? 'standard input' : path} is not valid JSON: ${(e as Error).message}`
    );
  }
}

/** Where the first non-finite number (NaN, ±Infinity) in a JSON-bound value is, if any. */
export function nonFinitePath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path || '(value)';
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, v] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    const found = nonFinitePath(v, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * `value` as indented JSON. JSON.stringify writes NaN and Infinity as null, which would pass an
 * overflow off as a figure; a computed figure that overflows is invalid input instead.
 */
export function finiteJson(value: unknown, what: string): string {
  const bad = nonFinitePath(value);
  if (bad !== undefined) {
    throw new UsageError(
      `${what}: ${bad} overflows (is not a finite number): the input figures are out of range`
    );
  }
  return JSON.stringify(value, null, 2) + '\n';
}
