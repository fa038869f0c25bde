/**
 * Energy, power, mass and time conversions. Every figure in a measurement record is stored in SI
 * (J, W, s, g); kWh and kg appear only where a format asks for them (CodeCarbon's CSV, prices).
 * How figures are written for people is core/format.ts.
 */

/** 1 kWh = 1000 W x 3600 s. */
export const JOULES_PER_KWH = 3_600_000;
export const JOULES_PER_WH = 3_600;

export function joulesToKWh(joules: number): number {
  return joules / JOULES_PER_KWH;
}

export function kWhToJoules(kWh: number): number {
  return kWh * JOULES_PER_KWH;
}

export function joulesToWh(joules: number): number {
  return joules / JOULES_PER_WH;
}

export function whToJoules(wh: number): number {
  return wh * JOULES_PER_WH;
}

/** RAPL's `energy_uj` counts microjoules. */
export function microjoulesToJoules(microjoules: number): number {
  return microjoules / 1e6;
}

/** NVML's total energy counter counts millijoules. */
export function millijoulesToJoules(millijoules: number): number {
  return millijoules / 1e3;
}

export function gramsToKilograms(grams: number): number {
  return grams / 1e3;
}

export function kilogramsToGrams(kg: number): number {
  return kg * 1e3;
}

/** Mean power over a window; 0 for an empty window rather than NaN or Infinity. */
export function averagePowerW(energyJ: number, durationS: number): number {
  return durationS > 0 ? energyJ / durationS : 0;
}
