/**
 * Every comparison the user measures refines this machine's calibration: each variant run with
 * a known thread count adds its measured energy per inference and latency as a point (only
 * when a calibration exists, and never from a meter the caller supplied, which may be a stand-in).
 */
import type { TacticsComparison } from '../tactics/compare';
import { addMeasuredPoint } from './predict';

/** Adds the comparison's variants to the calibration; returns how many were added. */
export async function refineFromComparison(comparison: TacticsComparison): Promise<number> {
  let added = 0;
  for (const v of comparison.payload.variants) {
    const threads = v.runtime.intraOpNumThreads;
    // Without an explicit thread count ONNX Runtime picks its own: the point would be mislabelled.
    if (!threads) continue;
    try {
      const ok = await addMeasuredPoint(comparison.variant(v.name).model, {
        batch: v.runtime.batchSize,
        threads,
        energyPerInferenceJ: v.energyPerInferenceJ,
        latencyMs: v.latencyMs,
        coverage: v.coverage ?? 0
      });
      if (ok) added++;
    } catch {
      // A variant the predictor cannot read (no prediction) refines nothing.
    }
  }
  return added;
}
