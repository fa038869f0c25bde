/**
 * Default reference values, rating boundaries and weights of the label, per phase.
 *
 * The method follows GAISSALabel (Duran, Castaño, Gómez, Martínez-Fernández; GAISSA project,
 * Universitat Politècnica de Catalunya) and the ML energy label of Fischer et al. that it builds
 * on: each metric becomes an index against a reference model, four boundaries in index space cut
 * it into A-E, and a weighted mean of the metric ratings gives the overall rating.
 *
 * GAISSA derives its boundaries from the 20/40/60/80th percentiles of the indices of a population
 * of Hugging Face models; training labels are rated that way (core/label/population.ts). The fixed
 * bases below serve only when a label asks for them by name. Their boundaries are this project's
 * own choice, made so that a model equal to the reference rates C (the middle, where a median
 * reference lands under percentile boundaries) and so that halving and doubling a cost sit equally
 * far from C (boundaries symmetric in log space); the same bands serve around a baseline or
 * reference values a label is given.
 */
import { JOULES_PER_KWH } from '../units';
import { MetricName, Phase } from './metrics';

/** Four index boundaries, descending: A > b1 >= B > b2 >= C > b3 >= D > b4 >= E. */
export type Boundaries = readonly [number, number, number, number];

/** What a label was rated against, in words a stranger can read, and where its data came from. */
export interface RatedAgainst {
  /**
   * population: members' figures (Hugging Face models, a mined file); registry: the labels issued
   * in the project; baseline: the model before a tactic; fixed: a named reference model;
   * custom: reference values the issuer gave.
   */
  kind: 'population' | 'registry' | 'baseline' | 'fixed' | 'custom';
  /** e.g. "1,417 Hugging Face models reporting training CO2e", "fp32 baseline of mnist-mlp". */
  title: string;
  /** The population's name (hf-co2) or the file it was read from, as given. */
  name?: string;
  /** Where the data comes from (a study, a file). */
  source?: string;
  /** Members of the population. */
  size?: number;
  /** SHA-256 of the population's data file, so verify can tell whether it changed. */
  sha256?: string;
  /** A registry: how many of its bytes the label was rated against (it only ever grows). */
  bytes?: number;
}

/** Everything the rating of one phase rests on; a label record carries the basis it used. */
export interface LabelBasis {
  /** A named, versioned basis the tool knows (KNOWN_BASES); absent for a custom basis. */
  name?: string;
  reference: Partial<Record<MetricName, number>>;
  boundaries: Partial<Record<MetricName, Boundaries>>;
  weights: Partial<Record<MetricName, number>>;
  against?: RatedAgainst;
  /**
   * A population's indices per rated metric at its 0, 5, ..., 100th percentiles (21 ascending
   * numbers): where a model stands, drawn as an ECDF.
   */
  distribution?: Partial<Record<MetricName, number[]>>;
}

/**
 * World-average grid intensity in gCO2e/kWh, used only to make the CO2e reference consistent
 * with the energy reference. Pinned, because a rating basis must not move when a dependency
 * updates its data: tests/unit/core/carbon-grid-data.test.ts fails when the installed @tgwf/co2 no
 * longer holds this figure, so a data update becomes a new basis version, not a silent change.
 */
export const WORLD_GRID_INTENSITY = {
  gPerKWh: 472.94,
  source: 'Ember yearly electricity data, WORLD aggregate (via @tgwf/co2 average intensities)',
  /** Ember's world figure for 2024 (473 g/kWh in its Global Electricity Review 2025). */
  year: 2024,
  dataVersion: '@tgwf/co2 0.19.0'
} as const;

export const WORLD_GRID_INTENSITY_G_PER_KWH = WORLD_GRID_INTENSITY.gPerKWh;

/**
 * Inference reference: a ResNet-50 image classifier in fp32 run at batch size 1 on a CPU, a
 * widely known mid-size model.
 */
const INFERENCE_REFERENCE = {
  /** 1 J: about 20 ms at a 50 W CPU package. Order of magnitude, this project's choice. */
  energyPerInferenceJ: 1,
  /** The energy reference times the world-average grid intensity (≈ 1.3e-4 g). */
  co2ePerInferenceG: (1 * WORLD_GRID_INTENSITY_G_PER_KWH) / JOULES_PER_KWH,
  /**
   * 20 ms: order of magnitude of batch-1 fp32 ResNet-50 (≈ 4 GFLOPs) with ONNX Runtime on a
   * multi-core desktop or server CPU. Rounded, this project's choice, not a measurement.
   */
  latencyMs: 20,
  /** 102 MB: 25.6 M parameters x 4 bytes (He et al. 2016; MB = 10^6 bytes). */
  modelSizeMB: 102,
  /** 0.7613: top-1 ImageNet accuracy of torchvision's ResNet50_Weights.IMAGENET1K_V1. */
  accuracy: 0.7613
} satisfies Partial<Record<MetricName, number>>;

/**
 * Training reference: distilgpt2, the reference model of GAISSA's ML-EnergyLabel
 * (`load_ref_metrics(model_name='distilgpt2')`), with the figures of its Hugging Face model card.
 */
