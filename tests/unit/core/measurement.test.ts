import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCarbonSettings } from '../../../core/carbon';
import { missingEnergy } from '../../../core/provenance';
import {
  buildMeasurementRecord,
  downsampleIntervals,
  MAX_TIMELINE_POINTS,
  type MeterReading
} from '../../../core/measurement';
import { probeMeters } from '../../../kernel/meters/probe';
import { SamplingEngine } from '../../../kernel/meters/sampling-engine';
import { sampleReading } from '../fixtures/sample-record';
import { MEASUREMENT_MIME } from '../../../core/mime-types';

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
      cpu: { energyJ: 3, method: 'rapl', scope: 'machine', coverage: 1 },
      gpu: { energyJ: 7, method: 'nvml', scope: 'device', coverage: 1 },
      ram: { energyJ: 1, method: 'rapl', scope: 'machine', coverage: 1 }
    };
    reading.estimateCheck = { cpuJ: 2.5, ramJ: 0.4 };
    const record = buildMeasurementRecord({ runs: [reading], settings });
    expectValid(record);
    expect(record.method).toBe('rapl');
    expect(record.estimated).toBe(false);
    expect(record.coverage).toBe(1);
    expect(record.provenance).toBe('measured');
    expect(record.energyJ).toBe(11);
    expect(record.estimateCheck).toEqual({ cpuJ: 2.5, ramJ: 0.4 });
  });

  function counted(startedAt: number, cpuJ: number, cpuCoverage: number): MeterReading {
    const reading = sampleReading(startedAt, cpuJ);
    const rapl = cpuCoverage > 0;
    reading.components = {
      cpu: {
        energyJ: cpuJ,
        method: rapl ? 'rapl' : 'estimate',
        scope: rapl ? 'machine' : 'process',
        coverage: cpuCoverage
      },
      gpu: { energyJ: 0, method: null, scope: null, coverage: 1 },
      ram: {
        energyJ: 0,
        method: rapl ? 'rapl' : 'estimate',
        scope: 'machine',
        coverage: cpuCoverage
      }
    };
    return reading;
  }

  // The defect of issue #15 (finding 3): the method came from the first run only, so a series
  // where RAPL stopped answering mid-way said rapl / estimated false over estimator joules.
  it('gives a series where RAPL stops mid-way its energy-weighted coverage, never "measured"', () => {
    const runs = [
      counted(1e12, 10, 1),
      counted(1e12 + 3000, 10, 1),
      counted(1e12 + 6000, 30, 0), // RAPL stopped answering before this run
      counted(1e12 + 9000, 30, 0)
    ];
    const record = buildMeasurementRecord({ runs, settings });
    expectValid(record);
    expect(record.coverage).toBeCloseTo(20 / 80, 12);
    expect(record.provenance).toBe('partly-measured');
    expect(record.estimated).toBe(true);
    expect(record.method).toBe('estimate');
    // The component still names the counter that measured part of it, with its share.
    expect(record.components.cpu).toMatchObject({ method: 'rapl', coverage: 0.25 });
    expect(record.notes.join()).toMatch(/2 of 4 runs were not fully measured/);
    // The order of the runs does not matter: the first run no longer decides.
    const reversed = buildMeasurementRecord({ runs: [...runs].reverse(), settings });
    expect(reversed.coverage).toBeCloseTo(0.25, 12);
    expect(reversed.components.cpu.method).toBe('rapl');
  });

  it('is estimated when no run had a counter, and measured when every joule did', () => {
    const none = buildMeasurementRecord({ runs: [counted(1e12, 5, 0)], settings });
    expect(none).toMatchObject({ coverage: 0, provenance: 'estimated', estimated: true });
    const all = buildMeasurementRecord({ runs: [counted(1e12, 5, 1)], settings });
    expect(all).toMatchObject({ coverage: 1, provenance: 'measured', estimated: false });
  });

  it('reads components made without a coverage by their method (counter 1, estimate 0)', () => {
    const reading = sampleReading(1e12, 3);
    reading.components = {
      cpu: { energyJ: 3, method: 'rapl', scope: 'machine' },
      gpu: { energyJ: 0, method: null, scope: null },
      ram: { energyJ: 1, method: 'estimate', scope: 'process' }
    } as never;
    const record = buildMeasurementRecord({ runs: [reading], settings });
    expect(record.coverage).toBeCloseTo(0.75, 12);
    expect(record.provenance).toBe('partly-measured');
  });

  // Review P3-1: unknown joules used to bend the share to a made-up "99 % counter". The share is
  // now that of the joules the record holds, and the record says which energy it lacks.
  it('says when a present component has unknown joules, with a real share', () => {
    const reading = counted(1e12, 5, 1);
    reading.components.gpu = { energyJ: 0, method: 'estimate', scope: 'device', coverage: 0 };
    const record = buildMeasurementRecord({ runs: [reading], settings });
    expect(record.coverage).toBe(1);
    expect(missingEnergy(record)).toEqual(['GPU']);
    expect(record.notes).toContain(
      'GPU energy missing: no reading, so the total leaves it out (neither counted nor estimated)'
    );
    expect(
      missingEnergy(buildMeasurementRecord({ runs: [counted(1e12, 5, 1)], settings }))
    ).toEqual([]);
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
