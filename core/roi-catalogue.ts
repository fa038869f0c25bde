/**
 * What-if before measuring: green tactics with the energy reductions their authors published.
 *
 * Rules for an entry: the figure appears in the cited paper (abstract or headline result), its
 * scope is stated (model family, hardware, phase, layer-wise vs end-to-end, measured vs modelled),
 * and "up to" figures stay "up to". Negative results are kept: a tactic is never sold for more than
 * it measured. A tactic with no published energy figure we could confirm has no entry (standalone
 * post-training dynamic quantization, for one): measure it with the tactics tools instead.
 */
import { RoiExpected, RoiScenario } from './roi';

export type TacticKind =
  | 'pruning'
  | 'quantization'
  | 'early-stopping'
  | 'layer-freezing'
  | 'runtime-choice'
  | 'data-reduction'
  | 'model-and-hardware-choice';

export interface CatalogueSource {
  authors: string[];
  title: string;
  year: number;
  venue: string;
  doi?: string;
  url: string;
}

export interface CatalogueEntry {
  id: string;
  name: string;
  tactics: TacticKind[];
  /** Training figures are per run: in a what-if, one "inference" then stands for one training run. */
  phase: 'inference' | 'training';
  modelFamily: string;
  hardware: string;
  /** The result in the paper's own terms. */
  reported: string;
  /** Fraction of baseline energy removed; low = high for a single figure. */
  reduction: { low: number; high: number };
  qualifier: 'reported' | 'up to' | 'range' | 'approximately';
  /** Metered energy, or an energy model (estimate). */
  measurement: 'measured' | 'modelled';
  caveat: string;
  source: CatalogueSource;
}

/** "n× less energy" as the fraction removed. */
const fromFactor = (factor: number) => 1 - 1 / factor;

