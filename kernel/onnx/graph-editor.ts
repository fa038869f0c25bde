/**
 * Graph surgery on a (cloned) ONNX model: look up producers, consumers and constant weights, plan
 * node replacements against the original graph, then commit them in one pass that keeps the
 * topological order and drops what no longer has a reader.
 */
import { onnx } from 'onnx-proto';
import { opsetOf } from './model-file';
import { DataType, dimsOf, isFloatTensor, readFloats, toNumber } from './tensors';

const AttributeType = onnx.AttributeProto.AttributeType;

export function attribute(node: onnx.INodeProto, name: string): onnx.IAttributeProto | undefined {
  return (node.attribute ?? []).find(a => a.name === name);
}

export function intAttribute(node: onnx.INodeProto, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a ? toNumber(a.i) : fallback;
}

export function floatAttribute(node: onnx.INodeProto, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a ? (a.f ?? fallback) : fallback;
}

export const attr = {
  int: (name: string, i: number): onnx.IAttributeProto => ({ name, type: AttributeType.INT, i }),
  float: (name: string, f: number): onnx.IAttributeProto => ({
    name,
    type: AttributeType.FLOAT,
    f
  }),
  ints: (name: string, ints: number[]): onnx.IAttributeProto => ({
    name,
    type: AttributeType.INTS,
    ints
  }),
  tensor: (name: string, t: onnx.ITensorProto): onnx.IAttributeProto => ({
    name,
    type: AttributeType.TENSOR,
    t
  })
};

export function makeNode(
  opType: string,
  inputs: string[],
  outputs: string[],
  name: string,
  attributes: onnx.IAttributeProto[] = [],
  domain = ''
): onnx.NodeProto {
  return onnx.NodeProto.create({
    opType,
    input: inputs,
    output: outputs,
    name,
    attribute: attributes,
    domain
  });
}

/** A short description of a node for reports: `MatMul 'dense_1'` (or its first output). */
export function describeNode(node: onnx.INodeProto): string {
  const name = node.name || (node.output ?? [])[0] || '?';
  return `${node.opType} '${name}'`;
}

export interface ConstantFloat {
  tensor: onnx.ITensorProto;
  dims: number[];
  values: Float32Array;
}

/**
 * Decoded messages are full class instances (arrays present, strings defaulted); onnx-proto
 * types their children with the looser I-interfaces, so the editor views them as classes.
 */
interface GraphView {
  node: onnx.NodeProto[];
  initializer: onnx.TensorProto[];
  input: onnx.ValueInfoProto[];
  output: onnx.ValueInfoProto[];
  valueInfo: onnx.ValueInfoProto[];
}

export class GraphEditor {
  readonly graph: GraphView;
  readonly opset: number;
  private readonly initializers = new Map<string, onnx.TensorProto>();
  private readonly producers = new Map<string, onnx.NodeProto>();
  private readonly consumers = new Map<string, onnx.NodeProto[]>();
  private readonly graphInputs = new Set<string>();
  private readonly graphOutputs = new Set<string>();
  private readonly names = new Set<string>();
  private readonly replacements = new Map<onnx.NodeProto, onnx.NodeProto[]>();
  private readonly added: onnx.TensorProto[] = [];
  private readonly retyped = new Set<string>();

  constructor(readonly model: onnx.ModelProto) {
    if (!model.graph) throw new Error('the model has no graph');
    this.graph = model.graph as unknown as GraphView;
    this.opset = opsetOf(model) ?? 0;
    for (const t of this.graph.initializer) {
      this.initializers.set(t.name, t);
      this.names.add(t.name);
    }
    for (const i of this.graph.input) {
      this.graphInputs.add(i.name);
      this.names.add(i.name);
    }
    for (const o of this.graph.output) this.graphOutputs.add(o.name);
    for (const node of this.graph.node) {
      if (node.name) this.names.add(node.name);
      for (const input of node.input) {
        if (!input) continue;
        const list = this.consumers.get(input) ?? [];
        list.push(node);
        this.consumers.set(input, list);
      }
      for (const output of node.output) {
        this.producers.set(output, node);
        this.names.add(output);
      }
    }
  }

  get nodes(): readonly onnx.NodeProto[] {
    return this.graph.node;
  }

  /** A name used nowhere in the graph yet, based on `base`. */
  fresh(base: string): string {
    const clean = base.replace(/[^\w.:/-]/g, '_') || 'gaissa';
    let name = clean;
    for (let i = 1; this.names.has(name); i++) name = `${clean}_${i}`;
    this.names.add(name);
    return name;
  }

