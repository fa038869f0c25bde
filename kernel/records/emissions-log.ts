/**
 * Measurement records on disk, in the notebook's folder: `gaissa-emissions.csv` (CodeCarbon's
 * columns first, then ours) and `gaissa-emissions.jsonl` (the full record, one JSON per line).
 * Appends are crash-safe and safe with several kernels writing the same folder (append-line.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MeasurementRecord } from '../../core/measurement';
import { appendLine } from './append-line';
import { EMISSIONS_CSV_HEADER, emissionsCsvRow, type CsvRowContext } from './emissions-csv';

export const EMISSIONS_CSV = 'gaissa-emissions.csv';
export const EMISSIONS_JSONL = 'gaissa-emissions.jsonl';

export interface LogOptions extends CsvRowContext {
  /** fsync each file after appending (survives power loss; costs a few ms). */
  fsync?: boolean;
}

/** Append one record to both files in `dir`; returns their paths. */
export function appendMeasurement(
  dir: string,
  record: MeasurementRecord,
  options: LogOptions = {}
): { csvPath: string; jsonlPath: string } {
  const jsonlPath = join(dir, EMISSIONS_JSONL);
  const csvPath = join(dir, EMISSIONS_CSV);
  appendLine(jsonlPath, JSON.stringify(record), { fsync: options.fsync });
  appendLine(csvPath, emissionsCsvRow(record, options), {
    header: EMISSIONS_CSV_HEADER,
    fsync: options.fsync
  });
  return { csvPath, jsonlPath };
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
