/**
 * Reads an ONNX file into a ModelSummary: structure, sizes and parameters, without decoding any
 * weight payload (tensor data stays views into the file bytes).
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFileHead } from '../file-head.js';
import { basename, dirname } from 'node:path';
import { StrataError } from '../../../shared/errors.js';
import { clip } from '../clip.js';
import type { Dim, ElementType, ExternalDataRef, ModelSummary, TensorInfo } from '../../../shared/model.js';
import { decodeOrExplain } from './errors.js';
import { resolveExternalDataPath } from './external-data.js';
import {
  AttributeType,
  decodeModel,
  walkGraphs,
  type OnnxGraph,
  type OnnxModel,
  type OnnxTensor,
  type OnnxValueInfo,
} from './onnx-proto.js';
import { whyNotOnnx } from './sniff.js';
import { elementTypeName, elementByteSize } from './tensor-types.js';

/** Checks the file exists and its first bytes could start an ONNX model. */
export async function assertLooksLikeOnnx(path: string): Promise<void> {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new StrataError('MODEL_NOT_FOUND', `There is no file at "${path}". Check the path.`);
  }
  if (stat.isDirectory())
    throw new StrataError('MODEL_NOT_FOUND', `"${path}" is a folder, not a model file. Give the .onnx file inside it.`);
  // A device, a pipe or a socket: reading one could never end (/dev/zero) or block (a FIFO).
  if (!stat.isFile())
    throw new StrataError('MODEL_INVALID', `"${path}" is not a regular file, so it is not a model file.`);
  const why = whyNotOnnx(await readFileHead(path, 256));
  if (why) throw new StrataError('MODEL_INVALID', `"${basename(path)}" is not an ONNX model: ${why}.`);
}

/** Summarises model bytes already in memory; `path` names the file and locates external data. */
export function summarizeModelBytes(bytes: Uint8Array, path: string): ModelSummary {
  const model = decodeOrExplain(path, bytes, decodeModel);
  return summarizeModel(model, bytes, path);
}

/** The summary of a decoded model; `sha256` when the caller hashed the file already (else the bytes are hashed). */
export function summarizeModel(model: OnnxModel, bytes: Uint8Array, path: string, sha256?: string): ModelSummary {
  if (model.graph.nodes.length === 0 && model.graph.outputs.length === 0) {
    throw new StrataError(
      'MODEL_INVALID',
      `"${basename(path)}" decodes as protobuf but holds no graph: it is not an ONNX model, or it was cut short.`,
    );
  }
  const histogram = new Map<string, number>();
  let nodeCount = 0;
  let subgraphCount = -1; // the main graph is not a subgraph
  let parameterCount = 0;
  let parameterBytes = 0;
  let initializerCount = 0;
  let constantNodeCount = 0;
  const externalData: ExternalDataRef[] = [];

  const countTensor = (t: OnnxTensor) => {
    const elements = t.dims.reduce((a, b) => a * b, 1);
    parameterCount += elements;
    parameterBytes += tensorByteLength(t, elements);
    const location = t.externalData?.find((e) => e.key === 'location')?.value;
    if (t.dataLocation === 1 && location) {
      const get = (key: string) => t.externalData?.find((e) => e.key === key)?.value;
      externalData.push({
        tensor: t.name,
        location,
        offset: Number(get('offset') ?? 0),
        length: get('length') === undefined ? null : Number(get('length')),
      });
    }
  };

  for (const graph of walkGraphs(model.graph)) {
    subgraphCount++;
    nodeCount += graph.nodes.length;
    assertNamesFit(graph);
    for (const t of graph.initializers) {
      initializerCount++;
      countTensor(t);
    }
    for (const node of graph.nodes) {
      const key = node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : node.opType;
      histogram.set(key, (histogram.get(key) ?? 0) + 1);
      if (node.opType === 'Constant' && (node.domain === '' || node.domain === 'ai.onnx')) {
        constantNodeCount++;
        for (const attr of node.attributes) {
          if (attr.type === AttributeType.TENSOR && attr.t) countTensor(attr.t);
          else if (attr.name === 'value_floats' || attr.name === 'value_ints') {
            const n = (attr.floats ?? attr.ints ?? []).length;
            parameterCount += n;
            parameterBytes += n * (attr.name === 'value_floats' ? 4 : 8);
          } else if (attr.name === 'value_float' || attr.name === 'value_int') {
            parameterCount += 1;
            parameterBytes += attr.name === 'value_float' ? 4 : 8;
          }
        }
      }
    }
  }

  const { externalDataBytes, missingExternalFiles: missing } = locateExternalData(externalData, path);
  const initializerNames = new Set(model.graph.initializers.map((t) => t.name));

  return {
    path,
    fileName: basename(path),
    bytes: bytes.length,
    externalDataBytes,
    sha256: sha256 ?? createHash('sha256').update(bytes).digest('hex'),
    irVersion: model.irVersion,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    domain: model.domain,
    modelVersion: model.modelVersion,
    docString: model.docString,
    opsets: model.opsetImports.map((o) => ({ domain: o.domain, version: o.version })),
    // Inputs that are also initializers are weights with defaults (IR < 4 models), not user inputs.
    inputs: model.graph.inputs.filter((v) => !initializerNames.has(v.name)).map(toTensorInfo),
    outputs: model.graph.outputs.map(toTensorInfo),
    nodeCount,
    topLevelNodeCount: model.graph.nodes.length,
    subgraphCount,
    opHistogram: [...histogram]
      .map(([opType, count]) => ({ opType, count }))
      .sort((a, b) => b.count - a.count || a.opType.localeCompare(b.opType)),
    parameterCount,
    parameterBytes,
    initializerCount,
    constantNodeCount,
    externalData,
    missingExternalFiles: missing,
    metadata: Object.fromEntries(model.metadata.map((m) => [m.key, m.value])),
  };
}

