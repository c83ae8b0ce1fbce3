import { describe, expect, it } from 'vitest';
import { measureBandwidth, measureLatency, sweepSizes } from '../../../../../electron/core/profile/memory-sweep.js';

describe('the memory sweep', () => {
  it('covers 4 KiB to 256 MiB, four sizes an octave up to 8 MiB, fewer beyond, in whole lines', () => {
    const sizes = sweepSizes();
    expect(sizes[0]).toBe(4096);
    expect(sizes[sizes.length - 1]).toBe(256 * 1024 ** 2);
    expect(sizes.every((b) => b % 64 === 0)).toBe(true);
    expect(sizes.filter((b) => b >= 4096 && b < 8192)).toHaveLength(4);
    expect(sizes.filter((b) => b >= 8 * 1024 ** 2 && b < 16 * 1024 ** 2)).toHaveLength(2);
    expect(sizes.filter((b) => b >= 64 * 1024 ** 2 && b < 128 * 1024 ** 2)).toHaveLength(1);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]!).toBeGreaterThan(sizes[i - 1]!);
  });

  it('measures a latency and a bandwidth at every size it is given, and reports each size done', () => {
    const sizes = [4096, 16384, 65536];
    const done: number[] = [];
    const latency = measureLatency(sizes, { passes: 1, onSize: (n) => done.push(n) });
    expect(latency.map((p) => p.bytes)).toEqual(sizes);
    expect(latency.every((p) => Number.isFinite(p.value) && p.value > 0)).toBe(true);
    expect(done).toEqual([1, 2, 3]);
    const bandwidth = measureBandwidth(sizes, { passes: 1 });
    expect(bandwidth.map((p) => p.bytes)).toEqual(sizes);
    expect(bandwidth.every((p) => Number.isFinite(p.value) && p.value > 0)).toBe(true);
  });
});
