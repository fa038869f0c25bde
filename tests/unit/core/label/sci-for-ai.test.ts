import { FieldError } from '../../../../core/field-error';
import { buildLabelRecord, parseLabelRequest } from '../../../../core/label/record';
import {
  CONSUMER_BOUNDARY,
  PROVIDER_BOUNDARY,
  SCI_FOR_AI_STANDARD,
  SciForAiSource,
  parseSciForAiInput,
  sciForAi,
  sciForAiDifference
} from '../../../../core/label/sci-for-ai';
import { computeSci } from '../../../../core/sci';

const inference = (co2ePerInferenceG: number): SciForAiSource => ({
  phase: 'inference',
  metrics: { co2ePerInferenceG: { value: co2ePerInferenceG } }
});
const training = (trainingCo2eKg: number): SciForAiSource => ({
  phase: 'training',
  metrics: { trainingCo2eKg: { value: trainingCo2eKg } }
});

function fieldOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof FieldError) return e.field;
    throw e;
  }
  throw new Error('no FieldError');
}

describe('SCI for AI, consumer boundary (inference labels)', () => {
  test('per inference from co2ePerInferenceG, and per token when the request says what one is', () => {
    const r = sciForAi(inference(0.002), { consumerUnit: 'token', unitsPerInference: 50 });
    expect(r.standard).toBe(SCI_FOR_AI_STANDARD);
    expect(r.provider).toBeUndefined();
    expect(r.consumer).toMatchObject({
      boundary: CONSUMER_BOUNDARY,
      source: 'co2ePerInferenceG',
      emissionsG: 0.002,
      embodied: 'not included'
    });
    // The window is one inference: C = 0.002 g; 50 tokens per inference -> 0.002 / 50 g per token.
    expect(r.consumer!.scores).toEqual([
      { functionalUnit: 'inference', functionalUnits: 1, sciG: 0.002 },
      { functionalUnit: 'token', functionalUnits: 50, sciG: 0.00004 }
    ]);
  });

  test('from an SCI per inference, through computeSci with its embodied emissions', () => {
    const sci = computeSci({
      energyKWh: 0.01,
      carbonIntensity: 300,
      functionalUnits: 1000,
      functionalUnit: 'inference',
      boundary: 'the serving process',
      embodied: { totalKg: 100, lifespanYears: 4, reservedHours: 1, resourceShare: 0.5 }
    });
    const r = sciForAi({ ...inference(0.5), sci }, { consumerUnit: 'image', unitsPerInference: 2 });
    // E x I = 0.01 x 300 = 3 g; M = 100,000 g x 1 h / (4 x 8760 h) x 0.5 = 1.426940... g.
    const c = 3 + (100000 * 0.5) / (4 * 8760);
    const consumer = r.consumer!;
    expect(consumer.source).toBe('sci');
    expect(consumer.embodied).toBe('included');
    expect(consumer.covers).toContain('the serving process');
    expect(consumer.emissionsG).toBeCloseTo(c, 12);
    expect(consumer.scores.map(s => [s.functionalUnit, s.functionalUnits])).toEqual([
      ['inference', 1000],
      ['image', 2000]
    ]);
    expect(consumer.scores[0].sciG).toBeCloseTo(c / 1000, 15);
    expect(consumer.scores[1].sciG).toBeCloseTo(c / 2000, 15);
  });

  test('an SCI counting some other unit does not count inferences: the carbon metric is used', () => {
    const sci = computeSci({
      energyKWh: 1,
      carbonIntensity: 100,
      functionalUnits: 4,
      functionalUnit: '1k tokens'
    });
    expect(sciForAi({ ...inference(0.3), sci }, {}).consumer!.scores).toEqual([
      { functionalUnit: 'inference', functionalUnits: 1, sciG: 0.3 }
    ]);
  });

  test('without a carbon figure there is no consumer score to report', () => {
    const latencyOnly: SciForAiSource = {
      phase: 'inference',
      metrics: { latencyMs: { value: 3 } }
    };
    expect(fieldOf(() => sciForAi(latencyOnly, {}))).toBe('sciForAi');
  });
});

