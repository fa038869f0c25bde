/**
 * `%gaissa label`: issues the label of `gaissa.label(...)` from metric options, shows it (with the
 * output metadata that has the frontend record it in the notebook), and with `--min` fails the cell
 * when the rating is worse, so a notebook run in CI gates the pipeline as `gaissa label --min` does.
 */
import { FieldError } from '../../core/field-error';
import { MetricName, RATINGS, Rating, isRating, isWorseThan } from '../../core/label/metrics';
import { LABEL_METHODS } from '../../core/label/provenance';
import { LabelRequest, populationOption } from '../../core/label/record';
import { SciInput } from '../../core/sci';
import { joulesToKWh } from '../../core/units';
import { MagicContext } from './context';
import { MagicError } from './parse';
import { MagicArgs, MagicCommand } from './registry';

/** Option name → metric, in the label's own order. */
const METRIC_OPTIONS: ReadonlyArray<[string, MetricName, string]> = [
  ['energy-per-inference-j', 'energyPerInferenceJ', 'energy per inference, J'],
  ['co2e-per-inference-g', 'co2ePerInferenceG', 'CO2e per inference, g'],
  ['latency-ms', 'latencyMs', 'latency per inference, ms'],
  ['model-size-mb', 'modelSizeMB', 'model size, MB (10^6 bytes)'],
  ['accuracy', 'accuracy', 'accuracy as a fraction 0..1'],
  ['training-energy-kwh', 'trainingEnergyKWh', 'energy of the training run, kWh'],
  ['training-co2e-kg', 'trainingCo2eKg', 'CO2e of the training run, kg'],
  ['performance-score', 'performanceScore', 'training: accuracy, F1 or ROUGE as a fraction 0..1'],
  ['downloads', 'downloads', 'training: downloads of the published model'],
  ['dataset-size-mb', 'datasetSizeMB', 'training: training data size, MB (10^6 bytes)']
];

const OPTION_OF: Record<string, string> = {
  ...Object.fromEntries(METRIC_OPTIONS.map(([option, metric]) => [`metrics.${metric}`, option])),
  phase: 'phase',
  'model.name': 'model',
  'model.path': 'model-path',
  'options.out': 'out',
  'options.svg': 'svg',
  'options.sign': 'sign',
  'options.mlflowModel': 'mlflow-model',
  'options.mlflowModel.name': 'mlflow-model',
  'options.mlflowModel.version': 'mlflow-model',
  population: 'population',
  'population.path': 'population',
  'sci.carbonIntensity': 'carbon-intensity'
};

/** The request the options describe; SCI per functional unit when a grid intensity is given. */
export function requestFromOptions(values: MagicArgs['options']): LabelRequest {
  const phase = values.phase as LabelRequest['phase'];
  const metrics: Partial<Record<MetricName, number>> = {};
  for (const [option, metric] of METRIC_OPTIONS) {
    if (values[option] !== undefined) metrics[metric] = values[option] as number;
  }
  const request: LabelRequest = { phase, metrics };
  const name = values.model as string | undefined;
  const path = values['model-path'] as string | undefined;
  if (name !== undefined || path !== undefined) {
    request.model = {};
    if (name !== undefined) request.model.name = name;
    if (path !== undefined) request.model.path = path;
  }
  if (values.method !== undefined) request.method = values.method as LabelRequest['method'];
  if (values.population !== undefined) {
    request.population = populationOption(values.population as string);
  }
  const intensity = values['carbon-intensity'] as number | undefined;
  if (intensity !== undefined) request.sci = sciOf(phase, metrics, intensity);
  return request;
}

