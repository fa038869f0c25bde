// The comparison's decisions: the Pareto front, the recommendation within the budget, deltas.
import {
  agreementRate,
  energiesDistinguishable,
  paretoFront,
  percentChange,
  recommendIndex,
  topOne,
  withinBudget
} from '../../../core/tactics';

describe('comparison decisions', () => {
  const points = [
    { energy: 10, quality: 0.95 }, // baseline
    { energy: 3, quality: 0.948 }, // int8: within budget
    { energy: 9, quality: 0.95 }, // fp16-ish
    { energy: 2, quality: 0.9 }, // over budget, least energy
    { energy: 11, quality: 0.95 } // dominated
  ];

  test('Pareto front of energy (lower) vs quality (higher)', () => {
    expect(paretoFront(points)).toEqual([false, true, true, true, false]);
    // Equal points do not dominate each other.
    expect(
      paretoFront([
        { energy: 1, quality: 1 },
        { energy: 1, quality: 1 }
      ])
    ).toEqual([true, true]);
  });

  test('recommendation: least energy within the budget, else the baseline', () => {
    expect(recommendIndex(points, 0, 0.01)).toBe(1);
    expect(recommendIndex(points, 0, 0.1)).toBe(3);
    expect(recommendIndex(points, 0, 0)).toBe(2);
    expect(
      recommendIndex(
        [
          { energy: 1, quality: 0.9 },
          { energy: 2, quality: 0.95 }
        ],
        0,
        0.01
      )
    ).toBe(0);
    // 0.99 - 0.01 is 0.98 despite binary floating point.
    expect(withinBudget(0.98, 0.99, 0.01)).toBe(true);
    expect(withinBudget(0.9799, 0.99, 0.01)).toBe(false);
  });

  test('top-1, agreement, deltas, noise', () => {
    expect(Array.from(topOne([0.1, 0.7, 0.2, 0.5, 0.4, 0.1], 2, 3))).toEqual([1, 0]);
    expect(agreementRate([1, 2, 3, 4], [1, 2, 0, 4])).toBe(0.75);
    expect(() => agreementRate([1], [1, 2])).toThrow(/lengths differ/);
    expect(percentChange(25, 100)).toBe(-75);
    expect(percentChange(1, 0)).toBeNull();
    expect(energiesDistinguishable({ mean: 10, sd: 1, n: 5 }, { mean: 10.5, sd: 1, n: 5 })).toBe(
      false
    );
    expect(energiesDistinguishable({ mean: 10, sd: 0.1, n: 5 }, { mean: 5, sd: 0.1, n: 5 })).toBe(
      true
    );
    expect(energiesDistinguishable({ mean: 10, sd: null, n: 1 }, { mean: 9, sd: null, n: 1 })).toBe(
      true
    );
  });
});
