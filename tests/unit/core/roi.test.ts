/**
 * Formulas of core/roi.ts against values computed by hand (GAISSA ROI Analyzer).
 * Reference: 1000 J → 400 J per inference at 0.36 per kWh gives C_old = 1e-4, C_new = 4e-5 and a
 * saving of 6e-5 per inference; the implementation costs 300.
 */
import {
  computeRoi,
  RoiInputError,
  RoiScenario,
  roiPayload,
  roiSensitivity
} from '../../../core/roi';

const reference: RoiScenario = {
  baselineEnergyJ: 1000,
  optimizedEnergyJ: 400,
  pricePerKWh: 0.36,
  implementationCost: 300,
  inferences: 1e7,
  currency: 'EUR'
};

describe('cost per inference, ROI, break-even', () => {
  const r = computeRoi(reference);

  test('cost per inference is E / 3.6e6 × price', () => {
    expect(r.costPerInferenceBaseline).toBeCloseTo(1e-4, 15);
    expect(r.costPerInferenceOptimized).toBeCloseTo(4e-5, 15);
    expect(r.savingPerInference).toBeCloseTo(6e-5, 15);
    expect(r.effectivePricePerKWh).toBe(0.36);
    expect(r.currency).toBe('EUR');
  });

  test('ROI(N) = (C_old N − (C_new N + I)) / (C_new N + I)', () => {
    // old 1000, new 400 + 300 = 700: ROI = 300 / 700
    expect(r.roi).toBeCloseTo(300 / 700, 12);
    expect(r.totalCostBaseline).toBeCloseTo(1000, 9);
    expect(r.totalCostOptimized).toBeCloseTo(700, 9);
  });

  test('break-even N* = I / (C_old − C_new), where ROI is 0', () => {
    expect(r.breakEvenInferences).toBeCloseTo(5e6, 3);
    const atBreakEven = computeRoi({ ...reference, inferences: r.breakEvenInferences! });
    expect(atBreakEven.roi).toBeCloseTo(0, 12);
    expect(atBreakEven.netSavings).toBeCloseTo(0, 9);
  });

  test('ROI for unlimited use = (C_old − C_new) / C_new', () => {
    expect(r.roiUnlimited).toBeCloseTo(1.5, 12);
    // ROI(N) approaches it as N grows, and equals it without an implementation cost.
    expect(computeRoi({ ...reference, inferences: 1e14 }).roi).toBeCloseTo(1.5, 4);
    expect(computeRoi({ ...reference, implementationCost: 0 }).roi).toBeCloseTo(1.5, 12);
  });

  test('savings, energy saved; no CO2 without an intensity', () => {
    expect(r.savings).toBeCloseTo(600, 9);
    expect(r.netSavings).toBeCloseTo(300, 9);
    expect(r.energySavedKWh).toBeCloseTo((600 * 1e7) / 3.6e6, 9);
    expect(r.co2SavedKg).toBeNull();
    expect(r.explanations.co2SavedKg).toMatch(/carbonIntensity/);
  });

  test('CO2 avoided = (E_old − E_new) N × intensity', () => {
    const c = computeRoi({ ...reference, carbonIntensity: 250 });
    const kwh = (600 * 1e7) / 3.6e6; // 1666.67 kWh
    expect(c.co2SavedKg).toBeCloseTo((kwh * 250) / 1000, 9);
  });

  test('PUE multiplies every energy and cost', () => {
    const p = computeRoi({ ...reference, pue: 1.5, carbonIntensity: 100 });
    expect(p.costPerInferenceBaseline).toBeCloseTo(1.5e-4, 15);
    expect(p.costPerInferenceOptimized).toBeCloseTo(6e-5, 15);
    expect(p.energySavedKWh).toBeCloseTo(1.5 * r.energySavedKWh, 9);
    expect(p.co2SavedKg).toBeCloseTo((1.5 * r.energySavedKWh * 100) / 1000, 9);
    expect(p.breakEvenInferences).toBeCloseTo(300 / 9e-5, 3);
  });

  test('carbon price is folded into the price per kWh', () => {
    // 400 g/kWh × 100 per tonne = 0.04 per kWh on top of 0.36
    const c = computeRoi({ ...reference, carbonIntensity: 400, carbonPricePerTonne: 100 });
    expect(c.effectivePricePerKWh).toBeCloseTo(0.4, 12);
    expect(c.costPerInferenceBaseline).toBeCloseTo((1000 / 3.6e6) * 0.4, 15);
    expect(c.explanations.effectivePricePerKWh).toMatch(/carbon price/);
  });

  test('inference curve crosses at the break-even point', () => {
    const points = r.inferenceCurve;
    expect(points[0]).toEqual({ inferences: 0, baseline: 0, optimized: 300 });
    const crossing = points.find(p => p.inferences === r.breakEvenInferences);
    expect(crossing).toBeDefined();
    expect(crossing!.baseline).toBeCloseTo(crossing!.optimized, 9);
    expect(points[points.length - 1].inferences).toBe(1e7);
  });

  test('the curve extends past N to show a break-even beyond it', () => {
    const early = computeRoi({ ...reference, inferences: 1e6 });
    const last = early.inferenceCurve[early.inferenceCurve.length - 1];
    expect(last.inferences).toBeCloseTo(1.25 * 5e6, 3);
    expect(early.roi).toBeLessThan(0);
  });
});

