/**
 * `strata inspect`: a model's structure from its open model (the app's own open path), with its
 * subgraphs listed by the node and attribute that hold them.
 */
import type { ModelInspection, SubgraphInfo } from '../../../shared/model.js';
import type { OnnxGraph } from './onnx-proto.js';
import type { OpenModel } from './open-model.js';

/** The inspection of an open model. */
export function inspectOpenModel(open: OpenModel): ModelInspection {
  const { sha256: _unhashed, ...summary } = open.structure;
  return { summary, subgraphs: subgraphsOf(open.model.graph), bytesRead: open.bytesRead, openMs: open.openMs };
}

/** Every subgraph under `graph`, depth first, in node order. */
export function subgraphsOf(graph: OnnxGraph, depth = 1): SubgraphInfo[] {
  const out: SubgraphInfo[] = [];
  for (const node of graph.nodes) {
    for (const attr of node.attributes) {
      for (const g of attr.g ? [attr.g] : (attr.graphs ?? [])) {
        out.push({ owner: node.name, ownerOp: node.opType, attribute: attr.name, depth, nodeCount: g.nodes.length });
        out.push(...subgraphsOf(g, depth + 1));
      }
    }
  }
  return out;
}
