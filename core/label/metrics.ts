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
  | 'trainingCo2eKg'
  | 'performanceScore'
  | 'downloads'
  | 'datasetSizeMB'
  | 'sizeEfficiency'
  | 'datasetSizeEfficiency';

export interface MetricDefinition {
  name: MetricName;
  /** Short human title for the label and text output. */
  title: string;
  unit: string;
  /** Which way is better; decides value/ref (higher) or ref/value (lower) for the index. */
  better: 'higher' | 'lower';
  /** Upper bound of a valid value, where there is one (accuracy is a fraction). */
  max?: number;
  /**
   * Computed from other metrics (a cost per g CO2e), never given: the formula's inputs are what a
   * request gives (see DERIVED_METRICS).
   */
  derived?: true;
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
  },
  /**
   * A Hugging Face card's performance_score in the carbon-mining study (Castaño et al., ESEM 2023):
   * the mean of the accuracy, F1 and ROUGE figures the card reports, a fraction.
   */
  performanceScore: {
    name: 'performanceScore',
    title: 'Performance',
    unit: '',
    better: 'higher',
    max: 1
  },
  downloads: { name: 'downloads', title: 'Downloads', unit: '', better: 'higher' },
  datasetSizeMB: { name: 'datasetSizeMB', title: 'Dataset size', unit: 'MB', better: 'higher' },
  /** Model bytes per g CO2e of training: the study's size_efficency. */
  sizeEfficiency: {
    name: 'sizeEfficiency',
    title: 'Size efficiency',
    unit: 'B/g',
    better: 'higher',
    derived: true
  },
  /** Training-data bytes per g CO2e of training: the study's datasets_size_efficency. */
  datasetSizeEfficiency: {
    name: 'datasetSizeEfficiency',
    title: 'Dataset efficiency',
    unit: 'B/g',
    better: 'higher',
    derived: true
  }
};

/**
 * How the derived metrics follow from what a request gives: bytes (1 MB = 10^6 bytes) per gram of
 * training CO2e. A CO2e of 0 gives no figure (it would be infinite).
 */
export const DERIVED_METRICS: Record<
  'sizeEfficiency' | 'datasetSizeEfficiency',
  { from: MetricName; per: 'trainingCo2eKg' }
> = {
  sizeEfficiency: { from: 'modelSizeMB', per: 'trainingCo2eKg' },
  datasetSizeEfficiency: { from: 'datasetSizeMB', per: 'trainingCo2eKg' }
};

/** The derived metrics a set of given figures yields (bytes per g CO2e). */
export function derivedMetrics(
  given: Partial<Record<MetricName, number>>
): Partial<Record<MetricName, number>> {
  const out: Partial<Record<MetricName, number>> = {};
  for (const [name, { from, per }] of Object.entries(DERIVED_METRICS)) {
    const bytes = given[from];
    const kg = given[per];
    if (bytes !== undefined && kg !== undefined && kg > 0) {
      out[name as MetricName] = (bytes * 1e6) / (kg * 1000);
    }
  }
  return out;
}

/** The metrics of each phase, in the order the label shows them. */
export const PHASE_METRICS: Record<Phase, readonly MetricName[]> = {
  inference: ['energyPerInferenceJ', 'co2ePerInferenceG', 'latencyMs', 'modelSizeMB', 'accuracy'],
  training: [
    'trainingEnergyKWh',
    'trainingCo2eKg',
    'accuracy',
    'performanceScore',
    'downloads',
    'sizeEfficiency',
    'datasetSizeEfficiency',
    'modelSizeMB',
    'datasetSizeMB'
  ]
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
