/**
 * The data a training takes. Generic in the tensor type so that the public API names no tfjs
 * type (tfjs-shapes.ts says why) while the implementation works on tfjs's own `Tensor`.
 */
import type { TensorLike } from './tfjs-shapes';

export interface LabelledData<T extends TensorLike = TensorLike> {
  x: T;
  y: T;
}

/** Training examples, plus validation data (for val_ metrics and early stopping) and test data. */
export interface TrainingData<T extends TensorLike = TensorLike> {
  train: LabelledData<T>;
  validation?: LabelledData<T>;
  test?: LabelledData<T>;
}
