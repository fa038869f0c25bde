import { FieldError } from '../../../../core/field-error';
import { buildLabelRecord, parseLabelRequest, rerateRecord } from '../../../../core/label/record';
import { validateLabelRecord } from '../../../../kernel/label/label-schema';
import { LABEL_MIME } from '../../../../core/mime-types';

const SHA = 'a'.repeat(64);

describe('label record', () => {
  test('carries rating, per-metric {value,index,rating}, basis, hashes, sci, date and method', () => {
    // Typed figures: the requested "measured" is not what a label without derived figures shows.
    const r = buildLabelRecord(
      parseLabelRequest({
        phase: 'inference',
        population: 'fixed',
        metrics: { latencyMs: 10, accuracy: 0.8 },
        model: { name: 'm', sha256: SHA },
        measurements: [{ path: 'runs.jsonl', id: 'r1', sha256: SHA }],
        sci: { energyKWh: 1, carbonIntensity: 100, functionalUnits: 10 },
        method: 'measured',
        context: { location: 'FR' },
        issued: '2025-01-02T03:04:05Z'
      })
    );
    expect(r).toMatchObject({
      format: 'gaissa.label',
      version: 1,
      phase: 'inference',
      metrics: { latencyMs: { value: 10, index: 2, rating: 'B' } },
      model: { name: 'm', sha256: SHA },
      measurements: [{ path: 'runs.jsonl', id: 'r1', sha256: SHA }],
      issued: '2025-01-02T03:04:05.000Z',
      method: 'declared',
      basis: { name: 'gaissa-inference-v1' },
      context: { location: 'FR' }
    });
    expect(r.sci?.sciG).toBeCloseTo(10, 12);
    expect(validateLabelRecord(JSON.parse(JSON.stringify(r)))).toEqual(r);
    expect(LABEL_MIME).toBe('application/vnd.gaissa.label.v1+json');
  });

  test('without records the label says declared; the model name falls back to the file name', () => {
    const r = buildLabelRecord({
      phase: 'training',
      population: 'fixed',
      metrics: { trainingCo2eKg: 1 },
      model: { path: 'out/models/net.onnx', sha256: SHA }
    });
    expect(r.method).toBe('declared');
    expect(r.model.name).toBe('net.onnx');
    expect(validateLabelRecord(r)).toBe(r);
  });

  test('request validation names unknown and malformed fields', () => {
    const base = { phase: 'inference', population: 'fixed', metrics: { latencyMs: 10 } };
    const field = (v: unknown) => {
      try {
        parseLabelRequest(v);
      } catch (e) {
        return (e as FieldError).field;
      }
      return 'none';
    };
    expect(field({ ...base, boundries: {} })).toBe('boundries');
    expect(field({ ...base, model: { name: 'x', sha256: 'XYZ' } })).toBe('model.sha256');
    expect(field({ ...base, model: { nam: 'x' } })).toBe('model.nam');
    expect(field({ ...base, measurements: [{}] })).toBe('measurements[0]');
    expect(field({ ...base, measurements: {} })).toBe('measurements');
    expect(field({ ...base, method: 'guessed' })).toBe('method');
    expect(field({ ...base, issued: 'yesterday' })).toBe('issued');
    expect(field({ ...base, sci: { energyKWh: -1 } })).toBe('sci.energyKWh');
    expect(field({ ...base, context: { planet: 'mars' } })).toBe('context.planet');
  });

  test('a measurement without its hash cannot be built into a record', () => {
    expect(() =>
      buildLabelRecord({
        phase: 'inference',
        population: 'fixed',
        metrics: { latencyMs: 1 },
        measurements: [{ path: 'x' }]
      })
    ).toThrow(/measurements\[0\]\.sha256/);
  });

  test('rerateRecord recomputes from values and basis', () => {
    const r = buildLabelRecord({
      phase: 'inference',
      population: 'fixed',
      metrics: { latencyMs: 10 },
      reference: { latencyMs: 5 }
    });
    expect(rerateRecord(r).rating).toBe(r.rating);
    expect(
      rerateRecord({ ...r, metrics: { latencyMs: { ...r.metrics.latencyMs!, value: 1 } } }).rating
    ).toBe('A');
  });

  test('the schema rejects a tampered or foreign record, naming the field', () => {
    const r = buildLabelRecord({
      phase: 'inference',
      population: 'fixed',
      metrics: { latencyMs: 10 }
    });
    expect(() => validateLabelRecord({ ...r, rating: 'A+' })).toThrow(/^rating:/);
    expect(() => validateLabelRecord({ ...r, extra: 1 })).toThrow(
      /additional properties \(extra\)/
    );
    expect(() => validateLabelRecord({ ...r, model: { name: 'm', sha256: 'short' } })).toThrow(
      /^model\.sha256:/
    );
    expect(() => validateLabelRecord([])).toThrow(FieldError);
  });
});
