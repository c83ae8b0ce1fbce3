/**
 * Finding the weight tensors of a model's compute layers: the float initializers that MatMul, Gemm
 * and Conv read as their weight, with the axis along which outputs (channels) run. Shared by the
 * quantizer and the pruner.
 */
import { DataType, type OnnxGraph, type OnnxNode, type OnnxTensor } from '../model/onnx-proto.js';

/** A weight initializer and the node that reads it. */
export interface WeightUse {
  readonly node: OnnxNode;
  readonly tensor: OnnxTensor;
  /** Axis of `tensor` that indexes output channels (per-channel quantization, 2:4 groups). */
  readonly channelAxis: number;
  /** Axis (or axes, for Conv: everything after 0) summed over by the op. */
  readonly reductionAxis: number;
}

/** The op types whose weights Strata can transform. */
export const WEIGHT_OPS = ['MatMul', 'Gemm', 'Conv'] as const;

function intAttr(node: OnnxNode, name: string, fallback: number): number {
  return node.attributes.find((a) => a.name === name)?.i ?? fallback;
}

/**
 * Turns Constant nodes that hold a tensor into initializers (as onnxruntime does at load), so
 * weights kept in Constants (Paddle and some PyTorch exports) are found like any other.
 */
export function hoistConstants(graph: OnnxGraph): void {
  const kept: OnnxNode[] = [];
  for (const node of graph.nodes) {
    const value = node.attributes.find((a) => a.name === 'value')?.t;
    if (node.opType === 'Constant' && node.domain === '' && value && node.attributes.length === 1) {
      graph.initializers.push({ ...value, name: node.outputs[0]! });
    } else {
      kept.push(node);
    }
  }
  graph.nodes = kept;
}

/**
 * Every (node, weight) pair in `graph` whose op is in `ops` and whose weight input (input 1) is a
 * float32 initializer of the expected rank, skipping nodes named in `exclude`. A weight shared by
 * several nodes is listed once, with its first user. A subgraph's nodes may read their weight from
 * the main graph: pass its initializers as `outer`.
 */
export function findWeights(
  graph: OnnxGraph,
  ops: readonly string[] = WEIGHT_OPS,
  exclude: readonly string[] = [],
  outer?: ReadonlyMap<string, OnnxTensor>,
): WeightUse[] {
  hoistConstants(graph);
  const inits = new Map([...(outer ?? []), ...graph.initializers.map((t) => [t.name, t] as [string, OnnxTensor])]);
  const seen = new Set<string>();
  const uses: WeightUse[] = [];
  for (const node of graph.nodes) {
    if (node.domain !== '' || !ops.includes(node.opType) || exclude.includes(node.name)) continue;
    const tensor = inits.get(node.inputs[1] ?? '');
    if (!tensor || tensor.dataType !== DataType.FLOAT || seen.has(tensor.name)) continue;
    if (node.opType === 'MatMul' && tensor.dims.length === 2) {
      uses.push({ node, tensor, channelAxis: 1, reductionAxis: 0 });
    } else if (node.opType === 'Gemm' && tensor.dims.length === 2) {
      const transB = intAttr(node, 'transB', 0) === 1;
      uses.push({ node, tensor, channelAxis: transB ? 0 : 1, reductionAxis: transB ? 1 : 0 });
    } else if (node.opType === 'Conv' && tensor.dims.length >= 3) {
      uses.push({ node, tensor, channelAxis: 0, reductionAxis: 1 });
    } else {
      continue;
    }
    seen.add(tensor.name);
  }
  return uses;
}

/**
 * Visits a 2-D view of a weight: `channels` rows of `length` elements each, calling
 * `fn(channel, indices)` with the flat indices of that channel's elements in reduction order.
 * For Conv ([Cout, Cin, kH, kW]) each output channel is contiguous; for MatMul ([K, N]) channel n
 * is the column n, strided by N.
 */
export function channelIndices(use: WeightUse): {
  channels: number;
  length: number;
  index: (channel: number, i: number) => number;
} {
  const dims = use.tensor.dims;
  if (dims.length === 2) {
    const [rows, cols] = dims as [number, number];
    return use.channelAxis === 1
      ? { channels: cols, length: rows, index: (c, i) => i * cols + c }
      : { channels: rows, length: cols, index: (c, i) => c * cols + i };
  }
  const channels = dims[0]!;
  const length = dims.slice(1).reduce((a, b) => a * b, 1);
  return { channels, length, index: (c, i) => c * length + i };
}
