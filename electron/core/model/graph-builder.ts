/**
 * A small builder for ONNX graphs, used to make models of known cost (tests, benchmarks, the sample
 * model, roofline ceilings) and by the variant transforms to add nodes.
 */
import {
  AttributeType,
  DataType,
  encodeModel,
  type OnnxAttribute,
  type OnnxGraph,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from './onnx-proto.js';

/** Attribute values a node may carry. */
export type AttrValue = number | string | number[] | { floats: number[] } | { int: number } | OnnxTensor;

/** Builds one graph; `toModel()` / `toBytes()` wrap it in a model. */
export class GraphBuilder {
  readonly graph: OnnxGraph;

  constructor(name = 'main') {
    this.graph = { name, nodes: [], initializers: [], inputs: [], outputs: [], valueInfo: [] };
  }

  /** Declares a graph input; string dims are symbolic (dim_param). */
  input(name: string, dims: readonly (number | string)[], elemType: number = DataType.FLOAT): string {
    this.graph.inputs.push(valueInfo(name, dims, elemType));
    return name;
  }

  /** Declares a graph output. */
  output(name: string, dims: readonly (number | string)[] | null, elemType: number = DataType.FLOAT): string {
    this.graph.outputs.push(dims ? valueInfo(name, dims, elemType) : { name, type: { tensor: { elemType } } });
    return name;
  }

  /** Adds a float32 initializer of `dims`, filled from `fill` (index -> value). */
  floatInit(name: string, dims: readonly number[], fill: (i: number) => number): string {
    const count = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = fill(i);
    return this.rawInit(name, dims, DataType.FLOAT, new Uint8Array(data.buffer));
  }

  /** Adds an int64 initializer (shapes for Reshape, axes...). */
  int64Init(name: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    const data = new BigInt64Array(values.map((v) => BigInt(v)));
    return this.rawInit(name, dims, DataType.INT64, new Uint8Array(data.buffer));
  }

  /** Adds an initializer with raw little-endian bytes. */
  rawInit(name: string, dims: readonly number[], dataType: number, raw: Uint8Array): string {
    this.graph.initializers.push({ name, dims: [...dims], dataType, raw });
    return name;
  }

  /** Adds a node; returns its first output's name. */
  node(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[] | string,
    options: { name?: string; domain?: string; attrs?: Record<string, AttrValue> } = {},
  ): string {
    const outs = typeof outputs === 'string' ? [outputs] : [...outputs];
    const node: OnnxNode = {
      name: options.name ?? `${opType}_${this.graph.nodes.length}`,
      opType,
      domain: options.domain ?? '',
      inputs: [...inputs],
      outputs: outs,
      attributes: Object.entries(options.attrs ?? {}).map(([name, value]) => attribute(name, value)),
    };
    this.graph.nodes.push(node);
    return outs[0]!;
  }

  /** The graph as a model with the given opsets. */
  toModel(opset = 17, extraOpsets: { domain: string; version: number }[] = []): OnnxModel {
    return {
      irVersion: 8,
      opsetImports: [{ domain: '', version: opset }, ...extraOpsets],
      producerName: 'strata',
      producerVersion: 'synthetic',
      domain: '',
      modelVersion: 1,
      docString: '',
      graph: this.graph,
      metadata: [],
    };
  }

  /** The encoded model bytes. */
  toBytes(opset = 17): Uint8Array {
    return encodeModel(this.toModel(opset));
  }
}

/** A tensor ValueInfo. */
export function valueInfo(
  name: string,
  dims: readonly (number | string)[],
  elemType: number = DataType.FLOAT,
): OnnxValueInfo {
  return {
    name,
    type: { tensor: { elemType, shape: dims.map((d) => (typeof d === 'number' ? { value: d } : { param: d })) } },
  };
}

function attribute(name: string, value: AttrValue): OnnxAttribute {
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? { name, type: AttributeType.INT, i: value }
      : { name, type: AttributeType.FLOAT, f: value };
  }
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if ('floats' in value) return { name, type: AttributeType.FLOATS, floats: value.floats };
  if ('int' in value) return { name, type: AttributeType.INT, i: value.int };
  return { name, type: AttributeType.TENSOR, t: value };
}
