/**
 * Evaluation and calibration data: what users pass (tensors, arrays of samples, typed arrays,
 * per-input records, .npy/.json files, the MNIST test split) turned into full-size tensors whose
 * first dimension counts samples, then cut into batches without copying.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { TensorSignature } from '../../core/tactics';
import { InputMismatchError, TensorData, TypedData } from '../onnx/inference';
import { isNpy, parseNpy } from './npy';

/** Nested arrays of numbers: one entry per sample. */
export type SampleArray = ReadonlyArray<number | SampleArray>;

export type EvalTensor =
  TensorData | SampleArray | Float32Array | Float64Array | Uint8Array | Int32Array;

/** One tensor for a single-input model, or tensors by input name. */
export type EvalInput = EvalTensor | Record<string, EvalTensor>;

/** Class indices, or one row of scores (one-hot) per sample. */
export type LabelsInput = ArrayLike<number> | ReadonlyArray<ArrayLike<number>> | TensorData;

/** A data file that cannot be read or parsed. */
export class EvalDataError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EvalDataError';
  }
}

export interface EvalSet {
  /** Full tensors; the first dimension of each counts samples. */
  feeds: Record<string, TensorData>;
  samples: number;
}

const CTORS: Record<string, { from(values: ArrayLike<number>): TypedData }> = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  bool: Uint8Array
};

function typedFrom(type: string, values: ArrayLike<number>): TypedData {
  if (type === 'int64') return BigInt64Array.from(Array.from(values, v => BigInt(Math.round(v))));
  if (type === 'uint64') return BigUint64Array.from(Array.from(values, v => BigInt(Math.round(v))));
  const ctor = CTORS[type];
  if (!ctor) throw new InputMismatchError(`inputs of type ${type} cannot be built from numbers`);
  return ctor.from(values);
}

export function isTensorData(value: unknown): value is TensorData {
  return (
    typeof value === 'object' &&
    value !== null &&
    ArrayBuffer.isView((value as TensorData).data) &&
    Array.isArray((value as TensorData).dims) &&
    typeof (value as TensorData).type === 'string'
  );
}

function isEvalTensor(value: unknown): value is EvalTensor {
  return isTensorData(value) || Array.isArray(value) || ArrayBuffer.isView(value);
}

/** Elements per sample for a signature whose non-batch dimensions are all fixed, else null. */
function fixedSampleShape(signature: TensorSignature): number[] | null {
  const rest = (signature.shape ?? []).slice(1);
  return signature.shape && rest.every(d => typeof d === 'number' && d > 0)
    ? (rest as number[])
    : null;
}

function flatten(sample: number | SampleArray, out: number[]): void {
  if (typeof sample === 'number') out.push(sample);
  else for (const v of sample) flatten(v, out);
}

function toTensor(value: EvalTensor, signature: TensorSignature, source: string): TensorData {
  if (isTensorData(value)) {
    if (value.dims.length === 0)
      throw new InputMismatchError(
        `input '${signature.name}' of ${source}: a scalar has no sample dimension`
      );
    return value;
  }
  const sampleShape = fixedSampleShape(signature);
  const perSampleFixed = sampleShape?.reduce((a, b) => a * b, 1);
  if (ArrayBuffer.isView(value)) {
    if (perSampleFixed === undefined) {
      throw new InputMismatchError(
        `input '${signature.name}' of ${source} has no fixed sample shape: give { type, data, dims } instead of a bare typed array`
      );
    }
    const typed = value as TypedData;
    if (typed.length % perSampleFixed !== 0) {
      throw new InputMismatchError(
        `input '${signature.name}' of ${source}: ${typed.length} values are not a whole number of samples of [${sampleShape}] (${perSampleFixed} values each)`
      );
    }
    const data =
      signature.type === 'float32' && typed instanceof Float32Array
        ? typed
        : typedFrom(signature.type, typed as ArrayLike<number>);
    return { type: signature.type, data, dims: [typed.length / perSampleFixed, ...sampleShape!] };
  }
  const samples = value as SampleArray;
  if (samples.length === 0)
    throw new InputMismatchError(`input '${signature.name}' of ${source}: no samples`);
  const flat: number[] = [];
  for (const s of samples) flatten(s, flat);
  const per = flat.length / samples.length;
  if (!Number.isInteger(per)) {
    throw new InputMismatchError(`input '${signature.name}' of ${source}: samples differ in size`);
  }
  const dims =
    sampleShape && perSampleFixed === per
      ? [samples.length, ...sampleShape]
      : [samples.length, per];
  return { type: signature.type, data: typedFrom(signature.type, flat), dims };
}

/** Feeds for every input of the model, checked for a common number of samples. */
export function evalSet(
  input: EvalInput,
  signatures: readonly TensorSignature[],
  source: string
): EvalSet {
  let named: Record<string, EvalTensor>;
  if (isEvalTensor(input)) {
    if (signatures.length !== 1) {
      throw new InputMismatchError(
        `${source} takes ${signatures.length} inputs (${signatures.map(s => s.name).join(', ')}): pass { name: data } for each`
      );
    }
    named = { [signatures[0].name]: input };
  } else if (typeof input === 'object' && input !== null) {
    named = input as Record<string, EvalTensor>;
  } else {
    throw new InputMismatchError(
      `inputs for ${source} must be a tensor, an array of samples or { name: data }`
    );
  }
  const known = signatures.map(s => s.name);
  const unknown = Object.keys(named).filter(n => !known.includes(n));
  const missing = known.filter(n => !(n in named));
  if (unknown.length || missing.length) {
    throw new InputMismatchError(
      `${source} takes inputs ${known.map(n => `'${n}'`).join(', ')}` +
        (missing.length ? `; missing ${missing.map(n => `'${n}'`).join(', ')}` : '') +
        (unknown.length ? `; unknown ${unknown.map(n => `'${n}'`).join(', ')}` : '')
    );
  }
  const feeds: Record<string, TensorData> = {};
  let samples = -1;
  for (const signature of signatures) {
    const tensor = toTensor(named[signature.name], signature, source);
    if (samples >= 0 && tensor.dims[0] !== samples) {
      throw new InputMismatchError(
        `inputs of ${source} hold different numbers of samples (${samples} and ${tensor.dims[0]})`
      );
    }
    samples = tensor.dims[0];
    feeds[signature.name] = tensor;
  }
  if (samples <= 0) throw new InputMismatchError(`no samples to evaluate ${source} on`);
  return { feeds, samples };
}

