/**
 * Measurement records as kernel/records writes them, built by core/measurement.ts from meter
 * readings (tests/unit/notebook-features/fixtures.ts), so labels rest on the real record shape.
 */
import { writeFileSync } from 'node:fs';
import { buildMeasurementRecord, type MeasurementRecord } from '../../../core/measurement';
import { measurement, reading, settings } from '../notebook-features/fixtures';

/** A record whose CPU energy a counter (RAPL) read: fully measured. */
export function measuredRecord(id: string, cpuJ = 36): MeasurementRecord {
  return measurement(cpuJ, { id, method: 'rapl' });
}

/** A record whose energy the estimator gave: nothing from a counter. */
export function estimatedRecord(id: string, cpuJ = 36): MeasurementRecord {
  return measurement(cpuJ, { id, method: 'estimate' });
}

/**
 * A record a counter measured only in part, built as core/measurement.ts builds one: two runs,
 * the first read by RAPL (1.2 x cpuJ), the second estimated (0.8 x cpuJ) after RAPL stopped
 * answering, so 60 % of the joules came from the counter (coverage 0.6, method 'estimate').
 */
export function partlyMeasuredRecord(id: string, cpuJ = 36): MeasurementRecord {
  return buildMeasurementRecord({
    runs: [reading(cpuJ * 1.2, 'rapl'), reading(cpuJ * 0.8, 'estimate', 1.7e12 + 3000)],
    settings,
    id
  });
}

/** Writes records as JSON Lines (one JSON.stringify per line, as the emissions log appends them). */
export function writeJsonLines(path: string, records: readonly object[]): string {
  writeFileSync(path, records.map(r => JSON.stringify(r) + '\n').join(''));
  return path;
}
