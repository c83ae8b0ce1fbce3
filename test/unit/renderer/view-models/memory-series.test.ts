import { describe, expect, it } from 'vitest';
import { buildArenaSeries, executionOrder } from '../../../../renderer/view-models/memory-series.js';
import { makeReport } from '../../../fixtures/make-report.js';

describe('buildArenaSeries', () => {
  it('has one step per layer in order of first start, with that layer’s arena', () => {
    const report = makeReport({ layers: 400 });
    // Shuffle the start times so execution order differs from index order.
    const layers = report.layers.map((l) => ({ ...l, firstStartUs: (l.index * 7919) % 400 }));
    const series = buildArenaSeries(layers);
    expect(series).toHaveLength(layers.length);
    expect(new Set(series.map((s) => s.layer)).size).toBe(layers.length);
    for (let i = 1; i < series.length; i++) {
      expect(layers[series[i]!.layer]!.firstStartUs).toBeGreaterThanOrEqual(layers[series[i - 1]!.layer]!.firstStartUs);
      expect(series[i]!.step).toBe(i);
    }
    for (const s of series) expect(s.arenaInUseBytes).toBe(layers[s.layer]!.arenaInUseBytes);
  });

  it('keeps null where ORT reported no arena, and breaks ties by index', () => {
    const report = makeReport({ layers: 10, arena: false });
    const tied = report.layers.map((l) => ({ ...l, firstStartUs: 0 }));
    expect(executionOrder(tied)).toEqual(tied.map((l) => l.index));
    expect(buildArenaSeries(tied).every((s) => s.arenaInUseBytes === null)).toBe(true);
  });
});