/** Samples [start, end) of every feed, as views on the same memory. */
export function sliceFeeds(
  feeds: Record<string, TensorData>,
  start: number,
  end: number
): Record<string, TensorData> {
  const out: Record<string, TensorData> = {};
  for (const [name, t] of Object.entries(feeds)) {
    const per = t.dims.slice(1).reduce((a, b) => a * b, 1);
    out[name] = {
      type: t.type,
      data: t.data.subarray(start * per, end * per) as TypedData,
      dims: [end - start, ...t.dims.slice(1)]
    };
  }
  return out;
}

/** Batches of `batchSize` samples (the last may be smaller). */
export function batchesOf(
  set: EvalSet,
  batchSize: number
): Array<{ feeds: Record<string, TensorData>; size: number }> {
  const out = [];
  for (let start = 0; start < set.samples; start += batchSize) {
    const end = Math.min(set.samples, start + batchSize);
    out.push({ feeds: sliceFeeds(set.feeds, start, end), size: end - start });
  }
  return out;
}

function argmaxRows(values: ArrayLike<number>, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (values[r * cols + c] > values[r * cols + best]) best = c;
    out[r] = best;
  }
  return out;
}

/** Class index per sample from indices or one-hot/score rows. */
export function labelIndices(labels: LabelsInput, samples: number): Int32Array {
  let out: Int32Array;
  if (isTensorData(labels)) {
    const values = Array.from(labels.data as ArrayLike<number | bigint>, Number);
    out =
      labels.dims.length === 2 && labels.dims[1] > 1
        ? argmaxRows(values, labels.dims[0], labels.dims[1])
        : Int32Array.from(values);
  } else if (Array.isArray(labels) && labels.length > 0 && typeof labels[0] === 'object') {
    const rows = labels as ReadonlyArray<ArrayLike<number>>;
    out = Int32Array.from(rows, row => argmaxRows(row, 1, row.length)[0]);
  } else {
    out = Int32Array.from(labels as ArrayLike<number>);
  }
  if (out.length !== samples) {
    throw new InputMismatchError(`${out.length} labels for ${samples} samples`);
  }
  return out;
}

export interface EvalFile {
  inputs: EvalInput;
  labels?: LabelsInput;
  description: string;
}

function parseJsonData(text: string, source: string): EvalFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new EvalDataError(`${source} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  if (Array.isArray(value)) return { inputs: value as SampleArray, description: source };
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    if ('inputs' in v) {
      return {
        inputs: v.inputs as EvalInput,
        labels: v.labels as LabelsInput | undefined,
        description: source
      };
    }
    if (Array.isArray(v.data) && Array.isArray(v.dims)) {
      const type = typeof v.type === 'string' ? v.type : 'float32';
      return {
        inputs: { type, data: typedFrom(type, v.data as number[]), dims: v.dims as number[] },
        description: source
      };
    }
  }
  throw new EvalDataError(
    `${source}: expected an array of samples, { "inputs": ..., "labels": [...] } or { "data": [...], "dims": [...] }`
  );
}

/**
 * Data from a file or a built-in set: `FILE.npy` (NumPy), `FILE.json` (array of samples or
 * { inputs, labels }), or `mnist[-test|-validation|-train][:N]` (N labelled digits of that split
 * of the reference workload, default test and 1000; calibrate on validation, evaluate on test).
 */
export async function readEvalData(spec: string): Promise<EvalFile> {
  const mnist = /^mnist(?:-(test|validation|train))?(?::(\d+))?$/i.exec(spec);
  if (mnist) {
    const { loadMnist, MNIST_SOURCE } = await import('../workloads/mnist');
    const part = (mnist[1]?.toLowerCase() ?? 'test') as 'test' | 'validation' | 'train';
    const count = mnist[2] === undefined ? 1000 : Number(mnist[2]);
    const sizeKey = `${part}Size` as 'testSize' | 'validationSize' | 'trainSize';
    const set = loadMnist({ [sizeKey]: count })[part];
    return {
      inputs: { type: 'float32', data: set.x, dims: [set.count, 784] },
      labels: Int32Array.from(set.labels),
      description: `MNIST ${part} split, ${set.count} digits (${MNIST_SOURCE})`
    };
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(spec);
  } catch (e) {
    throw new EvalDataError(
      `cannot read data file ${spec}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      { cause: e }
    );
  }
  if (isNpy(bytes)) return { inputs: parseNpy(bytes, spec), description: spec };
  if (extname(spec).toLowerCase() === '.npy')
    return { inputs: parseNpy(bytes, spec), description: spec };
  return parseJsonData(bytes.toString('utf8'), spec);
}

/** Labels from a file: .npy (indices or one-hot rows) or a JSON array. */
export async function readLabels(spec: string): Promise<LabelsInput> {
  const data = await readEvalData(spec);
  if (data.labels !== undefined) return data.labels;
  const inputs = data.inputs;
  if (isTensorData(inputs) || Array.isArray(inputs)) return inputs as LabelsInput;
  throw new EvalDataError(`${spec}: expected an array of labels`);
}
