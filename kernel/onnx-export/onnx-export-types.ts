/**
 * What an ONNX export takes and returns, apart from tfjs-to-onnx.ts so that they import nothing
 * from tfjs: `gaissa.train.exportOnnx` names them, and the API's declarations are loaded into
 * every notebook cell's program (kernel/training/tfjs-shapes.ts says why that matters).
 */

export interface OnnxExportOptions {
  /** Graph input name; default "input". */
  inputName?: string;
  /** Graph output name; default "output". */
  outputName?: string;
  /** Stored in the model's doc string. */
  description?: string;
}

export interface OnnxExport {
  /** The serialized ModelProto. */
  bytes: Uint8Array;
  inputName: string;
  outputName: string;
  /** Shapes with -1 for the batch dimension. */
  inputShape: number[];
  outputShape: number[];
  /** ONNX operators in graph order, e.g. ["Gemm", "Relu", "Gemm", "Softmax"]. */
  operators: string[];
  parameters: number;
}
