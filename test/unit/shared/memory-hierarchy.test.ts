import { describe, expect, it } from 'vitest';
import { bandwidthAt, hierarchyLevels } from '../../../shared/memory-hierarchy.js';
import type { MemoryHierarchy } from '../../../shared/report.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const sizes = [4, 16, 32, 64, 256, 1024, 2048, 8192, 65536].map((k) => k * KiB);
// L1 to 32 KiB at 1 ns / 200 GB/s, L2 to 1 MiB at 4 ns / 100 GB/s, then DRAM at 80 ns / 20 GB/s.
const latency = [1, 1, 1, 4, 4, 4, 60, 80, 80];
const bandwidth = [200, 200, 200, 100, 100, 100, 40, 20, 20];
const hierarchy: MemoryHierarchy = {
  measuredAt: '2026-11-28T00:00:00.000Z',
  latencyNs: sizes.map((bytes, i) => ({ bytes, value: latency[i]! })),
  bandwidthGBs: sizes.map((bytes, i) => ({ bytes, value: bandwidth[i]! })),
  boundaries: [32 * KiB, MiB],
  durationMs: 3000,
  otherCpuPercent: 2,
  busy: false,
  disagreements: [],
};

describe('levels of a measured staircase', () => {
  it('takes each level’s median latency and bandwidth, and DRAM well past the last cache', () => {
    const levels = hierarchyLevels(hierarchy, { l1d: 32 * KiB, l1i: 0, l2: MiB, l3: 0, source: 'measured' });
    expect(levels).toEqual([
      { name: 'L1d', bytes: 32 * KiB, latencyNs: 1, bandwidthGBs: 200 },
      { name: 'L2', bytes: MiB, latencyNs: 4, bandwidthGBs: 100 },
      // Past 4 MiB only: the 2 MiB point sits on L2's edge.
      { name: 'DRAM', bytes: null, latencyNs: 80, bandwidthGBs: 20 },
    ]);
  });

  it('names the measured boundaries when no sizes were placed', () => {
    expect(hierarchyLevels(hierarchy, undefined).map((l) => l.name)).toEqual(['L1', 'L2', 'DRAM']);
  });

  it('interpolates the delivered bandwidth on a log scale and clamps at the ends', () => {
    expect(bandwidthAt(hierarchy, 32 * KiB)).toBe(200);
    expect(bandwidthAt(hierarchy, Math.sqrt(32 * 64) * KiB)).toBeCloseTo(150, 9);
    expect(bandwidthAt(hierarchy, 1)).toBe(200);
    expect(bandwidthAt(hierarchy, 1024 * MiB)).toBe(20);
    expect(bandwidthAt({ ...hierarchy, bandwidthGBs: [] }, 1000)).toBeNull();
  });
});
