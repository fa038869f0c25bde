/** gaissa.roi, gaissa.roi.whatIf and gaissa.roi.from: displayable results, schema-valid payloads. */
import { gaissa } from '../../../../kernel/api';
import { RoiAnalysis } from '../../../../kernel/api/roi';
import { bundleOf } from '../../../../kernel/display';
import { computeRoi, RoiScenario } from '../../../../core/roi';
import { ROI_CATALOGUE } from '../../../../core/roi-catalogue';
import {
  comparison,
  expectValid,
  measurement,
  roiInputErrors,
  validateRoi
} from '../../fixtures/api-outputs';
import { ROI_MIME } from '../../../../core/mime-types';

const scenario: RoiScenario = {
  baselineEnergyJ: 0.8,
  optimizedEnergyJ: 0.2,
  pricePerKWh: 0.25,
  implementationCost: 2000,
  inferences: 1e9,
  currency: 'EUR'
};

describe('gaissa.roi(scenario)', () => {
  test('computes with core/roi and displays the ROI mime, text and HTML', () => {
    const analysis = gaissa.roi(scenario);
    expect(analysis).toBeInstanceOf(RoiAnalysis);
    expect(analysis.result).toEqual(computeRoi(scenario));
    const bundle = bundleOf(analysis);
    expect(Object.keys(bundle).sort()).toEqual([ROI_MIME, 'text/html', 'text/plain'].sort());
    expectValid(validateRoi, bundle[ROI_MIME]);
    expect(bundle['text/plain']).toMatch(/^GAISSA ROI\n/);
    expect(bundle['text/plain']).toContain('Break-even');
    expect(bundle['text/html']).toContain('<table>');
    expect(JSON.parse(JSON.stringify(analysis))).toEqual(bundle[ROI_MIME]);
  });

  test('a time scenario carries NPV, payback and the yearly series', () => {
    const analysis = gaissa.roi({
      ...scenario,
      inferencesPerDay: 2e6,
      horizonYears: 3,
      discountRate: 0.05,
      annualGrowth: 0.1,
      carbonIntensity: 250,
      carbonPricePerTonne: 80
    });
    expect(analysis.result.yearly).toHaveLength(3);
    expect(typeof analysis.result.npv).toBe('number');
    expectValid(validateRoi, analysis.payload);
    expect(analysis.toMimeBundle()['text/plain']).toContain('NPV over 3 years');
  });

  test('invalid input names every offending field, and nothing shows NaN', () => {
    const errors = roiInputErrors(() =>
      gaissa.roi({
        ...scenario,
        pricePerKWh: 0,
        baselineEnergyJ: Number.NaN,
        inferences: -1,
        pue: 0.5
      })
    );
    expect(errors.map(e => e.field).sort()).toEqual(
      ['baselineEnergyJ', 'inferences', 'pricePerKWh', 'pue'].sort()
    );
    expect(() => gaissa.roi({ ...scenario, pricePerKWh: 0 })).toThrow(/pricePerKWh/);
  });

  test('sensitivity delegates to core (largest swing first)', () => {
    const s = gaissa.roi(scenario).sensitivity();
    expect(s.metric).toBe('roi');
    expect(s.entries.length).toBeGreaterThan(0);
  });
});

describe('gaissa.roi.whatIf', () => {
  const tactic = ROI_CATALOGUE[0];

  test('the optimized energy comes from the catalogue, marked expected with its source', () => {
    const { optimizedEnergyJ: _omit, ...rest } = scenario;
    const analysis = gaissa.roi.whatIf({ ...rest, tactic: tactic.id });
    expect(analysis.expected?.tactic).toBe(tactic.id);
    expect(analysis.expected?.url).toBe(tactic.source.url);
    expect(analysis.scenario.optimizedEnergyJ).toBeCloseTo(
      scenario.baselineEnergyJ * (1 - tactic.reduction.low),
      12
    );
    const bundle = analysis.toMimeBundle();
    expectValid(validateRoi, bundle[ROI_MIME]);
    expect(bundle['text/plain']).toContain('Expected, not measured');
    expect(bundle['text/html']).toContain('Expected, not measured');
  });

  test('unknown tactic, bad pick, a given optimized energy and bad fields are reported together', () => {
    const errors = roiInputErrors(() =>
      gaissa.roi.whatIf({
        ...scenario,
        tactic: 'magic-dust',
        pick: 'most' as 'low',
        pricePerKWh: -1
      } as never)
    );
    expect(errors.map(e => e.field).sort()).toEqual(
      ['optimizedEnergyJ', 'pick', 'pricePerKWh', 'tactic'].sort()
    );
    expect(errors.find(e => e.field === 'tactic')?.message).toContain(tactic.id);
  });

  test('the catalogue is exposed for discovery', () => {
    expect(gaissa.roi.catalogue).toBe(ROI_CATALOGUE);
  });
});

