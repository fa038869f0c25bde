/**
 * Software Carbon Intensity, ISO/IEC 21031:2024 (the Green Software Foundation's SCI
 * specification): SCI = (E x I + M) per R, with embodied M = TE x (TiR / EL) x (RR / ToR).
 *
 * Location-based grid intensity only: the specification excludes market-based figures, and
 * offsets (certificates, neutrality claims) never lower the score, so the input has no field for
 * them and rejects one when sent.
 */
import { FieldError, isPlainObject, requireNumber } from './field-error';

/** The specification counts a year as 8,760 hours when it turns a lifespan into hours. */
export const HOURS_PER_YEAR = 8760;

export interface EmbodiedInput {
  /** TE: total embodied emissions of the hardware, kg CO2e. */
  totalKg: number;
  /** EL: expected lifespan of the hardware, years. */
  lifespanYears: number;
  /** TiR: hours the hardware was reserved for the software during the measurement. */
  reservedHours: number;
  /** RR / ToR: share of the hardware's resources reserved for the software, 0..1. */
  resourceShare: number;
}

export interface SciInput {
  /** E: energy used by the software over the measured window, kWh. */
  energyKWh: number;
  /** I: location-based grid carbon intensity, gCO2e/kWh. */
  carbonIntensity: number;
  /** M's inputs; when absent, embodied emissions are left out and the disclosure says so. */
  embodied?: EmbodiedInput;
  /** R: how many functional units the measured window served. */
  functionalUnits: number;
  /** What one functional unit is, e.g. "inference", "1k tokens", "training run". */
  functionalUnit?: string;
  /** What the energy figure covers (the software boundary), in words. */
  boundary?: string;
}

export interface SciDisclosure {
  standard: 'ISO/IEC 21031:2024 (GSF SCI)';
  boundary: string;
  functionalUnit: string;
  method: 'location-based';
  carbonIntensityGPerKWh: number;
  embodied: 'included' | 'not included';
}

export interface SciResult {
  /** SCI score, g CO2e per functional unit. */
  sciG: number;
  /** E x I per functional unit, g CO2e. */
  operationalG: number;
  /** M per functional unit, g CO2e. */
  embodiedG: number;
  functionalUnits: number;
  disclosure: SciDisclosure;
  /** The validated input, so a record can be recomputed and checked. */
  input: SciInput;
}

export const DEFAULT_SCI_BOUNDARY = 'energy measured for the software (as reported by the meter)';

const SCI_FIELDS = [
  'energyKWh',
  'carbonIntensity',
  'embodied',
  'functionalUnits',
  'functionalUnit',
  'boundary'
];
const EMBODIED_FIELDS = ['totalKg', 'lifespanYears', 'reservedHours', 'resourceShare'];

/** Checks an untrusted SCI input (CLI JSON, widget state); errors name the field under `path`. */
export function parseSciInput(value: unknown, path = ''): SciInput {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  if (!isPlainObject(value)) throw new FieldError(path || 'input', 'must be a JSON object');
  for (const key of Object.keys(value)) {
    if (!SCI_FIELDS.includes(key)) {
      const why = /offset|market/i.test(key)
        ? 'SCI is location-based; offsets and market-based figures never lower the score'
        : `unknown field (expected one of ${SCI_FIELDS.join(', ')})`;
      throw new FieldError(at(key), why);
    }
  }
  const input: SciInput = {
    energyKWh: requireNumber(value.energyKWh, at('energyKWh')),
    carbonIntensity: requireNumber(value.carbonIntensity, at('carbonIntensity')),
    functionalUnits: requireNumber(value.functionalUnits, at('functionalUnits'), {
      positive: true
    })
  };
  if (value.embodied !== undefined) {
    const e = value.embodied;
    if (!isPlainObject(e)) throw new FieldError(at('embodied'), 'must be an object');
    for (const key of Object.keys(e)) {
      if (!EMBODIED_FIELDS.includes(key)) {
        throw new FieldError(
          at(`embodied.${key}`),
          `unknown field (expected ${EMBODIED_FIELDS.join(', ')})`
        );
      }
    }
    input.embodied = {
      totalKg: requireNumber(e.totalKg, at('embodied.totalKg')),
      lifespanYears: requireNumber(e.lifespanYears, at('embodied.lifespanYears'), {
        positive: true
      }),
      reservedHours: requireNumber(e.reservedHours, at('embodied.reservedHours')),
      resourceShare: requireNumber(e.resourceShare, at('embodied.resourceShare'), { max: 1 })
    };
  }
  for (const key of ['functionalUnit', 'boundary'] as const) {
    const text = value[key];
    if (text === undefined) continue;
    if (typeof text !== 'string' || text.trim() === '') {
      throw new FieldError(at(key), 'must be a non-empty string');
    }
    input[key] = text;
  }
  return input;
}

/** M = TE x (TiR / EL) x (RR / ToR), in g CO2e, for the whole measured window. */
export function embodiedEmissionsG(e: EmbodiedInput): number {
  return (
    e.totalKg * 1000 * (e.reservedHours / (e.lifespanYears * HOURS_PER_YEAR)) * e.resourceShare
  );
}

/** SCI per functional unit. Validates its input, so untrusted objects may be passed. */
export function computeSci(input: SciInput): SciResult {
  const sci = parseSciInput(input);
  const operationalG = (sci.energyKWh * sci.carbonIntensity) / sci.functionalUnits;
  const embodiedG = sci.embodied ? embodiedEmissionsG(sci.embodied) / sci.functionalUnits : 0;
  // Finite inputs can still overflow (1e308 kWh x 300 g/kWh): out of range, not a score.
  if (!Number.isFinite(operationalG)) {
    throw new FieldError(
      'energyKWh',
      `E x I / R = ${sci.energyKWh} x ${sci.carbonIntensity} / ${sci.functionalUnits} overflows: out of range`
    );
  }
  if (!Number.isFinite(embodiedG) || !Number.isFinite(operationalG + embodiedG)) {
    throw new FieldError('embodied', 'the embodied emissions overflow: out of range');
  }
  return {
    sciG: operationalG + embodiedG,
    operationalG,
    embodiedG,
    functionalUnits: sci.functionalUnits,
    disclosure: {
      standard: 'ISO/IEC 21031:2024 (GSF SCI)',
      boundary: sci.boundary ?? DEFAULT_SCI_BOUNDARY,
      functionalUnit: sci.functionalUnit ?? 'unit',
      method: 'location-based',
      carbonIntensityGPerKWh: sci.carbonIntensity,
      embodied: sci.embodied ? 'included' : 'not included'
    },
    input: sci
  };
}