describe('no saving', () => {
  test('an optimization that costs more has no break-even and negative ROI', () => {
    const worse = computeRoi({ ...reference, optimizedEnergyJ: 1200 });
    expect(worse.breakEvenInferences).toBeNull();
    expect(worse.explanations.breakEvenInferences).toMatch(/no saving/);
    expect(worse.roi).toBeLessThan(0);
    expect(worse.roiUnlimited).toBeCloseTo(1000 / 1200 - 1, 12);
    expect(worse.savings).toBeLessThan(0);
    expect(worse.energySavedKWh).toBeLessThan(0);
  });

  test('equal energies: no break-even, ROI 0 for unlimited use', () => {
    const same = computeRoi({ ...reference, optimizedEnergyJ: 1000 });
    expect(same.breakEvenInferences).toBeNull();
    expect(same.savingPerInference).toBe(0);
    expect(same.roiUnlimited).toBe(0);
    expect(same.roi).toBeCloseTo(1000 / 1300 - 1, 12);
  });
});

describe('edge cases that must not give NaN', () => {
  test('zero inferences: ROI −1 with an implementation cost, null without', () => {
    expect(computeRoi({ ...reference, inferences: 0 }).roi).toBe(-1);
    const free = computeRoi({ ...reference, inferences: 0, implementationCost: 0 });
    expect(free.roi).toBeNull();
    expect(free.explanations.roi).toMatch(/0 inferences/);
    expect(free.breakEvenInferences).toBe(0);
  });

  test('no implementation cost: break-even at 0', () => {
    expect(computeRoi({ ...reference, implementationCost: 0 }).breakEvenInferences).toBe(0);
  });

  test('an optimized cost that underflows to 0 gives null, not Infinity', () => {
    const r = computeRoi({
      ...reference,
      baselineEnergyJ: 1e-300,
      optimizedEnergyJ: 5e-324,
      pricePerKWh: 1e-20,
      implementationCost: 0
    });
    expect(r.costPerInferenceOptimized).toBe(0);
    expect(r.roiUnlimited).toBeNull();
    expect(r.explanations.roiUnlimited).toBeDefined();
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });

  test('computeRoi throws RoiInputError naming the fields', () => {
    expect(() => computeRoi({ ...reference, pricePerKWh: 0 })).toThrow(RoiInputError);
    try {
      computeRoi({ ...reference, pricePerKWh: 0, inferences: -1 });
    } catch (e) {
      expect((e as RoiInputError).errors.map(x => x.field)).toEqual(['pricePerKWh', 'inferences']);
    }
  });
});

