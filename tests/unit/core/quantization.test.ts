// Quantization arithmetic of core/quantization.ts: rounding, scales, ranges, percentiles.
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
