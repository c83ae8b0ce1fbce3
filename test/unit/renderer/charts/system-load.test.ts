import { describe, expect, it } from 'vitest';
import type { Report } from '../../../../shared/report.js';
import { buildSystemLoadOption, systemLoadSeries, temperatureRange } from '../../../../renderer/charts/system-load.js';
import { DARK_THEME } from '../../../../renderer/charts/theme.js';
import { makeReport } from '../../../fixtures/make-report.js';
import { renderSvg, tooltipFor } from './render-helpers.js';

const base = makeReport({ layers: 60, runs: 3 });
const first = base.system!.samples[0]!.epochMs;
// The profiled session began 1.5 s after the first sample; its runs 300 ms, 320 ms... into it.
const aligned: Report = {
  ...base,
  profiledStartEpochMs: first + 1500,
  runs: base.runs.map((r, i) => ({ ...r, startUs: 300_000 + i * 20_000 })),
};

describe('system load chart', () => {
  it('puts samples on the profiled session’s clock and the runs on it too', () => {
    const s = systemLoadSeries(aligned)!;
    expect(s.aligned).toBe(true);
    expect(s.cores).toBe(2);
    expect(s.cpu[0]![0]![0]).toBe(-1500);
    expect(s.cpu[1]).toHaveLength(base.system!.samples.length);
    expect(s.rss.length).toBe(base.system!.samples.filter((x) => x.workerRssBytes !== null).length);
    expect(s.runs[1]).toEqual({ startMs: 320, endMs: 320 + base.runs[1]!.durUs / 1000 });
  });

  it('falls back to the first sample’s time without a session start, marking no runs', () => {
    const s = systemLoadSeries(base)!;
    expect(s.aligned).toBe(false);
    expect(s.cpu[0]![0]![0]).toBe(0);
    expect(s.runs).toEqual([]);
    expect(systemLoadSeries(makeReport({ layers: 5, system: false }))).toBeNull();
    expect(buildSystemLoadOption(makeReport({ layers: 5, system: false }))).toBeNull();
  });

  it('draws a line per core and system memory on a 0–100% axis and worker RSS on a byte axis, the chosen run marked', () => {
    const option = buildSystemLoadOption(aligned, { runIndex: 2 })!;
    const series = option.series as {
      name: string;
      yAxisIndex: number;
      markLine?: { data: { name: string; xAxis: number }[] };
      markArea?: { data: { xAxis: number }[][] };
    }[];
    expect(series.map((s) => s.name)).toEqual(['core 0', 'core 1', 'system memory', 'worker RSS']);
    expect(series.map((s) => s.yAxisIndex)).toEqual([0, 0, 0, 1]);
    const marks = series[0]!.markLine!.data;
    expect(marks.find((m) => m.name === 'run 3')!.xAxis).toBe(340);
    expect(marks.find((m) => m.name === 'profiled session')!.xAxis).toBe(0);
    const band = series[0]!.markArea!.data[0]!;
    expect(band[0]!.xAxis).toBe(300);
    expect(band[1]!.xAxis).toBeCloseTo(340 + base.runs[2]!.durUs / 1000, 9);
    const axes = option.yAxis as { max: number; position: string; axisLine: { onZero: boolean } }[];
    expect(axes[0]!.max).toBe(100);
    // Each axis at its own edge: on the x axis' 0 both would draw their names at the same spot.
    expect(axes.map((a) => [a.position, a.axisLine.onZero])).toEqual([
      ['left', false],
      ['right', false],
    ]);
  });

  it('tooltips time relative to the session and each value with its unit, and renders', () => {
    const option = buildSystemLoadOption(aligned)!;
    const html = tooltipFor(option, [
      { seriesName: 'core 0', value: [-200, 63] },
      { seriesName: 'worker RSS', value: [-200, 150 * 1024 * 1024] },
    ]);
    expect(html).toContain('before the profiled session began');
    expect(html).toContain('63%');
    expect(html).toContain('150 MiB');
    const svg = renderSvg(option, 1000, 220);
    expect(svg).toContain('core 1');
    expect(svg).toMatch(/\d+%/);
    expect(svg).toMatch(/\d+ MiB/);
  });
});

describe('system memory and temperature', () => {
  it('draws memory in use as a share of all memory on the CPU axis, and its tooltip in bytes', () => {
    const s = systemLoadSeries(aligned)!;
    expect(s.memory).toHaveLength(aligned.system!.samples.length);
    expect(s.memory[0]![1]).toBeCloseTo(37.5, 6); // 3 GiB of 8 GiB
    const option = buildSystemLoadOption(aligned)!;
    const series = option.series as { name: string; yAxisIndex: number }[];
    expect(series.find((x) => x.name === 'system memory')!.yAxisIndex).toBe(0);
    const tip = tooltipFor(option, [{ seriesName: 'system memory', value: s.memory[0] }]);
    expect(tip).toContain('37.5% of 8.00 GiB');
  });

  it('says there is no temperature where the machine exposes none, and gives the range where it does', () => {
    expect(temperatureRange(aligned)).toBeNull();
    expect(systemLoadSeries(aligned)!.temperature).toEqual([]);
    const warm: Report = {
      ...aligned,
      system: {
        ...aligned.system!,
        samples: aligned.system!.samples.map((x, i) => ({ ...x, temperatureC: 50 + (i % 7) })),
      },
    };
    expect(temperatureRange(warm)).toEqual({ minC: 50, maxC: 56 });
    const s = systemLoadSeries(warm)!;
    const tip = tooltipFor(buildSystemLoadOption(warm)!, [{ seriesName: 'core 0', value: s.cpu[0]![3] }]);
    expect(tip).toMatch(/CPU temperature<\/td><td>5\d °C/);
  });

  it('colours worker memory apart from every core, in both schemes', () => {
    for (const theme of [undefined, DARK_THEME]) {
      const series = buildSystemLoadOption(aligned, { theme })!.series as {
        name: string;
        lineStyle: { color: string };
      }[];
      const rss = series.find((x) => x.name === 'worker RSS')!.lineStyle.color;
      const cores = series.filter((x) => x.name.startsWith('core ')).map((x) => x.lineStyle.color);
      expect(cores).not.toContain(rss);
    }
  });
});
