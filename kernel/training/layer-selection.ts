/**
 * Which layers to freeze and what a freeze left trainable: the types of layer-freezing.ts that the
 * public API names, kept apart so that they import nothing from tfjs (tfjs-shapes.ts says why).
 */

/** Which layers: the first k of `model.layers`, every layer before the head, or names. */
export type LayerSelection = number | 'all-but-head' | readonly string[];

export interface FreezeResult {
  /** Layers frozen after the call (names). */
  frozen: string[];
  /** Parameters still trained. */
  trainableParams: number;
  /** Parameters frozen. */
  frozenParams: number;
}