  consumersOf(tensor: string): readonly onnx.NodeProto[] {
    return this.consumers.get(tensor) ?? [];
  }

  isGraphOutput(tensor: string): boolean {
    return this.graphOutputs.has(tensor);
  }

  isGraphInput(tensor: string): boolean {
    return this.graphInputs.has(tensor) && !this.initializers.has(tensor);
  }

  initializer(name: string): onnx.TensorProto | undefined {
    return this.initializers.get(name);
  }

  /**
   * The float values of a constant weight: an initializer, or the output of a Constant node. An
   * initializer that is also a graph input counts as constant, as ONNX Runtime's tool treats it
   * (old PyTorch exports list every weight as an input).
   */
  constantFloat(name: string): ConstantFloat | undefined {
    let tensor: onnx.ITensorProto | undefined = this.initializers.get(name);
    if (!tensor) {
      const node = this.producers.get(name);
      if (node?.opType === 'Constant' && !node.domain) {
        tensor = (node.attribute ?? []).find(a => a.name === 'value')?.t ?? undefined;
      }
    }
    if (!tensor || !isFloatTensor(tensor)) return undefined;
    if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) return undefined;
    return { tensor, dims: dimsOf(tensor), values: readFloats(tensor) };
  }

  /** Adds an initializer (also as a graph input for IR < 4, which requires that). */
  addInitializer(tensor: onnx.TensorProto): string {
    this.added.push(tensor);
    this.initializers.set(tensor.name, tensor);
    return tensor.name;
  }

  /** Replaces `node` with `nodes` (which may include it) at commit. */
  replace(node: onnx.NodeProto, nodes: onnx.NodeProto[]): void {
    if (this.replacements.has(node)) throw new Error(`${describeNode(node)} is replaced twice`);
    this.replacements.set(node, nodes);
  }

  /** Inserts `nodes` just before `node` (keeping it). */
  insertBefore(node: onnx.NodeProto, nodes: onnx.NodeProto[]): void {
    const planned = this.replacements.get(node);
    if (planned) this.replacements.set(node, [...nodes, ...planned]);
    else this.replacements.set(node, [...nodes, node]);
  }

  /** Marks a tensor whose element type or shape changed: its value_info entry is dropped. */
  retype(tensor: string): void {
    this.retyped.add(tensor);
  }

  /**
   * Applies the plan: new node list in order, new initializers, unread initializers removed
   * (with their graph-input twins), stale value_info dropped.
   */
  commit(): void {
    const nodes: onnx.NodeProto[] = [];
    for (const node of this.graph.node) nodes.push(...(this.replacements.get(node) ?? [node]));
    this.graph.node = nodes;
    this.replacements.clear();

    const ir = toNumber(this.model.irVersion);
    for (const tensor of this.added) {
      this.graph.initializer.push(tensor);
      if (ir < 4) {
        this.graph.input.push(
          onnx.ValueInfoProto.create({
            name: tensor.name,
            type: {
              tensorType: {
                elemType: tensor.dataType ?? DataType.FLOAT,
                shape: { dim: dimsOf(tensor).map(dimValue => ({ dimValue })) }
              }
            }
          })
        );
      }
    }
    this.added.length = 0;

    const read = new Set<string>();
    const collect = (graph: onnx.IGraphProto) => {
      for (const node of graph.node ?? []) {
        for (const input of node.input ?? []) read.add(input);
        for (const a of node.attribute ?? []) {
          if (a.g) collect(a.g);
          for (const g of a.graphs ?? []) collect(g);
        }
      }
    };
    collect(this.graph);
    for (const o of this.graph.output) read.add(o.name);
    const unread = new Set(this.graph.initializer.filter(t => !read.has(t.name)).map(t => t.name));
    this.graph.initializer = this.graph.initializer.filter(t => !unread.has(t.name));
    this.graph.input = this.graph.input.filter(i => !unread.has(i.name));
    for (const name of unread) this.initializers.delete(name);

    // Old models list initializers as graph inputs too: keep those declarations in step with
    // weights whose type or shape changed, or ONNX Runtime refuses the model.
    const byName = new Map(this.graph.initializer.map(t => [t.name, t]));
    for (const input of this.graph.input) {
      const t = byName.get(input.name);
      if (!t) continue;
      input.type = onnx.TypeProto.create({
        tensorType: {
          elemType: t.dataType,
          shape: { dim: dimsOf(t).map(dimValue => ({ dimValue })) }
        }
      });
    }

    const produced = new Set(nodes.flatMap(n => n.output));
    this.graph.valueInfo = this.graph.valueInfo.filter(
      v => !this.retyped.has(v.name) && produced.has(v.name)
    );
  }
}
