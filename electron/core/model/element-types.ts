/**
 * Element types of every tensor in a graph, propagated op by op from the inputs and initializers.
 * Enough for the fp16 converter to know which tensors are float; not a full ONNX type checker:
 * an op it does not know is assumed to output its first input's type, which holds for nearly all
 * element-wise, movement and normalisation ops.
 */
import { DataType, type OnnxGraph, type OnnxNode } from './onnx-proto.js';

// Ops whose outputs have a fixed type whatever their inputs.
const FIXED_OUTPUT: Record<string, number> = {
  Shape: DataType.INT64,
  Size: DataType.INT64,
  NonZero: DataType.INT64,
  ArgMax: DataType.INT64,
  ArgMin: DataType.INT64,
  Equal: DataType.BOOL,
  Less: DataType.BOOL,
  LessOrEqual: DataType.BOOL,
  Greater: DataType.BOOL,
  GreaterOrEqual: DataType.BOOL,
  Not: DataType.BOOL,
  And: DataType.BOOL,
  Or: DataType.BOOL,
  Xor: DataType.BOOL,
  IsNaN: DataType.BOOL,
  IsInf: DataType.BOOL,
  DequantizeLinear: DataType.FLOAT,
  DynamicQuantizeMatMul: DataType.FLOAT,
  MatMulIntegerToFloat: DataType.FLOAT,
  MatMulInteger: DataType.INT32,
  ConvInteger: DataType.INT32,
};

// Ops whose output type is that of input N rather than input 0.
const FROM_INPUT: Record<string, number> = { Where: 1, ConstantOfShape: -1, Expand: 0, Tile: 0, Gather: 0, Scatter: 0 };

/** Element type of each tensor name; `outer` carries types visible from an enclosing graph. */
export function inferElementTypes(
  graph: OnnxGraph,
  outer: ReadonlyMap<string, number> = new Map(),
): Map<string, number> {
  const types = new Map(outer);
  for (const v of [...graph.inputs, ...graph.outputs, ...graph.valueInfo]) {
    if (v.type?.tensor?.elemType) types.set(v.name, v.type.tensor.elemType);
  }
  for (const t of graph.initializers) types.set(t.name, t.dataType);
  for (const node of graph.nodes) {
    const outs = outputTypes(node, types);
    node.outputs.forEach((name, i) => {
      if (name && outs[i] !== undefined && !types.has(name)) types.set(name, outs[i]!);
    });
  }
  return types;
}

function outputTypes(node: OnnxNode, types: ReadonlyMap<string, number>): (number | undefined)[] {
  const attr = (name: string) => node.attributes.find((a) => a.name === name);
  const input = (i: number) => types.get(node.inputs[i] ?? '');
  switch (node.opType) {
    case 'Cast':
      return [attr('to')?.i];
    case 'Constant': {
      const a = node.attributes[0];
      if (a?.t) return [a.t.dataType];
      if (a?.name === 'value_float' || a?.name === 'value_floats') return [DataType.FLOAT];
      if (a?.name === 'value_int' || a?.name === 'value_ints') return [DataType.INT64];
      return [undefined];
    }
    case 'ConstantOfShape':
      return [attr('value')?.t?.dataType ?? DataType.FLOAT];
    case 'QuantizeLinear':
      return [input(2) ?? DataType.UINT8];
    case 'DynamicQuantizeLinear':
      return [DataType.UINT8, DataType.FLOAT, DataType.UINT8];
    case 'TopK':
      return [input(0), DataType.INT64];
    case 'MaxPool':
      return [input(0), DataType.INT64];
    case 'Unique':
      return [input(0), DataType.INT64, DataType.INT64, DataType.INT64];
    case 'If':
    case 'Loop':
    case 'Scan': {
      // Types of a control-flow node's outputs are those of its body's outputs.
      const body = node.attributes.find((a) => a.g)?.g;
      if (!body) return [];
      const offset = node.opType === 'Loop' ? 1 : 0; // Loop's body returns cond first
      return node.outputs.map((_, i) => body.outputs[i + offset]?.type?.tensor?.elemType);
    }
    default: {
      if (node.opType in FIXED_OUTPUT) return node.outputs.map(() => FIXED_OUTPUT[node.opType]);
      const from = FROM_INPUT[node.opType] ?? 0;
      return node.outputs.map(() => (from >= 0 ? input(from) : undefined));
    }
  }
}
