/**
 * Raising a model's default opset so integer ops can be written into it: DynamicQuantizeLinear needs
 * opset 11 and ConvInteger 10, and PP-OCR's exports are opset 9. Only ops whose meaning changed on
 * the way are rewritten (Clip's min/max and Slice's starts/ends/axes/steps moved from attributes to
 * inputs, Pad's pads and value too); a model holding an op whose change is not handled here is left
 * alone, and the caller says why.
 */
import {
  DataType,
  type OnnxGraph,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
  walkGraphs,
} from '../model/onnx-proto.js';
import { rawTensor } from '../model/tensor-data.js';

/**
 * Ops whose meaning changed between opset 9 and 11 in ways this module does not rewrite. The others
 * that changed only gained attributes whose defaults keep the old behaviour (MaxPool's ceil_mode,
 * negative axes...).
 */
const BLOCKING = new Set(['Upsample', 'Resize', 'TopK', 'Scan', 'MaxUnpool', 'Scatter']);

/** The default-domain opset of `model`. */
export function defaultOpset(model: OnnxModel): number {
  return model.opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0;
}

/**
 * Raises `model` (in place) to opset `target` when it is below; returns null when done (or not
 * needed), else why not, leaving the model unchanged.
 */
export function upgradeOpset(model: OnnxModel, target: number): string | null {
  const from = defaultOpset(model);
  if (from >= target) return null;
  const blocking = new Set<string>();
  for (const graph of walkGraphs(model.graph)) {
    for (const n of graph.nodes) if (n.domain === '' && BLOCKING.has(n.opType)) blocking.add(n.opType);
  }
  if (blocking.size)
    return `it is opset ${from} and its ${[...blocking].join(', ')} would change meaning at opset ${target}`;
  for (const graph of walkGraphs(model.graph)) rewriteGraph(graph, from);
  const entry = model.opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (entry) entry.version = target;
  else model.opsetImports.push({ domain: '', version: target });
  return null;
}

function rewriteGraph(graph: OnnxGraph, from: number): void {
  let counter = 0;
  const constant = (node: OnnxNode, what: string, t: OnnxTensor): string => {
    const name = `${node.name || node.outputs[0]}/opset11.${what}.${counter++}`;
    graph.initializers.push({ ...t, name });
    return name;
  };
  const take = (node: OnnxNode, name: string) => {
    const attr = node.attributes.find((a) => a.name === name);
    node.attributes = node.attributes.filter((a) => a !== attr);
    return attr;
  };
  for (const node of graph.nodes) {
    if (node.domain !== '') continue;
    if (node.opType === 'Clip' && from < 11) {
      const min = take(node, 'min');
      const max = take(node, 'max');
      const inputs = [node.inputs[0]!, '', ''];
      if (min?.f !== undefined)
        inputs[1] = constant(node, 'min', rawTensor('', [], DataType.FLOAT, Float32Array.of(min.f)));
      if (max?.f !== undefined)
        inputs[2] = constant(node, 'max', rawTensor('', [], DataType.FLOAT, Float32Array.of(max.f)));
      while (inputs.length > 1 && inputs[inputs.length - 1] === '') inputs.pop();
      node.inputs = inputs;
    } else if (node.opType === 'Slice' && from < 10) {
      const starts = take(node, 'starts')?.ints ?? [];
      const ends = take(node, 'ends')?.ints ?? [];
      const axes = take(node, 'axes')?.ints;
      const i64 = (what: string, v: number[]) =>
        constant(
          node,
          what,
          rawTensor(
            '',
            [v.length],
            DataType.INT64,
            BigInt64Array.from(v.map((x) => BigInt(Math.max(-(2 ** 62), Math.min(2 ** 62, x))))),
          ),
        );
      node.inputs = [node.inputs[0]!, i64('starts', starts), i64('ends', ends), ...(axes ? [i64('axes', axes)] : [])];
    } else if (node.opType === 'Pad' && from < 11) {
      const pads = take(node, 'pads')?.ints ?? [];
      const value = take(node, 'value')?.f ?? 0;
      node.inputs = [
        node.inputs[0]!,
        constant(node, 'pads', rawTensor('', [pads.length], DataType.INT64, BigInt64Array.from(pads.map(BigInt)))),
        constant(node, 'value', rawTensor('', [], DataType.FLOAT, Float32Array.of(value))),
      ];
    }
  }
}
