/**
 * Copies of a model's weights, kept per variable (not by position: `model.getWeights()` lists
 * trainable weights first, so its order changes when layers are frozen). tfjs's earlyStopping
 * cannot restore the best weights; this is how we do it.
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';

type Variable = LayersModel['weights'][number];

export class WeightsSnapshot {
  private constructor(private readonly copies: Array<[Variable, Tensor]>) {}

  static take(model: LayersModel): WeightsSnapshot {
    return new WeightsSnapshot(model.weights.map(w => [w, w.read().clone()]));
  }

  /** Writes the copies back into the model's variables. */
  restore(): void {
    for (const [variable, copy] of this.copies) variable.write(copy);
  }

  dispose(): void {
    for (const [, copy] of this.copies) copy.dispose();
    this.copies.length = 0;
  }
}
