/**
 * A model opened once: its structure read without its weights, its summary, its graphs, and its
 * content hash computed once, streamed, only when asked. A cache of open models keyed by path,
 * size, mtime and inode means the summary, the profile and the graph index read a file once, not
 * three times (a 1 GiB model was read and hashed whole by each).
 *
 * How weights stay unread: the file's bytes are laid out in a zero-filled buffer of the file's size
 * (untouched pages cost no memory), and only the bytes that are not tensor payloads (raw_data or
 * packed float/int lists, of initializers, of Constant nodes, in subgraphs too) are read into it. The ONNX decoder then runs on that buffer as on the whole file; a tensor's `raw` is a view
 * of the right length whose bytes were never read, so sizes and counts are right and no payload is
 * ever decoded. Anything that needs weight values (quantize, prune) reads the file itself.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { StrataError } from '../../../shared/errors.js';
import type { ModelSummary } from '../../../shared/model.js';
import { decodeOrExplain } from './errors.js';
import { decodeModel, walkGraphs, type OnnxGraph, type OnnxModel } from './onnx-proto.js';
import { ProtoReader, ProtobufError, WireType } from './protobuf.js';
import { assertLooksLikeOnnx, locateExternalData, summarizeModel } from './summary.js';

/** Raw payloads at least this long are left unread (smaller ones are read with their neighbours anyway). */
const SKIP_AT_LEAST = 64 * 1024;
/** Bytes read at a time around the structure being walked. */
const WINDOW = 1024 * 1024;

/** The messages the skeleton walk goes into, and the fields of each that lead to another. */
type SkeletonPart = 'model' | 'graph' | 'node' | 'attribute' | 'tensor';
const SKELETON_PARTS: Record<SkeletonPart, Partial<Record<number, SkeletonPart>>> = {
  model: { 7: 'graph' },
  graph: { 1: 'node', 5: 'tensor' }, // nodes, initializers
  node: { 5: 'attribute' },
  attribute: { 5: 'tensor', 6: 'graph', 10: 'tensor', 11: 'graph' }, // t, g, tensors, graphs
  tensor: {},
};
/** TensorProto fields that hold values: float_data, int32_data, int64_data, raw_data, double_data. */
const PAYLOAD_FIELDS = new Set([4, 5, 7, 9, 10]);

/** The model file's bytes with raw tensor payloads left unread (zeros), and how much was read. */
export interface ModelSkeleton {
  readonly bytes: Uint8Array;
  readonly bytesRead: number;
}

/**
 * Reads the model at `path` without the raw payloads of its tensors: everything the decoder needs
 * for structure, shapes and sizes. Malformed protobuf is read whole from the first bad field, so
 * the decoder's error says where the file breaks.
 */
export async function readModelSkeleton(path: string): Promise<ModelSkeleton> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = new Uint8Array(size);
    let from = 0; // the bytes read last, [from, to)
    let to = 0;
    let bytesRead = 0;
    const ensure = async (a: number, b: number) => {
      if (a >= from && b <= to) return;
      const start = a >= from && a <= to ? to : a;
      const end = Math.min(size, Math.max(b, start + WINDOW));
      for (let at = start; at < end;) {
        const { bytesRead: n } = await handle.read(bytes, at, end - at, at);
        if (n === 0) break;
        at += n;
        bytesRead += n;
      }
      if (start !== to) from = a;
      to = end;
    };
    // Walks a message's fields: into the graph, its initializers and its nodes' tensor attributes
    // (a Constant's value) and subgraphs, past large payloads (raw_data, packed number lists).
    const walk = async (kind: SkeletonPart, start: number, end: number): Promise<void> => {
      let pos = start;
      while (pos < end) {
        await ensure(pos, Math.min(end, pos + 20));
        const r = new ProtoReader(bytes, pos, Math.min(end, to));
        let field: number;
        let wire: WireType;
        let length = 0;
        try {
          ({ field, wire } = r.tag());
          if (wire === WireType.LengthDelimited) length = r.varint();
          else if (wire === WireType.Varint) r.varint();
        } catch (err) {
          if (!(err instanceof ProtobufError)) throw err;
          return ensure(pos, end); // the decoder reports it, at the same byte
        }
        const body = r.pos;
        const next =
          wire === WireType.LengthDelimited
            ? body + length
            : wire === WireType.Fixed64
              ? body + 8
              : wire === WireType.Fixed32
                ? body + 4
                : body;
        if (next > end) return ensure(pos, end); // cut short: the decoder says so
        const inner = wire === WireType.LengthDelimited ? SKELETON_PARTS[kind][field] : undefined;
        if (inner) {
          await ensure(pos, body);
          await walk(inner, body, next);
        } else if (!(kind === 'tensor' && PAYLOAD_FIELDS.has(field) && length >= SKIP_AT_LEAST))
          await ensure(pos, next);
        pos = next;
      }
    };
    await walk('model', 0, size);
    return { bytes, bytesRead };
  } finally {
    await handle.close();
  }
}

