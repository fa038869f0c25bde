/**
 * NumPy's .npy format (version 1.0-3.0): a magic string, a Python-literal header with dtype,
 * order and shape, then the raw little-endian data. It is how evaluation data moves between
 * Python tools and the `gaissa compare` command line, and how the benchmark feeds Python.
 */
import type { TensorData, TypedData } from '../onnx/inference';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

type Ctor = {
  new (buffer: ArrayBuffer, offset: number, length: number): TypedData;
  BYTES_PER_ELEMENT: number;
};

const DTYPES: Record<string, { type: string; ctor: Ctor }> = {
  f4: { type: 'float32', ctor: Float32Array },
  f8: { type: 'float64', ctor: Float64Array },
  i1: { type: 'int8', ctor: Int8Array },
  u1: { type: 'uint8', ctor: Uint8Array },
  i2: { type: 'int16', ctor: Int16Array },
  u2: { type: 'uint16', ctor: Uint16Array },
  i4: { type: 'int32', ctor: Int32Array },
  u4: { type: 'uint32', ctor: Uint32Array },
  i8: { type: 'int64', ctor: BigInt64Array },
  u8: { type: 'uint64', ctor: BigUint64Array },
  b1: { type: 'bool', ctor: Uint8Array }
};

export class NpyError extends Error {
  constructor(source: string, detail: string) {
    super(`${source}: ${detail}`);
    this.name = 'NpyError';
  }
}

export function isNpy(bytes: Uint8Array): boolean {
  return MAGIC.every((b, i) => bytes[i] === b);
}

export function parseNpy(bytes: Uint8Array, source = 'array'): TensorData {
  if (!isNpy(bytes)) throw new NpyError(source, 'not a NumPy .npy file (magic string missing)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [headerLength, headerStart] =
    major === 1 ? [view.getUint16(8, true), 10] : [view.getUint32(8, true), 12];
  if (headerStart + headerLength > bytes.byteLength)
    throw new NpyError(source, 'truncated .npy header');
  const header = new TextDecoder(major >= 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(headerStart, headerStart + headerLength)
  );
  const descr = /'descr':\s*'([<>|=])(\w\d+)'/.exec(header);
  const fortran = /'fortran_order':\s*(True|False)/.exec(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shape)
    throw new NpyError(source, `unreadable .npy header: ${header.trim()}`);
  const dtype = DTYPES[descr[2]];
  if (!dtype) throw new NpyError(source, `unsupported dtype '${descr[1]}${descr[2]}'`);
  if (descr[1] === '>' && dtype.ctor.BYTES_PER_ELEMENT > 1) {
    throw new NpyError(
      source,
      'big-endian arrays are not supported (save with a little-endian dtype)'
    );
  }
  if (fortran[1] === 'True')
    throw new NpyError(
      source,
      'Fortran-ordered arrays are not supported (use np.ascontiguousarray)'
    );
  const dims = shape[1]
    .split(',')
    .map(s => s.trim())
    .filter(Boolean)
    .map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const start = headerStart + headerLength;
  const need = count * dtype.ctor.BYTES_PER_ELEMENT;
  if (bytes.byteLength - start < need) {
    throw new NpyError(
      source,
      `truncated .npy data (${bytes.byteLength - start} bytes, ${need} needed)`
    );
  }
  // Copy so the data is aligned whatever the header length.
  const copy = new Uint8Array(need);
  copy.set(bytes.subarray(start, start + need));
  return { type: dtype.type, data: new dtype.ctor(copy.buffer, 0, count), dims };
}

const DESCR: Record<string, string> = {
  float32: '<f4',
  float64: '<f8',
  int8: '|i1',
  uint8: '|u1',
  int16: '<i2',
  uint16: '<u2',
  int32: '<i4',
  uint32: '<u4',
  int64: '<i8',
  uint64: '<u8',
  bool: '|b1'
};

/** A version 1.0 .npy file for a tensor. */
export function encodeNpy(tensor: TensorData): Uint8Array {
  const descr = DESCR[tensor.type];
  if (!descr) throw new Error(`cannot write ${tensor.type} as .npy`);
  const shape = tensor.dims.length === 1 ? `(${tensor.dims[0]},)` : `(${tensor.dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  // Header padded with spaces and a newline so the data starts at a multiple of 64 bytes.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const data = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  const out = new Uint8Array(total + data.byteLength);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, total);
  return out;
}
