import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ceilings, LayerStats } from '../../../../../shared/report.js';
import { raiseCeilingsSeen } from '../../../../../electron/core/profile/ceilings.js';
import { makeReport } from '../../../../fixtures/make-report.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-ceilings-test-'));
const previous = process.env.STRATA_CONFIG_DIR;
beforeAll(() => {
  process.env.STRATA_CONFIG_DIR = dir;
});
afterAll(() => {
  if (previous === undefined) delete process.env.STRATA_CONFIG_DIR;
  else process.env.STRATA_CONFIG_DIR = previous;
  rmSync(dir, { recursive: true, force: true });
});

const machine = { cpu: 'Test CPU', threads: 2, onnxruntimeVersion: '1.30.0' };
const ceilings: Ceilings = { peakGflops: 50, memBandwidthGBs: 10, threads: 2, measuredAt: '2026-11-01T00:00:00.000Z' };
const base = makeReport({ layers: 4 }).layers[0]!;
const layer = (change: Partial<LayerStats>): LayerStats => ({ ...base, parent: undefined, ...change }) as LayerStats;

describe('ceilings raised to what a profile reached', () => {
  it('keeps ceilings no layer beats, and writes nothing', async () => {
    const slow = layer({ flops: 1e6, meanUs: 100, cacheLevel: 'DRAM', workingSetBytes: 1e5 }); // 10 GFLOP/s, 1 GB/s
    expect(await raiseCeilingsSeen(ceilings, [slow], machine)).toEqual({ ceilings, note: null });
  });

  it('raises the peak to a layer that computed faster, and caches it with a note', async () => {
    const fast = layer({ flops: 8e6, meanUs: 100 }); // 80 GFLOP/s against a cached 50
    const { ceilings: raised, note } = await raiseCeilingsSeen(ceilings, [fast], machine);
    expect(raised.peakGflops).toBeCloseTo(80, 9);
    expect(raised.memBandwidthGBs).toBe(10);
    expect(note).toMatch(new RegExp(`float32 peak 50\\.0 GFLOP/s → 80\\.0 GFLOP/s by ${fast.name}`));
    expect(raised.raised).toEqual([
      { ceiling: 'peakGflops', from: 50, to: raised.peakGflops, layer: fast.name, at: expect.any(String) },
    ]);
    const cached = JSON.parse(readFileSync(join(dir, 'ceilings.json'), 'utf8')) as Record<string, Ceilings>;
    expect(cached['Test CPU|threads=2|ort=1.30.0']!.peakGflops).toBeCloseTo(80, 9);
  });

  it('raises bandwidth only from layers whose working set is past every cache', async () => {
    const inCache = layer({ flops: null, meanUs: 10, cacheLevel: 'L2', workingSetBytes: 1e6 }); // 100 GB/s from L2: no proof
    expect((await raiseCeilingsSeen(ceilings, [inCache], machine)).note).toBeNull();
    const dram = layer({ flops: null, meanUs: 1000, cacheLevel: 'DRAM', workingSetBytes: 2e7 }); // 20 GB/s from DRAM
    const { ceilings: raised, note } = await raiseCeilingsSeen(ceilings, [dram], machine);
    expect(raised.memBandwidthGBs).toBeCloseTo(20, 9);
    expect(note).toMatch(/bandwidth 10\.0 GB\/s → 20\.0 GB\/s by /);
  });

  it('raises the int8 ceiling, never the float32 one, from an int8 layer', async () => {
    const withInt8: Ceilings = { ...ceilings, peakInt8Gops: 200 };
    const int8 = layer({ opType: 'MatMulInteger', flops: 3e7, meanUs: 100 }); // 300 GOP/s: above both roofs
    const { ceilings: raised, note } = await raiseCeilingsSeen(withInt8, [int8], machine);
    expect(raised.peakGflops).toBe(50);
    expect(raised.peakInt8Gops).toBeCloseTo(300, 9);
    expect(note).toMatch(/int8 peak 200 GOP\/s → 300 GOP\/s by /);
    // A float layer at 100 GFLOP/s raises the float roof and leaves the int8 one alone.
    const { ceilings: again } = await raiseCeilingsSeen(
      raised,
      [layer({ opType: 'MatMul', flops: 1e7, meanUs: 100 })],
      machine,
    );
    expect(again.peakGflops).toBeCloseTo(100, 9);
    expect(again.peakInt8Gops).toBeCloseTo(300, 9);
    expect(again.raised!.map((r) => r.ceiling).sort()).toEqual(['peakGflops', 'peakInt8Gops']);
  });
});