/** SHA-256 of a file, streamed: memory stays flat whatever its size. */
export function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: 1024 * 1024 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', (err) => reject(new StrataError('IO_ERROR', `Could not read "${path}" to hash it: ${err.message}.`)))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** A model file opened once: structure, graphs and summary; its hash on demand. */
export interface OpenModel {
  readonly path: string;
  readonly bytes: number;
  readonly mtimeMs: number;
  /** The decoded model; tensor payloads above SKIP_AT_LEAST were never read (their bytes are zeros). */
  readonly model: OnnxModel;
  /** The main graph and every subgraph, main first. */
  readonly graphs: readonly OnnxGraph[];
  /** File bytes actually read to open it (all of them but the large raw payloads). */
  readonly bytesRead: number;
  /** Time to open it, milliseconds. */
  readonly openMs: number;
  /** The summary without its content hash (`sha256` is ''): what an inspection needs, at once. */
  readonly structure: ModelSummary;
  /** The full summary, content hash included (computed once, streamed, on first call). */
  summary(): Promise<ModelSummary>;
  /** The file's SHA-256, computed once on first call. */
  sha256(): Promise<string>;
  /** The hash being computed now, if it is: a measurement waits for it, so the two never overlap. */
  hashing(): Promise<unknown> | null;
}

/** How often a cache did real work, for tests and benches. */
export interface ModelCacheStats {
  opens: number; // structure reads of a file
  hashes: number; // full reads to hash one
  hits: number;
}

/** Open models by path, size, mtime and inode; the least recently used beyond `capacity` are dropped. */
export class ModelCache {
  readonly stats: ModelCacheStats = { opens: 0, hashes: 0, hits: 0 };
  private readonly entries = new Map<string, { key: string; model: Promise<OpenModel> }>();

  constructor(private readonly capacity = 16) {}

  /** The open model at `path` (absolute), opened now or taken from the cache if the file is unchanged. */
  async open(path: string): Promise<OpenModel> {
    await assertLooksLikeOnnx(path);
    const s = await stat(path);
    const key = `${s.size}:${s.mtimeMs}:${s.ino}`;
    const cached = this.entries.get(path);
    this.entries.delete(path); // re-inserted below: Map order is recency
    if (cached && cached.key === key) {
      this.entries.set(path, cached);
      this.stats.hits++;
      return withExternalDataNow(await cached.model);
    }
    const model = this.openUncached(path, s.size, s.mtimeMs);
    this.entries.set(path, { key, model });
    model.catch(() => this.entries.get(path)?.model === model && this.entries.delete(path)); // a failed open is not cached
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return model;
  }

  /** Forgets every open model. */
  clear(): void {
    this.entries.clear();
  }

  private async openUncached(path: string, size: number, mtimeMs: number): Promise<OpenModel> {
    const t0 = performance.now();
    this.stats.opens++;
    const skeleton = await readModelSkeleton(path);
    const model = decodeOrExplain(path, skeleton.bytes, (bytes) =>
      decodeModel(bytes, { leavePackedValuesFrom: SKIP_AT_LEAST }),
    );
    const structure = summarizeModel(model, skeleton.bytes, path, '');
    const graphs = [...walkGraphs(model.graph)];
    let hash: Promise<string> | null = null;
    let hashDone = false;
    const sha256 = () => {
      if (!hash) {
        this.stats.hashes++;
        const started = hashFile(path);
        hash = started;
        started.then(
          () => (hashDone = true),
          () => hash === started && (hash = null), // a failed read is tried again next time
        );
      }
      return hash;
    };
    const hashing = () => (hash && !hashDone ? hash.catch(() => undefined) : null);
    return {
      path,
      bytes: size,
      mtimeMs,
      model,
      graphs,
      bytesRead: skeleton.bytesRead,
      openMs: performance.now() - t0,
      structure,
      sha256,
      hashing,
      summary: async () => ({ ...structure, sha256: await sha256() }),
    };
  }
}

// The same open model, its external-data facts stat-ed again (a data file moved or deleted since).
function withExternalDataNow(open: OpenModel): OpenModel {
  const now = locateExternalData(open.structure.externalData, open.path);
  const before = open.structure;
  if (
    now.externalDataBytes === before.externalDataBytes &&
    now.missingExternalFiles.join('\0') === before.missingExternalFiles.join('\0')
  )
    return open;
  const structure = { ...before, ...now };
  return { ...open, structure, summary: async () => ({ ...structure, sha256: await open.sha256() }) };
}

/** The cache the engine's free functions share (summarizeModelFile, readModelGraphs). */
export const defaultModelCache = new ModelCache();

/**
 * Summarises the model file at `path`, through the shared cache of open models: the file's structure
 * is read once (weights never), its hash streamed once. Throws StrataError (MODEL_NOT_FOUND, MODEL_INVALID).
 */
export async function summarizeModelFile(path: string): Promise<ModelSummary> {
  return (await defaultModelCache.open(resolve(path))).summary();
}
