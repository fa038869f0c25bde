/**
 * ONNX model files: decoding with a clear message for every way a file can be wrong (not ONNX,
 * truncated, an opset ONNX Runtime cannot run, external data that is missing), and atomic writes.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { onnx } from 'onnx-proto';
import { writeFileAtomic } from '../atomic-write';
import { toNumber } from './tensors';

/**
 * Opsets of the default ONNX domain that onnxruntime-node 1.30 runs (checked here: 27 is refused
 * at load; below 7 ONNX Runtime only "may" run a model, and Relu(1) already has no kernel).
 */
export const MIN_OPSET = 7;
export const MAX_OPSET = 26;

export type OnnxProblem =
  | 'unreadable'
  | 'empty'
  | 'not-onnx'
  | 'truncated'
  | 'unsupported-opset'
  | 'invalid-graph'
  | 'external-data'
  | 'rejected-by-runtime';

/** Why a file is not a model we can work with; `problem` is stable, the message says what to do. */
export class OnnxModelError extends Error {
  constructor(
    readonly problem: OnnxProblem,
    readonly source: string,
    detail: string,
    options?: { cause?: unknown }
  ) {
    super(`${source}: ${detail}`, options);
    this.name = 'OnnxModelError';
  }
}

export function readModelBytes(path: string): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (e as Error).message;
    throw new OnnxModelError('unreadable', path, `cannot read the model: ${why}`);
  }
  return bytes;
}

/**
 * Decodes and validates a model. `baseDir` is where external data files are looked up (the
 * model's folder); their data is read into the model so tactics can work on it in memory.
 */
export function parseModel(bytes: Uint8Array, source: string, baseDir?: string): onnx.ModelProto {
  if (bytes.byteLength === 0) throw new OnnxModelError('empty', source, 'the file is empty');
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    const message = (e as Error).message;
    // Every exporter writes ir_version (field 1, varint) first: such a file that ends early is
    // a truncated model, anything else that fails to decode is not a model at all.
    if (/index out of range/.test(message) && bytes[0] === 0x08) {
      throw new OnnxModelError(
        'truncated',
        source,
        `the model file is truncated (${bytes.byteLength} bytes; decoding stopped: ${message})`
      );
    }
    throw new OnnxModelError(
      'not-onnx',
      source,
      `not an ONNX model (the protobuf decoder failed: ${message})`
    );
  }
  validateModel(model, source);
  if (baseDir !== undefined) inlineExternalData(model, source, baseDir);
  return model;
}

/** True when some initializer keeps its data in another file. */
export function hasExternalData(bytes: Uint8Array): boolean {
  const model = onnx.ModelProto.decode(bytes);
  return (model.graph?.initializer ?? []).some(
    t => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL
  );
}

/** The opset version of a domain ('' is the default ONNX domain), or undefined. */
export function opsetOf(model: onnx.IModelProto, domain = ''): number | undefined {
  const entry = (model.opsetImport ?? []).find(
    o => (o.domain ?? '') === domain || (domain === '' && o.domain === 'ai.onnx')
  );
  return entry ? toNumber(entry.version) : undefined;
}

function validateModel(model: onnx.ModelProto, source: string): void {
  const ir = toNumber(model.irVersion);
  const graph = model.graph;
  if (ir <= 0 || !graph || (model.opsetImport ?? []).length === 0) {
    const missing = [
      ir <= 0 ? 'ir_version' : '',
      graph ? '' : 'graph',
      (model.opsetImport ?? []).length === 0 ? 'opset_import' : ''
    ].filter(Boolean);
    throw new OnnxModelError(
      'not-onnx',
      source,
      `not an ONNX model (no ${missing.join(', ')}); is this the right file?`
    );
  }
  const opset = opsetOf(model);
  if (opset === undefined) {
    throw new OnnxModelError(
      'unsupported-opset',
      source,
      'the model imports no default ONNX (ai.onnx) opset; only models built on the standard operators are supported'
    );
  }
  if (opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new OnnxModelError(
      'unsupported-opset',
      source,
      `opset ${opset} is not supported: onnxruntime-node 1.30 runs opsets ${MIN_OPSET} to ${MAX_OPSET}` +
        (opset < MIN_OPSET ? ' (convert the model to a newer opset first)' : '')
    );
  }
  validateGraph(graph, source);
}

