import { describe, expect, it } from 'vitest';
import {
  buildMemoryOption,
  hasArenaData,
  niceByteStep,
  RSS_LINE_MAX_RATIO,
} from '../../../../renderer/charts/memory.js';
import type { Report } from '../../../../shared/report.js';
import { makeReport } from '../../../fixtures/make-report.js';
import { renderSvg, tooltipFor } from './render-helpers.js';

const report = makeReport({ layers: 1200 });

function markLineNames(option: ReturnType<typeof buildMemoryOption>): string[] {
  const series = (option.series as { markLine?: { data: { name: string }[] } }[])[0]!;
  return series.markLine?.data.map((d) => d.name) ?? [];
}

describe('buildMemoryOption', () => {
  it('has one point per layer in execution order, with its arena in use', () => {
    const option = buildMemoryOption(report);
    const data = (option.series as { data: (number | null)[][] }[])[0]!.data;
    expect(data).toHaveLength(report.layers.length);
    data.forEach((d, step) => {
      expect(d[0]).toBe(step);
      expect(d[1]).toBe(report.layers[d[2]!]!.arenaInUseBytes);
    });
  });

  it('marks the arena peak, and peak RSS only when it is on a comparable scale', () => {
    const peak = report.memory.arenaPeakBytes!;
    const near: Report = { ...report, memory: { ...report.memory, peakRssBytes: peak * 2 } };
    const far: Report = { ...report, memory: { ...report.memory, peakRssBytes: peak * (RSS_LINE_MAX_RATIO + 1) } };
    expect(markLineNames(buildMemoryOption(near)).some((n) => n.startsWith('peak RSS'))).toBe(true);
    expect(markLineNames(buildMemoryOption(far)).some((n) => n.startsWith('peak RSS'))).toBe(false);
    expect(markLineNames(buildMemoryOption(far)).some((n) => /^arena peak \d+(\.\d+)? (KiB|MiB)$/.test(n))).toBe(true);
  });

  it('marks the selected layer', () => {
    expect(markLineNames(buildMemoryOption(report, { selectedLayer: 5 }))).toContain('selected');
    expect(markLineNames(buildMemoryOption(report))).not.toContain('selected');
  });

  it('tooltips the step with bytes and renders with byte-unit axis labels', () => {
    const option = buildMemoryOption(report);
    const html = tooltipFor(option, [{ value: [3, 2 * 1024 * 1024, 3] }]);
    expect(html).toContain('2.00 MiB');
    expect(html).toContain('4 of 1200');
    expect(renderSvg(option, 1000, 360)).toMatch(/\d+(\.\d+)? MiB/);
  });

  it('knows when there is no arena data to draw', () => {
    expect(hasArenaData(report)).toBe(true);
    expect(hasArenaData(makeReport({ layers: 20, arena: false }))).toBe(false);
  });
});

describe('niceByteStep', () => {
  it('steps in powers of two of a binary unit, giving about five ticks', () => {
    expect(niceByteStep(18.5 * 1024 * 1024)).toBe(4 * 1024 * 1024);
    expect(niceByteStep(900)).toBe(256);
    expect(niceByteStep(3 * 1024 ** 3)).toBe(1024 ** 3);
    for (const max of [10, 1000, 123_456, 7e7, 5e9]) {
      const ticks = Math.ceil(max / niceByteStep(max));
      expect(ticks).toBeGreaterThanOrEqual(2);
      expect(ticks).toBeLessThanOrEqual(5);
    }
  });
});
