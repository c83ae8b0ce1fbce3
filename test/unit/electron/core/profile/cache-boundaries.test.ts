import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MemoryCurvePoint } from '../../../../../shared/report.js';
import { findCacheBoundaries } from '../../../../../electron/core/profile/cache-boundaries.js';
import { REPO } from '../../../../fixtures/paths.js';

const curve = (name: string) =>
  JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'machines', `${name}.json`), 'utf8')) as MemoryCurvePoint[];
const KiB = 1024;

// A synthetic staircase: `levels` of [last size on the plateau, ns], then DRAM.
function staircase(levels: [number, number][], dramNs: number): MemoryCurvePoint[] {
  const points: MemoryCurvePoint[] = [];
  for (let bytes = 4 * KiB; bytes <= 256 * KiB * KiB; bytes *= Math.SQRT2) {
    const level = levels.find(([size]) => bytes <= size * 1.0001);
    points.push({ bytes: Math.round(bytes), value: level ? level[1] : dramNs });
  }
  return points;
}

describe('cache boundaries in a measured latency curve', () => {
  it('finds L1d, L2 and a third level on a recorded EPYC VM curve', () => {
    const found = findCacheBoundaries(curve('epyc-vm-quiet'));
    expect(found.map((b) => Math.round(b / KiB))).toEqual([45, 861, 4096]);
  });

  it('is not fooled by a bump that comes back down, on a curve recorded under load', () => {
    const found = findCacheBoundaries(curve('epyc-vm-loaded'));
    // The 10-16 KiB bump (2.3-3.1 ns over a 1.6 ns plateau) returns under 1.75x within an octave.
    expect(found[0]).toBe(curve('epyc-vm-loaded').find((p) => Math.round(p.bytes / KiB) === 45)!.bytes);
    expect(Math.round(found[1]! / KiB)).toBe(861);
  });

  it('is not fooled by the 4-16 KiB bump an idle EPYC VM shows over its L1 plateau', () => {
    // Recorded on the idle VM: 1.66 ns at 4 KiB, up to 3.84 ns at 8 KiB, back to 2.15 ns by 45 KiB.
    const head =
      '4:1.66 5:2.34 6:2.95 7:3.44 8:3.84 10:3.64 11:3.19 13:2.95 16:2.74 19:2.57 23:2.72 27:2.30 32:2.19 38:2.22 45:2.15 54:4.77 64:4.40 76:4.69 91:4.69 108:4.38 128:4.36 152:4.37 181:4.39 215:4.66 256:4.38 304:4.38 362:4.40 431:4.69 512:5.07 609:5.22';
    const sizes = curve('epyc-vm-quiet').map((p) => p.bytes);
    const values = head.split(' ').map((t) => Number(t.split(':')[1]));
    const points = curve('epyc-vm-quiet').map((p, i) =>
      i < values.length ? { bytes: sizes[i]!, value: values[i]! } : p,
    );
    const found = findCacheBoundaries(points);
    expect(Math.round(found[0]! / KiB)).toBe(45);
    expect(Math.round(found[1]! / KiB)).toBe(861);
  });

  it('reads a clean staircase exactly', () => {
    const points = staircase(
      [
        [32 * KiB, 1],
        [512 * KiB, 4],
        [16 * KiB * KiB, 12],
      ],
      90,
    );
    const last = (limit: number) => Math.max(...points.filter((p) => p.bytes <= limit * 1.0001).map((p) => p.bytes));
    expect(findCacheBoundaries(points)).toEqual([last(32 * KiB), last(512 * KiB), last(16 * KiB * KiB)]);
  });

  it('takes no slow climb for a cache: DRAM latency rising with TLB misses over octaves', () => {
    const points = staircase([[32 * KiB, 1]], 80).map((p) =>
      p.bytes > 32 * KiB ? { ...p, value: 3 * (p.bytes / (64 * KiB)) ** 0.35 + 3 } : p,
    );
    // One sharp step out of L1, then a steady 25%-per-octave climb: no second boundary.
    expect(findCacheBoundaries(points)).toHaveLength(1);
  });

  it('ignores a one-point spike', () => {
    const points = staircase(
      [
        [32 * KiB, 1],
        [1024 * KiB, 4],
      ],
      90,
    );
    const spiked = points.map((p, i) => (i === 3 ? { ...p, value: 9 } : p));
    expect(findCacheBoundaries(spiked)).toEqual(findCacheBoundaries(points));
  });

  it('returns at most three levels and nothing for a flat or empty curve', () => {
    expect(findCacheBoundaries(staircase([], 5))).toEqual([]);
    expect(findCacheBoundaries([])).toEqual([]);
    const many = staircase(
      [
        [16 * KiB, 1],
        [128 * KiB, 3],
        [1024 * KiB, 9],
        [8192 * KiB, 27],
      ],
      81,
    );
    expect(findCacheBoundaries(many)).toHaveLength(3);
  });
});
