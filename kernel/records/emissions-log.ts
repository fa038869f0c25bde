/**
 * Measurement records on disk, in the notebook's folder: `gaissa-emissions.csv` (CodeCarbon's
 * columns first, then ours) and `gaissa-emissions.jsonl` (the full record, one JSON per line).
 * Appends are crash-safe and safe with several kernels writing the same folder (append-line.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MeasurementRecord } from '../../core/measurement';
import type { CsvRowContext } from './emissions-csv';
import { EMISSIONS_CSV, EMISSIONS_JSONL, EmissionsFileSink } from './record-sink';

export { EMISSIONS_CSV, EMISSIONS_JSONL } from './record-sink';

export interface LogOptions extends CsvRowContext {
  /** fsync each file after appending (survives power loss; costs a few ms). */
  fsync?: boolean;
}

/**
 * Append one record to both files in `dir` (both or neither); returns their paths, or throws
 * naming the file that failed. Callers that must not fail use an EmissionsFileSink directly.
 */
export function appendMeasurement(
  dir: string,
  record: MeasurementRecord,
  options: LogOptions = {}
): { csvPath: string; jsonlPath: string } {
  const sink = new EmissionsFileSink(dir, { ...options, warn: () => {} });
  const result = sink.write(record);
  if (!result.ok) throw new Error(`cannot write ${result.file} (${result.reason})`);
  return { csvPath: join(dir, EMISSIONS_CSV), jsonlPath: join(dir, EMISSIONS_JSONL) };
}

/**
 * Records from a JSON Lines file. A line that does not parse (the torn tail of a killed writer)
 * is counted in `skipped`, never fatal.
 */
export function readMeasurementLog(path: string): {
  records: MeasurementRecord[];
  skipped: number;
} {
  if (!existsSync(path)) return { records: [], skipped: 0 };
  const records: MeasurementRecord[] = [];
  let skipped = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as MeasurementRecord);
    } catch {
      skipped++;
    }
  }
  return { records, skipped };
}