/**
 * Every node reads only what the graph has by then (inputs, initializers, earlier outputs) and
 * every graph output is produced: a file cut at a field boundary decodes but fails here.
 */
function validateGraph(graph: onnx.IGraphProto, source: string): void {
  const known = new Set<string>(['']);
  for (const i of graph.input ?? []) known.add(i.name ?? '');
  for (const t of graph.initializer ?? []) known.add(t.name ?? '');
  for (const t of graph.sparseInitializer ?? []) known.add(t.values?.name ?? '');
  const nodes = graph.node ?? [];
  if (nodes.length === 0) {
    throw new OnnxModelError(
      'invalid-graph',
      source,
      'the graph has no nodes (truncated or empty model?)'
    );
  }
  nodes.forEach((node, i) => {
    for (const input of node.input ?? []) {
      if (!known.has(input)) {
        throw new OnnxModelError(
          'invalid-graph',
          source,
          `node ${i} (${node.opType} '${node.name ?? ''}') reads '${input}', which nothing before it produces: a truncated, corrupt or unsorted graph`
        );
      }
    }
    for (const output of node.output ?? []) known.add(output);
  });
  for (const output of graph.output ?? []) {
    if (!known.has(output.name ?? '')) {
      throw new OnnxModelError(
        'invalid-graph',
        source,
        `graph output '${output.name}' is produced by no node (truncated or corrupt model?)`
      );
    }
  }
  if ((graph.output ?? []).length === 0) {
    throw new OnnxModelError('invalid-graph', source, 'the graph has no outputs');
  }
}

/** Reads tensors stored beside the model (`data_location: EXTERNAL`) into raw_data. */
function inlineExternalData(model: onnx.ModelProto, source: string, baseDir: string): void {
  for (const tensor of model.graph?.initializer ?? []) {
    if (tensor.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) continue;
    const entries = new Map((tensor.externalData ?? []).map(e => [e.key ?? '', e.value ?? '']));
    const location = entries.get('location') ?? '';
    const path = normalize(join(baseDir, location));
    // The spec requires a relative path inside the model's folder; refuse anything else.
    if (!location || isAbsolute(location) || !path.startsWith(normalize(baseDir))) {
      throw new OnnxModelError(
        'external-data',
        source,
        `initializer '${tensor.name}' has an invalid external data location '${location}'`
      );
    }
    if (!existsSync(path)) {
      throw new OnnxModelError(
        'external-data',
        source,
        `initializer '${tensor.name}' keeps its data in '${location}', which is missing beside the model`
      );
    }
    const file = readFileSync(path);
    const offset = Number(entries.get('offset') ?? 0);
    const length = entries.has('length') ? Number(entries.get('length')) : file.byteLength - offset;
    if (offset + length > file.byteLength) {
      throw new OnnxModelError(
        'external-data',
        source,
        `external data of '${tensor.name}' is truncated ('${location}' has ${file.byteLength} bytes, ${offset + length} needed)`
      );
    }
    tensor.rawData = new Uint8Array(file.subarray(offset, offset + length));
    tensor.dataLocation = onnx.TensorProto.DataLocation.DEFAULT;
    tensor.externalData = [];
  }
}

export function loadModelFile(path: string): onnx.ModelProto {
  return parseModel(readModelBytes(path), path, dirname(resolve(path)));
}

export function encodeModel(model: onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** A deep copy (protobuf round trip), so a tactic never changes the model it was given. */
export function cloneModel(model: onnx.IModelProto): onnx.ModelProto {
  return onnx.ModelProto.decode(encodeModel(model));
}

/** The canonical path (symlinks resolved) of a file that may not exist yet. */
export function canonicalPath(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    try {
      return join(realpathSync(dirname(absolute)), absolute.slice(dirname(absolute).length + 1));
    } catch {
      return absolute;
    }
  }
}

/**
 * Writes a model atomically (temporary file, fsync, rename): a crash leaves the old file or the
 * new one, never half a model. `protect` lists files that must never be overwritten (inputs).
 */
export async function saveModelFile(
  path: string,
  bytes: Uint8Array,
  protect: readonly string[] = []
): Promise<string> {
  const target = canonicalPath(path);
  const clash = protect.find(p => canonicalPath(p) === target);
  if (clash !== undefined) {
    throw new Error(
      `refusing to write ${path}: it is the input model (${clash}); inputs are never overwritten, choose another path`
    );
  }
  await writeFileAtomic(path, bytes);
  return target;
}
