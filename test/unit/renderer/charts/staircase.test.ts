import { describe, expect, it } from 'vitest';
import type { MemoryHierarchy, Report } from '../../../../shared/report.js';
import { buildStaircaseOption, STAIRCASE_DIM, staircaseLayers } from '../../../../renderer/charts/staircase.js';
import { makeReport } from '../../../fixtures/make-report.js';

const KiB = 1024;
const sizes = [4, 16, 64, 256, 1024, 4096, 65536].map((k) => k * KiB);
const hierarchy: MemoryHierarchy = {
  measuredAt: '2026-11-28T00:00:00.000Z',
  latencyNs: sizes.map((bytes, i) => ({ bytes, value: [1.5, 1.5, 4, 4, 12, 80, 120][i]! })),
  bandwidthGBs: sizes.map((bytes, i) => ({ bytes, value: [200, 200, 150, 150, 90, 30, 25][i]! })),
  boundaries: [16 * KiB, 256 * KiB, 1024 * KiB],
  durationMs: 2500,
  otherCpuPercent: 1,
  busy: false,
  disagreements: [],
};

function withHierarchy(): Report {
  const base = makeReport({ layers: 40 });
  return {
    ...base,
    device: {
      ...base.device,
      caches: { l1d: 16 * KiB, l1i: 0, l2: 256 * KiB, l3: 0, source: 'measured' },
      memoryHierarchy: hierarchy,
    },
    layers: base.layers.map((l) => ({ ...l, workingSetBytes: l.parameterBytes + l.activationBytes + l.outputBytes })),
  };
}

describe('the staircase chart', () => {
  it('draws latency and bandwidth at every measured size, with the placed cache sizes marked', () => {
    const option = buildStaircaseOption(withHierarchy())!;
    const series = option.series as {
      name: string;
      data: unknown[];
      markLine?: { data: { name: string; xAxis: number }[] };
    }[];
    expect(series.map((s) => s.name)).toEqual(['load latency', 'copy bandwidth', 'layers']);
    expect(series[0]!.data).toEqual(hierarchy.latencyNs.map((p) => [p.bytes, p.value]));
    expect(series[1]!.data).toEqual(hierarchy.bandwidthGBs.map((p) => [p.bytes, p.value]));
    expect(series[0]!.markLine!.data.map((d) => [d.name, d.xAxis])).toEqual([
      ['L1d 16 KiB', 16 * KiB],
      ['L2 256 KiB', 256 * KiB],
    ]);
  });

  it('places each layer at its working set and the rate it moved it, next to what the machine delivers there', () => {
    const report = withHierarchy();
    const rows = staircaseLayers(report);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const layer = report.layers[row.layer]!;
      expect(row.bytes).toBe(layer.workingSetBytes);
      expect(row.achievedGBs).toBeCloseTo(layer.workingSetBytes! / (layer.meanUs * 1e3), 9);
      expect(row.machineGBs).toBeGreaterThanOrEqual(25);
      expect(row.machineGBs).toBeLessThanOrEqual(200);
    }
    const points = (buildStaircaseOption(report)!.series as { data: { value: number[] }[] }[])[2]!.data;
    expect(points.map((p) => p.value[STAIRCASE_DIM.layer])).toEqual(rows.map((r) => r.layer));
  });

  it('has nothing to draw for a report without a measured hierarchy', () => {
    expect(buildStaircaseOption(makeReport({ layers: 5 }))).toBeNull();
  });
});
