import { describe, expect, it } from 'vitest';
import { buildTimelineOption, TIMELINE_DIM, timelineChartHeight } from '../../../../renderer/charts/timeline.js';
import { LIGHT_THEME } from '../../../../renderer/charts/theme.js';
import { makeReport } from '../../../fixtures/make-report.js';
import { firstSeries, renderItems, renderSvg, tooltipFor } from './render-helpers.js';

const report = makeReport({ layers: 1200, threads: 2, runs: 3 });

describe('buildTimelineOption', () => {
  it('has one box per event of the chosen run and one lane per distinct thread', () => {
    for (let runIndex = 0; runIndex < report.runs.length; runIndex++) {
      const run = report.runs[runIndex]!;
      const option = buildTimelineOption(report, runIndex);
      const data = firstSeries(option).data as number[][];
      expect(data).toHaveLength(run.events.length);
      const lanes = (option.yAxis as { data: string[] }).data;
      expect(lanes).toHaveLength(new Set(run.events.map((e) => e.tid)).size);
      for (const d of data) {
        const event = run.events[d[TIMELINE_DIM.event]!]!;
        expect(d[TIMELINE_DIM.layer]).toBe(event.layer);
        expect(lanes[d[TIMELINE_DIM.lane]!]).toBe(`thread ${event.tid}`);
      }
    }
  });

  it('zooms and pans with the wheel, a drag and a slider', () => {
    const zooms = buildTimelineOption(report, 0).dataZoom as { type: string }[];
    expect(zooms.map((z) => z.type).sort()).toEqual(['inside', 'slider']);
  });

  it('draws boxes on their lanes and outlines every call of the selected layer', () => {
    const selected = 10; // every 5th layer also runs on the pool thread: two calls
    const option = buildTimelineOption(report, 1, { selectedLayer: selected, theme: LIGHT_THEME });
    const endUs = (option.xAxis as { max: number }).max;
    const rects = renderItems(option, ([x, lane]) => [(x! / endUs) * 1000, 22 + lane! * 44], 44);
    const data = firstSeries(option).data as number[][];
    const outlined = rects.filter((r) => r?.style.stroke === LIGHT_THEME.accent);
    expect(outlined).toHaveLength(data.filter((d) => d[TIMELINE_DIM.layer] === selected).length);
    expect(outlined.length).toBe(2);
    rects.forEach((r, i) => {
      expect(r).not.toBeNull();
      const lane = data[i]![TIMELINE_DIM.lane]!;
      expect(r!.shape.y + r!.shape.height / 2).toBeCloseTo(22 + lane * 44, 6);
    });
  });

  it('tooltips a box with this call’s time and thread and the layer’s details, with units', () => {
    const option = buildTimelineOption(report, 0);
    const d = (firstSeries(option).data as number[][])[7]!;
    const html = tooltipFor(option, { value: d });
    const event = report.runs[0]!.events[d[TIMELINE_DIM.event]!]!;
    expect(html).toContain(`${event.tid}`);
    expect(html).toMatch(/This call.*\d+(\.\d+)? (µs|ms) at/);
    expect(html).toContain(report.layers[event.layer]!.opType);
  });

  it('renders with ECharts to SVG with thread lanes and µs/ms axis labels', () => {
    const svg = renderSvg(buildTimelineOption(report, 2), 1200, timelineChartHeight(report, 2));
    expect(svg).toContain('thread 4100');
    expect(svg).toContain('thread 4107');
    expect(svg).toMatch(/\d+(\.\d+)? (µs|ms)/);
  });

  it('gives an empty chart for a run that does not exist', () => {
    const option = buildTimelineOption(report, 99);
    expect(firstSeries(option).data).toEqual([]);
    expect(() => renderSvg(option)).not.toThrow();
  });
});
