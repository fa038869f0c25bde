/** The metrics a GAISSA label rates, per lifecycle phase, with their units and direction. */

export type Phase = 'inference' | 'training';
export const PHASES: readonly Phase[] = ['inference', 'training'];

export type Rating = 'A' | 'B' | 'C' | 'D' | 'E';
/** Best first: a rating's position is its score (A=0 ... E=4). */
export const RATINGS: readonly Rating[] = ['A', 'B', 'C', 'D', 'E'];

export type MetricName =
  | 'energyPerInferenceJ'
  | 'co2ePerInferenceG'
  | 'latencyMs'
  | 'modelSizeMB'
  | 'accuracy'
  | 'trainingEnergyKWh'
  | 'trainingCo2eKg';

export interface MetricDefinition {
  name: MetricName;
  /** Short human title for the label and text output. */
  title: string;
  unit: string;
  /** Which way is better; decides value/ref (higher) or ref/value (lower) for the index. */
  better: 'higher' | 'lower';
  /** Upper bound of a valid value, where there is one (accuracy is a fraction). */
  max?: number;
}

export const METRICS: Record<MetricName, MetricDefinition> = {
  energyPerInferenceJ: {
    name: 'energyPerInferenceJ',
    title: 'Energy',
    unit: 'J',
    better: 'lower'
  },
  co2ePerInferenceG: {
    name: 'co2ePerInferenceG',
    title: 'Carbon',
    unit: 'g CO2e',
    better: 'lower'
  },
  latencyMs: { name: 'latencyMs', title: 'Latency', unit: 'ms', better: 'lower' },
  modelSizeMB: { name: 'modelSizeMB', title: 'Model size', unit: 'MB', better: 'lower' },
  accuracy: { name: 'accuracy', title: 'Accuracy', unit: '', better: 'higher', max: 1 },
  trainingEnergyKWh: {
    name: 'trainingEnergyKWh',
    title: 'Training energy',
    unit: 'kWh',
    better: 'lower'
  },
  trainingCo2eKg: {
    name: 'trainingCo2eKg',
    title: 'Training carbon',
    unit: 'kg CO2e',
    better: 'lower'
  }
};

/** The metrics of each phase, in the order the label shows them. */
export const PHASE_METRICS: Record<Phase, readonly MetricName[]> = {
  inference: ['energyPerInferenceJ', 'co2ePerInferenceG', 'latencyMs', 'modelSizeMB', 'accuracy'],
  training: ['trainingEnergyKWh', 'trainingCo2eKg', 'accuracy']
};

export function isPhase(value: unknown): value is Phase {
  return typeof value === 'string' && (PHASES as readonly string[]).includes(value);
}

export function isRating(value: unknown): value is Rating {
  return typeof value === 'string' && (RATINGS as readonly string[]).includes(value);
}

/** Numeric score of a rating, A=0 ... E=4 (lower is better). */
export function ratingScore(rating: Rating): number {
  return RATINGS.indexOf(rating);
}

/** True when `rating` is worse than `minimum` (the CI gate's question). */
export function isWorseThan(rating: Rating, minimum: Rating): boolean {
  return ratingScore(rating) > ratingScore(minimum);
}
