/**
 * Early stopping decisions, epoch by epoch: the usual patience / min-delta rule on a monitored
 * metric (Keras semantics: an epoch improves when it beats the best by more than minDelta; the
 * run stops after `patience` epochs without improvement), plus an energy-aware rule:
 *
 *   gain per kJ = (best value now - best value `window` epochs ago) / energy of those epochs [kJ]
 *
 * (sign-adjusted so that gain is positive when the metric gets better) and the run stops when it
 * falls below `minGainPerKJ`: the last epochs bought too little for the energy they cost.
 */

export type MonitorMode = 'min' | 'max';

export interface EarlyStoppingRule {
  /** Metric name as the training logs it, e.g. "val_loss" or "val_acc". */
  monitor: string;
  mode: MonitorMode;
  /** Epochs without improvement before stopping (>= 0). */
  patience: number;
  /** Smallest change that counts as an improvement (>= 0, in the metric's units). */
  minDelta: number;
  /** Energy-aware rule: stop when the gain per kJ over `gainWindow` epochs is below this. */
  minGainPerKJ?: number;
  /** Epochs the energy-aware rule looks back over (>= 1). */
  gainWindow: number;
  /** No stop before this many epochs have run (a warm-up the rules ignore). */
  startFromEpoch: number;
}

/** "max" for accuracy-like metrics, "min" for losses and errors (Keras's "auto"). */
export function defaultMode(monitor: string): MonitorMode {
  return /acc|auc|precision|recall|f1/i.test(monitor) ? 'max' : 'min';
}

export interface EpochObservation {
  /** The monitored metric after the epoch. */
  value: number;
  /** Energy the epoch took, J. */
  energyJ: number;
}

export type StopReason = 'patience' | 'energy';

export interface EarlyStoppingStatus {
  /** Epochs seen (1-based number of the last one). */
  epoch: number;
  /** Best value so far and the epoch (1-based) that reached it; null before any finite value. */
  best: number | null;
  bestEpoch: number | null;
  /** Epochs since the last improvement. */
  wait: number;
  improved: boolean;
  /** Gain per kJ over the window, when the window is complete. */
  gainPerKJ: number | null;
  stop: StopReason | null;
}

/** Whether `value` beats `reference` by more than `minDelta` in the rule's direction. */
export function isImprovement(value: number, reference: number | null, rule: EarlyStoppingRule) {
  if (!Number.isFinite(value)) return false;
  if (reference === null) return true;
  return rule.mode === 'max'
    ? value - rule.minDelta > reference
    : value + rule.minDelta < reference;
}

/** Best value (in the rule's direction) of the first `n` observations, null when none is finite. */
function bestOf(observations: readonly EpochObservation[], n: number, mode: MonitorMode) {
  let best: number | null = null;
  for (const { value } of observations.slice(0, n)) {
    if (!Number.isFinite(value)) continue;
    if (best === null || (mode === 'max' ? value > best : value < best)) best = value;
  }
  return best;
}

/** Metric gain per kJ over the last `window` epochs, or null while fewer epochs ran. */
export function gainPerKJ(
  observations: readonly EpochObservation[],
  window: number,
  mode: MonitorMode
): number | null {
  const n = observations.length;
  if (n <= window) return null;
  const before = bestOf(observations, n - window, mode);
  const now = bestOf(observations, n, mode);
  if (before === null || now === null) return null;
  const gain = mode === 'max' ? now - before : before - now;
  const energyKJ = observations.slice(n - window).reduce((a, o) => a + o.energyJ, 0) / 1000;
  if (!(energyKJ > 0)) return gain > 0 ? Infinity : 0;
  return gain / energyKJ;
}

/**
 * The status after the observations so far: replaying the rule over the whole history, so the
 * decision is a pure function of the numbers (and testable without a model).
 */
export function earlyStoppingStatus(
  observations: readonly EpochObservation[],
  rule: EarlyStoppingRule
): EarlyStoppingStatus {
  let best: number | null = null;
  let bestEpoch: number | null = null;
  let wait = 0;
  let improved = false;
  observations.forEach((o, i) => {
    improved = isImprovement(o.value, best, rule);
    if (improved) {
      best = o.value;
      bestEpoch = i + 1;
      wait = 0;
    } else {
      wait += 1;
    }
  });
  const epoch = observations.length;
  const gain = gainPerKJ(observations, rule.gainWindow, rule.mode);
  let stop: StopReason | null = null;
  if (epoch >= Math.max(1, rule.startFromEpoch)) {
    if (!improved && wait >= rule.patience && epoch > 0) stop = 'patience';
    else if (rule.minGainPerKJ !== undefined && gain !== null && gain < rule.minGainPerKJ) {
      stop = 'energy';
    }
  }
  return { epoch, best, bestEpoch, wait, improved, gainPerKJ: gain, stop };
}