export const ROI_CATALOGUE: readonly CatalogueEntry[] = [
  {
    id: 'energy-aware-pruning-alexnet',
    name: 'Energy-aware pruning (AlexNet)',
    tactics: ['pruning'],
    phase: 'inference',
    modelFamily: 'CNN: AlexNet (ImageNet)',
    hardware: 'energy model of a CNN accelerator, extrapolated from hardware measurements',
    reported: '3.7x less energy with under 1% top-5 accuracy loss',
    reduction: { low: fromFactor(3.7), high: fromFactor(3.7) },
    qualifier: 'reported',
    measurement: 'modelled',
    caveat: 'Estimated with the authors’ energy model, not metered on a CPU or GPU.',
    source: {
      authors: ['Tien-Ju Yang', 'Yu-Hsin Chen', 'Vivienne Sze'],
      title: 'Designing Energy-Efficient Convolutional Neural Networks using Energy-Aware Pruning',
      year: 2017,
      venue: 'IEEE Conference on Computer Vision and Pattern Recognition (CVPR)',
      url: 'https://arxiv.org/abs/1611.05128'
    }
  },
  {
    id: 'energy-aware-pruning-googlenet',
    name: 'Energy-aware pruning (GoogLeNet)',
    tactics: ['pruning'],
    phase: 'inference',
    modelFamily: 'CNN: GoogLeNet (ImageNet)',
    hardware: 'energy model of a CNN accelerator, extrapolated from hardware measurements',
    reported: '1.6x less energy with under 1% top-5 accuracy loss',
    reduction: { low: fromFactor(1.6), high: fromFactor(1.6) },
    qualifier: 'reported',
    measurement: 'modelled',
    caveat:
      'Estimated with the authors’ energy model; compact networks gain less than AlexNet did.',
    source: {
      authors: ['Tien-Ju Yang', 'Yu-Hsin Chen', 'Vivienne Sze'],
      title: 'Designing Energy-Efficient Convolutional Neural Networks using Energy-Aware Pruning',
      year: 2017,
      venue: 'IEEE Conference on Computer Vision and Pattern Recognition (CVPR)',
      url: 'https://arxiv.org/abs/1611.05128'
    }
  },
  {
    id: 'deep-compression',
    name: 'Pruning with trained quantization (Deep Compression)',
    tactics: ['pruning', 'quantization'],
    phase: 'inference',
    modelFamily: 'CNN: AlexNet, VGG-16 (layer-wise benchmark)',
    hardware: 'desktop CPU, desktop GPU and mobile GPU',
    reported: '3x to 7x better energy efficiency, layer-wise',
    reduction: { low: fromFactor(3), high: fromFactor(7) },
    qualifier: 'range',
    measurement: 'measured',
    caveat:
      'Layer-wise figures for sparse layers, not end-to-end inference; they need sparse kernels. ' +
      'Unstructured pruning with dense kernels changes neither speed nor energy.',
    source: {
      authors: ['Song Han', 'Huizi Mao', 'William J. Dally'],
      title:
        'Deep Compression: Compressing Deep Neural Networks with Pruning, Trained Quantization and Huffman Coding',
      year: 2016,
      venue: 'International Conference on Learning Representations (ICLR)',
      url: 'https://arxiv.org/abs/1510.00149'
    }
  },
  {
    id: 'runtime-freezing-quantization-early-stopping',
    name: 'Runtime layer freezing, quantization and early stopping',
    tactics: ['early-stopping', 'layer-freezing', 'quantization'],
    phase: 'training',
    modelFamily: 'CNNs trained on 12 computer-vision datasets',
    hardware: 'not stated in the abstract',
    reported:
      '56.5% less training energy, with validation accuracy 2.38% higher, following the optimal ' +
      'training path predicted by the authors’ model',
    reduction: { low: 0.565, high: 0.565 },
    qualifier: 'reported',
    measurement: 'measured',
    caveat:
      'Combined runtime decisions (when to freeze, quantize or stop), chosen by a prediction ' +
      'model; not the effect of early stopping alone.',
    source: {
      authors: ['Álvaro Domingo Reguero', 'Silverio Martínez-Fernández', 'Roberto Verdecchia'],
      title:
        'Energy-efficient neural network training through runtime layer freezing, model quantization, and early stopping',
      year: 2024,
      venue: 'Computer Standards & Interfaces (Elsevier)',
      doi: '10.1016/j.csi.2024.103906',
      url: 'https://doi.org/10.1016/j.csi.2024.103906'
    }
  },
  {
    id: 'model-and-training-environment-choice',
    name: 'Choice of model architecture and training environment',
    tactics: ['model-and-hardware-choice'],
    phase: 'training',
    modelFamily: 'computer-vision models (CNNs)',
    hardware: 'GPU training environments of different computational power',
    reported: 'up to 80.68% less training energy with under 2% loss in F1 score',
    reduction: { low: 0.8068, high: 0.8068 },
    qualifier: 'up to',
    measurement: 'measured',
    caveat: 'Best combination found in the study; an upper bound, not a typical gain.',
    source: {
      authors: ['Santiago del Rey', 'Luís Cruz', 'Xavier Franch', 'Silverio Martínez-Fernández'],
      title:
        'Estimating Deep Learning energy consumption based on model architecture and training environment',
      year: 2023,
      venue: 'arXiv preprint 2307.05520 (figure and title of version 5); GAISSA project',
      url: 'https://arxiv.org/abs/2307.05520'
    }
  },
  {
    id: 'data-centric-reduction',
    name: 'Fewer data points or features (data-centric)',
    tactics: ['data-reduction'],
    phase: 'training',
    modelFamily: '6 classical ML algorithms on a 5,574-point dataset',
    hardware: 'not stated in the abstract',
    reported: 'up to 92.16% less energy, often with negligible or no accuracy decline',
    reduction: { low: 0.9216, high: 0.9216 },
    qualifier: 'up to',
    measurement: 'measured',
    caveat: 'Upper bound over algorithms and reduction levels of a small tabular dataset.',
    source: {
      authors: [
        'Roberto Verdecchia',
        'Luís Cruz',
        'June Sallou',
        'Michelle Lin',
        'James Wickenden',
        'Estelle Hotellier'
      ],
      title: 'Data-Centric Green AI: An Exploratory Empirical Study',
      year: 2022,
      venue: 'International Conference on ICT for Sustainability (ICT4S)',
      doi: '10.1109/ICT4S55073.2022.00015',
      url: 'https://doi.org/10.1109/ICT4S55073.2022.00015'
    }
  },
  {
    id: 'onnx-conversion-resnet50-batch64',
    name: 'Conversion to ONNX Runtime (ResNet-50, batch 64)',
    tactics: ['runtime-choice'],
    phase: 'inference',
    modelFamily: 'CNN: ResNet-50 converted from PyTorch, batch size 64',
    hardware: 'NVIDIA GPU',
    reported:
      'about 10% more energy and time than the original PyTorch model (conversion to ONNX ' +
      'improved most other configurations of the study)',
    reduction: { low: -0.1, high: -0.1 },
    qualifier: 'approximately',
    measurement: 'measured',
    caveat: 'A negative result, kept on purpose: a runtime change is not a sure win. Measure it.',
    source: {
      authors: ['Negar Alizadeh', 'Fernando Castor'],
      title:
        'Green AI: A Preliminary Empirical Study on Energy Consumption in DL Models Across Different Runtime Infrastructures',
      year: 2024,
      venue: 'arXiv preprint 2402.13640',
      url: 'https://arxiv.org/abs/2402.13640'
    }
  }
];

