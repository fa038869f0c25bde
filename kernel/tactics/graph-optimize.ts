/**
 * Deployment tactics. `graph-optimize:LEVEL` saves the graph as ONNX Runtime optimizes it at
 * that level (fusions, constant folding) so a deployment loads it ready; `threads:N` and
 * `batch:N` change only how the model is run (intra-op threads, inputs per call).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChangedNode } from '../../core/tactics';
import { GRAPH_OPTIMIZATION_LEVELS, GraphOptimizationLevel } from '../onnx/inference';
import { parseModel } from '../onnx/model-file';
import { TacticDefinition, TacticError, countArgument } from './tactic';

const ID = 'graph-optimize';

function levelOf(arg: string | undefined): GraphOptimizationLevel {
  const level = (arg ?? 'extended') as GraphOptimizationLevel;
  if (!GRAPH_OPTIMIZATION_LEVELS.includes(level) || level === 'disabled') {
    throw new TacticError(ID, `unknown level '${arg}'; use basic, extended, layout or all`);
  }
  return level;
}

export const graphOptimize: TacticDefinition = {
  id: ID,
  summary:
    'the graph as ONNX Runtime optimizes it at LEVEL (basic, extended, layout, all), saved so deployments load it ready',
  argument: {
    name: 'LEVEL',
    description:
      "basic (portable ONNX), extended (default: ONNX Runtime's fused operators), layout/all (also this CPU's memory layout)",
    required: false
  },
  async apply(model, arg) {
    const level = levelOf(arg);
    const folder = mkdtempSync(join(tmpdir(), 'gaissa-graph-optimize-'));
    const path = join(folder, 'optimized.onnx');
    let bytes: Uint8Array;
    try {
      const session = await model.session({
        graphOptimizationLevel: level,
        optimizedModelFilePath: path
      });
      await session.release();
      bytes = readFileSync(path);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    const proto = parseModel(bytes, `${model.name} optimized at level ${level}`);
    const before = model.summary.operators;
    const after: Record<string, number> = {};
    for (const n of proto.graph?.node ?? []) {
      const key = `${n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.` : ''}${n.opType}`;
      after[key] = (after[key] ?? 0) + 1;
    }
    const changed: ChangedNode[] = [];
    for (const op of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const [b, a] = [before[op] ?? 0, after[op] ?? 0];
      if (a !== b) changed.push({ node: '(graph)', op, detail: `${b} -> ${a}` });
    }
    const nodesAfter = (proto.graph?.node ?? []).length;
    const notes = [
      'ONNX Runtime applies the same optimizations when it loads a model (level all by default), so expect the same speed as the baseline: the gain is a shorter session start and optimizations that travel with the file'
    ];
    if (level === 'extended')
      notes.push(
        "the file uses ONNX Runtime's own fused operators (com.microsoft domain): ONNX Runtime only"
      );
    if (level === 'layout' || level === 'all') {
      notes.push(
        'layout optimizations are specific to this CPU: the saved file may not load elsewhere; use extended for a portable file'
      );
    }
    return {
      proto,
      runtime: { graphOptimizationLevel: level },
      summary: `optimized at level ${level}: ${model.summary.nodes} -> ${nodesAfter} nodes`,
      changed,
      leftAsIs: [],
      notes
    };
  }
};

export const threads: TacticDefinition = {
  id: 'threads',
  summary: 'run with N intra-op threads (a runtime setting; the model is unchanged)',
  argument: { name: 'N', description: 'threads inside one operator', required: true },
  async apply(_model, arg) {
    const n = countArgument('threads', arg, 'the number of threads N');
    return {
      runtime: { intraOpNumThreads: n },
      summary: `intra-op threads: ${n}`,
      changed: [],
      leftAsIs: [],
      notes: [
        'fewer threads usually cost a little latency and save energy spent spinning; more threads help large batches'
      ]
    };
  }
};

export const batch: TacticDefinition = {
  id: 'batch',
  summary: 'run N inputs per call (a runtime setting; the model is unchanged)',
  argument: { name: 'N', description: 'inputs per run() call', required: true },
  async apply(_model, arg) {
    const n = countArgument('batch', arg, 'the batch size N');
    return {
      runtime: { batchSize: n },
      summary: `batch size: ${n}`,
      changed: [],
      leftAsIs: [],
      notes: [
        'larger batches spread per-call overhead over more inputs (less energy per inference) at the cost of latency per call'
      ]
    };
  }
};
