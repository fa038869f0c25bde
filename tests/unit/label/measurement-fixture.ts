/**
 * Measurement records as kernel/records writes them, built by core/measurement.ts from meter
 * readings (tests/unit/notebook-features/fixtures.ts), so labels rest on the real record shape.
 */
import { writeFileSync } from 'node:fs';
import type { MeasurementRecord } from '../../../core/measurement';
import { measurement } from '../notebook-features/fixtures';

/** A record whose CPU energy a counter (RAPL) read: fully measured. */
export function measuredRecord(id: string, cpuJ = 36): MeasurementRecord {
  return measurement(cpuJ, { id, method: 'rapl' });
}

/** A record whose energy the estimator gave: nothing from a counter. */
export function estimatedRecord(id: string, cpuJ = 36): MeasurementRecord {
  return measurement(cpuJ, { id, method: 'estimate' });
}

/**
 * A record a counter measured only in part, as the provenance contract writes it (coverage 0.6;
 * method 'estimate' and estimated true, since coverage < 1).
 */
export function partlyMeasuredRecord(id: string, cpuJ = 36): MeasurementRecord {
  const record = measurement(cpuJ, { id, method: 'estimate' });
  return {
    ...record,
    coverage: 0.6,
    provenance: 'partly-measured',
    // Its components say the same: RAPL read 60 % of the CPU's joules.
    components: {
      ...record.components,
      cpu: { energyJ: cpuJ, method: 'rapl', scope: 'machine', coverage: 0.6 }
    }
  } as MeasurementRecord;
}

/** Writes records as JSON Lines (one JSON.stringify per line, as the emissions log appends them). */
export function writeJsonLines(path: string, records: readonly object[]): string {
  writeFileSync(path, records.map(r => JSON.stringify(r) + '\n').join(''));
  return path;
}
