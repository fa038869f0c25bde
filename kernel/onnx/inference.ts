/**
 * Inference through onnxruntime-node (CPU provider) with chosen session options, and the checks
 * that turn a wrong input into a message naming the input, the expected and the given shape.
 */
import * as ort from 'onnxruntime-node';

export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'layout' | 'all';
export const GRAPH_OPTIMIZATION_LEVELS: readonly GraphOptimizationLevel[] = [
  'disabled',
  'basic',
  'extended',
  'layout',
  'all'
];

export interface SessionSettings {
  /** ONNX Runtime's graph optimizations (default `all`, its own default). */
  graphOptimizationLevel?: GraphOptimizationLevel;
  /** Threads inside one operator (default: one per physical core). */
  intraOpNumThreads?: number;
  /** Threads across operators, used in `parallel` execution mode. */
  interOpNumThreads?: number;
  executionMode?: 'sequential' | 'parallel';
  /** Where ONNX Runtime writes the model as optimized (graph-optimize tactic). */
  optimizedModelFilePath?: string;
}

export type TypedData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** An input or output tensor: element type as onnxruntime-node names it, data, dims. */
export interface TensorData {
  type: string;
  data: TypedData;
  dims: readonly number[];
}

/** The input does not fit the model: wrong name, element type, rank or fixed dimension. */
export class InputMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputMismatchError';
  }
}

export function sessionOptions(
  settings: SessionSettings = {}
): ort.InferenceSession.SessionOptions {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: settings.graphOptimizationLevel ?? 'all',
    // Warnings (e.g. "opset N model may run depending on legacy support") would go straight to
    // the kernel's stderr; errors still come back as exceptions.
    logSeverityLevel: 3
  };
  if (settings.intraOpNumThreads !== undefined)
    options.intraOpNumThreads = settings.intraOpNumThreads;
  if (settings.interOpNumThreads !== undefined)
    options.interOpNumThreads = settings.interOpNumThreads;
  if (settings.executionMode !== undefined) options.executionMode = settings.executionMode;
  if (settings.optimizedModelFilePath !== undefined) {
    options.optimizedModelFilePath = settings.optimizedModelFilePath;
  }
  return options;
}

export function openSession(
  bytes: Uint8Array,
  settings: SessionSettings = {}
): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, sessionOptions(settings));
}

function shapeText(dims: ReadonlyArray<number | string | null>): string {
  return `[${dims.map(d => (d === null ? '?' : String(d))).join(', ')}]`;
}

/**
 * Checks feeds against the session's inputs before running, so the message says which input is
 * wrong and how (ONNX Runtime's own error names an internal node and buffer sizes).
 */
export function checkFeeds(
  session: ort.InferenceSession,
  feeds: Record<string, TensorData>,
  source: string
): void {
  const expected = session.inputNames;
  const missing = expected.filter(n => !(n in feeds));
  const extra = Object.keys(feeds).filter(n => !expected.includes(n));
  if (missing.length || extra.length) {
    throw new InputMismatchError(
      `${source} takes inputs ${expected.map(n => `'${n}'`).join(', ')}` +
        (missing.length ? `; missing ${missing.map(n => `'${n}'`).join(', ')}` : '') +
        (extra.length ? `; unknown ${extra.map(n => `'${n}'`).join(', ')}` : '')
    );
  }
  for (const meta of session.inputMetadata) {
    if (!meta.isTensor) continue;
    const feed = feeds[meta.name];
    if (feed.type !== meta.type) {
      throw new InputMismatchError(
        `input '${meta.name}' of ${source} takes ${meta.type} values, got ${feed.type}`
      );
    }
    const shape = meta.shape as ReadonlyArray<number | string>;
    const wrongRank = shape.length !== feed.dims.length;
    const wrongDim = shape.some((d, i) => typeof d === 'number' && d >= 0 && d !== feed.dims[i]);
    if (wrongRank || wrongDim) {
      throw new InputMismatchError(
        `input '${meta.name}' of ${source} expects shape ${shapeText(shape)}, got ${shapeText(feed.dims)}`
      );
    }
    const count = feed.dims.reduce((a, b) => a * b, 1);
    if (feed.data.length !== count) {
      throw new InputMismatchError(
        `input '${meta.name}': ${feed.data.length} values do not fill shape ${shapeText(feed.dims)} (${count} needed)`
      );
    }
  }
}

export function toOrtTensor(t: TensorData): ort.Tensor {
  return t instanceof ort.Tensor
    ? t
    : new ort.Tensor(t.type as ort.Tensor.Type, t.data as ort.Tensor.DataType, t.dims);
}

export function fromOrtTensor(t: ort.Tensor): TensorData {
  return { type: t.type, data: t.data as TypedData, dims: [...t.dims] };
}
