/**
 * What a tactic is: a function from a model to a new model (or new runtime settings) plus a
 * report of what changed and what it left as is. Tactics never change the model they are given.
 */
import type { onnx } from 'onnx-proto';
import type { ChangedNode, LeftAsIs } from '../../core/tactics';
import type { SessionSettings } from '../onnx/inference';
import type { OnnxModel } from '../onnx/onnx-model';
import type { EvalInput } from './eval-data';
import type { Int8DotProduct } from './int8-weight-range';

/** Session options plus how many inputs go into one run() call. */
export interface RuntimeSettings extends SessionSettings {
  batchSize?: number;
}

export interface TacticOptions {
  /** Quantization: one scale per output channel (default) or one per tensor. */
  perChannel?: boolean;
  /**
   * Quantization: 7-bit weights ([-64, 64]), which CPUs without an int8 dot product need, or
   * full-range ones. Unset: chosen from the CPU (int8-weight-range.ts).
   */
  reduceRange?: boolean;
  /** Quantization: the CPU's int8 dot product the choice rests on; detected when unset. */
  int8DotProduct?: Int8DotProduct;
  /** Quantization: operator types to quantize (default MatMul and Gemm; add Conv to opt in). */
  ops?: string[];
  /** Node names to leave as they are. */
  exclude?: string[];
  /** quantize-static: sample inputs the activation ranges are calibrated on. */
  calibration?: EvalInput;
  /** quantize-static: `minmax` (default) or `percentile`. */
  calibrationMethod?: 'minmax' | 'percentile';
  /** quantize-static with `percentile`: the percentile kept (default 99.999). */
  percentile?: number;
}

/** Thrown when a tactic cannot run at all (bad argument, opset, missing calibration data). */
export class TacticError extends Error {
  constructor(
    readonly tactic: string,
    message: string
  ) {
    super(`${tactic}: ${message}`);
    this.name = 'TacticError';
  }
}

export interface TacticOutcome {
  /** The new model; undefined when only runtime settings change. */
  proto?: onnx.ModelProto;
  runtime?: Partial<RuntimeSettings>;
  summary: string;
  changed: ChangedNode[];
  leftAsIs: LeftAsIs[];
  notes: string[];
}

export interface TacticDefinition {
  id: string;
  summary: string;
  /** `ID:ARG`: what the argument is; absent when the tactic takes none. */
  argument?: { name: string; description: string; required: boolean };
  apply(model: OnnxModel, arg: string | undefined, options: TacticOptions): Promise<TacticOutcome>;
}

/** A fraction in [0, 1) from a tactic argument, with a message naming the tactic. */
export function fractionArgument(tactic: string, raw: string | undefined, what: string): number {
  const value = Number(raw);
  if (
    raw === undefined ||
    raw.trim() === '' ||
    !Number.isFinite(value) ||
    value < 0 ||
    value >= 1
  ) {
    throw new TacticError(
      tactic,
      `needs ${what} as a fraction in [0, 1), e.g. ${tactic}:0.5; got ${raw === undefined ? 'nothing' : `'${raw}'`}`
    );
  }
  return value;
}

/** A whole number >= 1 from a tactic argument. */
export function countArgument(tactic: string, raw: string | undefined, what: string): number {
  const value = Number(raw);
  if (raw === undefined || !Number.isInteger(value) || value < 1) {
    throw new TacticError(
      tactic,
      `needs ${what} as a whole number >= 1, e.g. ${tactic}:4; got ${raw === undefined ? 'nothing' : `'${raw}'`}`
    );
  }
  return value;
}

/**
 * Conv is opt-in: on ONNX Runtime's CPU provider ConvInteger measured 10-20x and QLinearConv
 * 3-7x slower than float Conv here (a 28x28 net, batch 64), so quantizing it by default would
 * sell a slowdown as an optimization.
 */
export const DEFAULT_OPS = ['MatMul', 'Gemm'];

export const CONV_LEFT_AS_IS =
  "not quantized by default: ONNX Runtime's CPU provider ran integer convolutions 3-20x slower than float Conv here; opt in with the ':conv' argument or ops: ['Conv']";

/** Splits a tactic argument such as `per-tensor/conv` into its words. */
export function argumentWords(arg: string | undefined): string[] {
  return (arg ?? '')
    .split('/')
    .map(w => w.trim())
    .filter(Boolean);
}

/** Whether a node is in scope of a tactic's `ops` / `exclude` options. */
export function inScope(
  node: { opType?: string | null; name?: string | null; domain?: string | null },
  options: TacticOptions
): boolean {
  if (node.domain && node.domain !== 'ai.onnx') return false;
  const ops = options.ops ?? DEFAULT_OPS;
  return ops.includes(node.opType ?? '') && !(options.exclude ?? []).includes(node.name ?? '');
}
