/**
 * Activation ranges for static quantization: the model runs over the user's sample inputs with
 * the tensors of interest exposed as extra outputs, and each tensor's range is taken as MinMax
 * (the extremes seen) or a percentile of the values seen.
 */
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { percentileRange } from '../../core/quantization';
import type { TensorSignature } from '../../core/tactics';
import { cloneModel, encodeModel } from '../onnx/model-file';
import { checkFeeds, openSession, toOrtTensor } from '../onnx/inference';
import { DataType } from '../onnx/tensors';
import { EvalInput, batchesOf, evalSet } from './eval-data';

export interface TensorRange {
  min: number;
  max: number;
}

export interface CalibrationOptions {
  method?: 'minmax' | 'percentile';
  /** For `percentile` (default 99.999). */
  percentile?: number;
  batchSize?: number;
}

/** Values kept per tensor for percentiles: enough for 99.999 to mean something, bounded memory. */
const SAMPLE_CAP = 1 << 20;

export async function calibrateRanges(
  model: onnx.ModelProto,
  tensors: readonly string[],
  inputs: EvalInput,
  signatures: readonly TensorSignature[],
  options: CalibrationOptions = {}
): Promise<Map<string, TensorRange>> {
  const probe = cloneModel(model);
  const graph = probe.graph as onnx.GraphProto;
  const outputs = new Set(graph.output.map(o => o.name));
  for (const name of tensors) {
    if (!outputs.has(name)) {
      graph.output.push(
        onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: DataType.FLOAT } } })
      );
    }
  }
  const data = evalSet(inputs, signatures, 'the calibration data');
  const session = await openSession(encodeModel(probe), { graphOptimizationLevel: 'basic' });
  const method = options.method ?? 'minmax';
  const ranges = new Map<string, TensorRange>(
    tensors.map(t => [t, { min: Infinity, max: -Infinity }])
  );
  const samples = new Map<string, number[]>(tensors.map(t => [t, []]));
  const seen = new Map<string, number>(tensors.map(t => [t, 0]));
  try {
    const batches = batchesOf(data, options.batchSize ?? 64);
    checkFeeds(session, batches[0].feeds, 'the model (calibration data)');
    for (const batch of batches) {
      const feeds: Record<string, ort.Tensor> = {};
      for (const [k, v] of Object.entries(batch.feeds)) feeds[k] = toOrtTensor(v);
      const results = await session.run(feeds, [...tensors]);
      for (const name of tensors) {
        const values = results[name].data as Float32Array;
        const range = ranges.get(name)!;
        for (let i = 0; i < values.length; i++) {
          const v = values[i];
          if (v < range.min) range.min = v;
          if (v > range.max) range.max = v;
        }
        if (method === 'percentile') {
          // Every k-th value, k growing with what was seen, keeps the sample spread over batches.
          const kept = samples.get(name)!;
          const total = seen.get(name)! + values.length;
          const stride = Math.max(1, Math.ceil(total / SAMPLE_CAP));
          for (let i = 0; i < values.length; i += stride) kept.push(values[i]);
          if (kept.length > SAMPLE_CAP)
            samples.set(
              name,
              kept.filter((_, i) => i % 2 === 0)
            );
          seen.set(name, total);
        }
      }
    }
  } finally {
    await session.release();
  }
  if (method === 'percentile') {
    const p = options.percentile ?? 99.999;
    for (const name of tensors) {
      const sorted = Float32Array.from(samples.get(name)!).sort();
      if (sorted.length > 0) ranges.set(name, percentileRange(sorted, p));
    }
  }
  for (const [name, r] of ranges) {
    if (!Number.isFinite(r.min) || !Number.isFinite(r.max)) {
      throw new Error(`calibration saw no finite values for tensor '${name}'`);
    }
  }
  return ranges;
}
