/** Measurement records, a tactics comparison, schema validators and a fake output sink. */
import Ajv from 'ajv';
import { resolveCarbonSettings } from '../../../core/carbon';
import {
  buildMeasurementRecord,
  type MeasurementRecord,
  type MeterMethod,
  type MeterReading
} from '../../../core/measurement';
import labelSchema from '../../../schema/label.schema.json';
import recordingSchema from '../../../schema/label-recording.schema.json';
import roiSchema from '../../../schema/roi.schema.json';
import { MimeBundle, OutputSink } from '../../../kernel/display';
import type { TacticsComparisonLike } from '../../../kernel/api/tactics-comparison';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
ajv.addSchema(labelSchema);
export const validateRoi = ajv.compile(roiSchema);
export const validateLabel = ajv.getSchema('urn:gaissa:schema:label:v1')!;
ajv.addSchema(recordingSchema);
export const validateLabelMetadata = ajv.getSchema(
  'urn:gaissa:schema:label-recording:v1#/definitions/outputMetadata'
)!;
export const validateNotebookLabels = ajv.getSchema('urn:gaissa:schema:label-recording:v1')!;

/** Validates and reports the schema's complaints in the failure message. */
export function expectValid(validate: ReturnType<typeof ajv.compile>, value: unknown): void {
  if (!validate(value)) throw new Error(JSON.stringify(validate.errors, null, 2));
}

/** One 2-second run whose CPU used `cpuJ` joules, read by `method`. */
export function reading(
  cpuJ: number,
  method: MeterMethod = 'rapl',
  startedAt = 1.7e12
): MeterReading {
  const durationS = 2;
  return {
    startedAt,
    endedAt: startedAt + durationS * 1000,
    durationS,
    components: {
      cpu: { energyJ: cpuJ, method, scope: method === 'estimate' ? 'process' : 'machine' },
      gpu: { energyJ: 0, method: null, scope: null },
      ram: { energyJ: 0, method: null, scope: null }
    },
    gpus: [],
    intervals: [{ t0: 0, t1: durationS, cpuW: cpuJ / durationS, gpuW: 0, ramW: 0 }],
    constants: { samplingIntervalMs: 100 },
    host: {
      os: 'linux',
      cpuModel: 'Test CPU',
      logicalCpus: 2,
      ramTotalGB: 8,
      gpuCount: 0,
      gpuModel: null
    },
    fallbackReasons: [],
    notes: [],
    cpuUtilisationPercent: 50,
    ramUsedGB: 0.1,
    samples: 20,
    samplerCpuS: 0.01
  };
}

export const settings = resolveCarbonSettings({
  region: 'FR',
  carbonIntensityGPerKWh: 50,
  pue: 1.2,
  pricePerKWh: 0.25,
  currency: 'EUR'
});

export function measurement(
  cpuJ: number,
  options: { id: string; label?: string; method?: MeterMethod; baselineJ?: number }
): MeasurementRecord {
  return buildMeasurementRecord({
    runs: [reading(cpuJ, options.method)],
    settings,
    id: options.id,
    label: options.label ?? null,
    baseline: options.baselineJ === undefined ? null : reading(options.baselineJ, options.method)
  });
}

export const comparison: TacticsComparisonLike = {
  variants: [
    {
      name: 'fp32',
      energyPerInferenceJ: 0.8,
      latencyMs: 4,
      modelSizeMB: 3.3,
      accuracy: 0.97,
      baseline: true,
      method: 'measured'
    },
    {
      name: 'fp16',
      energyPerInferenceJ: 0.78,
      latencyMs: 4.1,
      modelSizeMB: 1.7,
      accuracy: 0.97,
      method: 'measured'
    },
    {
      name: 'quantize-dynamic',
      energyPerInferenceJ: 0.2,
      latencyMs: 1,
      modelSizeMB: 0.85,
      accuracy: 0.968,
      recommended: true,
      method: 'measured'
    },
    {
      name: 'prune-structured:0.5',
      energyPerInferenceJ: 0.15,
      latencyMs: 0.9,
      modelSizeMB: 1.6,
      accuracy: 0.9,
      method: 'measured'
    }
  ]
};

export type Shown = { data: MimeBundle; metadata: Record<string, unknown> };

/** An OutputSink that keeps what was displayed. */
export function fakeSink(): OutputSink & { shown: Shown[] } {
  const shown: Shown[] = [];
  return {
    shown,
    display: (data, metadata) => shown.push({ data, metadata }),
    updateDisplay: () => undefined,
    clearOutput: () => undefined,
    page: () => undefined
  };
}