function sciOf(
  phase: LabelRequest['phase'],
  metrics: Partial<Record<MetricName, number>>,
  carbonIntensity: number
): SciInput {
  const energy = phase === 'training' ? metrics.trainingEnergyKWh : metrics.energyPerInferenceJ;
  if (energy === undefined) {
    const needed = phase === 'training' ? 'training-energy-kwh' : 'energy-per-inference-j';
    throw new MagicError(`--carbon-intensity (for the SCI score) needs --${needed}`);
  }
  return {
    energyKWh: phase === 'training' ? energy : joulesToKWh(energy),
    carbonIntensity,
    functionalUnits: 1,
    functionalUnit: phase === 'training' ? 'training run' : 'inference',
    boundary: 'energy per functional unit as given to %gaissa label'
  };
}

/** A FieldError in the magic's own words: `--latency-ms: must not be negative...`. */
function asMagicError(e: unknown): unknown {
  if (!(e instanceof FieldError)) return e;
  const option = OPTION_OF[e.field];
  const detail = e.message.startsWith(`${e.field}: `)
    ? e.message.slice(e.field.length + 2)
    : e.message;
  return new MagicError(`%gaissa label ${option ? `--${option}` : e.field}: ${detail}`);
}

export const labelMagic: MagicCommand<MagicContext> = {
  name: 'label',
  summary: 'energy label A-E (GAISSALabel) with SCI; --out writes LABEL.json, --min gates the cell',
  options: [
    {
      name: 'phase',
      type: 'string',
      description: 'lifecycle phase the metrics describe',
      choices: ['inference', 'training'],
      default: 'inference'
    },
    ...METRIC_OPTIONS.map(([name, , description]) => ({
      name,
      type: 'number' as const,
      description
    })),
    {
      name: 'population',
      type: 'string',
      description:
        'rate against hf-co2 (training default), registry (gaissa-labels.jsonl), fixed, or a population CSV'
    },
    { name: 'model', type: 'string', description: 'model name shown on the label' },
    {
      name: 'model-path',
      type: 'string',
      description: 'model file, hashed (SHA-256) into the label'
    },
    {
      name: 'method',
      type: 'string',
      description:
        'claim less than the records show; typed figures are declared, whatever is asked',
      choices: [...LABEL_METHODS]
    },
    {
      name: 'carbon-intensity',
      type: 'number',
      description: 'grid intensity, g CO2e/kWh: adds the SCI score per functional unit'
    },
    { name: 'out', type: 'string', description: 'also write the label record (JSON) to this file' },
    { name: 'svg', type: 'string', description: 'also write the label drawing (SVG) to this file' },
    { name: 'sign', type: 'string', description: 'sign with this Ed25519 private key (PEM file)' },
    { name: 'min', type: 'string', description: 'fail the cell when the rating is worse (A-E)' },
    {
      name: 'mlflow-model',
      type: 'string',
      description: 'NAME/VERSION: also tag this MLflow registered model version with the label'
    },
    {
      name: 'record',
      type: 'boolean',
      description: 'record the label in the notebook metadata (--no-record: do not)',
      default: true
    }
  ],
  line: async (args, ctx) => {
    let minimum: Rating | undefined;
    if (args.options.min !== undefined) {
      const upper = String(args.options.min).toUpperCase();
      if (!isRating(upper)) {
        throw new MagicError(`%gaissa label --min must be one of ${RATINGS.join(', ')}`);
      }
      minimum = upper;
    }
    let view;
    try {
      view = await ctx.api.label(requestFromOptions(args.options), {
        out: args.options.out as string | undefined,
        svg: args.options.svg as string | undefined,
        sign: args.options.sign as string | undefined,
        record: args.options.record as boolean,
        mlflowModel: args.options['mlflow-model'] as string | undefined
      });
    } catch (e) {
      throw asMagicError(e);
    }
    ctx.api.display(view.toMimeBundle(), { metadata: view.toMimeMetadata() });
    if (view.file !== undefined) ctx.print(`label written to ${view.file}\n`);
    // The label is shown first, so the cell fails with the evidence on screen.
    if (minimum && isWorseThan(view.rating, minimum)) {
      throw new MagicError(`label rating ${view.rating} is worse than the minimum ${minimum}`);
    }
  }
};
