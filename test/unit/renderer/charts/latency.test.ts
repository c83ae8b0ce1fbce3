import { describe, expect, it } from 'vitest';
import { buildLatencyHistogramOption } from '../../../../renderer/charts/latency-histogram.js';
import { buildRunLineOption, RUN_LINE_SERIES } from '../../../../renderer/charts/run-line.js';
import { makeReport } from '../../../fixtures/make-report.js';
import { renderSvg, tooltipFor } from './render-helpers.js';

const report = makeReport({ layers: 200, samples: 120 });

describe('buildLatencyHistogramOption', () => {
  it('has bars whose counts sum to the number of timed runs', () => {
    const option = buildLatencyHistogramOption(report);
    const bars = (option.series as { data: number[] }[])[0]!.data;
    expect(bars.reduce((s, c) => s + c, 0)).toBe(report.latency.samplesMs.length);
    expect((option.xAxis as { data: string[] }).data).toHaveLength(bars.length);
  });

  it('labels bins as ms ranges and tooltips the run count', () => {
    const option = buildLatencyHistogramOption(report);
    const labels = (option.xAxis as { data: string[] }).data;
    expect(labels.every((l) => / ms – .* ms$/.test(l))).toBe(true);
    expect(tooltipFor(option, { dataIndex: 0 })).toMatch(/\d+ runs?/);
    expect(renderSvg(option, 600, 260)).toMatch(/\d+(\.\d+)? ms/);
  });
});

describe('buildRunLineOption', () => {
  it('plots every timed run in order and the cold run apart, at run 0, with its own symbol', () => {
    const option = buildRunLineOption(report);
    const series = option.series as {
      name: string;
      type: string;
      data: number[][];
      symbol?: string;
      itemStyle: { color: string };
    }[];
    const timed = series.find((s) => s.name === RUN_LINE_SERIES.timed)!;
    const cold = series.find((s) => s.name === RUN_LINE_SERIES.cold)!;
    expect(timed.data.map((d) => d[1])).toEqual(report.latency.samplesMs);
    expect(timed.data.map((d) => d[0])).toEqual(report.latency.samplesMs.map((_, i) => i + 1));
    expect(cold.data).toEqual([[0, report.latency.coldMs]]);
    expect(cold.symbol).toBe('diamond');
    expect(cold.itemStyle.color).not.toBe((timed as unknown as { itemStyle: { color: string } }).itemStyle.color);
  });

  it('names the cold run in its tooltip and label, in ms', () => {
    const option = buildRunLineOption(report);
    expect(tooltipFor(option, { seriesName: RUN_LINE_SERIES.cold, value: [0, 12.5] })).toContain('Cold run');
    expect(tooltipFor(option, { seriesName: RUN_LINE_SERIES.timed, value: [3, 1.234] })).toContain('1.23 ms');
    const svg = renderSvg(option, 600, 260);
    expect(svg).toContain('cold ');
    expect(svg).toMatch(/p50 \d+(\.\d+)? ms/);
  });
});
