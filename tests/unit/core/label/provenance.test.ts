/** A label's method comes from its records; a request can only lower it. */
import { FieldError } from '../../../../core/field-error';
import { DEFAULT_BASIS, basisDifferences, basisName } from '../../../../core/label/defaults';
import {
  claimsNoMoreThan,
  methodOfRecords,
  recordEvidence
} from '../../../../core/label/provenance';
import type { ComponentEnergy, MeasurementRecord } from '../../../../core/measurement';
import { LabelRequest, buildLabelRecord, parseLabelRequest } from '../../../../core/label/record';
import {
  estimatedRecord,
  measuredRecord,
  partlyMeasuredRecord
} from '../../fixtures/label-measurements';

const SHA = 'c'.repeat(64);

function fieldOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof FieldError) return e.message;
    throw e;
  }
  return 'no error';
}

describe('evidence of a measurement record', () => {
  test('coverage as recorded; older records: 1 when not estimated, else 0', () => {
    expect(recordEvidence(measuredRecord('a'), 'm').coverage).toBe(1);
    expect(recordEvidence(estimatedRecord('b'), 'm').coverage).toBe(0);
    expect(recordEvidence(partlyMeasuredRecord('c'), 'm').coverage).toBe(0.6);
    // Written before coverage existed: no coverage, no provenance, on the record or its parts.
    const older = (record: MeasurementRecord) => {
      const { coverage: _c, provenance: _p, ...rest } = record;
      void _c;
      void _p;
      const cpu = { ...rest.components.cpu } as Partial<ComponentEnergy>;
      delete cpu.coverage;
      return { ...rest, components: { ...rest.components, cpu } };
    };
    expect(recordEvidence(older(measuredRecord('d')), 'm').coverage).toBe(1);
    expect(recordEvidence(older(estimatedRecord('e')), 'm').coverage).toBe(0);
  });

  test('anything else is not a measurement record, named by its field', () => {
    expect(fieldOf(() => recordEvidence({ id: 'r3' }, 'measurements[1]'))).toMatch(
      /^measurements\[1\]: .*is not a measurement record/
    );
    expect(fieldOf(() => recordEvidence({ ...measuredRecord('a'), coverage: 2 }, 'm'))).toMatch(
      /coverage must be within 0..1/
    );
    expect(
      fieldOf(() => recordEvidence({ ...measuredRecord('a'), status: 'interrupted' }, 'm'))
    ).toMatch(/"interrupted" measurement/);
    expect(fieldOf(() => recordEvidence({ ...measuredRecord('a'), energyJ: -1 }, 'm'))).toMatch(
      /energyJ must be a number >= 0/
    );
  });
});

describe('method of records', () => {
  test.each([
    [[], 'declared'],
    [[1, 1], 'measured'],
    [[1, 0.5], 'partly-measured'],
    [[1, 0], 'partly-measured'],
    [[0, 0], 'estimated']
  ])('coverages %j give %s', (coverages, method) => {
    expect(methodOfRecords(coverages.map(coverage => ({ coverage })))).toBe(method);
  });

  test('a claim may be lower than the evidence, never higher', () => {
    expect(claimsNoMoreThan('estimated', 'measured')).toBe(true);
    expect(claimsNoMoreThan('measured', 'partly-measured')).toBe(false);
    expect(claimsNoMoreThan('partly-measured', 'estimated')).toBe(false);
    expect(claimsNoMoreThan('declared', 'estimated')).toBe(true);
  });
});

describe('label method', () => {
  const derived = (evidence: object, extra: Partial<LabelRequest> = {}) =>
    buildLabelRecord(
      parseLabelRequest({
        phase: 'inference',
        population: 'fixed',
        measurements: [{ path: 'run.json', sha256: SHA }],
        derive: { inferences: 100 },
        ...extra
      }),
      new Date(),
      [recordEvidence(evidence, 'measurements[0]')]
    );

  test('figures derived from a record take its method, and link to it', () => {
    const r = derived(measuredRecord('a', 50));
    expect(r.method).toBe('measured');
    expect(r.metrics.energyPerInferenceJ?.value).toBeCloseTo(0.5, 12);
    expect(r.derivation).toEqual({
      measurement: 0,
      inferences: 100,
      metrics: ['energyPerInferenceJ', 'co2ePerInferenceG']
    });
    expect(derived(estimatedRecord('b')).method).toBe('estimated');
    expect(derived(partlyMeasuredRecord('c')).method).toBe('partly-measured');
  });

  test('a requested method only lowers the derived one', () => {
    expect(derived(estimatedRecord('b'), { method: 'measured' }).method).toBe('estimated');
    expect(derived(partlyMeasuredRecord('c'), { method: 'measured' }).method).toBe(
      'partly-measured'
    );
    expect(derived(measuredRecord('a'), { method: 'estimated' }).method).toBe('estimated');
  });

  test('without records, or with typed energy figures, the label is declared', () => {
    const typed = {
      phase: 'inference',
      population: 'fixed',
      metrics: { energyPerInferenceJ: 0.2 }
    } as const;
    expect(buildLabelRecord({ ...typed, method: 'measured' }).method).toBe('declared');
    const beside = buildLabelRecord(
      { ...typed, method: 'measured', measurements: [{ path: 'run.json', sha256: SHA }] },
      new Date(),
      [recordEvidence(measuredRecord('a'), 'measurements[0]')]
    );
    expect(beside.method).toBe('declared');
  });

  test('derive requests are checked: count, index, conflicts', () => {
    const base = {
      phase: 'inference',
      population: 'fixed',
      measurements: [{ path: 'run.json', sha256: SHA }]
    };
    expect(fieldOf(() => parseLabelRequest({ ...base, derive: {} }))).toMatch(
      /^derive.inferences: is required/
    );
    expect(
      fieldOf(() => parseLabelRequest({ ...base, derive: { measurement: 1, inferences: 1 } }))
    ).toMatch(/^derive.measurement: must be an index/);
    expect(
      fieldOf(() =>
        parseLabelRequest({
          ...base,
          metrics: { energyPerInferenceJ: 1 },
          derive: { inferences: 1 }
        })
      )
    ).toMatch(/^metrics.energyPerInferenceJ: is computed from the measurement record/);
    expect(
      fieldOf(() => buildLabelRecord(parseLabelRequest({ ...base, derive: { inferences: 1 } })))
    ).toMatch(/^measurements\[0\]: could not be read/);
  });
});

describe('rating basis', () => {
  test('the defaults are the named basis; any override makes it custom', () => {
    const plain = buildLabelRecord({
      phase: 'inference',
      population: 'fixed',
      metrics: { latencyMs: 10 }
    });
    expect(plain.basis.name).toBe('gaissa-inference-v1');
    const custom = buildLabelRecord({
      phase: 'inference',
      population: 'fixed',
      metrics: { latencyMs: 10 },
      reference: { latencyMs: 100 }
    });
    expect(custom.basis.name).toBeUndefined();
    expect(basisName('training', DEFAULT_BASIS.training)).toBe('gaissa-training-v1');
    expect(basisDifferences('gaissa-inference-v1', 'inference', custom.basis)).toEqual([
      'reference.latencyMs'
    ]);
    expect(basisDifferences('gaissa-training-v1', 'inference', plain.basis)[0]).toMatch(
      /is a training basis/
    );
  });
});
