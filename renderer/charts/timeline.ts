/**
 * The timeline of one profiled run: one lane per thread, one box per kernel call, zoom and pan
 * with the wheel, a drag or the slider. Lanes come from shared/timeline-lanes.ts.
 */
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, EChartsOption } from 'echarts';
import { leafLabel } from '../../shared/flame-tree.js';
import { formatUs } from '../../shared/format.js';
import type { Report } from '../../shared/report.js';
import { buildTimelineLayout, type TimelineLayout } from '../../shared/timeline-lanes.js';
import { axisStyle, LIGHT_THEME, opTypeColor, opTypeColors, tooltipStyle, type ChartTheme } from './theme.js';
import { layerTooltipHtml } from './tooltip.js';
import { fallbackIndices, fallbackStroke } from './fallback.js';

/** Height of one lane in pixels. */
export const TIMELINE_LANE_PX = 44;
const GRID = { left: 96, right: 24, top: 8, bottom: 64 };

/** Dimensions of one data item of the timeline series. */
export const TIMELINE_DIM = { start: 0, end: 1, lane: 2, layer: 3, event: 4 } as const;

const layouts = new WeakMap<object, TimelineLayout>();

/** The lanes and boxes of run `runIndex`, built once per run object; an empty layout if there is no such run. */
export function timelineLayoutOf(report: Report, runIndex: number): TimelineLayout {
  const run = report.runs[runIndex];
  if (!run) return { lanes: [], boxes: [], endUs: 0 };
  let layout = layouts.get(run);
  if (!layout) {
    layout = buildTimelineLayout(run);
    layouts.set(run, layout);
  }
  return layout;
}

/** Pixel height the timeline needs for its lanes plus axis and slider. */
export function timelineChartHeight(report: Report, runIndex: number): number {
  return GRID.top + GRID.bottom + Math.max(1, timelineLayoutOf(report, runIndex).lanes.length) * TIMELINE_LANE_PX;
}

/** Options of the timeline besides the report and the run. */
export interface TimelineOptions {
  readonly selectedLayer?: number | null;
  readonly theme?: ChartTheme;
}

/**
 * The timeline option for run `runIndex`. Each data item is [startUs, endUs, lane, layer index,
 * event index]; a click handler reads the layer at `value[TIMELINE_DIM.layer]`.
 */
export function buildTimelineOption(report: Report, runIndex: number, options: TimelineOptions = {}): EChartsOption {
  const theme = options.theme ?? LIGHT_THEME;
  const selected = options.selectedLayer ?? null;
  const layout = timelineLayoutOf(report, runIndex);
  const data = layout.boxes.map((b) => [b.startUs, b.endUs, b.lane, b.layer, b.event]);
  const colors = opTypeColors(report, theme);
  // Layers that fell back from the chosen EP get a dashed warning outline.
  const fellBack = fallbackIndices(report);
  const fills = report.layers.map((l) => colors.get(l.opType) ?? opTypeColor(l.opType, theme));
  const labels = report.layers.map((l) => leafLabel(l));
  const axis = axisStyle(theme);
  const run = report.runs[runIndex];

  const renderItem = (params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI) => {
    const s = api.value(TIMELINE_DIM.start) as number;
    const e = api.value(TIMELINE_DIM.end) as number;
    const lane = api.value(TIMELINE_DIM.lane) as number;
    const layer = api.value(TIMELINE_DIM.layer) as number;
    const [x0, yMid] = api.coord([s, lane]) as number[];
    const [x1] = api.coord([e, lane]) as number[];
    const height = (api.size!([0, 1]) as number[])[1]! * 0.66;
    const box = params.coordSys as unknown as { x: number; width: number };
    const left = Math.max(x0!, box.x);
    const right = Math.min(x1!, box.x + box.width);
    if (right < box.x || left > box.x + box.width) return null;
    const isSelected = layer === selected;
    // A layer that fell back is drawn at least 4 px wide, so the alarm shows even when it is short.
    const width = Math.max(right - left - 0.5, fellBack.has(layer) ? 4 : 0.5);
    return {
      type: 'rect' as const,
      shape: { x: left, y: yMid! - height / 2, width, height },
      style: {
        fill: fills[layer] ?? theme.moduleFill,
        stroke: isSelected ? theme.accent : undefined,
        lineWidth: isSelected ? 3 : 0,
        ...(!isSelected && fellBack.has(layer) ? fallbackStroke(theme) : {}),
      },
      z2: isSelected ? 10 : 0,
      textContent:
        width > 36
          ? {
              style: {
                text: labels[layer] ?? '',
                fill: theme.frameText,
                fontSize: 11,
                width: width - 6,
                overflow: 'truncate' as const,
                ellipsis: '…',
              },
            }
          : undefined,
      textConfig: width > 36 ? { position: 'insideLeft' as const, distance: 3 } : undefined,
    };
  };

  return {
    animation: false,
    backgroundColor: 'transparent',
    aria: {
      enabled: true,
      label: { description: `Timeline of run ${runIndex + 1}: ${layout.boxes.length} kernel calls on ${layout.lanes.length} threads.` },
    },
    grid: GRID,
    tooltip: {
      ...tooltipStyle(theme),
      trigger: 'item',
      formatter: (p: unknown) => {
        const value = (p as { value: number[] }).value;
        const layer = report.layers[value[TIMELINE_DIM.layer]!];
        const event = run?.events[value[TIMELINE_DIM.event]!];
        if (!layer || !event) return '';
        return layerTooltipHtml(layer, [
          ['This call', `${formatUs(event.durUs)} at ${formatUs(event.startUs)} from run start`],
          ['Thread', String(event.tid)],
        ]);
      },
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: Math.max(1, layout.endUs),
      name: 'time from run start',
      nameLocation: 'middle',
      nameGap: 26,
      ...axis,
      axisLabel: { ...axis.axisLabel, hideOverlap: true, formatter: (v: number) => (v === 0 ? '0' : formatUs(v)) },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: layout.lanes.map((l) => `thread ${l.tid}`),
      ...axis,
      splitLine: { show: true, lineStyle: { color: theme.grid } },
    },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'weakFilter' },
      {
        type: 'slider',
        xAxisIndex: 0,
        filterMode: 'weakFilter',
        height: 16,
        bottom: 6,
        borderColor: theme.border,
        textStyle: { color: theme.muted, fontSize: 10 },
        labelFormatter: (v: number) => formatUs(v),
        showDataShadow: false,
      },
    ],
    series: [
      {
        type: 'custom',
        name: 'Kernel calls',
        renderItem: renderItem as never,
        encode: { x: [TIMELINE_DIM.start, TIMELINE_DIM.end], y: TIMELINE_DIM.lane, tooltip: [] },
        data,
        clip: true,
        progressive: 2000,
        progressiveThreshold: 3000,
      },
    ],
  };
}