describe('time scenario', () => {
  // 10,000 inferences a day × 6e-5 = 0.6 a day, 219 a year; I = 300.
  const timed: RoiScenario = {
    ...reference,
    inferencesPerDay: 10000,
    horizonYears: 3,
    discountRate: 0.1
  };

  test('NPV = −I + Σ CF_y / (1 + r)^y', () => {
    const r = computeRoi(timed);
    const expected = -300 + 219 / 1.1 + 219 / 1.1 ** 2 + 219 / 1.1 ** 3; // 244.6205...
    expect(r.npv).toBeCloseTo(expected, 9);
    expect(r.npv).toBeCloseTo(244.6205, 3);
    expect(r.yearly).toHaveLength(3);
    expect(r.yearly![0].savings).toBeCloseTo(219, 9);
    expect(r.yearly![0].inferences).toBe(3_650_000);
    expect(r.yearly![2].npv).toBeCloseTo(expected, 9);
    expect(r.yearly![2].cumulativeNetSavings).toBeCloseTo(3 * 219 - 300, 9);
  });

  test('payback = I / daily saving without growth', () => {
    const r = computeRoi(timed);
    expect(r.paybackDays).toBeCloseTo(500, 9);
    expect(r.paybackWithinHorizon).toBe(true);
  });

  test('annual growth steps the daily volume up at each year boundary', () => {
    const r = computeRoi({ ...timed, annualGrowth: 0.5 });
    expect(r.yearly!.map(y => y.savings)).toEqual([
      expect.closeTo(219, 9),
      expect.closeTo(328.5, 9),
      expect.closeTo(492.75, 9)
    ]);
    // 219 after year 1; the remaining 81 at 0.9 a day takes 90 days.
    expect(r.paybackDays).toBeCloseTo(455, 9);
    expect(r.npv).toBeCloseTo(-300 + 219 / 1.1 + 328.5 / 1.21 + 492.75 / 1.331, 9);
  });

  test('a shrinking service (negative growth) is allowed', () => {
    const r = computeRoi({ ...timed, annualGrowth: -0.5 });
    expect(r.yearly![1].savings).toBeCloseTo(109.5, 9);
  });

  test('hardware savings add to every year and shorten the payback', () => {
    const r = computeRoi({ ...timed, hardwareSavingsPerYear: 146 });
    expect(r.yearly![0].savings).toBeCloseTo(365, 9);
    expect(r.paybackDays).toBeCloseTo(300, 9); // 1.0 a day
  });

  test('payback beyond the horizon is reported and flagged', () => {
    const r = computeRoi({ ...timed, implementationCost: 1000 });
    expect(r.paybackDays).toBeCloseTo(1000 / 0.6, 6);
    expect(r.paybackWithinHorizon).toBe(false);
    expect(r.explanations.paybackDays).toMatch(/after the 3-year horizon/);
    expect(r.npv).toBeLessThan(0);
  });

  test('no saving: payback null, NPV is minus the implementation cost and losses', () => {
    const r = computeRoi({ ...timed, optimizedEnergyJ: 1000 });
    expect(r.paybackDays).toBeNull();
    expect(r.explanations.paybackDays).toMatch(/never/);
    expect(r.npv).toBeCloseTo(-300, 9);
  });

  test('no implementation cost pays back at day 0', () => {
    expect(computeRoi({ ...timed, implementationCost: 0 }).paybackDays).toBe(0);
  });

  test('cost curve: year ends plus the exact payback point, where the curves cross', () => {
    const r = computeRoi(timed);
    expect(r.costCurve!.map(p => p.day)).toEqual([0, 365, 500, 730, 1095]);
    const crossing = r.costCurve!.find(p => p.day === 500)!;
    expect(crossing.baseline).toBeCloseTo(crossing.optimized, 9);
    expect(r.costCurve![0]).toEqual({ day: 0, baseline: 0, optimized: 300 });
    expect(r.costCurve![4].baseline).toBeCloseTo(3 * 365, 6); // 1e-4 × 10,000 × 1095
  });

  test('CO2 per year when an intensity is given', () => {
    const r = computeRoi({ ...timed, carbonIntensity: 360 });
    // 3.65e6 inferences × 600 J = 608.33 kWh → × 0.36 kg/kWh
    expect(r.yearly![0].co2SavedKg).toBeCloseTo(((3.65e6 * 600) / 3.6e6) * 0.36, 9);
    expect(r.yearly![2].cumulativeCo2SavedKg).toBeCloseTo(3 * r.yearly![0].co2SavedKg!, 9);
  });

  test('no time fields, no time results', () => {
    const r = computeRoi(reference);
    expect(r.npv).toBeUndefined();
    expect(r.yearly).toBeUndefined();
    expect(r.costCurve).toBeUndefined();
  });
});

describe('sensitivity (tornado)', () => {
  test('moves each present input ±variation and sorts by swing', () => {
    const s = roiSensitivity(reference, { variation: 0.2 });
    expect(s.metric).toBe('roi');
    expect(s.base).toBeCloseTo(300 / 700, 12);
    expect(s.entries.map(e => e.field).sort()).toEqual(
      [
        'baselineEnergyJ',
        'implementationCost',
        'inferences',
        'optimizedEnergyJ',
        'pricePerKWh'
      ].sort()
    );
    const swings = s.entries.map(e => e.swing!);
    expect([...swings].sort((a, b) => b - a)).toEqual(swings);
    // Baseline energy moves ROI most here: 800 J → 0.1428..., 1200 J → 0.7142...
    expect(s.entries[0].field).toBe('baselineEnergyJ');
    expect(s.entries[0].low).toBeCloseTo(800 / 700 - 1, 12);
    expect(s.entries[0].high).toBeCloseTo(1200 / 700 - 1, 12);
  });

  test('defaults to NPV for a time scenario; clamps inputs to their valid range', () => {
    const s = roiSensitivity(
      { ...reference, inferencesPerDay: 10000, horizonYears: 1, discountRate: 0.1, pue: 1 },
      { variation: 0.3 }
    );
    expect(s.metric).toBe('npv');
    const pue = s.entries.find(e => e.field === 'pue')!;
    expect(pue.lowInput).toBe(1);
    expect(pue.highInput).toBeCloseTo(1.3, 12);
    const horizon = s.entries.find(e => e.field === 'horizonYears')!;
    expect([horizon.lowInput, horizon.highInput]).toEqual([1, 1]);
    expect(horizon.swing).toBe(0);
  });

  test('rejects a variation outside (0, 1)', () => {
    expect(() => roiSensitivity(reference, { variation: 1 })).toThrow(RangeError);
  });
});

test('roiPayload bundles the normalized scenario and its result', () => {
  const p = roiPayload({ ...reference, pue: null } as unknown as RoiScenario);
  expect(p.scenario).not.toHaveProperty('pue');
  expect(p.result.roi).toBeCloseTo(300 / 700, 12);
  expect(p).not.toHaveProperty('expected');
});
