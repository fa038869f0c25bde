/**
 * Where measurement records go, in the spirit of CodeCarbon's output methods: one RecordSink
 * interface, used by `%%gaissa measure`, `gaissa.measure` / `gaissa.meter()`, training and the
 * CLI alike, so they share one policy: a record that cannot be written is reported on the warning
 * stream, naming the file and the reason, and the measurement is still returned.
 *
 * The emissions files sink keeps gaissa-emissions.csv and gaissa-emissions.jsonl in step: both
 * files are opened before either is written (an unwritable file fails before anything is), a
 * failed write is tried once more, and if it still fails the line already written to the other
 * file is taken back, so a record is in both files or in neither.
 */
import { join } from 'node:path';
import type { MeasurementRecord } from '../../core/measurement';
import { LineAppender } from './append-line';
import { EMISSIONS_CSV_HEADER, emissionsCsvRow, type CsvRowContext } from './emissions-csv';

export const EMISSIONS_CSV = 'gaissa-emissions.csv';
export const EMISSIONS_JSONL = 'gaissa-emissions.jsonl';

export type SinkResult =
  | { ok: true; paths: string[] }
  /** `file` is the one that failed; `written` lists files that kept the record anyway. */
  | { ok: false; file: string; reason: string; written: string[]; warning: string };

export interface RecordSink {
  write(record: MeasurementRecord): SinkResult;
}

export interface EmissionsSinkOptions extends CsvRowContext {
  /** fsync each file after appending (survives power loss; costs a few ms). */
  fsync?: boolean;
  /** The warning stream (default: this process's stderr, which a kernel sends to the cell). */
  warn?: (text: string) => void;
}

/**
 * "EISDIR: illegal operation on a directory": Node's message already starts with the code and
 * ends with the call and the path, which the warning names anyway.
 */
export function reasonOf(e: unknown): string {
  const error = e as NodeJS.ErrnoException;
  let message = String(error?.message ?? e);
  if (error?.syscall) {
    const tail = `, ${error.syscall}${error.path === undefined ? '' : ` '${error.path}'`}`;
    if (message.endsWith(tail)) message = message.slice(0, -tail.length);
  }
  return error?.code && !message.startsWith(`${error.code}:`)
    ? `${error.code}: ${message}`
    : message;
}

/** gaissa-emissions.csv and gaissa-emissions.jsonl in `dir`, written together or not at all. */
export class EmissionsFileSink implements RecordSink {
  readonly csvPath: string;
  readonly jsonlPath: string;

  constructor(
    readonly dir: string,
    private readonly options: EmissionsSinkOptions = {}
  ) {
    this.csvPath = join(dir, EMISSIONS_CSV);
    this.jsonlPath = join(dir, EMISSIONS_JSONL);
  }

  write(record: MeasurementRecord): SinkResult {
    const { fsync } = this.options;
    const files = [
      {
        path: this.csvPath,
        line: emissionsCsvRow(record, this.options),
        header: EMISSIONS_CSV_HEADER
      },
      { path: this.jsonlPath, line: JSON.stringify(record), header: undefined }
    ];
    const opened: LineAppender[] = [];
    const done: LineAppender[] = [];
    const fail = (file: string, e: unknown): SinkResult => {
      // Take back what was written, so the two files stay in step.
      const kept = done.filter(a => !a.undo()).map(a => a.path);
      for (const a of opened) a.close();
      const reason = reasonOf(e);
      const others =
        kept.length > 0 ? `; it stays in ${kept.join(', ')} (could not be taken back)` : '';
      const warning = `warning: measurement ${record.id} not logged: cannot write ${file} (${reason})${others}\n`;
      (this.options.warn ?? (text => process.stderr.write(text)))(warning);
      return { ok: false, file, reason, written: kept, warning };
    };
    for (const f of files) {
      try {
        opened.push(LineAppender.open(f.path, { header: f.header, fsync }));
      } catch (e) {
        return fail(f.path, e);
      }
    }
    for (const [i, f] of files.entries()) {
      try {
        try {
          opened[i].append(f.line);
        } catch {
          opened[i].undo();
          opened[i].append(f.line); // once more: a transient failure (EINTR, EAGAIN) passes
        }
        done.push(opened[i]);
      } catch (e) {
        opened[i].undo();
        return fail(f.path, e);
      }
    }
    for (const a of opened) a.close();
    return { ok: true, paths: files.map(f => f.path) };
  }
}
