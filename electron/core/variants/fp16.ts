/**
 * float32 → float16 conversion: weights and compute in half precision, the model's float32 inputs
 * and outputs kept (Casts at the edges), and a keep-in-fp32 list of ops that are numerically
 * sensitive or need float32 operands (Resize's scales, Range), run in float32 between Casts.
 */
import { StrataError } from '../../../shared/errors.js';
import { inferElementTypes } from '../model/element-types.js';
import {
  AttributeType,
  DataType,
  decodeModel,
  encodeModel,
  type OnnxGraph,
  type OnnxNode,
  type OnnxTensor,
} from '../model/onnx-proto.js';
import { float32ToFloat16, readFloats, rawTensor } from '../model/tensor-data.js';
import { assertAcyclic } from '../model/graph-order.js';

/** Ops kept in float32 unless the caller says otherwise. */
export const DEFAULT_KEEP_FP32 = [
  'Resize',
  'Upsample',
  'Range',
  'RandomNormal',
  'RandomUniform',
  'RandomNormalLike',
  'RandomUniformLike',
  'NonMaxSuppression',
  'RoiAlign',
];

/** Options of `convertToFp16`. */
export interface Fp16Options {
  /** Op types or node names to keep in float32. */
  readonly keepFp32?: readonly string[];
}

/** What the conversion did. */
export interface Fp16Result {
  readonly bytes: Uint8Array;
  readonly convertedTensors: number;
  readonly keptNodes: readonly string[];
  readonly castsInserted: number;
}

/** Converts model `bytes` to float16; `modelDir` locates external weights. */
export function convertToFp16(bytes: Uint8Array, options: Fp16Options = {}, modelDir?: string): Fp16Result {
  const model = decodeModel(bytes);
  assertAcyclic(model.graph); // a rewritten cyclic graph would be written and never load
  const keep = options.keepFp32 ?? DEFAULT_KEEP_FP32;
  const state = { converted: 0, casts: 0, kept: [] as string[], modelDir };
  convertGraph(model.graph, new Map(), keep, state);
  wrapEdges(model.graph, state);
  if (state.converted === 0)
    throw new StrataError('BAD_ARGUMENT', 'The model has no float32 tensors to convert to float16.');
  return {
    bytes: encodeModel(model),
    convertedTensors: state.converted,
    keptNodes: state.kept,
    castsInserted: state.casts,
  };
}

interface State {
  converted: number;
  casts: number;
  kept: string[];
  modelDir: string | undefined;
}

function toHalf(t: OnnxTensor, modelDir: string | undefined): OnnxTensor {
  const values = readFloats(t, modelDir);
  const half = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) half[i] = float32ToFloat16(values[i]!);
  const out = rawTensor(t.name, t.dims, DataType.FLOAT16, half);
  return t.docString ? { ...out, docString: t.docString } : out;
}

function castNode(name: string, input: string, output: string, to: number): OnnxNode {
  return {
    name,
    opType: 'Cast',
    domain: '',
    inputs: [input],
    outputs: [output],
    attributes: [{ name: 'to', type: AttributeType.INT, i: to }],
  };
}

