/**
 * Layer freezing for tfjs models, done so that training goes on correctly afterwards.
 *
 * Two traps of tfjs 4.22: tfjs-layers collects the trainable weights when the model is
 * compiled, so a change of `layer.trainable` only takes effect after a recompile; and tfjs's
 * optimizers keep their state (Adam's moments, momentum...) in arrays indexed by the position of
 * each variable in the trainable list, not by name. Recompiling with the same optimizer after
 * freezing the first layer would apply that layer's moments to the next one (wrong shapes or,
 * worse, silently wrong updates). So a recompile here builds a new optimizer of the same class
 * and configuration and hands it each variable's own state, by name; the state of variables that
 * leave the trainable set is kept aside and given back when they are unfrozen.
 */
import type { LayersModel, Optimizer, Tensor } from '@tensorflow/tfjs';

import type { FreezeResult, LayerSelection } from './layer-selection';

export type { FreezeResult, LayerSelection } from './layer-selection';

type NamedTensor = Awaited<ReturnType<Optimizer['getWeights']>>[number];

/** Optimizer state of variables that are frozen now, by state name ("dense/kernel/m"). */
const parkedState = new WeakMap<LayersModel, Map<string, Tensor>>();

function countParams(weights: ReadonlyArray<{ shape: readonly (number | null)[] }>): number {
  return weights.reduce((n, w) => n + w.shape.reduce<number>((a, d) => a * (d ?? 1), 1), 0);
}

export function freezeStatus(model: LayersModel): FreezeResult {
  return {
    frozen: model.layers.filter(l => !l.trainable && l.weights.length > 0).map(l => l.name),
    trainableParams: countParams(model.trainableWeights),
    frozenParams: countParams(model.nonTrainableWeights)
  };
}

/** The layers a selection names (checked against the model: a clear error for a bad one). */
function resolveSelection(model: LayersModel, selection: LayerSelection): string[] {
  const layers = model.layers;
  if (selection === 'all-but-head') {
    const withWeights = layers.filter(l => l.weights.length > 0);
    if (withWeights.length === 0) return [];
    return layers
      .slice(0, layers.lastIndexOf(withWeights[withWeights.length - 1]))
      .map(l => l.name);
  }
  if (typeof selection === 'number') {
    if (!Number.isInteger(selection) || selection < 1 || selection > layers.length) {
      throw new RangeError(
        `freeze: the number of first layers must be an integer from 1 to ${layers.length}, got ${selection}`
      );
    }
    return layers.slice(0, selection).map(l => l.name);
  }
  if (Array.isArray(selection)) {
    const names = new Set(layers.map(l => l.name));
    const unknown = selection.filter(n => !names.has(n));
    if (unknown.length > 0) {
      throw new RangeError(
        `freeze: no layer named ${unknown.join(', ')} (layers: ${[...names].join(', ')})`
      );
    }
    return [...selection];
  }
  throw new TypeError(
    `freeze: layers must be a count, 'all-but-head' or a list of layer names, got ${String(selection)}`
  );
}

/** The layers to freeze; refuses a selection that would leave nothing to train. */
export function selectLayers(model: LayersModel, selection: LayerSelection): string[] {
  const chosen = new Set(resolveSelection(model, selection));
  const withWeights = model.layers.filter(l => l.weights.length > 0);
  if (withWeights.length === 0) throw new Error('the model has no layer with weights to freeze');
  if (withWeights.every(l => chosen.has(l.name) || !l.trainable)) {
    throw new RangeError('freeze: that would freeze every layer with weights; leave one to train');
  }
  return [...chosen];
}

interface OptimizerClass {
  fromConfig(cls: OptimizerClass, config: Record<string, unknown>): Optimizer;
}

/** "dense/kernel/m" -> ["dense/kernel", "m"], given the names of the model's variables. */
function splitStateName(stateName: string, variables: ReadonlySet<string>): [string, string] {
  const cut = stateName.lastIndexOf('/');
  const variable = stateName.slice(0, cut);
  if (cut <= 0 || !variables.has(variable)) {
    throw new Error(`optimizer state '${stateName}' belongs to no variable of this model`);
  }
  return [variable, stateName.slice(cut + 1)];
}

/** A new optimizer of the same class and configuration as `source`, without state. */
function emptyLike(source: Optimizer): Optimizer {
  const cls = source.constructor as unknown as OptimizerClass;
  return cls.fromConfig(cls, source.getConfig() as Record<string, unknown>);
}

