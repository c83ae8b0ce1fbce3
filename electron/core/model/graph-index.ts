/**
 * What onnxruntime's trace cannot say about a layer, looked up in the model's graph: the shapes of
 * its constant inputs (kernels that prepack a weight leave it out of the trace's input shapes, so a
 * ConvTranspose's kernel size is known only here) and which node produced a tensor (onnxruntime
 * names some nodes it rewrites after their output tensor: "<tensor>_nchwc").
 *
 * Layer names are matched as they are, then through their fused name (see fused-names.ts).
 */
import { resolve } from 'node:path';
import { originName } from './fused-names.js';
import type { OnnxGraph } from './onnx-proto.js';
import { defaultModelCache } from './open-model.js';

/** Shapes of a node's inputs by index where the input is a constant (initializer or Constant), else null. */
export type ConstantShapes = readonly (readonly number[] | null)[];

/** Lookups into a model's graphs (main graph and every subgraph) by layer and tensor name. */
export interface GraphIndex {
  /** The constant input shapes of the node a layer came from; undefined when no node has that name. */
  constantShapes(layerName: string): ConstantShapes | undefined;
  /** The node that produces `tensor`; undefined for graph inputs, initializers and unknown names. */
  producerOf(tensor: string): GraphNodeRef | undefined;
}

/** A node of the graph as the lookups return it. */
export interface GraphNodeRef {
  readonly name: string;
  readonly opType: string;
  readonly inputs: readonly string[];
}

/** Indexes `graphs` (e.g. `walkGraphs(model.graph)`); nothing is decoded beyond dims. */
export function indexGraphs(graphs: Iterable<OnnxGraph>): GraphIndex {
  const all = [...graphs];
  // Constants by value name over every graph: a subgraph node may read an outer initializer.
  const constants = new Map<string, readonly number[]>();
  for (const graph of all) {
    for (const t of graph.initializers) constants.set(t.name, t.dims);
    for (const node of graph.nodes) {
      if (node.opType !== 'Constant' || (node.domain && node.domain !== 'ai.onnx')) continue;
      const value = node.attributes.find((a) => a.name === 'value' && a.t)?.t;
      if (value && node.outputs[0]) constants.set(node.outputs[0], value.dims);
    }
  }
  const shapesByNode = new Map<string, ConstantShapes>();
  const producers = new Map<string, GraphNodeRef>();
  for (const graph of all) {
    for (const node of graph.nodes) {
      if (!node.name) continue;
      // Trailing empty names are absent optional inputs (a ConvTranspose without bias).
      const inputs = [...node.inputs];
      while (inputs.length && !inputs[inputs.length - 1]) inputs.pop();
      shapesByNode.set(
        node.name,
        inputs.map((i) => constants.get(i) ?? null),
      );
      const ref: GraphNodeRef = { name: node.name, opType: node.opType, inputs: node.inputs };
      for (const out of node.outputs) if (out) producers.set(out, ref);
    }
  }
  return {
    constantShapes: (layerName) => shapesByNode.get(layerName) ?? shapesByNode.get(originName(layerName)),
    producerOf: (tensor) => producers.get(tensor),
  };
}

/** The graphs of the model at `path` (main graph first), or null when it cannot be read. */
export async function readModelGraphs(path: string): Promise<readonly OnnxGraph[] | null> {
  try {
    // From the shared cache of open models: the summary's read of the file, not another one.
    return (await defaultModelCache.open(resolve(path))).graphs;
  } catch {
    // The profile already ran this model; a read failing now only costs what the graph adds.
    return null;
  }
}