const TRAINING_REFERENCE = {
  /**
   * 403.2 kWh: 8 V100 GPUs x 300 W (V100 SXM2 TDP) x 168 h, the TDP x hours estimate of the ML CO2
   * Impact calculator. The card reports hardware and hours but no energy; derived here.
   */
  trainingEnergyKWh: 8 * 0.3 * 168,
  /** 149.2 kg CO2e, as published on the distilgpt2 model card (Azure, assumed East US). */
  trainingCo2eKg: 149.2,
  /**
   * distilgpt2 reports perplexity, not accuracy, so the inference reference's 0.7613 stands in.
   * Accuracy is task-specific: override it with the baseline of the task at hand.
   */
  accuracy: INFERENCE_REFERENCE.accuracy
} satisfies Partial<Record<MetricName, number>>;

/**
 * Costs (energy, carbon, latency, size): log-symmetric around 1, A for less than half the
 * reference's cost, E for more than twice it, C within ±25 % of it.
 */
const COST_BOUNDARIES: Boundaries = [2, 1.25, 0.8, 0.5];

/**
 * Accuracy: a few points matter, so the bands are narrow: A for over 5 % better than the
 * reference, C within ±1 %, E for more than 5 % worse (relative, not percentage points).
 */
const ACCURACY_BOUNDARIES: Boundaries = [1.05, 1.01, 0.99, 0.95];

/**
 * Training costs span orders of magnitude between a notebook model and a foundation model, so
 * the bands are wider: A below a tenth of the reference's cost, E above ten times it.
 */
const TRAINING_COST_BOUNDARIES: Boundaries = [10, 2, 0.5, 0.1];

export const DEFAULT_BASIS: Record<Phase, LabelBasis> = {
  inference: {
    reference: INFERENCE_REFERENCE,
    boundaries: {
      energyPerInferenceJ: COST_BOUNDARIES,
      co2ePerInferenceG: COST_BOUNDARIES,
      latencyMs: COST_BOUNDARIES,
      modelSizeMB: COST_BOUNDARIES,
      accuracy: ACCURACY_BOUNDARIES
    },
    /**
     * GAISSA's ML-EnergyLabel weighs CO2e 0.4 and performance 0.2 and splits the remaining 0.4
     * over resource metrics. Here energy and CO2e share 0.5 (energy more, being what the model
     * itself controls; CO2e also depends on where it runs), latency and size 0.15 each, and
     * accuracy keeps GAISSA's 0.2.
     */
    weights: {
      energyPerInferenceJ: 0.3,
      co2ePerInferenceG: 0.2,
      latencyMs: 0.15,
      modelSizeMB: 0.15,
      accuracy: 0.2
    }
  },
  training: {
    reference: TRAINING_REFERENCE,
    boundaries: {
      trainingEnergyKWh: TRAINING_COST_BOUNDARIES,
      trainingCo2eKg: TRAINING_COST_BOUNDARIES,
      accuracy: ACCURACY_BOUNDARIES
    },
    /** Accuracy keeps GAISSA's 0.2; energy and CO2e of the run share the rest equally. */
    weights: { trainingEnergyKWh: 0.4, trainingCo2eKg: 0.4, accuracy: 0.2 }
  }
};

/** How a label names the fixed bases it was rated against. */
export const FIXED_AGAINST: Record<Phase, RatedAgainst> = {
  inference: {
    kind: 'fixed',
    name: 'gaissa-inference-v1',
    title:
      'fixed reference gaissa-inference-v1: ResNet-50 fp32 at batch 1 on a CPU (1 J, 20 ms, 102 MB, accuracy 0.7613)'
  },
  training: {
    kind: 'fixed',
    name: 'gaissa-training-v1',
    title: 'fixed reference gaissa-training-v1: distilgpt2 (403.2 kWh, 149.2 kg CO2e)'
  }
};

/**
 * The named, versioned bases: a label whose reference, boundaries and weights are exactly one of
 * these carries its name, and `gaissa label verify` checks them against it. A change to any
 * figure above must become a new name (v2), so old labels keep meaning what they meant.
 */
export const KNOWN_BASES: Readonly<Record<string, { phase: Phase; basis: LabelBasis }>> = {
  'gaissa-inference-v1': { phase: 'inference', basis: DEFAULT_BASIS.inference },
  'gaissa-training-v1': { phase: 'training', basis: DEFAULT_BASIS.training }
};

/**
 * Where `basis` (for the metrics it covers) departs from the named basis: an empty list when it
 * is that basis, a reason per difference otherwise.
 */
export function basisDifferences(name: string, phase: Phase, basis: LabelBasis): string[] {
  const known = KNOWN_BASES[name];
  if (!known)
    return [
      `unknown basis ${JSON.stringify(name)} (known: ${Object.keys(KNOWN_BASES).join(', ')})`
    ];
  if (known.phase !== phase) return [`${name} is a ${known.phase} basis, the label is ${phase}`];
  const differences: string[] = [];
  const metrics = new Set([
    ...Object.keys(basis.reference),
    ...Object.keys(basis.boundaries),
    ...Object.keys(basis.weights)
  ]) as Set<MetricName>;
  for (const metric of metrics) {
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    if (!same(basis.reference[metric], known.basis.reference[metric]))
      differences.push(`reference.${metric}`);
    if (!same(basis.boundaries[metric], known.basis.boundaries[metric]))
      differences.push(`boundaries.${metric}`);
    if (!same(basis.weights[metric], known.basis.weights[metric]))
      differences.push(`weights.${metric}`);
  }
  return differences;
}

/** The name of the known basis `basis` is exactly, if any. */
export function basisName(phase: Phase, basis: LabelBasis): string | undefined {
  return Object.keys(KNOWN_BASES).find(
    name => KNOWN_BASES[name].phase === phase && basisDifferences(name, phase, basis).length === 0
  );
}
