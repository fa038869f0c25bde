/** Property tests of the ROI model over its whole valid input domain (fast-check). */
import fc from 'fast-check';
import { computeRoi, RoiResult, RoiScenario, validateScenario } from '../../../core/roi';

const amount = (min: number, max: number) =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const positive = fc.double({ min: Number.MIN_VALUE, max: 1e15, noNaN: true });
const nonNegative = amount(0, 1e15);

/** Any valid scenario, extremes included (denormals, 1e15, empty time fields). */
const anyScenario: fc.Arbitrary<RoiScenario> = fc
  .record(
    {
      baselineEnergyJ: positive,
      optimizedEnergyJ: positive,
      pricePerKWh: positive,
      implementationCost: nonNegative,
      inferences: nonNegative,
      carbonIntensity: nonNegative,
      pue: amount(1, 10),
      carbonPricePerTonne: nonNegative,
      time: fc.option(
        fc.record({
          inferencesPerDay: nonNegative,
          horizonYears: fc.integer({ min: 1, max: 100 }),
          annualGrowth: amount(-0.999999, 10),
          discountRate: amount(0, 10),
          hardwareSavingsPerYear: nonNegative
        })
      )
    },
    {
      requiredKeys: [
        'baselineEnergyJ',
        'optimizedEnergyJ',
        'pricePerKWh',
        'implementationCost',
        'inferences',
        'time'
      ]
    }
  )
  .map(({ time, ...rest }) => {
    const s: RoiScenario = { ...rest, ...(time ?? {}) };
    if (s.carbonPricePerTonne !== undefined && s.carbonIntensity === undefined) {
      delete s.carbonPricePerTonne;
    }
    return s;
  });

/** Realistic magnitudes with a real saving, for the monotonicity properties. */
const savingScenario = fc
  .record({
    baselineEnergyJ: amount(1e-3, 1e6),
    reduction: amount(0.001, 0.999),
    pricePerKWh: amount(1e-4, 10),
    implementationCost: amount(0, 1e7),
    pue: amount(1, 3)
  })
  .map(({ reduction, ...s }) => ({
    ...s,
    optimizedEnergyJ: s.baselineEnergyJ * (1 - reduction),
    inferences: 0
  }));

/** Every number in the result (recursively) is finite; nothing is NaN. */
function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (typeof value === 'object' && value !== null) return Object.values(value).every(allFinite);
  return true;
}

const nullFields: (keyof RoiResult)[] = [
  'breakEvenInferences',
  'roi',
  'roiUnlimited',
  'co2SavedKg',
  'paybackDays'
];

test('every valid scenario validates and gives finite numbers or explained nulls', () => {
  fc.assert(
    fc.property(anyScenario, s => {
      expect(validateScenario(s)).toEqual({ ok: true, scenario: s });
      const r = computeRoi(s);
      expect(allFinite(r)).toBe(true);
      expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
      for (const field of nullFields) {
        if (r[field] === null) expect(typeof r.explanations[field]).toBe('string');
      }
    }),
    { numRuns: 400 }
  );
});

test('more inferences never lower the ROI when there is a saving', () => {
  fc.assert(
    fc.property(savingScenario, amount(0, 1e12), amount(0, 1e12), (s, a, b) => {
      const [n1, n2] = a <= b ? [a, b] : [b, a];
      const r1 = computeRoi({ ...s, inferences: n1 }).roi;
      const r2 = computeRoi({ ...s, inferences: n2 }).roi;
      if (r1 !== null && r2 !== null) expect(r2).toBeGreaterThanOrEqual(r1);
      // Past the break-even point the ROI is never negative.
      const be = computeRoi({ ...s, inferences: n2 }).breakEvenInferences!;
      if (n2 >= be * (1 + 1e-9) && r2 !== null) expect(r2).toBeGreaterThanOrEqual(0);
    }),
    { numRuns: 400 }
  );
});

test('a higher price never lowers the saving when there is a saving', () => {
  fc.assert(
    fc.property(
      savingScenario,
      amount(1e-4, 10),
      amount(1e-4, 10),
      amount(0, 1e12),
      (s, a, b, n) => {
        const [p1, p2] = a <= b ? [a, b] : [b, a];
        const r1 = computeRoi({ ...s, pricePerKWh: p1, inferences: n });
        const r2 = computeRoi({ ...s, pricePerKWh: p2, inferences: n });
        expect(r2.savings).toBeGreaterThanOrEqual(r1.savings);
        expect(r2.savingPerInference).toBeGreaterThanOrEqual(r1.savingPerInference);
        expect(r2.breakEvenInferences!).toBeLessThanOrEqual(r1.breakEvenInferences!);
      }
    ),
    { numRuns: 400 }
  );
});

test('NPV never falls when the daily volume grows, with a saving', () => {
  fc.assert(
    fc.property(savingScenario, amount(0, 1e6), amount(0, 1e6), (s, a, b) => {
      const [d1, d2] = a <= b ? [a, b] : [b, a];
      const time = { horizonYears: 5, discountRate: 0.05, annualGrowth: 0.1 };
      const n1 = computeRoi({ ...s, ...time, inferencesPerDay: d1 }).npv!;
      const n2 = computeRoi({ ...s, ...time, inferencesPerDay: d2 }).npv!;
      expect(n2).toBeGreaterThanOrEqual(n1 - 1e-9 * Math.abs(n1));
    }),
    { numRuns: 200 }
  );
});