describe('gaissa.roi.from(comparison)', () => {
  const options = { pricePerKWh: 0.25, implementationCost: 2000, inferences: 1e9 };

  test('baseline vs the recommended variant, with where the figures came from', () => {
    const analysis = gaissa.roi.from(comparison, options);
    expect(analysis.scenario.baselineEnergyJ).toBe(0.8);
    expect(analysis.scenario.optimizedEnergyJ).toBe(0.2);
    expect(analysis.result.explanations.optimizedEnergyJ).toMatch(/quantize-dynamic.*recommended/);
    expectValid(validateRoi, analysis.payload);
    const bundle = analysis.toMimeBundle();
    expect(bundle['text/plain']).toMatch(/Source: baseline: variant 'fp32'/);
    expect(bundle['text/html']).toContain('gaissa-roi-sources');
  });

  test('a named variant, or the least energy when nothing is recommended', () => {
    expect(
      gaissa.roi.from(comparison, { ...options, variant: 'fp16' }).scenario.optimizedEnergyJ
    ).toBe(0.78);
    const unmarked = {
      variants: comparison.variants.map(({ recommended: _r, ...v }) => v),
      baseline: 'fp32'
    };
    const analysis = gaissa.roi.from(unmarked, options);
    expect(analysis.scenario.optimizedEnergyJ).toBe(0.15);
    expect(analysis.result.explanations.optimizedEnergyJ).toContain('least energy');
  });

  test('bad comparisons and options are reported field by field', () => {
    const broken = {
      variants: [
        { name: 'a', energyPerInferenceJ: 0, baseline: true },
        { name: 'a', energyPerInferenceJ: Number.NaN }
      ]
    };
    const errors = roiInputErrors(() =>
      gaissa.roi.from(broken, { ...options, pricePerKWh: 0, inferencesPerRun: 10 })
    );
    expect(errors.map(e => e.field).sort()).toEqual(
      [
        'inferencesPerRun',
        'pricePerKWh',
        'variants[0].energyPerInferenceJ',
        'variants[1].energyPerInferenceJ',
        'variants[1].name'
      ].sort()
    );
    expect(
      roiInputErrors(() => gaissa.roi.from(comparison, { ...options, variant: 'fp32' }))
    ).toEqual([{ field: 'variant', message: expect.stringContaining('baseline itself') }]);
    expect(
      roiInputErrors(() => gaissa.roi.from(comparison, { ...options, variant: 'int4' }))[0]
    ).toEqual({ field: 'variant', message: expect.stringContaining('variants: fp32, fp16') });
    expect(roiInputErrors(() => gaissa.roi.from({ variants: [] }, options))[0].field).toBe(
      'variants'
    );
  });

  test('a source that is neither is refused with what is accepted', () => {
    expect(() => gaissa.roi.from(42 as never, options)).toThrow(/tactics comparison.*measurement/s);
  });
});

describe('gaissa.roi.from(measurements)', () => {
  const base = measurement(100, { id: 'm-base', label: 'fp32' });
  const opt = measurement(25, { id: 'm-opt', label: 'int8' });
  const options = { implementationCost: 500, inferences: 1e8, inferencesPerRun: 1000 };

  test('energy per inference = energyJ / inferencesPerRun; settings from the baseline record', () => {
    const analysis = gaissa.roi.from([base, opt], options);
    expect(analysis.scenario).toMatchObject({
      baselineEnergyJ: 0.1,
      optimizedEnergyJ: 0.025,
      pricePerKWh: 0.25,
      currency: 'EUR',
      pue: 1.2,
      carbonIntensity: 50
    });
    expect(analysis.result.explanations.baselineEnergyJ).toContain('measurement m-base (fp32)');
    expect(analysis.result.explanations.baselineEnergyJ).toContain('measured with rapl');
    expectValid(validateRoi, analysis.payload);
  });

  test('the object form, separate counts and options that override the record', () => {
    const analysis = gaissa.roi.from(
      { baseline: base, optimized: opt },
      { ...options, inferencesPerRun: { baseline: 1000, optimized: 500 }, pricePerKWh: 0.4, pue: 1 }
    );
    expect(analysis.scenario.optimizedEnergyJ).toBe(0.05);
    expect(analysis.scenario.pricePerKWh).toBe(0.4);
    expect(analysis.scenario.pue).toBe(1);
  });

  test("energy: 'dynamic' uses the energy above idle, and says when a record has none", () => {
    const withIdle = measurement(100, { id: 'm-idle', baselineJ: 20 });
    const withIdle2 = measurement(40, { id: 'm-idle2', baselineJ: 20 });
    const analysis = gaissa.roi.from([withIdle, withIdle2], { ...options, energy: 'dynamic' });
    expect(analysis.scenario.baselineEnergyJ).toBeCloseTo(0.08, 12);
    expect(analysis.scenario.optimizedEnergyJ).toBeCloseTo(0.02, 12);
    const errors = roiInputErrors(() =>
      gaissa.roi.from([base, withIdle], { ...options, energy: 'dynamic' })
    );
    expect(errors.map(e => e.field)).toEqual(['baseline.dynamicEnergyJ']);
  });

  test('a missing count, a failed run and a missing price are all reported', () => {
    const failed = { ...opt, status: 'error' as const };
    const noPrice = { ...base, pricePerKWh: null };
    const errors = roiInputErrors(() =>
      gaissa.roi.from([noPrice, failed], { implementationCost: 1, inferences: 1 })
    );
    expect(errors.map(e => e.field).sort()).toEqual(
      ['inferencesPerRun', 'optimized.status', 'pricePerKWh'].sort()
    );
  });
});
