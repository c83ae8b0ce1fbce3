/**
 * Which cache a layer's working set fits in. A layer touches its weights, its input activations and
 * its outputs; if all of that fits in a level of one core's caches, a warm run can serve it from
 * there, and if not, it streams from the next level down.
 *
 * Worked example on a core with 48 KiB L1d, 1 MiB L2 and 32 MiB L3: a MatMul with 64 KiB of weights
 * and 2 KiB of activations has a 66 KiB working set: too big for L1, fits L2, so 'L2'.
 */
import type { CacheLevel, CacheSizes } from '../../../shared/report.js';

/**
 * The weight bytes a layer reads: what onnxruntime counted, or what the graph says its weight inputs
 * hold when that is more (prepacked weights are missing from onnxruntime's count, see
 * node-weights.ts).
 *
 * Worked example: a MatMul of x [1, 64] by W [64, 64] in float32 is reported with parameter_size 0
 * once MLAS has prepacked W; the graph's W holds 16384 B, so its weights are 16 KiB.
 */
export function parameterBytesOf(layer: { parameterBytes: number }, graphWeightBytes: number | undefined): number {
  return Math.max(layer.parameterBytes, graphWeightBytes ?? 0);
}

/** Bytes a layer touches per run: weights, input activations and outputs. */
export function workingSetBytes(layer: {
  parameterBytes: number;
  activationBytes: number;
  outputBytes: number;
}): number {
  return layer.parameterBytes + layer.activationBytes + layer.outputBytes;
}

/** The smallest cache level of one core that holds `bytes`, or 'DRAM' when none does. */
export function cacheLevelFor(bytes: number, caches: CacheSizes): CacheLevel {
  if (bytes <= caches.l1d) return 'L1';
  if (caches.l2 > 0 && bytes <= caches.l2) return 'L2';
  if (caches.l3 > 0 && bytes <= caches.l3) return 'L3';
  return 'DRAM';
}
