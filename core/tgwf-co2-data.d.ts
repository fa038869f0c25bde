/**
 * Types for the one entry point of `@tgwf/co2` we use (the package ships no declarations):
 * its data export, whose `averageIntensity` holds Ember's yearly average grid intensities by ISO
 * 3166-1 alpha-3 code (plus aggregates such as "WORLD" and "EU"), in gCO2e/kWh.
 */
declare module '@tgwf/co2/data' {
  export const averageIntensity: {
    readonly type: string;
    readonly data: Readonly<Record<string, number>>;
  };
}
