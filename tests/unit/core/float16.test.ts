// float16 conversion (core/float16.ts): round to nearest even, subnormals, overflow to infinity.
import {
  fromFloat16,
  float16BitsToFloat32,
  float32ToFloat16Bits,
  toFloat16
} from '../../../core/float16';

describe('float16 conversion', () => {
  test.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff],
    [65520, 0x7c00], // rounds up to infinity
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0x0000], // a tie: to even (zero)
    [1 + 2 ** -11, 0x3c00], // a tie between 1 and 1 + 2^-10: to even
    [1 + 3 * 2 ** -11, 0x3c02],
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00]
  ])('%p -> bits %p', (value, bits) => {
    expect(float32ToFloat16Bits(value)).toBe(bits);
  });

  test('NaN stays NaN; every half round-trips exactly', () => {
    expect(Number.isNaN(float16BitsToFloat32(float32ToFloat16Bits(NaN)))).toBe(true);
    const wrong: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) === 0x7c00 && bits & 0x3ff) continue;
      if (float32ToFloat16Bits(float16BitsToFloat32(bits)) !== bits) wrong.push(bits);
    }
    expect(wrong).toEqual([]);
  });

  test('counts overflow', () => {
    const { bits, overflowed } = toFloat16([1, 70000, -1e6, Infinity]);
    expect(overflowed).toBe(2);
    expect(Array.from(fromFloat16(bits))).toEqual([1, Infinity, -Infinity, Infinity]);
  });
});
