import { describe, expect, it } from 'vitest';
import { cacheLevelFor, workingSetBytes } from '../../../../../electron/core/profile/cache-fit.js';
import { parseSysfsSize } from '../../../../../electron/core/profile/cache-sizes.js';
import { buildRoofline } from '../../../../../electron/core/profile/roofline.js';
import type { CacheSizes, LayerStats } from '../../../../../shared/report.js';

const CACHES: CacheSizes = { l1d: 48 * 1024, l1i: 32 * 1024, l2: 1024 * 1024, l3: 32 * 1024 * 1024, source: 'sysfs' };

function layer(index: number, fields: Partial<LayerStats>): LayerStats {
  return {
    index,
    name: `n${index}`,
    opType: 'MatMul',
    modulePath: '',
    provider: 'CPUExecutionProvider',
    inputShapes: [],
    outputShapes: [],
    inputTypes: [],
    calls: 1,
    meanUs: 10,
    p50Us: 10,
    p90Us: 10,
    minUs: 10,
    maxUs: 10,
    share: 0,
    firstStartUs: 0,
    flops: null,
    gflopsPerSec: null,
    activationBytes: 0,
    parameterBytes: 0,
    outputBytes: 0,
    arenaInUseBytes: null,
    gpuUs: null,
    ...fields,
  };
}

describe('cache fit', () => {
  it('reads sysfs sizes', () => {
    expect(parseSysfsSize('48K')).toBe(49152);
    expect(parseSysfsSize('32768K')).toBe(32 * 1024 * 1024);
    expect(parseSysfsSize('2M')).toBe(2 * 1024 * 1024);
  });

  it('puts the MLP weights of issue 5 in L1, L2, L3, DRAM and L3 on a 48K/1M/32M core', () => {
    const weights = [16e3, 64e3, 2e6, 128e6, 4e6];
    const levels = weights.map((w) =>
      cacheLevelFor(workingSetBytes({ parameterBytes: w, activationBytes: 1024, outputBytes: 1024 }), CACHES),
    );
    expect(levels).toEqual(['L1', 'L2', 'L3', 'DRAM', 'L3']);
  });
});

describe('roofline', () => {
  const ceilings = { peakGflops: 100, memBandwidthGBs: 20, threads: 2, measuredAt: '2026-11-24T00:00:00Z' };

  it('labels low-intensity layers memory-bound and high-intensity ones compute-bound', () => {
    const relu = layer(0, { opType: 'Relu', flops: 1e6, activationBytes: 4e6, outputBytes: 4e6, meanUs: 1000 });
    const matmul = layer(1, {
      flops: 2 * 512 ** 3,
      parameterBytes: 512 * 512 * 4,
      activationBytes: 512 * 512 * 4,
      outputBytes: 512 * 512 * 4,
      meanUs: 5000,
    });
    const roofline = buildRoofline([relu, matmul, layer(2, { flops: null })], ceilings);
    expect(roofline.ridgeIntensity).toBe(5);
    expect(roofline.points).toHaveLength(2);
    const [r, m] = roofline.points;
    expect(r!.boundBy).toBe('memory');
    expect(r!.intensity).toBeCloseTo(0.125, 9);
    expect(r!.roofGflops).toBeCloseTo(2.5, 9);
    expect(r!.achievedGflops).toBeCloseTo(1, 9); // 1e6 FLOP in 1 ms
    expect(m!.boundBy).toBe('compute');
    expect(m!.roofGflops).toBe(100);
    expect(m!.efficiency).toBeCloseTo((2 * 512 ** 3) / 5e6 / 100, 9);
  });
});
