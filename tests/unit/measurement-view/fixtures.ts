/** Real measurement records for the view tests, built from the meters' synthetic readings. */
import fc from 'fast-check';
import { resolveCarbonSettings } from '../../../core/carbon';
import {
  buildMeasurementRecord,
  type MeasurementRecord,
  type MeterReading
} from '../../../core/measurement';
import { sampleReading } from '../records/fixtures/sample-record';

export const T0 = Date.UTC(2025, 0, 2, 3, 4, 5);

export const settings = resolveCarbonSettings({
  region: 'DE',
  carbonIntensityGPerKWh: 360,
  pue: 1.2,
  pricePerKWh: 0.3,
  currency: 'EUR'
});

/** One estimated run: (3 + 0.5) J over 2 s. */
export function singleRecord(overrides: Partial<MeasurementRecord> = {}): MeasurementRecord {
  return {
    ...buildMeasurementRecord({ runs: [sampleReading(T0, 3)], settings, id: 'one' }),
    ...overrides
  };
}

/** Five estimated runs of 10, 12, 11, 13 and 9 J after two warm-ups, with an idle baseline. */
export function repeatedRecord(): MeasurementRecord {
  const runs = [10, 12, 11, 13, 9].map((j, i) => sampleReading(T0 + i * 3000, j - 0.5));
  return buildMeasurementRecord({
    runs,
    settings,
    label: 'train',
    warmup: 2,
    id: 'rep',
    baseline: sampleReading(T0 - 5000, 1.5) // 2 J over 2 s = 1 W
  });
}

/** One run measured by counters: RAPL for CPU and RAM, nvidia-smi for one GPU. */
export function raplRecord(): MeasurementRecord {
  const reading: MeterReading = sampleReading(T0, 3);
  reading.components = {
    cpu: { energyJ: 3, method: 'rapl', scope: 'machine', coverage: 1 },
    gpu: { energyJ: 7, method: 'nvml', scope: 'device', coverage: 1 },
    ram: { energyJ: 1, method: 'rapl', scope: 'machine', coverage: 1 }
  };
  reading.gpus = [
    { index: 0, name: 'NVIDIA H100 80GB HBM3', energyJ: 7, source: 'counter', samples: 20 }
  ];
  reading.fallbackReasons = [];
  reading.constants = {
    samplingIntervalMs: 100,
    rapl: { root: '/sys/class/powercap', zones: [{ name: 'package-0', path: 'intel-rapl:0' }] }
  };
  reading.estimateCheck = { cpuJ: 2.5, ramJ: 0.4 };
  return buildMeasurementRecord({ runs: [reading], settings, id: 'rapl', label: 'gpu cell' });
}

/**
 * A series where RAPL stopped answering after the first run: CPU 3 J counted, then 9 J estimated
 * (RAM 1 J counted, then 1 J estimated); 4 of 14 J counted.
 */
export function partlyRecord(): MeasurementRecord {
  const first: MeterReading = sampleReading(T0, 3);
  first.components = {
    cpu: { energyJ: 3, method: 'rapl', scope: 'machine', coverage: 1 },
    gpu: { energyJ: 0, method: null, scope: null, coverage: 1 },
    ram: { energyJ: 1, method: 'rapl', scope: 'machine', coverage: 1 }
  };
  const second: MeterReading = sampleReading(T0 + 3000, 9);
  second.components = {
    cpu: { energyJ: 9, method: 'estimate', scope: 'process', coverage: 0 },
    gpu: { energyJ: 0, method: null, scope: null, coverage: 1 },
    ram: { energyJ: 1, method: 'estimate', scope: 'process', coverage: 0 }
  };
  second.notes = ['RAPL stopped answering (EACCES); the rest is estimated'];
  return buildMeasurementRecord({ runs: [first, second], settings, id: 'partly', label: 'mixed' });
}

/** A record whose fields are replaced by anything, as a stranger's notebook may hold. */
export function tampered(fields: Record<string, unknown>): MeasurementRecord {
  return { ...singleRecord(), ...fields } as unknown as MeasurementRecord;
}

/** Markup that must never come out of payload strings: live tags, or event handlers in tags. */
export const DANGEROUS = /<(script|img|iframe|foreignObject|b|i|a)\b|<[^>]*\bon\w+=|javascript:/i;

const RECORD_KEYS = [
  'label',
  'status',
  'error',
  'energyJ',
  'durationS',
  'powerW',
  'facilityEnergyJ',
  'co2eG',
  'cost',
  'currency',
  'pricePerKWh',
  'method',
  'estimated',
  'region',
  'regionName',
  'carbonIntensityGPerKWh',
  'carbonIntensitySource',
  'pue',
  'components',
  'gpus',
  'repeat',
  'total',
  'baseline',
  'dynamicEnergyJ',
  'timeline',
  'constants',
  'fallbackReasons',
  'notes'
];

/** Leaves of every JSON-ish kind; strings cannot themselves spell NaN, undefined or Infinity. */
const leaf = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constantFrom(
    null,
    undefined,
    -0,
    '<img src=x onerror=alert(1)>',
    '\u202E\u0000</td>\n\u001b[2J',
    'estimate',
    'rapl',
    'ok'
  ),
  fc.string().filter(x => !/NaN|undefined|Infinity/.test(x))
);

/** Any values, nested a little, for any of the record's fields (to pass to `tampered`). */
export const anyFields = fc.dictionary(
  fc.constantFrom(...RECORD_KEYS),
  fc.anything({ withNullPrototype: true, maxDepth: 3, values: [leaf] })
);
