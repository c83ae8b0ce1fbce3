/**
 * Weight bytes per node, read from the model graph. onnxruntime's profiler counts a node's weights
 * in `parameter_size` only while the session still holds them: kernels that prepack their weights
 * (MatMul, Gemm, Conv on CPU, on by default) release the originals, and the profiler then reports
 * 0 bytes and even leaves the weight out of `input_type_shape`, for exactly the layers with the most
 * weight. The graph still knows which inputs are initializers (or Constant outputs) and how big.
 *
 * Fused nodes are found through the name they came from ("/a/MatMul/MatMulAddFusion" reads the
 * weights of "/a/MatMul") plus, for a fused bias, the constant of the Add that consumed its output.
 * A node onnxruntime inserted itself ("gemm_input_reshape_token_3") has no weights in the graph.
 */
import { fusionSuffixes, originName } from '../model/fused-names.js';
import type { OnnxGraph, OnnxTensor } from '../model/onnx-proto.js';
import { elementByteSize } from '../model/tensor-types.js';

/** Bytes of a tensor's payload: raw data, external length, or dims × element size. */
function tensorBytes(t: OnnxTensor): number {
  if (t.raw) return t.raw.length;
  const length = t.externalData?.find((e) => e.key === 'length')?.value;
  if (length !== undefined) return Number(length);
  return t.dims.reduce((n, d) => n * d, 1) * elementByteSize(t.dataType);
}

/** Weight bytes of a profiled layer by its name, fused or not; undefined when the graph has none for it. */
export type LayerWeights = (layerName: string) => number | undefined;

/** Weight bytes each layer of `graphs` reads, looked up by the layer's name as onnxruntime profiles it. */
export function nodeWeightBytes(graphs: Iterable<OnnxGraph>): LayerWeights {
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
  // The Add nodes reading each value: a fused bias is the constant of the Add after the MatMul/Conv.
  const addsOf = new Map<string, string[]>();
  const outputsOf = new Map<string, readonly string[]>();
  for (const graph of all) {
    for (const node of graph.nodes) {
      if (!node.name || node.opType === 'Constant') continue;
      outputsOf.set(node.name, node.outputs);
      if (node.opType === 'Add') {
        // Appended in place: one constant read by 50,000 Adds made copying the list quadratic.
        for (const input of node.inputs) {
          const adds = addsOf.get(input);
          if (adds) adds.push(node.name);
          else addsOf.set(input, [node.name]);
        }
      }
      // A weight read twice by one node (x·x with x constant) is still one tensor in the cache.
      const bytes = [...new Set(node.inputs)].reduce((sum, input) => sum + (constants.get(input) ?? 0), 0);
      if (bytes > 0) byNode.set(node.name, bytes);
    }
  }
  return (layerName) => {
    const own = byNode.get(layerName);
    if (own !== undefined) return own;
    const origin = originName(layerName);
    if (origin === layerName || !outputsOf.has(origin)) return undefined;
    let bytes = byNode.get(origin) ?? 0;
    if (fusionSuffixes(layerName).some((s) => /Add|Bias/.test(s))) {
      const adds = (outputsOf.get(origin) ?? []).flatMap((out) => addsOf.get(out) ?? []);
      if (adds.length === 1) bytes += byNode.get(adds[0]!) ?? 0;
    }
    return bytes > 0 ? bytes : undefined;
  };
}
