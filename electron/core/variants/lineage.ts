/**
 * Layer lineage: every node a transform writes records the node it came from, so a comparison can
 * group a quantized Conv with the DynamicQuantizeLinear and rescale Mul written for it, and set the
 * group against the original Conv. Two records, read in this order:
 *
 * - node metadata (NodeProto.metadata_props): `strata.origin` = the original node's name and
 *   `strata.role` = what the node does for it (compute, quantize-input, rescale...);
 * - a naming rule, for tools that drop metadata: a helper node of "/enc/conv/Conv" is named
 *   "/enc/conv/Conv/strata.quantize-input/DynamicQuantizeLinear". The node doing the compute keeps
 *   the original name.
 */
import { originName as originNameOf } from '../model/fused-names.js';
import { type OnnxGraph, type OnnxModel, type OnnxNode, walkGraphs } from '../model/onnx-proto.js';

/** What a written node does for the node it came from. */
export type LineageRole =
  | 'compute' // the quantized op itself (ConvInteger, DynamicQuantizeMatMul, the op between Q/DQ)
  | 'quantize-input' // DynamicQuantizeLinear, or the QuantizeLinear of an input activation
  | 'dequantize-input' // DequantizeLinear of an input activation (static QDQ)
  | 'dequantize-weight' // DequantizeLinear of a stored int8 weight
  | 'quantize-output' // QuantizeLinear/DequantizeLinear after the op (static QDQ)
  | 'rescale' // Cast and Mul turning an int32 accumulator back into float
  | 'bias'; // the bias Add an integer op has no input for

/** Metadata key of the original node's name. */
export const ORIGIN_KEY = 'strata.origin';
/** Metadata key of the role. */
export const ROLE_KEY = 'strata.role';

/** One node's lineage. */
export interface Lineage {
  readonly origin: string;
  readonly role: LineageRole;
}

/** The name of a helper node of `origin`: "/a/Conv" + quantize-input + DynamicQuantizeLinear -> "/a/Conv/strata.quantize-input/DynamicQuantizeLinear". */
export function lineageName(origin: string, role: LineageRole, opType: string, suffix = ''): string {
  return `${origin}/strata.${role}/${opType}${suffix}`;
}

/** `node` with its lineage recorded in its metadata. */
export function stamp(node: OnnxNode, origin: string, role: LineageRole): OnnxNode {
  const kept = (node.metadata ?? []).filter((e) => e.key !== ORIGIN_KEY && e.key !== ROLE_KEY);
  return { ...node, metadata: [...kept, { key: ORIGIN_KEY, value: origin }, { key: ROLE_KEY, value: role }] };
}

function graphsOf(model: OnnxModel | readonly OnnxGraph[]): readonly OnnxGraph[] {
  return 'graph' in model ? [...walkGraphs(model.graph)] : model;
}

const NAMED = /^(.*)\/strata\.([a-z-]+)\/[^/]+$/;

/** The lineage the naming rule gives `name`, or null. */
export function lineageFromName(name: string): Lineage | null {
  const m = NAMED.exec(name);
  return m ? { origin: m[1]!, role: m[2] as LineageRole } : null;
}

/** Every node's lineage in `model` (all graphs), by node name: metadata first, then the naming rule. */
export function readLineage(model: OnnxModel | readonly OnnxGraph[]): Map<string, Lineage> {
  const out = new Map<string, Lineage>();
  for (const graph of graphsOf(model)) {
    for (const node of graph.nodes) {
      const origin = node.metadata?.find((e) => e.key === ORIGIN_KEY)?.value;
      const role = node.metadata?.find((e) => e.key === ROLE_KEY)?.value as LineageRole | undefined;
      const lineage = origin ? { origin, role: role ?? 'compute' } : lineageFromName(node.name);
      if (lineage && node.name) out.set(node.name, lineage);
    }
  }
  return out;
}

/** Where a profiled layer came from: the original node's name, and the role when a transform wrote it. */
export interface LayerOrigin {
  readonly origin: string;
  readonly role: LineageRole | null; // null for a node of the model as it was
}

/**
 * Maps a layer name from onnxruntime's profile back to the node of the model file it came from, and
 * through lineage to the original node. onnxruntime renames what it rewrites: "fused /a/Conv",
 * "/a/MatMul/MatMulAddFusion", "/a/Conv_token_3" (layout transforms), "/a/MaxPool_out_nchwc" (named
 * after the output tensor). Layers it inserted (ReorderInput, Memcpy, a bare "Transpose") resolve to null.
 */
export function layerOriginResolver(
  model: OnnxModel | readonly OnnxGraph[],
): (layerName: string, opType?: string) => LayerOrigin | null {
  const lineage = readLineage(model);
  const nodes = new Map<string, OnnxNode>();
  const producer = new Map<string, OnnxNode>();
  for (const graph of graphsOf(model)) {
    for (const node of graph.nodes) {
      if (node.name) nodes.set(node.name, node);
      for (const out of node.outputs) if (out) producer.set(out, node);
    }
  }
  const same = (a: string, b: string) => {
    const norm = (op: string) => op.replace(/^Fused/, '').replace(/^Gemm$/, 'MatMul');
    return norm(a) === norm(b);
  };
  // A fused node named after its last tensor ("/a/Relu_out_nchwc" for Conv+Relu) came from the
  // upstream node of its own op type: walk up a few producers to find it.
  const upstream = (node: OnnxNode, opType: string | undefined): OnnxNode => {
    if (!opType || same(node.opType, opType)) return node;
    let frontier = [node];
    for (let depth = 0; depth < 3 && frontier.length; depth++) {
      frontier = frontier.flatMap((n) =>
        n.inputs.map((i) => producer.get(i)).filter((p): p is OnnxNode => p !== undefined),
      );
      const hit = frontier.find((n) => same(n.opType, opType));
      if (hit) return hit;
    }
    return node;
  };
  const resolveNode = (candidate: string, opType: string | undefined): LayerOrigin | null => {
    const found = nodes.get(candidate) ?? producer.get(candidate);
    if (!found) return null;
    const node = upstream(found, opType);
    const l = lineage.get(node.name);
    return l ? { origin: l.origin, role: l.role } : { origin: node.name, role: null };
  };
  return (layerName, opType) => {
    const unfused = originNameOf(layerName);
    const bare = unfused.replace(/_token_\d+$/, '');
    for (const candidate of [layerName, unfused, bare, unfused.replace(/_nchwc$/, ''), bare.replace(/_nchwc$/, '')]) {
      const hit = resolveNode(candidate, opType);
      if (hit) return hit;
    }
    const named = lineageFromName(bare);
    return named ? { origin: named.origin, role: named.role } : null;
  };
}
