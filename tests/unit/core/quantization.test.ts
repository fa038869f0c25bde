// The formulas in core/: quantization arithmetic, quantiles, and the comparison's decisions.
import {
  affineParams,
  channelLayout,
  dequantizeSymmetric,
  int8SymmetricRange,
  percentileRange,
  quantizeBias,
  quantizeSymmetric,
  roundHalfToEven
} from '../../../core/quantization';
import { seededRandom } from '../../../core/seeded-random';
import { quantile, quantileSorted } from '../../../core/statistics';
import {
  agreementRate,
  energiesDistinguishable,
  paretoFront,
  percentChange,
  recommendIndex,
  topOne,
  withinBudget
} from '../../../core/tactics';

describe('quantization', () => {
  test('round half to even, as ONNX QuantizeLinear', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfToEven)).toEqual([
      0, 2, 2, -0, -2, 2, 3
    ]);
  });

  test('symmetric per-channel: scale = max|w| / 127 per column, values within [-127, 127]', () => {
    // [K=2, N=3] row-major; columns have max |w| 4, 0.5 and 0.
    const w = Float32Array.from([4, -0.25, 0, -2, 0.5, 0]);
    const layout = channelLayout([2, 3], 1);
    expect(layout).toEqual({ channels: 3, inner: 1 });
    const q = quantizeSymmetric(w, layout);
    expect(Array.from(q.scales)).toEqual([Math.fround(4 / 127), Math.fround(0.5 / 127), 1]);
    expect(Array.from(q.values)).toEqual([127, -64, 0, -64, 127, 0]);
    const back = dequantizeSymmetric(q.values, q.scales, layout);
    w.forEach((v, i) =>
      expect(Math.abs(back[i] - v)).toBeLessThanOrEqual(q.scales[i % 3] / 2 + 1e-7)
    );
  });

  test('per output channel of a Conv weight [M, C, kh, kw], per tensor, reduced range', () => {
    expect(channelLayout([8, 3, 3, 3], 0)).toEqual({ channels: 8, inner: 27 });
    const q = quantizeSymmetric(
      Float32Array.from([1, -3, 2, 0.5]),
      { channels: 1, inner: 4 },
      int8SymmetricRange(true)
    );
    expect(Array.from(q.scales)).toEqual([Math.fround(3 / 64)]);
    expect(Array.from(q.values)).toEqual([21, -64, 43, 11]);
  });

  test('balanced rounding: the fewest values nearest their midpoint move, errors sum to <= 0.5 step', () => {
    // Scale 1: rounded to nearest, the errors w - q are 0.4, 0.4, 0.45, 0 (sum 1.25 steps).
    const w = Float32Array.from([10.4, 20.4, 30.45, 127]);
    const q = quantizeSymmetric(w, { channels: 1, inner: 4 });
    expect(Array.from(q.scales)).toEqual([1]);
    expect(Array.from(q.values)).toEqual([10, 20, 31, 127]);
    // Per channel, on random weights: every value stays within one step, every sum within 0.5.
    const random = seededRandom(3);
    const dims = [256, 8];
    const weights = Float32Array.from({ length: 256 * 8 }, () => random() - 0.3);
    const layout = channelLayout(dims, 1);
    const r = quantizeSymmetric(weights, layout, int8SymmetricRange(true));
    const sums = new Float64Array(8);
    weights.forEach((v, i) => {
      const e = v / r.scales[i % 8] - r.values[i];
      expect(Math.abs(e)).toBeLessThan(1);
      sums[i % 8] += e;
    });
    sums.forEach(sum => expect(Math.abs(sum)).toBeLessThanOrEqual(0.5 + 1e-9));
    expect(Math.max(...Array.from(r.values, Math.abs))).toBe(64);
  });

  test('affine uint8 parameters always represent 0 exactly', () => {
    expect(affineParams(0, 1)).toEqual({ scale: Math.fround(1 / 255), zeroPoint: 0 });
    // 1 / fround(2 / 255) is just under 127.5: the float32 scale decides the rounding.
    expect(affineParams(-1, 1)).toEqual({ scale: Math.fround(2 / 255), zeroPoint: 127 });
    expect(affineParams(2, 5)).toEqual({ scale: Math.fround(5 / 255), zeroPoint: 0 });
    expect(affineParams(-4, -1)).toEqual({ scale: Math.fround(4 / 255), zeroPoint: 255 });
    expect(affineParams(0, 0)).toEqual({ scale: 1, zeroPoint: 0 });
    expect(() => affineParams(NaN, 1)).toThrow(/invalid calibration range/);
  });

  test('int32 bias with scale x_scale * w_scale', () => {
    const b = quantizeBias([0.5, -1], 0.1, [0.01, 0.02]);
    expect(Array.from(b.values)).toEqual([500, -500]);
  });

  test('percentile range clips both tails', () => {
    const sorted = Float32Array.from({ length: 1001 }, (_, i) => i - 500);
    expect(percentileRange(sorted, 100)).toEqual({ min: -500, max: 500 });
    expect(percentileRange(sorted, 99)).toEqual({ min: -490, max: 490 });
    expect(() => percentileRange(sorted, 30)).toThrow(/within \(50, 100\]/);
  });
});

describe('statistics', () => {
  test('quantiles interpolate like NumPy (type 7)', () => {
    expect(quantile([3, 1, 2, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8, 12);
    expect(quantileSorted([7], 0.95)).toBe(7);
    expect(() => quantile([], 0.5)).toThrow(/empty/);
    expect(() => quantile([1], 2)).toThrow(/within 0..1/);
  });
});

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
