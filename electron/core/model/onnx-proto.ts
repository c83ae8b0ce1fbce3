/**
 * ONNX's protobuf messages as plain TypeScript objects: decode from bytes, encode back. Tensor
 * payloads stay views into the file (`raw`), so decoding a 1 GB model copies no weights.
 *
 * Field numbers follow onnx/onnx.proto (IR version 10). Fields Strata does not model (training
 * info, model-local functions, sparse initializers, quantization annotations) are skipped on read
 * and so are not written back: a transformed model loses them, which ORT does not need to run it.
 */
import { ProtobufError, ProtoReader, ProtoWriter, WireType } from './protobuf.js';

/** TensorProto.DataType numbers. */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
} as const;

/** A tensor: initializer, Constant value or attribute. */
export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: number;
  /** Raw little-endian payload (raw_data), a view into the file. */
  raw?: Uint8Array;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  doubleData?: number[];
  stringData?: Uint8Array[];
  /** External data: location, offset, length (as strings, as ONNX stores them). */
  externalData?: { key: string; value: string }[];
  dataLocation?: number; // 1 = EXTERNAL
  docString?: string;
}

/** A dimension of a tensor type. */
export type OnnxDim = { value: number } | { param: string } | Record<string, never>;

/** A value's type; only tensor types carry a shape. */
export interface OnnxType {
  tensor?: { elemType: number; shape?: OnnxDim[] };
  /** Anything else (sequence, map, optional) kept as its encoded bytes. */
  other?: Uint8Array;
  denotation?: string;
}

/** A graph input, output or value_info. */
export interface OnnxValueInfo {
  name: string;
  type?: OnnxType;
  docString?: string;
}

/** AttributeProto.AttributeType numbers. */
export const AttributeType = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
} as const;

/** A node attribute. */
export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: OnnxTensor;
  g?: OnnxGraph;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
  tensors?: OnnxTensor[];
  graphs?: OnnxGraph[];
  refAttrName?: string;
  docString?: string;
}

/** A node. */
export interface OnnxNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: OnnxAttribute[];
  docString?: string;
  /** NodeProto.metadata_props (IR 10): Strata writes a transformed node's lineage here. */
  metadata?: { key: string; value: string }[];
}

/** A graph (the main graph or a subgraph of If/Loop/Scan). */
export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  valueInfo: OnnxValueInfo[];
  docString?: string;
}

/** A whole model. */
export interface OnnxModel {
  irVersion: number;
  opsetImports: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  graph: OnnxGraph;
  metadata: { key: string; value: string }[];
}

// ---------------------------------------------------------------- decoding

/** How to decode a model. */
export interface DecodeOptions {
  /**
   * Tensors' packed number lists (float_data, int32_data, int64_data, double_data) at least this many
   * bytes long are left out: the model's structure only, read without its weights (see open-model).
   * Such a tensor has no data fields; its size follows from its dims.
   */
  readonly leavePackedValuesFrom?: number;
}

/** Decodes a ModelProto. Throws ProtobufError on malformed bytes. */
export function decodeModel(bytes: Uint8Array, options: DecodeOptions = {}): OnnxModel {
  const r = new ProtoReader(bytes);
  r.passPackedFrom = options.leavePackedValuesFrom ?? Infinity;
  const model: OnnxModel = {
    irVersion: 0,
    opsetImports: [],
    producerName: '',
    producerVersion: '',
    domain: '',
    modelVersion: 0,
    docString: '',
    graph: emptyGraph(),
    metadata: [],
  };
  let sawGraph = false;
  while (!r.done()) {
    const { field, wire } = r.tag();
    switch (field) {
      case 1:
        model.irVersion = r.int64();
        break;
      case 2:
        model.producerName = r.string();
        break;
      case 3:
        model.producerVersion = r.string();
        break;
      case 4:
        model.domain = r.string();
        break;
      case 5:
        model.modelVersion = r.int64();
        break;
      case 6:
        model.docString = r.string();
        break;
      case 7: {
        // A message field seen twice is merged (protobuf's rule, which onnxruntime follows): how
        // graphOutputsSuffix adds outputs to a model without rewriting it.
        const graph = decodeGraph(r.message());
        model.graph = sawGraph ? mergeGraphs(model.graph, graph) : graph;
        sawGraph = true;
        break;
      }
      case 8:
        model.opsetImports.push(decodeOpset(r.message()));
        break;
      case 14:
        model.metadata.push(decodeEntry(r.message()));
        break;
      default:
        r.skip(wire);
    }
  }
  if (!sawGraph) model.graph = emptyGraph();
  return model;
}

