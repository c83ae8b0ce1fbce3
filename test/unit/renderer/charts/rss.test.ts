import { describe, expect, it } from 'vitest';
import { buildRssOption, rssPoints } from '../../../../renderer/charts/rss.js';
import { makeReport } from '../../../fixtures/make-report.js';
import { renderSvg, tooltipFor } from './render-helpers.js';

describe('buildRssOption', () => {
  const report = makeReport({ layers: 100 });

  it('plots every sample with a worker RSS, in ms from the first sample', () => {
    const samples = report.system!.samples;
    const points = rssPoints(report);
    expect(points).toHaveLength(samples.filter((s) => s.workerRssBytes !== null).length);
    expect(points.length).toBeLessThan(samples.length); // the first sample has no RSS yet
    for (const [ms, bytes] of points) {
      const sample = samples.find((s) => s.epochMs - samples[0]!.epochMs === ms)!;
      expect(bytes).toBe(sample.workerRssBytes);
    }
  });

  it('marks peak RSS and labels bytes and time with units', () => {
    const option = buildRssOption(report)!;
    const series = (option.series as { markLine: { data: { name: string; yAxis: number }[] } }[])[0]!;
    expect(series.markLine.data[0]!.yAxis).toBe(report.memory.peakRssBytes);
    expect(series.markLine.data[0]!.name).toBe('peak RSS 180 MiB');
    expect(tooltipFor(option, [{ value: [250, 150 * 1024 * 1024] }])).toContain('150 MiB');
    const svg = renderSvg(option, 900, 300);
    expect(svg).toMatch(/\d+ MiB/);
    expect(svg).toMatch(/\d+(\.\d+)? (ms|s)/);
  });

  it('is null when the report has no system samples', () => {
    expect(buildRssOption(makeReport({ layers: 10, system: false }))).toBeNull();
  });
});
