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

/** Places every layer with known FLOPs and time under the roofline of `ceilings`. */
export function buildRoofline(layers: readonly LayerStats[], ceilings: Ceilings): Roofline {
  const ridgeIntensity = ceilings.peakGflops / ceilings.memBandwidthGBs;
  const points: RooflinePoint[] = [];
  for (const layer of layers) {
    const bytes = workingSetBytes(layer);
    if (!layer.flops || layer.meanUs <= 0 || bytes <= 0) continue;
    const intensity = layer.flops / bytes;
    const achievedGflops = layer.flops / (layer.meanUs * 1e3); // FLOPs per µs / 1000 = GFLOP/s
    const roofGflops = Math.min(ceilings.peakGflops, ceilings.memBandwidthGBs * intensity);
    points.push({
      layer: layer.index,
      intensity,
      achievedGflops,
      roofGflops,
      boundBy: intensity < ridgeIntensity ? 'memory' : 'compute',
      efficiency: achievedGflops / roofGflops,
    });
  }
  return { ...ceilings, ridgeIntensity, points };
}