/**
 * A new optimizer like `source` that holds, for each trainable weight of `model`, its state by
 * name: from `source`, else parked when the weight was frozen, else a fresh start (zeros). The
 * state of weights that no longer train is parked (copied) for a later unfreeze.
 */
export async function optimizerFor(model: LayersModel, source: Optimizer): Promise<Optimizer> {
  const variables = new Set(model.weights.map(w => w.name));
  const parked = parkedState.get(model) ?? new Map<string, Tensor>();
  parkedState.set(model, parked);

  // [iterations, ...one group per kind of state ("m", "v"...), each in variable order].
  const [iterations, ...perVariable] = await source.getWeights();
  const kinds: string[] = [];
  const byName = new Map<string, Tensor>();
  for (const { name, tensor } of [
    ...perVariable,
    ...[...parked].map(([n, t]) => ({ name: n, tensor: t }))
  ]) {
    const [, kind] = splitStateName(name, variables);
    if (!kinds.includes(kind)) kinds.push(kind);
    if (!byName.has(name)) byName.set(name, tensor);
  }

  const config = source.getConfig() as Record<string, unknown>;
  const fresh = emptyLike(source);
  const trainable = model.trainableWeights;
  // Adagrad starts its accumulators at a configured value; the others at zero.
  const initial =
    typeof config.initialAccumulatorValue === 'number' ? config.initialAccumulatorValue : 0;
  const made: Tensor[] = [];
  const entries: NamedTensor[] = [iterations];
  for (const kind of kinds) {
    for (const w of trainable) {
      const name = `${w.name}/${kind}`;
      let tensor = byName.get(name);
      if (!tensor) {
        const zeros = w.read().zerosLike();
        tensor = initial === 0 ? zeros : zeros.add(initial);
        made.push(zeros, tensor);
      }
      entries.push({ name, tensor });
    }
  }
  await fresh.setWeights(entries);
  const training = new Set(trainable.map(w => w.name));
  for (const [name, tensor] of byName) {
    const [variable] = splitStateName(name, variables);
    if (!training.has(variable) && !parked.has(name)) parked.set(name, tensor.clone());
    else if (training.has(variable) && parked.has(name)) {
      parked.get(name)!.dispose();
      parked.delete(name);
    }
  }
  for (const t of new Set([...made, iterations.tensor])) t.dispose();
  return fresh;
}

/**
 * Recompiles with the same loss and metrics and a new optimizer of the same kind, carrying each
 * variable's optimizer state over by name (see the file comment for why). `stateFrom` takes the
 * state from another optimizer (one that trained the same variables through another model);
 * `freshOptimizer` starts the state over.
 */
export async function recompile(
  model: LayersModel,
  options: { freshOptimizer?: boolean; stateFrom?: Optimizer } = {}
): Promise<void> {
  const previous = model.optimizer;
  if (!previous) throw new Error('compile the model before freezing layers (model.compile(...))');
  let optimizer: Optimizer;
  if (options.freshOptimizer) {
    releaseParkedState(model);
    optimizer = emptyLike(previous);
  } else {
    optimizer = await optimizerFor(model, options.stateFrom ?? previous);
  }
  model.compile({ optimizer, loss: model.loss, metrics: model.metrics });
  previous.dispose();
}

/** Frees the optimizer state parked for a model's frozen variables. */
export function releaseParkedState(model: LayersModel): void {
  for (const t of parkedState.get(model)?.values() ?? []) t.dispose();
  parkedState.delete(model);
}

/** Freezes the selected layers (adding to any already frozen) and recompiles correctly. */
export async function freezeLayers(
  model: LayersModel,
  selection: LayerSelection
): Promise<FreezeResult> {
  const names = new Set(selectLayers(model, selection));
  let changed = false;
  for (const layer of model.layers) {
    if (names.has(layer.name) && layer.trainable) {
      layer.trainable = false;
      changed = true;
    }
  }
  if (changed) await recompile(model);
  return freezeStatus(model);
}

/** Unfreezes the selected layers (default: all) and recompiles correctly. */
export async function unfreezeLayers(
  model: LayersModel,
  selection?: LayerSelection
): Promise<FreezeResult> {
  const names = selection === undefined ? null : new Set(resolveSelection(model, selection));
  let changed = false;
  for (const layer of model.layers) {
    if ((names === null || names.has(layer.name)) && !layer.trainable) {
      layer.trainable = true;
      changed = true;
    }
  }
  if (changed) await recompile(model);
  return freezeStatus(model);
}
