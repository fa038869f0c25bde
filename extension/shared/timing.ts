/**
 * User Timing entries that bench/extension-load.ts reads from the page: activation, and output
 * arrival to rendered card / drawn chart. Only the latest entry of each name is kept.
 */
export const TIMING = {
  activate: 'gaissa:activate',
  card: 'gaissa:card',
  chart: 'gaissa:chart'
} as const;

export function recordDuration(name: string, start: number): void {
  try {
    performance.clearMeasures(name);
    performance.measure(name, { start, end: performance.now() });
  } catch {
    // A page without User Timing (older engines, test DOMs) simply goes unmeasured.
  }
}
