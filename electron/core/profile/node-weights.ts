/**
 * Weight bytes per node, read from the model graph. onnxruntime's profiler counts a node's weights
 * in `parameter_size` only while the session still holds them: kernels that prepack their weights
 * (MatMul, Gemm, Conv on CPU, on by default) release the originals, and the profiler then reports
 * 0 bytes and even leaves the weight out of `input_type_shape`, for exactly the layers with the most
 * weight. The graph still knows which inputs are initializers (or Constant outputs) and how big.
 *
 * Names only match nodes that survive graph optimization under their own name; fused nodes
 * ("MatMulAddFusion"...) fall back to what the profiler counted.
 */
import { readFile } from 'node:fs/promises';
import { decodeModel, walkGraphs, type OnnxGraph, type OnnxTensor } from '../model/onnx-proto.js';
import { elementByteSize } from '../model/tensor-types.js';

/** Bytes of a tensor's payload: raw data, external length, or dims × element size. */
function tensorBytes(t: OnnxTensor): number {
  if (t.raw) return t.raw.length;
  const length = t.externalData?.find((e) => e.key === 'length')?.value;
  if (length !== undefined) return Number(length);
  return t.dims.reduce((n, d) => n * d, 1) * elementByteSize(t.dataType);
}

/** Weight bytes each node of `graphs` reads, by node name (nodes reading no weight are left out). */
export function nodeWeightBytes(graphs: Iterable<OnnxGraph>): Map<string, number> {
  const all = [...graphs];
  // Constant tensors by value name, over every graph: a subgraph node may read an outer initializer.
  const constants = new Map<string, number>();
  for (const graph of all) {
    for (const t of graph.initializers) constants.set(t.name, tensorBytes(t));
    for (const node of graph.nodes) {
      if (node.opType !== 'Constant' || (node.domain && node.domain !== 'ai.onnx')) continue;
      const value = node.attributes.find((a) => a.name === 'value' && a.t)?.t;
      if (value && node.outputs[0]) constants.set(node.outputs[0], tensorBytes(value));
    }
  }
  const byNode = new Map<string, number>();
  for (const graph of all) {
    for (const node of graph.nodes) {
      if (!node.name || node.opType === 'Constant') continue;
      // A weight read twice by one node (x·x with x constant) is still one tensor in the cache.
      const bytes = [...new Set(node.inputs)].reduce((sum, input) => sum + (constants.get(input) ?? 0), 0);
      if (bytes > 0) byNode.set(node.name, bytes);
    }
  }
  return byNode;
}

/** Weight bytes per node name of the model at `path`; an empty map when it cannot be read. */
export async function readNodeWeightBytes(path: string): Promise<Map<string, number>> {
  try {
    // Decoding keeps tensor payloads as views into the bytes: no weight is copied or parsed.
    return nodeWeightBytes(walkGraphs(decodeModel(await readFile(path)).graph));
  } catch {
    // The profile already ran this model; a read failing now only costs the correction.
    return new Map();
  }
}
