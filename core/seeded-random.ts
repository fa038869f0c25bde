/**
 * A small seeded pseudo-random generator, so that data splits and epoch orders repeat exactly
 * from run to run (Math.random cannot be seeded). Quality is ample for shuffling; it is not for
 * cryptography.
 */

/**
 * Returns a generator of floats in [0, 1) from a 32-bit seed. Each call advances a Weyl sequence
 * and scrambles it with integer multiply-xorshift rounds, which spreads nearby seeds apart.
 */
export function seededRandom(seed: number): () => number {
  if (!Number.isFinite(seed)) throw new RangeError(`a seed must be a finite number, got ${seed}`);
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return (z >>> 0) / 0x100000000;
  };
}

/** A permutation of 0..n-1 (Fisher-Yates driven by `random`). */
export function seededPermutation(n: number, random: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
