import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCarbonSettings } from '../../../core/carbon';
import {
  buildMeasurementRecord,
  downsampleIntervals,
  MAX_TIMELINE_POINTS,
  MEASUREMENT_MIME,
  type MeterReading
} from '../../../core/measurement';
import { probeMeters } from '../../../kernel/meters/probe';
import { SamplingEngine } from '../../../kernel/meters/sampling-engine';
import { sampleReading } from '../records/fixtures/sample-record';

const schema = JSON.parse(
  readFileSync(join(__dirname, '../../../schema/measurement.schema.json'), 'utf8')
) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);

function expectValid(record: unknown): void {
  const ok = validate(record);
  if (!ok) throw new Error(JSON.stringify(validate.errors, null, 2));
}

const settings = resolveCarbonSettings({
  region: 'DE',
  carbonIntensityGPerKWh: 360,
  pue: 1.2,
  pricePerKWh: 0.3,
  currency: 'EUR'
});

describe('buildMeasurementRecord', () => {
  it('has the mime type the kernel displays it under', () => {
    expect(MEASUREMENT_MIME).toBe('application/vnd.gaissa.measurement.v1+json');
  });

  it('computes CO2e and cost per run and repeat statistics', () => {
    const runs = [10, 12, 11, 13, 9].map((j, i) => sampleReading(1e12 + i * 3000, j - 0.5));
    const record = buildMeasurementRecord({ runs, settings, label: 'train', warmup: 2, id: 'x' });
    expectValid(record);
    expect(record.energyJ).toBeCloseTo(11, 12);
    expect(record.durationS).toBe(2);
    expect(record.powerW).toBeCloseTo(5.5, 12);
    expect(record.facilityEnergyJ).toBeCloseTo(13.2, 12);
    expect(record.co2eG).toBeCloseTo((11 / 3.6e6) * 1.2 * 360, 12);
    expect(record.cost).toBeCloseTo((11 / 3.6e6) * 1.2 * 0.3, 15);
    expect(record.total.energyJ).toBeCloseTo(55, 12);
    expect(record.repeat.n).toBe(5);
    expect(record.repeat.warmup).toBe(2);
    expect(record.repeat.energyJ.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(record.repeat.energyJ.ci95?.t).toBe(2.776);
    expect(record.method).toBe('estimate');
    expect(record.estimated).toBe(true);
    expect(record.constants.estimator?.loadCurveSource).toBe('Teads');
    expect(record.label).toBe('train');
    expect(record.startedAt).toBe(new Date(1e12).toISOString());
  });

  it('subtracts an idle baseline for dynamic energy', () => {
    const baseline = sampleReading(1e12, 1.5); // (1.5 + 0.5) J over 2 s = 1 W
    const record = buildMeasurementRecord({
      runs: [sampleReading(1e12 + 5000, 9.5)],
      baseline,
      settings
    });
    expectValid(record);
    expect(record.baseline).toEqual({ durationS: 2, energyJ: 2, powerW: 1 });
    expect(record.dynamicEnergyJ).toBeCloseTo(8, 12);
    const quiet = buildMeasurementRecord({
      runs: [sampleReading(1e12 + 5000, 0.5)],
      baseline,
      settings
    });
    expect(quiet.dynamicEnergyJ).toBe(0);
    expect(quiet.notes.join()).toMatch(/within noise/);
  });

  it('records errors and interruptions with what was used', () => {
    const record = buildMeasurementRecord({
      runs: [sampleReading(1e12, 3)],
      settings,
      status: 'error',
      error: { name: 'TypeError', message: 'x is undefined' }
    });
    expectValid(record);
    expect(record.status).toBe('error');
    expect(record.energyJ).toBeGreaterThan(0);
    expect(record.repeat.energyJ.sd).toBeNull();
    expect(record.repeat.energyJ.ci95).toBeNull();
    expect(
      buildMeasurementRecord({ runs: [sampleReading(1e12, 3)], settings, status: 'interrupted' })
        .status
    ).toBe('interrupted');
    expect(() => buildMeasurementRecord({ runs: [], settings })).toThrow(RangeError);
  });

  it('names the method "rapl" only when nothing was estimated', () => {
    const reading: MeterReading = sampleReading(1e12, 3);
    reading.components = {
      cpu: { energyJ: 3, method: 'rapl', scope: 'machine' },
      gpu: { energyJ: 7, method: 'nvml', scope: 'device' },
      ram: { energyJ: 1, method: 'rapl', scope: 'machine' }
    };
    reading.estimateCheck = { cpuJ: 2.5, ramJ: 0.4 };
    const record = buildMeasurementRecord({ runs: [reading], settings });
    expectValid(record);
    expect(record.method).toBe('rapl');
    expect(record.estimated).toBe(false);
    expect(record.energyJ).toBe(11);
    expect(record.estimateCheck).toEqual({ cpuJ: 2.5, ramJ: 0.4 });
  });

  it('keeps the timeline at 200 points or fewer, energy preserved', () => {
    const runs = [sampleReading(1e12, 10, 900), sampleReading(1e12 + 4000, 20, 900)];
    const record = buildMeasurementRecord({ runs, settings });
    expectValid(record);
    expect(record.timeline.length).toBeLessThanOrEqual(MAX_TIMELINE_POINTS);
    expect(record.timeline[record.timeline.length - 1].t).toBeGreaterThan(4);
    const points = downsampleIntervals(
      Array.from({ length: 1000 }, (_, i) => ({
        t0: i / 100,
        t1: (i + 1) / 100,
        cpuW: i % 2 ? 10 : 20,
        gpuW: 0,
        ramW: 1
      })),
      200
    );
    expect(points).toHaveLength(200);
    const energy = points.reduce((a, p) => a + p.powerW * 0.05, 0);
    expect(energy).toBeCloseTo(10 * 16, 9);
  });

  it('validates a record built from a real sampler reading', async () => {
    const probe = await probeMeters({ rapl: false, nvidia: false });
    const engine = new SamplingEngine(probe, {});
    const t = engine.now();
    engine.begin(1, t);
    await new Promise(resolve => setTimeout(resolve, 50));
    engine.sample();
    const reading = engine.end(1, engine.now());
    engine.close();
    const record = buildMeasurementRecord({ runs: [reading], settings: resolveCarbonSettings() });
    expectValid(JSON.parse(JSON.stringify(record)));
    expect(record.region).toBe('WORLD');
  });

  it('rejects records that break the contract', () => {
    const record = buildMeasurementRecord({ runs: [sampleReading(1e12, 3)], settings });
    expect(validate({ ...record, method: 'guess' })).toBe(false);
    expect(validate({ ...record, energyJ: -1 })).toBe(false);
    expect(validate({ ...record, extra: 1 })).toBe(false);
    const { co2eG: _dropped, ...missing } = record;
    expect(validate(missing)).toBe(false);
  });
});