/**
 * The external-data files of a model, stat-ed, never read: their total size and the missing ones.
 * Checked afresh on every open (a cached model's data file may have been moved since).
 */
export function locateExternalData(
  externalData: readonly ExternalDataRef[],
  path: string,
): Pick<ModelSummary, 'externalDataBytes' | 'missingExternalFiles'> {
  const dir = dirname(path);
  // Every location is checked before any is used: one that leaves the model's folder, or names a
  // device or a pipe, refuses the model whichever command opened it.
  const located = new Map<string, string>();
  for (const e of externalData)
    if (!located.has(e.location)) located.set(e.location, resolveExternalDataPath(dir, e.location, e.tensor));
  const files = [...located.keys()];
  const missing = files.filter((file) => !existsSync(located.get(file)!));
  const externalDataBytes = files
    .filter((file) => !missing.includes(file))
    .reduce((sum, file) => sum + statSync(located.get(file)!).size, 0);
  return { externalDataBytes, missingExternalFiles: missing };
}

/** Longest node, tensor or op name Strata accepts; exporters write tens of characters, rarely hundreds. */
export const MAX_NAME_LENGTH = 4096;

// onnxruntime takes minutes to load a graph whose names run to megabytes (a corrupt or hostile
// file): refuse it in a sentence rather than look hung.
function assertNamesFit(graph: OnnxGraph): void {
  const tooLong = (what: string, name: string) => {
    if (name.length > MAX_NAME_LENGTH) {
      throw new StrataError(
        'MODEL_INVALID',
        `The model has ${what} ${name.length.toLocaleString('en-US')} characters long ("${clip(name, 40)}"): longer than any exporter writes (Strata accepts up to ${MAX_NAME_LENGTH}). The file is corrupt or crafted; re-export it.`,
      );
    }
  };
  for (const node of graph.nodes) {
    tooLong('a node name', node.name);
    tooLong('an op type', node.opType);
    for (const t of [...node.inputs, ...node.outputs]) tooLong('a tensor name', t);
  }
  for (const v of [...graph.inputs, ...graph.outputs]) tooLong('an input or output name', v.name);
  for (const t of graph.initializers) tooLong('a weight name', t.name);
}

/** Throws MODEL_EXTERNAL_DATA_MISSING naming the first missing external-data file. */
export function assertExternalDataPresent(summary: ModelSummary): void {
  const [first, ...rest] = summary.missingExternalFiles;
  if (first === undefined) return;
  const more = rest.length
    ? ` (and ${rest.length} more: ${rest
        .slice(0, 3)
        .map((f) => `"${clip(f)}"`)
        .join(', ')})`
    : '';
  throw new StrataError(
    'MODEL_EXTERNAL_DATA_MISSING',
    `The model refers to external data file "${clip(first)}"${more}, which is not next to it in ${dirname(summary.path)}. ` +
      'Copy the file there, or re-export the model with its weights inside.',
  );
}

/** A graph input/output as the shared TensorInfo. */
export function toTensorInfo(v: OnnxValueInfo): TensorInfo {
  const tensor = v.type?.tensor;
  const elementType: ElementType = tensor ? elementTypeName(tensor.elemType) : 'unknown';
  const dims: Dim[] | null = tensor?.shape
    ? tensor.shape.map((d) =>
        'value' in d ? (d.value as number) : 'param' in d && d.param ? (d.param as string) : null,
      )
    : null;
  return { name: v.name, elementType, dims };
}

function tensorByteLength(t: OnnxTensor, elements: number): number {
  if (t.raw) return t.raw.length;
  const length = t.externalData?.find((e) => e.key === 'length')?.value;
  if (length !== undefined) return Number(length);
  return elements * elementByteSize(t.dataType);
}
