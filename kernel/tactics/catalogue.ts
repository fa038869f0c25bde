/**
 * Every tactic by id, the `ID[:ARG][+ID[:ARG]...]` spec syntax shared by the API, the magic and
 * the command line, and applying a chain of tactics to a model.
 */
import type { TacticReport } from '../../core/tactics';
import { OnnxModel } from '../onnx/onnx-model';
import { fp16 } from './fp16';
import { batch, graphOptimize, threads } from './graph-optimize';
import { pruneMagnitude } from './prune-magnitude';
import { pruneStructured } from './prune-structured';
import { quantizeDynamic } from './quantize-dynamic';
import { quantizeStatic } from './quantize-static';
import { TacticDefinition, TacticError, TacticOptions } from './tactic';
import { Variant } from './variant';

export const TACTICS: readonly TacticDefinition[] = [
  quantizeDynamic,
  quantizeStatic,
  fp16,
  pruneMagnitude,
  pruneStructured,
  graphOptimize,
  threads,
  batch
];

export interface TacticStep {
  id: string;
  arg?: string;
  /** As written. */
  spec: string;
}

export function tacticById(id: string): TacticDefinition {
  const found = TACTICS.find(t => t.id === id);
  if (!found) {
    throw new TacticError(id, `unknown tactic; known: ${TACTICS.map(t => t.id).join(', ')}`);
  }
  return found;
}

/** `prune-structured:0.5+quantize-dynamic` -> two steps, each checked against the catalogue. */
export function parseTacticChain(spec: string): TacticStep[] {
  const steps = spec
    .split('+')
    .map(s => s.trim())
    .filter(Boolean);
  if (steps.length === 0) throw new TacticError('tactics', 'no tactic given');
  return steps.map(step => {
    const colon = step.indexOf(':');
    const id = colon < 0 ? step : step.slice(0, colon);
    const arg = colon < 0 ? undefined : step.slice(colon + 1);
    const tactic = tacticById(id);
    if (tactic.argument?.required && (arg === undefined || arg === '')) {
      throw new TacticError(
        id,
        `needs an argument: ${id}:${tactic.argument.name} (${tactic.argument.description})`
      );
    }
    if (!tactic.argument && arg !== undefined) throw new TacticError(id, 'takes no argument');
    return { id, arg, spec: step };
  });
}

/** Applies the steps in order; the input model (and its file) is never changed. */
export async function applyTactics(
  input: OnnxModel | Variant,
  spec: string | readonly string[],
  options: TacticOptions = {}
): Promise<Variant> {
  const specs = typeof spec === 'string' ? [spec] : [...spec];
  const steps = specs.flatMap(parseTacticChain);
  let model = input instanceof Variant ? input.model : input;
  let runtime = input instanceof Variant ? { ...input.runtime } : {};
  const reports: TacticReport[] = input instanceof Variant ? [...input.reports] : [];
  for (const step of steps) {
    const started = performance.now();
    const outcome = await tacticById(step.id).apply(model, step.arg, options);
    const next = outcome.proto ? model.derive(outcome.proto, `${model.name}+${step.spec}`) : model;
    reports.push({
      tactic: step.id,
      spec: step.spec,
      summary: outcome.summary,
      changed: outcome.changed,
      leftAsIs: outcome.leftAsIs,
      notes: outcome.notes,
      sizeBytesBefore: model.sizeBytes,
      sizeBytesAfter: next.sizeBytes,
      durationMs: performance.now() - started
    });
    model = next;
    runtime = { ...runtime, ...outcome.runtime };
  }
  const name = reports.map(r => r.spec).join('+') || model.name;
  return new Variant(name, model, runtime, reports);
}

/** One line per tactic for help texts. */
export function tacticsHelp(): string {
  return TACTICS.map(t => {
    const arg = t.argument
      ? `${t.argument.required ? ':' : '[:'}${t.argument.name}${t.argument.required ? '' : ']'}`
      : '';
    return `  ${t.id}${arg}\n      ${t.summary}${t.argument ? `\n      ${t.argument.name}: ${t.argument.description}` : ''}`;
  }).join('\n');
}