// Protobuf's merge of two GraphProto messages: repeated fields joined, set strings replaced.
function mergeGraphs(a: OnnxGraph, b: OnnxGraph): OnnxGraph {
  return {
    name: b.name || a.name,
    nodes: [...a.nodes, ...b.nodes],
    initializers: [...a.initializers, ...b.initializers],
    inputs: [...a.inputs, ...b.inputs],
    outputs: [...a.outputs, ...b.outputs],
    valueInfo: [...a.valueInfo, ...b.valueInfo],
    ...(b.docString || a.docString ? { docString: b.docString || a.docString } : {}),
  };
}

/**
 * Bytes that, appended to a model file, make `names` graph outputs too: a second ModelProto.graph
 * field holding only those outputs, which protobuf parsers merge into the first. So a worker adds
 * outputs to a model of any size by reading it once, with nothing decoded or re-encoded.
 */
export function graphOutputsSuffix(names: readonly string[]): Uint8Array {
  return new ProtoWriter()
    .messageField(7, (graph) => {
      for (const name of names) graph.messageField(12, (output) => output.stringField(1, name));
    })
    .finish();
}

function emptyGraph(): OnnxGraph {
  return { name: '', nodes: [], initializers: [], inputs: [], outputs: [], valueInfo: [] };
}

function decodeOpset(r: ProtoReader): { domain: string; version: number } {
  const opset = { domain: '', version: 0 };
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1) opset.domain = r.string();
    else if (field === 2) opset.version = r.int64();
    else r.skip(wire);
  }
  return opset;
}

function decodeEntry(r: ProtoReader): { key: string; value: string } {
  const entry = { key: '', value: '' };
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1) entry.key = r.string();
    else if (field === 2) entry.value = r.string();
    else r.skip(wire);
  }
  return entry;
}

/**
 * Deepest nesting of subgraphs (If/Loop/Scan bodies inside bodies) Strata reads. onnxruntime's
 * protobuf parser stops at 100 nested messages, about 33 graph levels; decoding deeper by recursion
 * would end in "Maximum call stack size exceeded" instead of a sentence.
 */
export const MAX_GRAPH_DEPTH = 32;
let graphDepth = 0;

/** Decodes a GraphProto. */
export function decodeGraph(r: ProtoReader): OnnxGraph {
  if (graphDepth >= MAX_GRAPH_DEPTH) {
    throw new ProtobufError(
      `nests subgraphs (If, Loop or Scan bodies) more than ${MAX_GRAPH_DEPTH} levels deep, more than onnxruntime reads,`,
      r.base + r.pos,
      false,
    );
  }
  graphDepth++;
  try {
    return decodeGraphFields(r);
  } finally {
    graphDepth--;
  }
}

function decodeGraphFields(r: ProtoReader): OnnxGraph {
  const graph = emptyGraph();
  while (!r.done()) {
    const { field, wire } = r.tag();
    switch (field) {
      case 1:
        graph.nodes.push(decodeNode(r.message()));
        break;
      case 2:
        graph.name = r.string();
        break;
      case 5:
        graph.initializers.push(decodeTensor(r.message()));
        break;
      case 10:
        graph.docString = r.string();
        break;
      case 11:
        graph.inputs.push(decodeValueInfo(r.message()));
        break;
      case 12:
        graph.outputs.push(decodeValueInfo(r.message()));
        break;
      case 13:
        graph.valueInfo.push(decodeValueInfo(r.message()));
        break;
      default:
        r.skip(wire);
    }
  }
  return graph;
}

