/**
 * Measurement records (core/measurement.ts) as a source of figures for ROI and labels. Only the
 * fields used here are required, so a record read back from `gaissa-emissions.jsonl`, or written
 * by hand, works as well as a fresh one.
 */
import { FieldError, describe, isPlainObject } from '../../core/field-error';
import type { MeasurementRecord } from '../../core/measurement';
import { coverageOfRecord, provenanceText } from '../../core/provenance';

export type MeasurementLike = Pick<
  MeasurementRecord,
  'id' | 'energyJ' | 'co2eG' | 'estimated' | 'pue' | 'carbonIntensityGPerKWh'
> &
  Partial<
    Pick<
      MeasurementRecord,
      | 'status'
      | 'label'
      | 'dynamicEnergyJ'
      | 'facilityEnergyJ'
      | 'durationS'
      | 'pricePerKWh'
      | 'currency'
      | 'region'
      | 'regionName'
      | 'host'
      | 'method'
      | 'coverage'
      | 'provenance'
    >
  >;

/** Told apart from a label request or a comparison by its own fields. */
export function isMeasurementRecord(value: unknown): value is MeasurementLike {
  return (
    isPlainObject(value) &&
    typeof value.id === 'string' &&
    'energyJ' in value &&
    'co2eG' in value &&
    !('variants' in value)
  );
}

/** Problems that make a record unusable as a source: a failed run, a missing or zero energy. */
export function measurementProblems(record: MeasurementLike, at: string): FieldError[] {
  const problems: FieldError[] = [];
  if (record.status !== undefined && record.status !== 'ok') {
    problems.push(
      new FieldError(
        `${at}.status`,
        `is ${describe(record.status)}: measure a run that finished to use its energy`
      )
    );
  }
  for (const field of ['energyJ', 'co2eG'] as const) {
    const value = record[field];
    const positive = field === 'energyJ';
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && !value)) {
      problems.push(
        new FieldError(
          `${at}.${field}`,
          `must be a finite number${positive ? ' > 0' : ' >= 0'}, got ${describe(value)}`
        )
      );
    }
  }
  return problems;
}

/**
 * "m-abc (my run), measured with rapl" for provenance notes; a mix reads "partly measured (NN %
 * counter)". Records from before coverage existed are read by their estimated flag.
 */
export function describeMeasurement(record: MeasurementLike): string {
  const name = record.label ? ` (${record.label})` : '';
  const coverage = coverageOfRecord(record);
  const how =
    coverage <= 0
      ? 'estimated (no hardware counter)'
      : coverage < 1
        ? `${provenanceText(coverage)}, the rest estimated`
        : `measured${record.method ? ` with ${record.method}` : ''}`;
  return `measurement ${record.id}${name}, ${how}`;
}