// Converts one graph (and its subgraphs) in place. Graph inputs and outputs of the MAIN graph stay
// float32 here; `wrapEdges` adds their Casts afterwards.
function convertGraph(graph: OnnxGraph, outer: Map<string, number>, keep: readonly string[], state: State): void {
  const types = inferElementTypes(graph, outer);
  const isFloat = (name: string) => types.get(name) === DataType.FLOAT;
  graph.initializers = graph.initializers.map((t) => {
    if (t.dataType !== DataType.FLOAT) return t;
    state.converted++;
    return toHalf(t, state.modelDir);
  });
  const nodes: OnnxNode[] = [];
  for (const node of graph.nodes) {
    const isKept = keep.includes(node.opType) || keep.includes(node.name);
    if (isKept) {
      state.kept.push(node.name);
      const inputs = node.inputs.map((input, i) => {
        if (!input || !isFloat(input)) return input;
        const cast = `${node.name}/input${i}_fp32`;
        nodes.push(castNode(`${node.name}/Cast_in${i}`, input, cast, DataType.FLOAT));
        state.casts++;
        return cast;
      });
      const outputs = node.outputs.map((output) => (output && isFloat(output) ? `${output}_fp32` : output));
      nodes.push({ ...node, inputs, outputs });
      node.outputs.forEach((output, i) => {
        if (outputs[i] !== output) {
          nodes.push(castNode(`${node.name}/Cast_out${i}`, outputs[i]!, output, DataType.FLOAT16));
          state.casts++;
        }
      });
      continue;
    }
    for (const attr of node.attributes) {
      if (node.opType === 'Cast' && attr.name === 'to' && attr.i === DataType.FLOAT) attr.i = DataType.FLOAT16;
      if (
        attr.t &&
        attr.t.dataType === DataType.FLOAT &&
        (node.opType === 'Constant' || node.opType === 'ConstantOfShape')
      ) {
        attr.t = toHalf(attr.t, state.modelDir);
        state.converted++;
      }
      if (node.opType === 'Constant' && attr.name === 'value_float') {
        Object.assign(attr, {
          name: 'value',
          type: AttributeType.TENSOR,
          t: toHalf({ name: '', dims: [], dataType: DataType.FLOAT, floatData: [attr.f ?? 0] }, undefined),
        });
        delete attr.f;
      }
      if (node.opType === 'Constant' && attr.name === 'value_floats') {
        const values = attr.floats ?? [];
        Object.assign(attr, {
          name: 'value',
          type: AttributeType.TENSOR,
          t: toHalf({ name: '', dims: [values.length], dataType: DataType.FLOAT, floatData: values }, undefined),
        });
        delete attr.floats;
      }
      for (const sub of [attr.g, ...(attr.graphs ?? [])]) {
        if (!sub) continue;
        convertGraph(sub, types, keep, state);
        for (const v of [...sub.inputs, ...sub.outputs]) {
          if (v.type?.tensor?.elemType === DataType.FLOAT) v.type.tensor.elemType = DataType.FLOAT16;
        }
      }
    }
    nodes.push(node);
  }
  graph.nodes = nodes;
  for (const v of graph.valueInfo)
    if (v.type?.tensor?.elemType === DataType.FLOAT) v.type.tensor.elemType = DataType.FLOAT16;
}

// The main graph keeps float32 inputs and outputs: cast inputs down on entry, outputs up on exit.
function wrapEdges(graph: OnnxGraph, state: State): void {
  const entry: OnnxNode[] = [];
  for (const input of graph.inputs) {
    if (input.type?.tensor?.elemType !== DataType.FLOAT) continue;
    const half = `${input.name}_fp16`;
    for (const node of graph.nodes) node.inputs = node.inputs.map((n) => (n === input.name ? half : n));
    renameInSubgraphs(graph.nodes, input.name, half);
    entry.push(castNode(`/input/${input.name}/Cast`, input.name, half, DataType.FLOAT16));
    state.casts++;
  }
  const exit: OnnxNode[] = [];
  for (const output of graph.outputs) {
    if (output.type?.tensor?.elemType !== DataType.FLOAT) continue;
    const half = `${output.name}_fp16`;
    for (const node of graph.nodes) {
      node.outputs = node.outputs.map((n) => (n === output.name ? half : n));
      node.inputs = node.inputs.map((n) => (n === output.name ? half : n));
    }
    exit.push(castNode(`/output/${output.name}/Cast`, half, output.name, DataType.FLOAT));
    state.casts++;
  }
  graph.nodes = [...entry, ...graph.nodes, ...exit];
  graph.valueInfo = [];
}

// Subgraphs may read an outer-scope tensor by name; follow a rename into them.
function renameInSubgraphs(nodes: readonly OnnxNode[], from: string, to: string): void {
  for (const node of nodes) {
    for (const attr of node.attributes) {
      for (const sub of [attr.g, ...(attr.graphs ?? [])]) {
        if (!sub) continue;
        for (const inner of sub.nodes) inner.inputs = inner.inputs.map((n) => (n === from ? to : n));
        renameInSubgraphs(sub.nodes, from, to);
      }
    }
  }
}