function decodeNode(r: ProtoReader): OnnxNode {
  const node: OnnxNode = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: [] };
  while (!r.done()) {
    const { field, wire } = r.tag();
    switch (field) {
      case 1:
        node.inputs.push(r.string());
        break;
      case 2:
        node.outputs.push(r.string());
        break;
      case 3:
        node.name = r.string();
        break;
      case 4:
        node.opType = r.string();
        break;
      case 5:
        node.attributes.push(decodeAttribute(r.message()));
        break;
      case 6:
        node.docString = r.string();
        break;
      case 7:
        node.domain = r.string();
        break;
      case 9:
        (node.metadata ??= []).push(decodeEntry(r.message()));
        break;
      default:
        r.skip(wire);
    }
  }
  return node;
}

function decodeAttribute(r: ProtoReader): OnnxAttribute {
  const attr: OnnxAttribute = { name: '', type: 0 };
  while (!r.done()) {
    const { field, wire } = r.tag();
    switch (field) {
      case 1:
        attr.name = r.string();
        break;
      case 2:
        attr.f = r.float();
        break;
      case 3:
        attr.i = r.int64();
        break;
      case 4:
        attr.s = r.bytesView();
        break;
      case 5:
        attr.t = decodeTensor(r.message());
        break;
      case 6:
        attr.g = decodeGraph(r.message());
        break;
      case 7:
        r.floats(wire, (attr.floats ??= []));
        break;
      case 8:
        r.int64s(wire, (attr.ints ??= []));
        break;
      case 9:
        (attr.strings ??= []).push(r.bytesView());
        break;
      case 10:
        (attr.tensors ??= []).push(decodeTensor(r.message()));
        break;
      case 11:
        (attr.graphs ??= []).push(decodeGraph(r.message()));
        break;
      case 13:
        attr.docString = r.string();
        break;
      case 20:
        attr.type = r.int64();
        break;
      case 21:
        attr.refAttrName = r.string();
        break;
      default:
        r.skip(wire);
    }
  }
  return attr;
}

/** Decodes a TensorProto, keeping raw_data as a view. */
export function decodeTensor(r: ProtoReader): OnnxTensor {
  const t: OnnxTensor = { name: '', dims: [], dataType: 0 };
  while (!r.done()) {
    const { field, wire } = r.tag();
    if ((field === 4 || field === 5 || field === 7 || field === 10) && r.passedLongPacked(wire)) continue;
    switch (field) {
      case 1:
        r.int64s(wire, t.dims);
        break;
      case 2:
        t.dataType = r.int64();
        break;
      case 4:
        r.floats(wire, (t.floatData ??= []));
        break;
      case 5:
        r.int64s(wire, (t.int32Data ??= []));
        break;
      case 6:
        (t.stringData ??= []).push(r.bytesView());
        break;
      case 7:
        r.int64s(wire, (t.int64Data ??= []));
        break;
      case 8:
        t.name = r.string();
        break;
      case 9:
        t.raw = r.bytesView();
        break;
      case 10:
        readDoubles(r, wire, (t.doubleData ??= []));
        break;
      case 12:
        t.docString = r.string();
        break;
      case 13:
        (t.externalData ??= []).push(decodeEntry(r.message()));
        break;
      case 14:
        t.dataLocation = r.int64();
        break;
      default:
        r.skip(wire);
    }
  }
  return t;
}

