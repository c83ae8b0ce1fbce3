import { describe, expect, it } from 'vitest';
import type { Report } from '../../../../shared/report.js';
import { DARK_THEME, LIGHT_THEME } from '../../../../renderer/charts/theme.js';
import {
  buildWorkingSetOption,
  cacheLevelColor,
  CACHE_LEVELS,
  countByLevel,
  formatByteTick,
  powerOf4Range,
  WORKING_SET_DIM,
  workingSetRows,
} from '../../../../renderer/charts/working-set.js';
import { makeReport } from '../../../fixtures/make-report.js';
import { firstSeries, renderSvg, tooltipFor } from './render-helpers.js';

const report = makeReport({ layers: 200 });

// A report whose layers span every level, with one layer lacking byte counts.
function spanningReport(): Report {
  const base = makeReport({ layers: 5 });
  const sizes = [20_000, 500_000, 8_000_000, 200_000_000, 0];
  const levels = ['L1', 'L2', 'L3', 'DRAM', 'L1'] as const;
  return {
    ...base,
    layers: base.layers.map((l, i) => ({
      ...l,
      parameterBytes: sizes[i]!,
      activationBytes: 0,
      outputBytes: 0,
      workingSetBytes: sizes[i]!,
      cacheLevel: levels[i]!,
    })),
  };
}

describe('working set chart', () => {
  it('has one bar per layer with bytes, in execution order, carrying its layer index', () => {
    const r = spanningReport();
    const rows = workingSetRows(r);
    expect(rows.map((row) => row.layer)).toEqual([0, 1, 2, 3]); // the zero-byte layer has no bar
    const data = firstSeries(buildWorkingSetOption(r)).data as { value: number[] }[];
    expect(data.map((d) => d.value[WORKING_SET_DIM.bytes])).toEqual([20_000, 500_000, 8_000_000, 200_000_000]);
    expect(data.map((d) => d.value[WORKING_SET_DIM.layer])).toEqual([0, 1, 2, 3]);
  });

  it('colours bars by cache level and the selected bar with the accent', () => {
    const r = spanningReport();
    const data = firstSeries(buildWorkingSetOption(r, { selectedLayer: 2, theme: DARK_THEME })).data as {
      itemStyle: { color: string };
    }[];
    expect(data[0]!.itemStyle.color).toBe(cacheLevelColor('L1', DARK_THEME));
    expect(data[3]!.itemStyle.color).toBe(cacheLevelColor('DRAM', DARK_THEME));
    expect(data[2]!.itemStyle.color).toBe(DARK_THEME.accent);
    expect(new Set(CACHE_LEVELS.map((l) => cacheLevelColor(l, LIGHT_THEME))).size).toBe(4);
  });

  it('draws the L1d, L2 and L3 sizes of the report as lines on a log axis that holds them', () => {
    const option = buildWorkingSetOption(report);
    const caches = report.device.caches!;
    const lines = (firstSeries(option).markLine as { data: { name: string; yAxis: number }[] }).data;
    expect(lines.map((l) => l.yAxis)).toEqual([caches.l1d, caches.l2, caches.l3]);
    expect(lines.map((l) => l.name)).toEqual(['L1d 32 KiB', 'L2 1 MiB', 'L3 32 MiB']);
    const y = option.yAxis as { type: string; min: number; max: number };
    expect(y.type).toBe('log');
    expect(y.min).toBeLessThanOrEqual(Math.min(...workingSetRows(report).map((r) => r.bytes)));
    expect(y.max).toBeGreaterThanOrEqual(caches.l3);
  });

  it('has no cache lines when the machine’s caches are unknown', () => {
    const { caches: _, ...device } = report.device;
    const option = buildWorkingSetOption({ ...report, device });
    expect(firstSeries(option).markLine).toBeUndefined();
  });

  it('counts layers and time per level', () => {
    const counts = countByLevel(spanningReport());
    expect(counts.L1.layers).toBe(2);
    expect(counts.DRAM.layers).toBe(1);
    const all = countByLevel(report);
    expect(CACHE_LEVELS.reduce((s, l) => s + all[l].layers, 0)).toBe(report.layers.length);
    expect(all.L2.meanUs).toBeCloseTo(
      report.layers.filter((l) => l.cacheLevel === 'L2').reduce((s, l) => s + l.meanUs, 0),
      6,
    );
  });

  it('gives a control-flow layer only its own time, not that of the subgraph run inside it', () => {
    const [a, b] = report.layers;
    const nested = {
      ...report,
      layers: [
        { ...a!, index: 0, name: '/If', meanUs: 100, cacheLevel: 'L1' as const, parent: undefined },
        { ...b!, index: 1, name: '/then/MatMul', meanUs: 80, cacheLevel: 'DRAM' as const, parent: '/If' },
      ],
    };
    const counts = countByLevel(nested);
    expect(counts.L1.meanUs).toBe(20);
    expect(counts.DRAM.meanUs).toBe(80);
  });

  it('labels byte ticks in whole binary units and brackets values by powers of 4', () => {
    expect(formatByteTick(1024)).toBe('1 KiB');
    expect(formatByteTick(64 * 1024)).toBe('64 KiB');
    expect(formatByteTick(4 ** 13)).toBe('64 MiB');
    expect(formatByteTick(1000)).toBe('1000 B');
    expect(powerOf4Range([20_000, 200_000_000])).toEqual([4 ** 7, 4 ** 14]);
  });

  it('tooltips the working set, the level and the layer', () => {
    const r = spanningReport();
    const html = tooltipFor(buildWorkingSetOption(r), { value: [3, 200_000_000, 3] });
    expect(html).toContain('191 MiB');
    expect(html).toContain('DRAM');
    expect(html).toContain(r.layers[3]!.opType);
  });

  it('renders with ECharts, cache lines labelled, and zooms when there are many layers', () => {
    const option = buildWorkingSetOption(report);
    expect((option.dataZoom as unknown[]).length).toBe(2);
    const svg = renderSvg(option, 1000, 300);
    expect(svg).toContain('L2 1 MiB');
    expect(svg).toMatch(/\d+ KiB/);
  });
});
