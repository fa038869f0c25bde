/**
 * Reading and writing the data of ONNX TensorProtos (initializers, Constant values). Data goes in
 * `raw_data`, little-endian as the ONNX spec requires (every CPU this runs on is little-endian).
 */
import { onnx } from 'onnx-proto';
import { fromFloat16, toFloat16 } from '../../core/float16';

export const DataType = onnx.TensorProto.DataType;

/** protobufjs decodes int64 fields as Long objects; everything here wants plain numbers. */
export function toNumber(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

export function dimsOf(tensor: onnx.ITensorProto): number[] {
  return (tensor.dims ?? []).map(toNumber);
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

const TYPE_NAMES: Record<number, string> = {
  [DataType.FLOAT]: 'float32',
  [DataType.UINT8]: 'uint8',
  [DataType.INT8]: 'int8',
  [DataType.UINT16]: 'uint16',
  [DataType.INT16]: 'int16',
  [DataType.INT32]: 'int32',
  [DataType.INT64]: 'int64',
  [DataType.STRING]: 'string',
  [DataType.BOOL]: 'bool',
  [DataType.FLOAT16]: 'float16',
  [DataType.DOUBLE]: 'float64',
  [DataType.UINT32]: 'uint32',
  [DataType.UINT64]: 'uint64',
  [DataType.BFLOAT16]: 'bfloat16'
};

/** Element type name as onnxruntime-node spells it (`float32`, `int8`...). */
export function typeName(dataType: number | null | undefined): string {
  return TYPE_NAMES[dataType ?? 0] ?? `type ${dataType}`;
}

/** A copy of the raw bytes, aligned at offset 0 (views into the file buffer may be unaligned). */
function rawCopy(tensor: onnx.ITensorProto): ArrayBuffer {
  const raw = tensor.rawData as Uint8Array;
  const copy = new Uint8Array(raw.byteLength);
  copy.set(raw);
  return copy.buffer;
}

function hasRaw(tensor: onnx.ITensorProto): boolean {
  return tensor.rawData !== null && tensor.rawData !== undefined && tensor.rawData.byteLength > 0;
}

/** True for float32/float16/float64 tensors whose values readFloats can return. */
export function isFloatTensor(tensor: onnx.ITensorProto): boolean {
  return (
    tensor.dataType === DataType.FLOAT ||
    tensor.dataType === DataType.FLOAT16 ||
    tensor.dataType === DataType.DOUBLE
  );
}

/** The values of a float32, float16 or float64 tensor as float32. */
export function readFloats(tensor: onnx.ITensorProto): Float32Array {
  const n = elementCount(dimsOf(tensor));
  let values: Float32Array;
  switch (tensor.dataType) {
    case DataType.FLOAT:
      values = hasRaw(tensor)
        ? new Float32Array(rawCopy(tensor), 0, n)
        : Float32Array.from(tensor.floatData ?? []);
      break;
    case DataType.DOUBLE:
      values = Float32Array.from(
        hasRaw(tensor) ? new Float64Array(rawCopy(tensor), 0, n) : (tensor.doubleData ?? [])
      );
      break;
    case DataType.FLOAT16:
      // Without raw data, float16 bit patterns sit in int32_data, one per element.
      values = fromFloat16(
        hasRaw(tensor) ? new Uint16Array(rawCopy(tensor), 0, n) : (tensor.int32Data ?? [])
      );
      break;
    default:
      throw new TypeError(
        `tensor '${tensor.name}' holds ${typeName(tensor.dataType)}, not floating point values`
      );
  }
  if (values.length !== n) {
    throw new RangeError(
      `tensor '${tensor.name}' has ${values.length} values for dims [${dimsOf(tensor)}] (${n} expected)`
    );
  }
  return values;
}

/** The values of an integer tensor (int8/uint8/int32/int64...) as numbers. */
export function readIntegers(tensor: onnx.ITensorProto): number[] {
  const n = elementCount(dimsOf(tensor));
  const raw = hasRaw(tensor);
  switch (tensor.dataType) {
    case DataType.INT8:
      return raw ? [...new Int8Array(rawCopy(tensor), 0, n)] : (tensor.int32Data ?? []);
    case DataType.UINT8:
      return raw ? [...new Uint8Array(rawCopy(tensor), 0, n)] : (tensor.int32Data ?? []);
    case DataType.INT32:
      return raw ? [...new Int32Array(rawCopy(tensor), 0, n)] : (tensor.int32Data ?? []);
    case DataType.INT64:
      return raw
        ? [...new BigInt64Array(rawCopy(tensor), 0, n)].map(Number)
        : (tensor.int64Data ?? []).map(toNumber);
    default:
      throw new TypeError(
        `tensor '${tensor.name}' holds ${typeName(tensor.dataType)}, not integers`
      );
  }
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

export function makeTensor(
  name: string,
  dataType: number,
  dims: readonly number[],
  data: ArrayBufferView
): onnx.TensorProto {
  return onnx.TensorProto.create({ name, dataType, dims: [...dims], rawData: bytesOf(data) });
}

export function float32Tensor(
  name: string,
  dims: readonly number[],
  values: ArrayLike<number>
): onnx.TensorProto {
  return makeTensor(name, DataType.FLOAT, dims, Float32Array.from(values));
}

/** A float16 tensor; `overflowed` counts values beyond +-65504 (stored as +-Infinity). */
export function float16Tensor(
  name: string,
  dims: readonly number[],
  values: ArrayLike<number>
): { tensor: onnx.TensorProto; overflowed: number } {
  const { bits, overflowed } = toFloat16(values);
  return { tensor: makeTensor(name, DataType.FLOAT16, dims, bits), overflowed };
}

export function int8Tensor(name: string, dims: readonly number[], values: Int8Array) {
  return makeTensor(name, DataType.INT8, dims, values);
}

export function uint8Tensor(name: string, dims: readonly number[], values: Uint8Array) {
  return makeTensor(name, DataType.UINT8, dims, values);
}

export function int32Tensor(name: string, dims: readonly number[], values: Int32Array) {
  return makeTensor(name, DataType.INT32, dims, values);
}

export function int64Tensor(name: string, dims: readonly number[], values: readonly number[]) {
  return makeTensor(name, DataType.INT64, dims, BigInt64Array.from(values.map(BigInt)));
}
