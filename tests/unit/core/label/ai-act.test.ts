import { FieldError } from '../../../../core/field-error';
import {
  AI_ACT_SOURCE,
  AiActLabel,
  aiActDifference,
  aiActSection,
  energyStatusText,
  parseAiActInput
} from '../../../../core/label/ai-act';
import { buildLabelRecord, parseLabelRequest } from '../../../../core/label/record';

const SHA = 'c'.repeat(64);

function fieldOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof FieldError) return e.field;
    throw e;
  }
  throw new Error('no FieldError');
}

const label = (over: Partial<AiActLabel> = {}): AiActLabel => ({
  phase: 'training',
  metrics: { trainingEnergyKWh: { value: 3.5 }, trainingCo2eKg: { value: 1 } },
  method: 'measured',
  context: { hardware: '8 x NVIDIA A100', location: 'FR' },
  ...over
});

describe('EU AI Act Annex XI energy section', () => {
  test('training compute, time, energy with the label method, hardware and location', () => {
    expect(aiActSection(label(), { trainingComputeFlops: 3.2e21, trainingTimeHours: 72 })).toEqual({
      source: AI_ACT_SOURCE,
      trainingComputeFlops: 3.2e21,
      trainingTimeHours: 72,
      energyKWh: 3.5,
      energyMethod: 'measured',
      hardware: '8 x NVIDIA A100',
      location: 'FR'
    });
  });

  test('the energy carries the method the label shows, a not-rated energy included', () => {
    const partly = label({
      method: 'partly-measured',
      coverage: 0.25,
      metrics: {},
      unrated: { trainingEnergyKWh: 9 },
      context: undefined
    });
    expect(aiActSection(partly)).toEqual({
      source: AI_ACT_SOURCE,
      energyKWh: 9,
      energyMethod: 'partly-measured'
    });
    expect(energyStatusText(partly)).toBe('estimated (partly measured (25 % counter))');
    expect(energyStatusText(label())).toBe('known (measured)');
    expect(energyStatusText(label({ method: 'declared' }))).toMatch(/^declared by the issuer/);
  });

  test('no energy figure: no energy and no method claimed', () => {
    const section = aiActSection(label({ metrics: { trainingCo2eKg: { value: 1 } } }));
    expect(section).not.toHaveProperty('energyKWh');
    expect(section).not.toHaveProperty('energyMethod');
  });

  test('an inference label is refused', () => {
    expect(() => aiActSection(label({ phase: 'inference' }))).toThrow(
      /Annex XI documents the training/
    );
    expect(fieldOf(() => parseAiActInput({}, 'inference'))).toBe('aiAct');
  });

  test.each([
    [[], 'aiAct'],
    [{ flops: 1 }, 'aiAct.flops'],
    [{ trainingComputeFlops: -1 }, 'aiAct.trainingComputeFlops'],
    [{ trainingComputeFlops: 0 }, 'aiAct.trainingComputeFlops'],
    [{ trainingTimeHours: '3h' }, 'aiAct.trainingTimeHours']
  ] as const)('request %j -> %s', (value, field) => {
    expect(fieldOf(() => parseAiActInput(value, 'training'))).toBe(field);
  });

  test('in the record: the method derived from the records, never the requested one', () => {
    const record = buildLabelRecord(
      parseLabelRequest({
        phase: 'training',
        method: 'measured',
        reference: { trainingEnergyKWh: 10, trainingCo2eKg: 1 },
        measurements: [{ path: 'run.json', sha256: SHA }],
        derive: {},
        aiAct: { trainingComputeFlops: 1e18, trainingTimeHours: 2 },
        context: { location: 'Spain' },
        issued: '2025-06-01T00:00:00Z'
      }),
      new Date(),
      // 7.2e6 J = 2 kWh, 40 % of it counter-measured: partly measured, whatever was asked.
      [{ energyJ: 7.2e6, co2eG: 149.2, coverage: 0.4 }]
    );
    expect(record.aiAct).toEqual({
      source: AI_ACT_SOURCE,
      trainingComputeFlops: 1e18,
      trainingTimeHours: 2,
      energyKWh: 2,
      energyMethod: 'partly-measured',
      location: 'Spain'
    });
    expect(aiActSection(record, record.aiAct)).toEqual(record.aiAct);
    expect(aiActDifference(record)).toBeUndefined();
    const claimed = { ...record, aiAct: { ...record.aiAct!, energyMethod: 'measured' as const } };
    expect(aiActDifference(claimed)).toBe(
      "aiAct: energyMethod: not what the label's figures, method and context give"
    );
    const inferred = { ...record, phase: 'inference' as const };
    expect(aiActDifference(inferred)).toMatch(/Annex XI documents the training/);
  });
});
