/**
 * An ONNX model in the notebook: its decoded graph, its bytes, a summary, inference and atomic
 * saving. Models are immutable: tactics derive new ones, and the files a model came from (its
 * lineage) are never written to.
 */
import { basename, dirname, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import type { ModelSummary } from '../../core/tactics';
import { modelSummaryHtml, modelSummaryText } from '../../core/tactics-static-view';
import type { Displayable, MimeBundle } from '../display';
import {
  InputMismatchError,
  SessionSettings,
  TensorData,
  checkFeeds,
  fromOrtTensor,
  openSession,
  toOrtTensor
} from './inference';
import {
  OnnxModelError,
  encodeModel,
  hasExternalData,
  parseModel,
  readModelBytes,
  saveModelFile
} from './model-file';
import { summarizeModel } from './summary';

const QDQ_OPS = new Set(['QuantizeLinear', 'DequantizeLinear']);

export class OnnxModel implements Displayable {
  private summaryCache?: ModelSummary;

  private constructor(
    /** The decoded model. Treat as read-only: tactics work on a clone. */
    readonly proto: onnx.ModelProto,
    /** The encoded model, exactly what `save` writes. */
    readonly bytes: Uint8Array,
    readonly name: string,
    /** Files this model was loaded from or derived from; `save` refuses to overwrite them. */
    readonly lineage: readonly string[],
    /** The file it was loaded from or last saved to. */
    readonly path?: string
  ) {}

  /** Reads and validates a model file (see OnnxModelError for what can be wrong with it). */
  static async load(path: string, options: { name?: string } = {}): Promise<OnnxModel> {
    const bytes = readModelBytes(path);
    const proto = parseModel(bytes, path, dirname(resolve(path)));
    const name = options.name ?? basename(path).replace(/\.onnx$/i, '');
    // External data was read into the model: its bytes must be the model as held in memory.
    const held = hasExternalData(bytes) ? encodeModel(proto) : bytes;
    return new OnnxModel(proto, held, name, [resolve(path)], path);
  }

  /** A model from bytes in memory (e.g. generated or downloaded). */
  static fromBytes(bytes: Uint8Array, options: { name?: string } = {}): OnnxModel {
    const name = options.name ?? 'model';
    return new OnnxModel(parseModel(bytes, name), bytes, name, []);
  }

  /** A model from a decoded graph; validated like a file. */
  static fromProto(
    proto: onnx.IModelProto,
    options: { name?: string; lineage?: readonly string[] } = {}
  ): OnnxModel {
    const bytes = encodeModel(proto);
    const name = options.name ?? 'model';
    return new OnnxModel(parseModel(bytes, name), bytes, name, options.lineage ?? []);
  }

  /** A new model derived from this one (keeps the lineage, so inputs stay protected). */
  derive(proto: onnx.IModelProto, name: string): OnnxModel {
    return OnnxModel.fromProto(proto, { name, lineage: this.lineage });
  }

  get sizeBytes(): number {
    return this.bytes.byteLength;
  }

  get summary(): ModelSummary {
    this.summaryCache ??= summarizeModel(this.proto, this.bytes.byteLength, this.name);
    return this.summaryCache;
  }

  /** True when the graph holds QuantizeLinear/DequantizeLinear pairs (static int8). */
  get isQdq(): boolean {
    return (this.proto.graph?.node ?? []).some(n => QDQ_OPS.has(n.opType ?? '') && !n.domain);
  }

  /** An onnxruntime-node session with the given options. */
  async session(settings: SessionSettings = {}): Promise<ort.InferenceSession> {
    if (this.isQdq && settings.graphOptimizationLevel === 'disabled') {
      // Measured here: without the fusions, QDQ graphs run every Q/DQ pair in float: 5-13x slower.
      throw new Error(
        `${this.name} is a QDQ (static int8) model: running it with graph optimization disabled ` +
          'would dequantize every tensor in float (5-13x slower); use basic, extended or all'
      );
    }
    try {
      return await openSession(this.bytes, settings);
    } catch (e) {
      throw new OnnxModelError(
        'rejected-by-runtime',
        this.name,
        `ONNX Runtime cannot load the model: ${(e as Error).message}`,
        { cause: e }
      );
    }
  }

  /**
   * Runs the model once. `inputs` maps input names to tensors; a single tensor feeds a model
   * with a single input. Returns every output by name.
   */
  async run(
    inputs: Record<string, TensorData> | TensorData,
    settings: SessionSettings = {}
  ): Promise<Record<string, TensorData>> {
    const session = await this.session(settings);
    try {
      const feeds = feedsFor(session, inputs, this.name);
      checkFeeds(session, feeds, this.name);
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [k, v] of Object.entries(feeds)) ortFeeds[k] = toOrtTensor(v);
      const results = await session.run(ortFeeds);
      const out: Record<string, TensorData> = {};
      for (const [k, v] of Object.entries(results)) out[k] = fromOrtTensor(v);
      return out;
    } finally {
      await session.release();
    }
  }

  /** Writes the model atomically; refuses the files it was derived from. Returns the full path. */
  async save(path: string): Promise<string> {
    return saveModelFile(path, this.bytes, this.lineage);
  }

  /** The same model, now known to live at `path` (after save). */
  savedAs(path: string): OnnxModel {
    return new OnnxModel(this.proto, this.bytes, this.name, this.lineage, path);
  }

  toJSON(): ModelSummary {
    return this.summary;
  }

  toMimeBundle(): MimeBundle {
    return {
      'text/plain': modelSummaryText(this.summary, this.path),
      'text/html': modelSummaryHtml(this.summary, this.path)
    };
  }
}

function isTensorData(value: unknown): value is TensorData {
  return (
    typeof value === 'object' &&
    value !== null &&
    ArrayBuffer.isView((value as TensorData).data) &&
    Array.isArray((value as TensorData).dims) &&
    typeof (value as TensorData).type === 'string'
  );
}

/** Names a lone tensor after the model's only input. */
export function feedsFor(
  session: ort.InferenceSession,
  inputs: Record<string, TensorData> | TensorData,
  source: string
): Record<string, TensorData> {
  if (isTensorData(inputs) || inputs instanceof ort.Tensor) {
    if (session.inputNames.length !== 1) {
      throw new InputMismatchError(
        `${source} takes ${session.inputNames.length} inputs (${session.inputNames.join(', ')}): pass them by name`
      );
    }
    return { [session.inputNames[0]]: inputs as TensorData };
  }
  return inputs;
}
