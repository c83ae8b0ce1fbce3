/**
 * Reading a measured memory hierarchy (the staircase in report.device.memoryHierarchy): what each
 * level delivers, and what the machine delivers at a given working-set size. Used alike by the
 * CLI summary, the Cache & memory tab and the HTML report.
 */
import type { CacheSizes, MemoryCurvePoint, MemoryHierarchy } from './report.js';

/** One level of the staircase: its size (null for DRAM) and its typical latency and copy bandwidth. */
export interface HierarchyLevel {
  readonly name: string; // 'L1d', 'L2', 'L3', 'DRAM'
  readonly bytes: number | null; // the level's size as placed (null: memory, beyond every cache)
  readonly latencyNs: number; // median of the curve's points within the level
  readonly bandwidthGBs: number; // median copy bandwidth within the level
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The levels layers are placed in, each with what the curves measured inside it: points up to the
 * level's size and above the one below. DRAM takes the points past four times the last cache (where
 * a curve has them), away from the last level's edge.
 */
export function hierarchyLevels(hierarchy: MemoryHierarchy, caches: CacheSizes | undefined): HierarchyLevel[] {
  const sizes: [string, number][] = caches
    ? (
        [
          ['L1d', caches.l1d],
          ['L2', caches.l2],
          ['L3', caches.l3],
        ] as [string, number][]
      ).filter(([, b]) => b > 0)
    : hierarchy.boundaries.map((b, i) => [`L${i + 1}`, b] as [string, number]);
  const levels: HierarchyLevel[] = [];
  let below = 0;
  const within = (curve: readonly MemoryCurvePoint[], low: number, high: number) =>
    curve.filter((p) => p.bytes > low && p.bytes <= high).map((p) => p.value);
  for (const [name, bytes] of sizes) {
    const latency = within(hierarchy.latencyNs, below, bytes);
    if (latency.length > 0)
      levels.push({
        name,
        bytes,
        latencyNs: median(latency),
        bandwidthGBs: median(within(hierarchy.bandwidthGBs, below, bytes)),
      });
    below = bytes;
  }
  const dramFrom = below * 4;
  const latency = within(hierarchy.latencyNs, dramFrom, Infinity);
  if (latency.length > 0)
    levels.push({
      name: 'DRAM',
      bytes: null,
      latencyNs: median(latency),
      bandwidthGBs: median(within(hierarchy.bandwidthGBs, dramFrom, Infinity)),
    });
  return levels;
}

/**
 * The copy bandwidth the machine delivered at a working set of `bytes`, interpolated on a log scale
 * between the two nearest measured sizes (clamped at the curve's ends); null without a curve.
 */
export function bandwidthAt(hierarchy: MemoryHierarchy, bytes: number): number | null {
  const curve = hierarchy.bandwidthGBs;
  if (curve.length === 0 || bytes <= 0) return null;
  if (bytes <= curve[0]!.bytes) return curve[0]!.value;
  for (let i = 1; i < curve.length; i++) {
    const hi = curve[i]!;
    if (bytes <= hi.bytes) {
      const lo = curve[i - 1]!;
      const t = Math.log(bytes / lo.bytes) / Math.log(hi.bytes / lo.bytes);
      return lo.value + t * (hi.value - lo.value);
    }
  }
  return curve[curve.length - 1]!.value;
}
