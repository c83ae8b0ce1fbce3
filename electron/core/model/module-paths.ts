/**
 * The module a layer belongs to, for the flame graph and the layer table: the module hierarchy in
 * node names ("/encoder/layer.0/attn/q_proj/MatMul" is in "encoder/layer.0/attn/q_proj"), after
 * seeing through what onnxruntime's graph optimizer did to the names:
 *
 * - fused nodes keep the original name inside: "/a/q_proj/MatMul/MatMulAddFusion" and
 *   "fused /a/q_proj/MatMul" are in "a/q_proj", not in "a/q_proj/MatMul" or "fused /a/q_proj";
 * - NCHWc nodes are named after their output tensor, "<tensor>_nchwc": the graph says which node
 *   made that tensor (with a fused activation, the tensor is the activation's: the node of the
 *   layer's own op type is found a few producers back);
 * - helper nodes it inserts with no module of their own ("gemm_input_reshape_token_3",
 *   "ReorderOutput", Memcpy) belong to the layer they serve: the next layer for what prepares an
 *   input, the previous one for what converts an output.
 *
 * Worked example (the sample model, optimisations on), in execution order:
 *   gemm_input_reshape_token_2                          -> encoder/layer.0/attn/q_proj (serves the next)
 *   /encoder/layer.0/attn/q_proj/MatMul/MatMulAddFusion -> encoder/layer.0/attn/q_proj
 *   gemm_output_reshape_token_5_new_reshape             -> encoder/layer.0/attn/q_proj (serves the previous)
 */
import { originName } from './fused-names.js';
import type { GraphIndex } from './graph-index.js';

/** "/encoder/layer.0/attn/q_proj/MatMul" -> "encoder/layer.0/attn/q_proj"; fused names seen through; "conv1" -> "". */
export function modulePathOf(name: string): string {
  const parts = originName(name).split('/').filter(Boolean);
  return parts.slice(0, -1).join('/');
}

/** A layer as module paths need it. */
export interface NamedLayer {
  readonly name: string;
  readonly opType: string;
}

/** The module path of each layer, given in execution order (neighbours place inserted helpers). */
export function assignModulePaths(layers: readonly NamedLayer[], graph?: GraphIndex): string[] {
  // An NCHWc node's name is its output tensor's, whatever module that tensor's name suggests: the
  // node that made the tensor says where the layer belongs.
  const paths = layers.map((layer) => modulePathOf((graph && nchwcOrigin(layer, graph)) || layer.name));
  return layers.map((layer, i) => {
    if (paths[i]) return paths[i]!;
    const side = helperSide(layer);
    if (side === 'next') return paths[i + 1] ?? '';
    if (side === 'previous') return paths[i - 1] ?? '';
    return '';
  });
}

// "<tensor>_nchwc" -> the node that computed <tensor>, or the one of the layer's op type a few
// producers back (a Conv fused with its activation is named after the activation's output).
function nchwcOrigin(layer: NamedLayer, graph: GraphIndex): string | undefined {
  const match = /^(.*)_nchwc$/.exec(layer.name);
  if (!match) return undefined;
  const first = graph.producerOf(match[1]!);
  let node = first;
  for (let step = 0; node && step < 4; step++) {
    if (node.opType === layer.opType) return node.name;
    node = node.inputs[0] ? graph.producerOf(node.inputs[0]) : undefined;
  }
  return first?.name;
}

// Which neighbour a node onnxruntime inserted serves, or null for a node of the model.
function helperSide(layer: NamedLayer): 'next' | 'previous' | null {
  if (/^gemm_input_reshape/.test(layer.name) || layer.opType === 'ReorderInput' || layer.opType === 'MemcpyFromHost')
    return 'next';
  if (/^gemm_output_reshape/.test(layer.name) || layer.opType === 'ReorderOutput' || layer.opType === 'MemcpyToHost')
    return 'previous';
  return null;
}