describe('SCI for AI, provider boundary (training labels)', () => {
  test('per run, per billion parameters, per PFLOP and per million training tokens', () => {
    const r = sciForAi(training(12.5), {
      parameters: 125e6,
      trainingFlops: 2.5e18,
      trainingTokens: 4e9
    });
    expect(r.consumer).toBeUndefined();
    expect(r.provider).toMatchObject({
      boundary: PROVIDER_BOUNDARY,
      source: 'trainingCo2eKg',
      emissionsG: 12500,
      embodied: 'not included'
    });
    // 12,500 g over 0.125 billion parameters, 2,500 PFLOP, 4,000 million tokens.
    expect(r.provider!.scores).toEqual([
      { functionalUnit: 'training run', functionalUnits: 1, sciG: 12500 },
      { functionalUnit: 'billion parameters', functionalUnits: 0.125, sciG: 100000 },
      { functionalUnit: 'PFLOP (10^15 FLOPs)', functionalUnits: 2500, sciG: 5 },
      { functionalUnit: 'million training tokens', functionalUnits: 4000, sciG: 3.125 }
    ]);
  });

  test('from the training SCI (whatever unit it counted) and from a not-rated CO2e', () => {
    const sci = computeSci({
      energyKWh: 40,
      carbonIntensity: 250,
      functionalUnits: 10,
      functionalUnit: 'epoch'
    });
    // C = 40 kWh x 250 g/kWh = 10,000 g for the whole run; 0.5 billion parameters.
    const fromSci = sciForAi({ ...training(99), sci }, { parameters: 5e8 }).provider!;
    expect(fromSci.source).toBe('sci');
    expect(fromSci.scores.map(s => s.sciG)).toEqual([10000, 20000]);
    const unrated: SciForAiSource = {
      phase: 'training',
      metrics: {},
      unrated: { trainingCo2eKg: 2 }
    };
    expect(sciForAi(unrated, {}).provider!.scores[0].sciG).toBe(2000);
  });

  test('a score that overflows names the figure that made it', () => {
    expect(fieldOf(() => sciForAi(training(1e300), { parameters: 1 }))).toBe('sciForAi.parameters');
    const energyOnly: SciForAiSource = {
      phase: 'training',
      metrics: { trainingEnergyKWh: { value: 1 } }
    };
    expect(fieldOf(() => sciForAi(energyOnly, {}))).toBe('sciForAi');
  });
});

describe('parseSciForAiInput: bad input names the field', () => {
  test.each([
    [[], 'training', 'sciForAi'],
    [{ flops: 1 }, 'training', 'sciForAi.flops'],
    [{ parameters: -5 }, 'training', 'sciForAi.parameters'],
    [{ parameters: 0.5 }, 'training', 'sciForAi.parameters'],
    [{ trainingFlops: '1e18' }, 'training', 'sciForAi.trainingFlops'],
    [{ trainingTokens: Infinity }, 'training', 'sciForAi.trainingTokens'],
    [{ consumerUnit: 'token', unitsPerInference: 5 }, 'training', 'sciForAi.consumerUnit'],
    [{ parameters: 1e9 }, 'inference', 'sciForAi.parameters'],
    [{ consumerUnit: 'word', unitsPerInference: 5 }, 'inference', 'sciForAi.consumerUnit'],
    [{ consumerUnit: 'token' }, 'inference', 'sciForAi.unitsPerInference'],
    [{ unitsPerInference: 5 }, 'inference', 'sciForAi.unitsPerInference'],
    [{ consumerUnit: 'page', unitsPerInference: 0 }, 'inference', 'sciForAi.unitsPerInference']
  ] as const)('%j on a %s label -> %s', (value, phase, field) => {
    expect(fieldOf(() => parseSciForAiInput(value, phase))).toBe(field);
  });

  test('valid input is kept as given', () => {
    expect(
      parseSciForAiInput({ consumerUnit: 'page', unitsPerInference: 0.5 }, 'inference')
    ).toEqual({ consumerUnit: 'page', unitsPerInference: 0.5 });
    expect(parseSciForAiInput({}, 'training')).toEqual({});
  });
});

describe('in the label record', () => {
  test('a request with sciForAi gets it in its record, which can recompute it', () => {
    const request = parseLabelRequest({
      phase: 'training',
      metrics: { trainingCo2eKg: 0.8 },
      reference: { trainingCo2eKg: 10 },
      sciForAi: { parameters: 4e8 }
    });
    const record = buildLabelRecord(request);
    // 800 g over 0.4 billion parameters = 2,000 g per billion parameters.
    expect(record.sciForAi!.provider!.scores[1]).toEqual({
      functionalUnit: 'billion parameters',
      functionalUnits: 0.4,
      sciG: 2000
    });
    expect(sciForAi(record, record.sciForAi!.input)).toEqual(record.sciForAi);
    expect(sciForAiDifference(record)).toBeUndefined();
    const scores = record.sciForAi!.provider!.scores;
    const edited = {
      ...record.sciForAi!,
      provider: { ...record.sciForAi!.provider!, scores: [scores[0], { ...scores[1], sciG: 20 }] }
    };
    expect(sciForAiDifference({ ...record, sciForAi: edited })).toMatch(/^sciForAi\.provider/);
    const moved = { ...record.sciForAi!, consumer: edited.provider, provider: undefined };
    expect(sciForAiDifference({ ...record, sciForAi: moved })).toMatch(/^sciForAi\.consumer/);
    const lowered = {
      ...record,
      metrics: {
        ...record.metrics,
        trainingCo2eKg: { ...record.metrics.trainingCo2eKg!, value: 0.4 }
      }
    };
    expect(sciForAiDifference(lowered)).toMatch(/does not follow/);
    const without = buildLabelRecord({ ...request, sciForAi: undefined });
    expect(without).not.toHaveProperty('sciForAi');
  });

  test('a request field in the wrong place is named', () => {
    const request = {
      phase: 'inference',
      metrics: { co2ePerInferenceG: 0.1 },
      reference: { co2ePerInferenceG: 1 }
    };
    expect(fieldOf(() => parseLabelRequest({ ...request, sciForAi: { parameters: 7e9 } }))).toBe(
      'sciForAi.parameters'
    );
  });
});
