/**
 * Whether a graph can run at all: ONNX requires its nodes to form a DAG (every tensor produced
 * before it is read). A cyclic graph is refused by onnxruntime at load time; a transform that
 * rewrote one would write a model nothing can load, so the transforms check first.
 */
import { StrataError } from '../../../shared/errors.js';
import type { OnnxGraph, OnnxNode } from './onnx-proto.js';

/** Throws MODEL_INVALID naming a node on a cycle, if `graph` or any subgraph has one. */
export function assertAcyclic(graph: OnnxGraph): void {
  const outside = outsideReads(graph);
  // A worklist, not recursion: subgraphs nest thousands deep in hostile models.
  const pending: { graph: OnnxGraph; where: string }[] = [{ graph, where: 'the main graph' }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const onCycle = nodeOnCycle(item.graph.nodes, outside);
    if (onCycle) {
      throw new StrataError(
        'MODEL_INVALID',
        `The model's graph has a cycle: node "${shortName(onCycle)}" (${shortName({ name: onCycle.opType })}) in ${item.where} depends on its own output, so no order can run it and onnxruntime will not load it. Fix the model's graph first.`,
      );
    }
    for (const node of item.graph.nodes) {
      for (const sub of subgraphsOf(node))
        pending.push({ graph: sub, where: `the subgraph of node "${shortName(node)}"` });
    }
  }
}

function subgraphsOf(node: OnnxNode): OnnxGraph[] {
  return node.attributes.flatMap((a) => [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]);
}

// For every graph under `root`: the tensors it (or a subgraph of it) reads from enclosing graphs.
// Computed once, bottom-up, so deep nesting costs its size, not its square.
function outsideReads(root: OnnxGraph): Map<OnnxGraph, Set<string>> {
  const reads = new Map<OnnxGraph, Set<string>>();
  const stack: { graph: OnnxGraph; expanded: boolean }[] = [{ graph: root, expanded: false }];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (!top.expanded) {
      top.expanded = true;
      for (const n of top.graph.nodes)
        for (const sub of subgraphsOf(n)) if (!reads.has(sub)) stack.push({ graph: sub, expanded: false });
      continue;
    }
    stack.pop();
    const g = top.graph;
    const own = new Set([
      ...g.inputs.map((v) => v.name),
      ...g.initializers.map((t) => t.name),
      ...g.nodes.flatMap((n) => n.outputs),
    ]);
    const out = new Set<string>();
    for (const n of g.nodes) {
      for (const t of n.inputs) if (t && !own.has(t)) out.add(t);
      for (const sub of subgraphsOf(n)) for (const t of reads.get(sub) ?? []) if (!own.has(t)) out.add(t);
    }
    reads.set(g, out);
  }
  return reads;
}

// Kahn's algorithm over the edges producer -> consumer within one graph; a subgraph's reads of
// this graph's tensors count as reads by the node that holds it. Returns a node on a cycle, or null.
function nodeOnCycle(nodes: readonly OnnxNode[], outside: Map<OnnxGraph, Set<string>>): OnnxNode | null {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => n.outputs.forEach((t) => t && producer.set(t, i)));
  const preds = nodes.map((n) => {
    const from = new Set<number>();
    for (const t of [...n.inputs, ...subgraphsOf(n).flatMap((sub) => [...(outside.get(sub) ?? [])])]) {
      const p = t ? producer.get(t) : undefined;
      if (p !== undefined) from.add(p);
    }
    return from;
  });
  const consumers: number[][] = nodes.map(() => []);
  const waiting = preds.map((from, j) => {
    for (const i of from) consumers[i]!.push(j);
    return from.size;
  });
  const ready = waiting.flatMap((w, j) => (w === 0 ? [j] : []));
  let done = 0;
  for (let j = ready.pop(); j !== undefined; j = ready.pop()) {
    done++;
    for (const k of consumers[j]!) if (--waiting[k]! === 0) ready.push(k);
  }
  if (done === nodes.length) return null;
  // Every node left waits on another node left; walking predecessors must come back round.
  let j = waiting.findIndex((w) => w > 0);
  const seen = new Set<number>();
  while (!seen.has(j)) {
    seen.add(j);
    j = [...preds[j]!].find((i) => waiting[i]! > 0)!;
  }
  return nodes[j]!;
}

function shortName(node: { name: string }): string {
  const name = node.name || '(unnamed)';
  return name.length > 80 ? `${name.slice(0, 80)}…` : name;
}
