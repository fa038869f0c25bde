/**
 * Energy, power, mass and time conversions. Every figure in a measurement record is stored in SI
 * (J, W, s, g); kWh and kg appear only where a format asks for them (CodeCarbon's CSV, prices).
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

/** A value with the SI prefix that keeps it readable: 0.0123 J -> "12.3 mJ", 45600 J -> "45.6 kJ". */
export function formatSI(value: number, unit: string, significant = 3): string {
  if (!Number.isFinite(value)) return `- ${unit}`;
  if (value === 0) return `0 ${unit}`;
  const prefixes: ReadonlyArray<readonly [number, string]> = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
    [1, ''],
    [1e-3, 'm'],
    [1e-6, 'µ'],
    [1e-9, 'n']
  ];
  const magnitude = Math.abs(value);
  const [scale, prefix] = prefixes.find(([s]) => magnitude >= s) ?? prefixes[prefixes.length - 1];
  return `${Number((value / scale).toPrecision(significant))} ${prefix}${unit}`;
}