function readDoubles(r: ProtoReader, wire: WireType, into: number[]): void {
  const view = wire === WireType.LengthDelimited ? r.bytesView() : null;
  if (view) {
    const dv = new DataView(view.buffer, view.byteOffset, view.byteLength);
    for (let i = 0; i + 8 <= view.byteLength; i += 8) into.push(dv.getFloat64(i, true));
  } else {
    r.skip(wire);
  }
}

function decodeValueInfo(r: ProtoReader): OnnxValueInfo {
  const info: OnnxValueInfo = { name: '' };
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1) info.name = r.string();
    else if (field === 2) info.type = decodeType(r.message());
    else if (field === 3) info.docString = r.string();
    else r.skip(wire);
  }
  return info;
}

function decodeType(r: ProtoReader): OnnxType {
  const type: OnnxType = {};
  const start = r.pos;
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1) type.tensor = decodeTensorType(r.message());
    else if (field === 6) type.denotation = r.string();
    else r.skip(wire);
  }
  if (!type.tensor) type.other = r.bytes.subarray(start, r.end);
  return type;
}

function decodeTensorType(r: ProtoReader): { elemType: number; shape?: OnnxDim[] } {
  const tensor: { elemType: number; shape?: OnnxDim[] } = { elemType: 0 };
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1) tensor.elemType = r.int64();
    else if (field === 2) tensor.shape = decodeShape(r.message());
    else r.skip(wire);
  }
  return tensor;
}

function decodeShape(r: ProtoReader): OnnxDim[] {
  const dims: OnnxDim[] = [];
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field !== 1) {
      r.skip(wire);
      continue;
    }
    const d = r.message();
    let dim: OnnxDim = {};
    while (!d.done()) {
      const t = d.tag();
      if (t.field === 1) dim = { value: d.int64() };
      else if (t.field === 2) dim = { param: d.string() };
      else d.skip(t.wire);
    }
    dims.push(dim);
  }
  return dims;
}

// ---------------------------------------------------------------- encoding

/** Encodes a model to ModelProto bytes. */
export function encodeModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int64Field(1, model.irVersion);
  for (const opset of model.opsetImports) {
    w.messageField(8, (o) => {
      if (opset.domain) o.stringField(1, opset.domain);
      o.int64Field(2, opset.version);
    });
  }
  if (model.producerName) w.stringField(2, model.producerName);
  if (model.producerVersion) w.stringField(3, model.producerVersion);
  if (model.domain) w.stringField(4, model.domain);
  if (model.modelVersion) w.int64Field(5, model.modelVersion);
  if (model.docString) w.stringField(6, model.docString);
  w.messageField(7, (g) => encodeGraph(g, model.graph));
  for (const entry of model.metadata)
    w.messageField(14, (e) => e.stringField(1, entry.key).stringField(2, entry.value));
  return w.finish();
}

function encodeGraph(w: ProtoWriter, graph: OnnxGraph): void {
  for (const node of graph.nodes) w.messageField(1, (n) => encodeNode(n, node));
  if (graph.name) w.stringField(2, graph.name);
  for (const t of graph.initializers) w.messageField(5, (x) => encodeTensor(x, t));
  if (graph.docString) w.stringField(10, graph.docString);
  for (const v of graph.inputs) w.messageField(11, (x) => encodeValueInfo(x, v));
  for (const v of graph.outputs) w.messageField(12, (x) => encodeValueInfo(x, v));
  for (const v of graph.valueInfo) w.messageField(13, (x) => encodeValueInfo(x, v));
}

function encodeNode(w: ProtoWriter, node: OnnxNode): void {
  for (const input of node.inputs) w.stringField(1, input);
  for (const output of node.outputs) w.stringField(2, output);
  if (node.name) w.stringField(3, node.name);
  w.stringField(4, node.opType);
  for (const attr of node.attributes) w.messageField(5, (a) => encodeAttribute(a, attr));
  if (node.docString) w.stringField(6, node.docString);
  if (node.domain) w.stringField(7, node.domain);
  for (const entry of node.metadata ?? [])
    w.messageField(9, (e) => e.stringField(1, entry.key).stringField(2, entry.value));
}

