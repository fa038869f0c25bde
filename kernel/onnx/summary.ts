/** The summary `gaissa.model.load` shows: operators, parameters, size, inputs/outputs, opset. */
import { onnx } from 'onnx-proto';
import type { ModelSummary, TensorSignature } from '../../core/tactics';
import { opsetOf } from './model-file';
import { dimsOf, elementCount, toNumber, typeName } from './tensors';

function signature(info: onnx.IValueInfoProto): TensorSignature {
  const tensorType = info.type?.tensorType;
  const dims = tensorType?.shape?.dim;
  return {
    name: info.name ?? '',
    type: tensorType ? typeName(tensorType.elemType) : 'non-tensor',
    shape: dims
      ? dims.map(d =>
          d.dimParam
            ? d.dimParam
            : d.dimValue !== null && d.dimValue !== undefined
              ? toNumber(d.dimValue)
              : null
        )
      : null
  };
}

/** Operator counts over the graph and its subgraphs (If/Loop bodies). */
function countOperators(graph: onnx.IGraphProto, counts: Record<string, number>): number {
  let nodes = 0;
  for (const node of graph.node ?? []) {
    nodes++;
    const domain = node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.` : '';
    const key = `${domain}${node.opType}`;
    counts[key] = (counts[key] ?? 0) + 1;
    for (const a of node.attribute ?? []) {
      if (a.g) nodes += countOperators(a.g, counts);
      for (const g of a.graphs ?? []) nodes += countOperators(g, counts);
    }
  }
  return nodes;
}

export function summarizeModel(
  model: onnx.IModelProto,
  sizeBytes: number,
  name: string
): ModelSummary {
  const graph = model.graph ?? {};
  const operators: Record<string, number> = {};
  const nodes = countOperators(graph, operators);
  const initializerNames = new Set((graph.initializer ?? []).map(t => t.name));
  const parametersByType: Record<string, number> = {};
  let parameters = 0;
  for (const t of graph.initializer ?? []) {
    const n = elementCount(dimsOf(t));
    parameters += n;
    const type = typeName(t.dataType);
    parametersByType[type] = (parametersByType[type] ?? 0) + n;
  }
  const opsets: Record<string, number> = {};
  for (const o of model.opsetImport ?? []) opsets[o.domain ?? ''] = toNumber(o.version);
  return {
    name,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    irVersion: toNumber(model.irVersion),
    opset: opsetOf(model) ?? 0,
    opsets,
    nodes,
    operators: Object.fromEntries(Object.entries(operators).sort(([a], [b]) => a.localeCompare(b))),
    parameters,
    parametersByType,
    sizeBytes,
    // Initializers listed as inputs (old exporters) are weights, not inputs a caller feeds.
    inputs: (graph.input ?? []).filter(i => !initializerNames.has(i.name)).map(signature),
    outputs: (graph.output ?? []).map(signature)
  };
}
