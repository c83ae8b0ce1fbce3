/**
 * The roofline model: a layer that does F FLOPs over B bytes (intensity I = F / B) can go no faster
 * than min(peak compute, memory bandwidth × I). Below the ridge intensity (peak / bandwidth) the
 * memory roof is the lower one, so the layer is memory-bound; above it, compute-bound.
 *
 * Worked example with peak 100 GFLOP/s and 20 GB/s: the ridge is at 5 FLOP/byte. A Relu (1 FLOP per
 * 8 bytes moved, I = 0.125) has a roof of 2.5 GFLOP/s and is memory-bound; a 512×512 MatMul
 * (I ≈ 85) has a roof of 100 GFLOP/s and is compute-bound.
 */
import type { Ceilings, LayerStats, Roofline, RooflinePoint } from '../../../shared/report.js';
import { workingSetBytes } from './cache-fit.js';
import { INT8_OPS } from './diagnostics.js';

/** True for a layer whose arithmetic runs in int8, to be judged against the int8 compute ceiling. */
export function isInt8Layer(layer: Pick<LayerStats, 'opType'>): boolean {
  return INT8_OPS.has(layer.opType);
}

/**
 * Places every layer with known FLOPs and time under the roofline of `ceilings`: int8 layers under
 * the int8 compute roof where one was measured, every other layer under the float32 one.
 */
export function buildRoofline(layers: readonly LayerStats[], ceilings: Ceilings): Roofline {
  const ridgeIntensity = ceilings.peakGflops / ceilings.memBandwidthGBs;
  const points: RooflinePoint[] = [];
  for (const layer of layers) {
    const bytes = workingSetBytes(layer);
    if (!layer.flops || layer.meanUs <= 0 || bytes <= 0) continue;
    const int8 = isInt8Layer(layer) && ceilings.peakInt8Gops !== undefined;
    const peak = int8 ? ceilings.peakInt8Gops! : ceilings.peakGflops;
    const intensity = layer.flops / bytes;
    const achievedGflops = layer.flops / (layer.meanUs * 1e3); // FLOPs per µs / 1000 = GFLOP/s
    const roofGflops = Math.min(peak, ceilings.memBandwidthGBs * intensity);
    points.push({
      layer: layer.index,
      intensity,
      achievedGflops,
      roofGflops,
      boundBy: intensity < peak / ceilings.memBandwidthGBs ? 'memory' : 'compute',
      efficiency: achievedGflops / roofGflops,
      precision: int8 ? 'int8' : 'float',
    });
  }
  return { ...ceilings, ridgeIntensity, points };
}
