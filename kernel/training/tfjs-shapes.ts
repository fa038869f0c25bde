/**
 * The parts of TensorFlow.js that `gaissa.train`'s signatures name, as structural types: a
 * `tf.Tensor` is a TensorLike and a `tf.LayersModel` (or `tf.Sequential`) a TrainableModel.
 *
 * Why not tfjs's own types: every notebook cell is type-checked with `import { gaissa } from
 * 'gaissa'`, so whatever the API's declarations import is loaded into every cell's program. tfjs's
 * declarations are about 600 files; naming them here made each kernel parse them before its first
 * cell. This file must import nothing from tfjs (tests/unit/kernel/api/index-type-graph.test.ts
 * checks the whole graph). Members outside the ones typed here stay reachable as `any` through
 * the index signatures; `gaissa.train.tfjs<typeof import('gaissa/tfjs')>()` gives the full tfjs
 * types.
 */

/** A tfjs tensor as the API sees it. */
export interface TensorLike {
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly rank: number;
  readonly size: number;
  dispose(): void;
  [member: string]: any;
}

/** A layer of a tfjs model. */
export interface LayerLike {
  readonly name: string;
  trainable: boolean;
  countParams(): number;
  [member: string]: any;
}

/** What a plain `model.fit(x, y, args)` takes, the fields the notebooks use typed. */
export interface FitArgsLike {
  epochs?: number;
  batchSize?: number;
  verbose?: number;
  shuffle?: boolean;
  validationSplit?: number;
  validationData?:
    | [TensorLike | TensorLike[], TensorLike | TensorLike[]]
    | [TensorLike | TensorLike[], TensorLike | TensorLike[], TensorLike | TensorLike[]];
  initialEpoch?: number;
  callbacks?: object | object[];
  [option: string]: any;
}

/** Inputs or targets of a model: one tensor, one per input, or by input name. */
export type TensorsLike = TensorLike | TensorLike[] | { [name: string]: TensorLike };

/** A compiled tfjs LayersModel (`tf.sequential()`, `tf.model()`), as the API sees it. */
export interface TrainableModel {
  readonly name: string;
  readonly layers: readonly LayerLike[];
  fit(x: TensorsLike, y: TensorsLike, args?: FitArgsLike): Promise<any>;
  predict(x: TensorLike | TensorLike[], args?: { batchSize?: number }): TensorLike | TensorLike[];
  evaluate(
    x: TensorLike | TensorLike[],
    y: TensorLike | TensorLike[],
    args?: { batchSize?: number }
  ): TensorLike | TensorLike[];
  countParams(): number;
  summary(lineLength?: number, positions?: number[], printFn?: (message?: any) => void): void;
  [member: string]: any;
}

/** The `@tensorflow/tfjs` module, typed loosely (see the file comment for the full types). */
export interface TfjsModule {
  readonly version: { readonly tfjs: string; readonly [part: string]: string };
  getBackend(): string;
  [member: string]: any;
}
