/**
 * Cache levels found in a measured latency curve, the way lmbench reads lat_mem_rd: latency stays
 * on a plateau while the working set fits a level, then climbs; a size whose latency is more than
 * 1.75x the plateau below has left that level. The last size still on the plateau is the level's
 * size as measured (a little under the real one: other data and conflict misses share the cache).
 *
 * Worked example on a 2-core EPYC VM (L1d 48 KiB, L2 1 MiB read from CPUID):
 *   45 KiB 1.7 ns | 54 KiB 4.6 ns     -> L1 ends at 45 KiB (4.6 > 1.75 × 1.7)
 *   861 KiB 6.7 ns | 1 MiB 9.2 ns     -> L2 ends at 861 KiB (plateau 4.3 ns)
 *   4 MiB 19.9 ns | 4.8 MiB 91 ns     -> a third level ends at 4 MiB (plateau 13.6 ns)
 *   then 128 ns at 6 MiB rising slowly to 300 ns at 256 MiB: no step, only DRAM and the TLB.
 * A slow climb over more than 1.5 octaves (TLB misses) is not a cache boundary, nor is a bump that
 * comes back below the threshold within two octaves (seen at 4-16 KiB on an EPYC VM, idle or not).
 */
import type { MemoryCurvePoint } from '../../../shared/report.js';

const STEP_RATIO = 1.75; // lmbench's threshold: latency past 1.75x the plateau has left the level
const FLAT_RATIO = 1.12; // a point within 12% of the one before still belongs to the plateau
const MAX_STEP_OCTAVES = 1.5; // a real boundary climbs within this span of sizes
const JUMP_RATIO = 1.5; // ... or jumps this much from one size to the next

/** Sizes in bytes where the latency curve leaves each plateau, smallest first (at most `maxLevels`). */
export function findCacheBoundaries(latency: readonly MemoryCurvePoint[], maxLevels = 3): number[] {
  const points = [...latency].sort((a, b) => a.bytes - b.bytes);
  const boundaries: number[] = [];
  let plateau = points[0]?.value ?? 0;
  let flatEnd = 0; // index of the last point seen on the current plateau
  for (let i = 1; i < points.length && boundaries.length < maxLevels; i++) {
    const p = points[i]!;
    if (p.value <= plateau * FLAT_RATIO) {
      plateau = Math.min(plateau, p.value);
      flatEnd = i;
      continue;
    }
    if (p.value <= plateau * STEP_RATIO) continue; // climbing, not yet out of the level
    // Out of the level: a boundary if the curve stays out over the next two octaves (not a spike or
    // a bump that comes back down: 4-16 KiB reads 2-4 ns over a 1.6 ns plateau on an idle EPYC VM) and the climb from the plateau's end was steep enough to be a
    // cache, not the TLB's slow slope.
    const following = points.slice(i + 1).filter((q) => q.bytes <= p.bytes * 4);
    const sustained = following.every((q) => q.value > plateau * STEP_RATIO);
    // Steep: out within 1.5 octaves of the plateau's end, or in one jump from the point before (a
    // bump on the plateau may have ended it early).
    const steep =
      Math.log2(p.bytes / points[flatEnd]!.bytes) <= MAX_STEP_OCTAVES || p.value >= points[i - 1]!.value * JUMP_RATIO;
    if (sustained && steep) boundaries.push(points[i - 1]!.bytes);
    if (!sustained) continue;
    // The next plateau starts where the curve flattens again.
    let j = i;
    while (j + 1 < points.length && points[j + 1]!.value > points[j]!.value * FLAT_RATIO) j++;
    plateau = points[j]!.value;
    flatEnd = j;
    i = j;
  }
  return boundaries;
}