function encodeAttribute(w: ProtoWriter, attr: OnnxAttribute): void {
  w.stringField(1, attr.name);
  if (attr.f !== undefined) w.floatField(2, attr.f);
  if (attr.i !== undefined) w.int64Field(3, attr.i);
  if (attr.s !== undefined) w.bytesField(4, attr.s);
  if (attr.t) w.messageField(5, (t) => encodeTensor(t, attr.t!));
  if (attr.g) w.messageField(6, (g) => encodeGraph(g, attr.g!));
  if (attr.floats) w.packedFloats(7, attr.floats);
  if (attr.ints) w.packedInt64s(8, attr.ints);
  for (const s of attr.strings ?? []) w.bytesField(9, s);
  for (const t of attr.tensors ?? []) w.messageField(10, (x) => encodeTensor(x, t));
  for (const g of attr.graphs ?? []) w.messageField(11, (x) => encodeGraph(x, g));
  if (attr.docString) w.stringField(13, attr.docString);
  w.int64Field(20, attr.type);
  if (attr.refAttrName) w.stringField(21, attr.refAttrName);
}

/** Encodes a TensorProto into `w`. */
export function encodeTensor(w: ProtoWriter, t: OnnxTensor): void {
  w.packedInt64s(1, t.dims);
  w.int64Field(2, t.dataType);
  if (t.floatData) w.packedFloats(4, t.floatData);
  if (t.int32Data) w.packedInt64s(5, t.int32Data);
  for (const s of t.stringData ?? []) w.bytesField(6, s);
  if (t.int64Data) w.packedInt64s(7, t.int64Data);
  if (t.name) w.stringField(8, t.name);
  if (t.raw) w.bytesField(9, t.raw);
  if (t.doubleData) {
    const b = new Uint8Array(t.doubleData.length * 8);
    const dv = new DataView(b.buffer);
    t.doubleData.forEach((v, i) => dv.setFloat64(i * 8, v, true));
    w.bytesField(10, b);
  }
  if (t.docString) w.stringField(12, t.docString);
  for (const e of t.externalData ?? []) w.messageField(13, (x) => x.stringField(1, e.key).stringField(2, e.value));
  if (t.dataLocation) w.int64Field(14, t.dataLocation);
}

function encodeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.stringField(1, v.name);
  if (v.type) w.messageField(2, (t) => encodeType(t, v.type!));
  if (v.docString) w.stringField(3, v.docString);
}

function encodeType(w: ProtoWriter, type: OnnxType): void {
  if (type.tensor) {
    const tensor = type.tensor;
    w.messageField(1, (t) => {
      t.int64Field(1, tensor.elemType);
      if (tensor.shape) {
        t.messageField(2, (s) => {
          for (const dim of tensor.shape!) {
            s.messageField(1, (d) => {
              if ('value' in dim) d.int64Field(1, dim.value as number);
              else if ('param' in dim) d.stringField(2, dim.param as string);
            });
          }
        });
      }
    });
    if (type.denotation) w.stringField(6, type.denotation);
  } else if (type.other) {
    // Non-tensor types are written back exactly as they were read.
    const r = new ProtoReader(type.other);
    while (!r.done()) {
      const { field, wire } = r.tag();
      if (wire === WireType.LengthDelimited) w.bytesField(field, r.bytesView());
      else if (wire === WireType.Varint) w.int64Field(field, r.int64());
      else r.skip(wire);
    }
  }
}

/** Walks every graph of the model: the main graph and each subgraph, depth first. */
export function* walkGraphs(graph: OnnxGraph): Generator<OnnxGraph> {
  yield graph;
  for (const node of graph.nodes) {
    for (const attr of node.attributes) {
      if (attr.g) yield* walkGraphs(attr.g);
      for (const g of attr.graphs ?? []) yield* walkGraphs(g);
    }
  }
}
