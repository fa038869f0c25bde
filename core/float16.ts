/**
 * IEEE 754 binary16 ("half", ONNX FLOAT16) to and from binary32, bit-exact, round to nearest even.
 * Used by the fp16 tactic to store weights and by tests to read them back.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The largest finite float16. */
export const FLOAT16_MAX = 65504;

/** The float16 bit pattern nearest to `value` (ties to even); overflow gives +-Infinity. */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half (or zero): value = m x 2^-24, m = 1.mantissa x 2^(e + 9) rounded.
    if (e < -10) return sign;
    const full = mantissa | 0x800000;
    const shift = 14 - e;
    let half = full >>> shift;
    const rest = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to Infinity).
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Converts a whole array; `overflowed` counts finite values that became +-Infinity. */
export function toFloat16(values: ArrayLike<number>): { bits: Uint16Array; overflowed: number } {
  const bits = new Uint16Array(values.length);
  let overflowed = 0;
  for (let i = 0; i < values.length; i++) {
    const half = float32ToFloat16Bits(values[i]);
    if ((half & 0x7fff) === 0x7c00 && Number.isFinite(values[i])) overflowed++;
    bits[i] = half;
  }
  return { bits, overflowed };
}

export function fromFloat16(bits: ArrayLike<number>): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = float16BitsToFloat32(bits[i]);
  return out;
}
