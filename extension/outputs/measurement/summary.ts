/**
 * The short form of a measurement that a cell keeps in `cell.metadata.gaissa` (JSON Schema:
 * schema/cell-metadata.schema.json) so its energy badge survives save and reload, and that the
 * measurements panel lists. Both the outputs and the metadata come from notebooks we did not
 * write, so every field is checked here by hand (the full record goes through ajv in the card).
 */
import type { MeasurementRecord } from '../../../core/measurement';
import { coverageOfRecord } from '../../../core/provenance';

/** The key under cell.metadata. */
export const CELL_METADATA_KEY = 'gaissa';

export type SummaryMethod = MeasurementRecord['method'];
export type SummaryStatus = MeasurementRecord['status'];

export interface MeasurementSummary {
  id: string;
  label: string | null;
  status: SummaryStatus;
  /** ISO 8601 end of the last run. */
  endedAt: string;
  energyJ: number;
  durationS: number;
  powerW: number;
  co2eG: number;
  cost: number | null;
  currency: string | null;
  method: SummaryMethod;
  estimated: boolean;
  /**
   * Share of energyJ a hardware counter measured, 0..1. Metadata written before it existed
   * reads as 1 when estimated is false, else 0.
   */
  coverage: number;
  region: string;
  /** Measured runs (warm-ups excluded). */
  repeats: number;
}

export interface CellGaissaMetadata {
  schemaVersion: 1;
  lastMeasurement: MeasurementSummary;
}

const METHODS: readonly string[] = ['rapl', 'nvml', 'estimate'];
const STATUSES: readonly string[] = ['ok', 'error', 'interrupted'];
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function nonNegative(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0;
}

function shortString(x: unknown, max: number): x is string {
  return typeof x === 'string' && x.length <= max;
}

/** The summary of a full measurement record (an output's payload), or null if it is not one. */
export function summarizeMeasurement(payload: unknown): MeasurementSummary | null {
  if (!isObject(payload) || payload.schemaVersion !== 1) return null;
  const repeat = payload.repeat;
  const n = isObject(repeat) ? repeat.n : undefined;
  return checkSummary({
    id: payload.id,
    label: payload.label,
    status: payload.status,
    endedAt: payload.endedAt,
    energyJ: payload.energyJ,
    durationS: payload.durationS,
    powerW: payload.powerW,
    co2eG: payload.co2eG,
    cost: payload.cost,
    currency: payload.currency,
    method: payload.method,
    estimated: payload.estimated,
    // Read from the whole record, components included: the summary has no components to check.
    coverage: coverageOfRecord(payload),
    region: payload.region,
    repeats: n
  });
}

/** `cell.metadata.gaissa` if it is well formed, else null (a hostile or older notebook). */
export function readCellMetadata(value: unknown): CellGaissaMetadata | null {
  if (!isObject(value) || value.schemaVersion !== 1) return null;
  const lastMeasurement = checkSummary(value.lastMeasurement);
  return lastMeasurement ? { schemaVersion: 1, lastMeasurement } : null;
}

export function cellMetadataOf(summary: MeasurementSummary): CellGaissaMetadata {
  return { schemaVersion: 1, lastMeasurement: summary };
}

/** A copy holding exactly the summary's fields when every one is valid, else null. */
export function checkSummary(x: unknown): MeasurementSummary | null {
  if (!isObject(x)) return null;
  const ok =
    shortString(x.id, 200) &&
    x.id.length > 0 &&
    (x.label === null || shortString(x.label, 1000)) &&
    typeof x.status === 'string' &&
    STATUSES.includes(x.status) &&
    typeof x.endedAt === 'string' &&
    ISO_TIME.test(x.endedAt) &&
    nonNegative(x.energyJ) &&
    nonNegative(x.durationS) &&
    nonNegative(x.powerW) &&
    nonNegative(x.co2eG) &&
    (x.cost === null || nonNegative(x.cost)) &&
    (x.currency === null || (typeof x.currency === 'string' && /^[A-Z]{3}$/.test(x.currency))) &&
    typeof x.method === 'string' &&
    METHODS.includes(x.method) &&
    typeof x.estimated === 'boolean' &&
    (x.coverage === undefined ||
      (typeof x.coverage === 'number' && x.coverage >= 0 && x.coverage <= 1)) &&
    shortString(x.region, 100) &&
    x.region.length > 0 &&
    typeof x.repeats === 'number' &&
    Number.isInteger(x.repeats) &&
    x.repeats >= 1;
  if (!ok) return null;
  return {
    id: x.id as string,
    label: x.label as string | null,
    status: x.status as SummaryStatus,
    endedAt: x.endedAt as string,
    energyJ: x.energyJ as number,
    durationS: x.durationS as number,
    powerW: x.powerW as number,
    co2eG: x.co2eG as number,
    cost: x.cost as number | null,
    currency: x.currency as string | null,
    method: x.method as SummaryMethod,
    estimated: x.estimated as boolean,
    coverage: coverageOfRecord(x),
    region: x.region as string,
    repeats: x.repeats as number
  };
}
