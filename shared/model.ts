/**
 * The pure description of an ONNX model as Strata shows it. Built by electron/core/model from the
 * file's bytes without decoding weight payloads; read by the CLI, the reports and the renderer.
 */

/** ONNX TensorProto.DataType names, as the spec spells them in lower case. */
export type ElementType =
  | 'float32'
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'string'
  | 'bool'
  | 'float16'
  | 'float64'
  | 'uint32'
  | 'uint64'
  | 'complex64'
  | 'complex128'
  | 'bfloat16'
  | 'float8e4m3fn'
  | 'float8e4m3fnuz'
  | 'float8e5m2'
  | 'float8e5m2fnuz'
  | 'uint4'
  | 'int4'
  | 'unknown';

/** One dimension: a fixed size, a named symbol (`batch`), or an unnamed symbol (null). */
export type Dim = number | string | null;

/** A graph input or output. `dims` is null when the rank itself is unknown. */
export interface TensorInfo {
  readonly name: string;
  readonly elementType: ElementType;
  readonly dims: readonly Dim[] | null;
}

/** An opset the model imports: `domain` is '' for the default ONNX domain. */
export interface OpsetImport {
  readonly domain: string;
  readonly version: number;
}

/** A tensor stored in another file next to the model (ONNX external data). */
export interface ExternalDataRef {
  readonly tensor: string;
  readonly location: string;
  readonly offset: number; // bytes
  readonly length: number | null; // bytes, null = to the end of the file
}

/** Summary of a model file, cheap to compute and small enough to send over IPC. */
export interface ModelSummary {
  readonly path: string;
  readonly fileName: string;
  readonly bytes: number; // size of the .onnx file itself
  readonly externalDataBytes: number; // sum of the external data files found
  readonly sha256: string;
  readonly irVersion: number;
  readonly producer: string; // "name version", may be empty
  readonly domain: string;
  readonly modelVersion: number;
  readonly docString: string;
  readonly opsets: readonly OpsetImport[];
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly nodeCount: number; // including nodes inside subgraphs
  readonly topLevelNodeCount: number;
  readonly subgraphCount: number;
  readonly opHistogram: readonly { readonly opType: string; readonly count: number }[];
  readonly parameterCount: number; // elements in initializers and Constant nodes
  readonly parameterBytes: number;
  readonly initializerCount: number;
  readonly constantNodeCount: number;
  readonly externalData: readonly ExternalDataRef[];
  readonly missingExternalFiles: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
}

/** A subgraph of a control-flow node (If branches, Loop and Scan bodies). */
export interface SubgraphInfo {
  readonly owner: string; // the node that holds it
  readonly ownerOp: string; // If, Loop, Scan...
  readonly attribute: string; // then_branch, else_branch, body
  readonly depth: number; // 1 = a subgraph of the main graph
  readonly nodeCount: number; // its own nodes, not its nested subgraphs'
}

/** `strata inspect`: a model's structure as read on the app's open path, and what reading it cost. */
export interface ModelInspection {
  readonly summary: Omit<ModelSummary, 'sha256'>; // no content hash: inspecting never reads the weights
  readonly subgraphs: readonly SubgraphInfo[];
  readonly bytesRead: number; // of the .onnx file: everything but the large raw weight payloads
  readonly openMs: number; // reading and decoding its structure
}
