/**
 * Magnitude pruning: zero the smallest weights of MatMul, Gemm and Conv layers. Unstructured
 * pruning zeroes the smallest fraction `sparsity` of each weight tensor; 2:4 zeroes the two smallest
 * of every four consecutive weights along the reduction axis (the pattern sparse tensor cores run).
 *
 * A dense ONNX file does not shrink when weights become zero, so the report gives the compressed
 * (gzip) size, which does: that is what an over-the-air update or an app bundle pays.
 */
import { gzipSync } from 'node:zlib';
import { StrataError } from '../../../shared/errors.js';
import { decodeModel, encodeModel } from '../model/onnx-proto.js';
import { readFloats } from '../model/tensor-data.js';
import { channelIndices, findWeights } from './weights.js';
import { assertAcyclic } from '../model/graph-order.js';

/** Options of `pruneModel`. */
export interface PruneOptions {
  readonly sparsity: number; // 0..1, for unstructured; 2:4 is always 0.5
  readonly pattern: 'unstructured' | '2:4';
  readonly ops?: readonly string[];
  readonly exclude?: readonly string[];
}

/** What pruning did. */
export interface PruneResult {
  readonly bytes: Uint8Array;
  readonly prunedTensors: number;
  readonly prunedWeights: number; // weights in the pruned tensors
  readonly zeroWeights: number; // of those, now zero
  readonly achievedSparsity: number; // zeroWeights / prunedWeights
  readonly sizeBytes: number;
  readonly compressedBytes: number; // gzip of the pruned model
  readonly originalCompressedBytes: number; // gzip of the original
}

/** Prunes the model `bytes`; `modelDir` locates external weights. */
export function pruneModel(bytes: Uint8Array, options: PruneOptions, modelDir?: string): PruneResult {
  const { sparsity, pattern } = options;
  if (pattern === 'unstructured' && !(sparsity > 0 && sparsity < 1)) {
    throw new StrataError(
      'BAD_ARGUMENT',
      `--sparsity ${sparsity} must be between 0 and 1 (e.g. 0.5 for half the weights).`,
    );
  }
  const model = decodeModel(bytes);
  assertAcyclic(model.graph); // a rewritten cyclic graph would be written and never load
  const uses = findWeights(model.graph, options.ops, options.exclude);
  if (uses.length === 0) {
    throw new StrataError('BAD_ARGUMENT', 'The model has no float MatMul, Gemm or Conv weights to prune.');
  }
  let prunedWeights = 0;
  let zeroWeights = 0;
  for (const use of uses) {
    const values = readFloats(use.tensor, modelDir);
    if (pattern === '2:4') prune2of4(values, use);
    else pruneSmallest(values, sparsity);
    for (const v of values) if (v === 0) zeroWeights++;
    prunedWeights += values.length;
    use.tensor.raw = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    delete use.tensor.floatData;
    delete use.tensor.externalData;
    delete use.tensor.dataLocation;
  }
  const out = encodeModel(model);
  return {
    bytes: out,
    prunedTensors: uses.length,
    prunedWeights,
    zeroWeights,
    achievedSparsity: zeroWeights / prunedWeights,
    sizeBytes: out.length,
    compressedBytes: gzipSync(out, { level: 6 }).length,
    originalCompressedBytes: gzipSync(bytes, { level: 6 }).length,
  };
}

/** Zeroes the `sparsity` fraction of `values` with the smallest magnitude (ties broken by index). */
export function pruneSmallest(values: Float32Array, sparsity: number): void {
  const k = Math.round(values.length * sparsity);
  if (k === 0) return;
  const order = Array.from(values.keys()).sort((a, b) => Math.abs(values[a]!) - Math.abs(values[b]!) || a - b);
  for (let i = 0; i < k; i++) values[order[i]!] = 0;
}

/** Zeroes the two smallest-magnitude weights of every four along each channel's reduction axis. */
function prune2of4(values: Float32Array, use: Parameters<typeof channelIndices>[0]): void {
  const { channels, length, index } = channelIndices(use);
  for (let c = 0; c < channels; c++) {
    for (let start = 0; start + 4 <= length; start += 4) {
      const group = [0, 1, 2, 3].map((j) => index(c, start + j));
      group.sort((a, b) => Math.abs(values[a]!) - Math.abs(values[b]!));
      values[group[0]!] = 0;
      values[group[1]!] = 0;
    }
  }
}