export function catalogueEntry(id: string): CatalogueEntry | undefined {
  return ROI_CATALOGUE.find(e => e.id === id);
}

/** "Yang, Chen & Sze (2017). Title. Venue. doi:..." */
export function citation(source: CatalogueSource): string {
  const surname = (name: string) => {
    const parts = name.trim().split(/\s+/);
    // Keep particles such as "del Rey" with the surname.
    const start = parts.findIndex((p, i) => i > 0 && /^[a-z]/.test(p));
    return start > 0 ? parts.slice(start).join(' ') : parts[parts.length - 1];
  };
  const names = source.authors.map(surname);
  const who =
    names.length > 3
      ? `${names[0]} et al.`
      : names.length > 1
        ? `${names.slice(0, -1).join(', ')} & ${names[names.length - 1]}`
        : (names[0] ?? 'Unknown');
  const doi = source.doi ? ` doi:${source.doi}` : '';
  return `${who} (${source.year}). ${source.title}. ${source.venue}.${doi}`;
}

export type WhatIfInput = Omit<RoiScenario, 'optimizedEnergyJ'> & {
  /** Catalogue entry id. */
  tactic: string;
  /**
   * Which end of the published bounds to use: 'low' (the default) is the least favourable one,
   * 'high' the most favourable, 'mid' halfway.
   */
  pick?: 'low' | 'mid' | 'high';
};

/**
 * The reductions an entry's figure allows. "Up to" is a best case: it guarantees nothing above
 * zero, so its least favourable bound is no reduction at all.
 */
export function reductionBounds(entry: CatalogueEntry): { low: number; high: number } {
  const { low, high } = entry.reduction;
  return entry.qualifier === 'up to' ? { low: Math.min(0, low), high } : { low, high };
}

/**
 * A scenario whose optimized energy is the baseline reduced by a published figure, marked
 * `expected` so every view says "expected (source)" until the user measures the real thing.
 * Throws RangeError for an unknown tactic; the scenario itself is validated by computeRoi.
 */
export function whatIf(input: WhatIfInput): { scenario: RoiScenario; expected: RoiExpected } {
  const { tactic, pick = 'low', ...rest } = input;
  const entry = catalogueEntry(tactic);
  if (!entry) {
    throw new RangeError(
      `unknown tactic '${tactic}'; known: ${ROI_CATALOGUE.map(e => e.id).join(', ')}`
    );
  }
  const { low, high } = reductionBounds(entry);
  const reduction = pick === 'high' ? high : pick === 'mid' ? (low + high) / 2 : low;
  const scenario: RoiScenario = {
    ...rest,
    optimizedEnergyJ: rest.baselineEnergyJ * (1 - reduction)
  };
  const phaseNote =
    entry.phase === 'training'
      ? ' Training-phase figure: read each "inference" as one training run.'
      : '';
  // Below the "up to" figure the reduction is one end of the range 0..figure, not the figure.
  const belowBestCase = entry.qualifier === 'up to' && reduction !== entry.reduction.high;
  const pickNote = belowBestCase
    ? ` Published as "${entry.reported}"; this what-if takes the ${pick === 'low' ? 'least favourable end (no reduction)' : 'middle'} of 0 to that figure (pick 'high' for the best case).`
    : '';
  return {
    scenario,
    expected: {
      tactic: entry.id,
      name: entry.name,
      reduction,
      qualifier: belowBestCase ? 'range' : entry.qualifier,
      phase: entry.phase,
      source: citation(entry.source),
      url: entry.source.url,
      caveat: entry.caveat + phaseNote + pickNote
    }
  };
}
