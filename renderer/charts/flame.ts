/**
 * The flame graph: frames from the module hierarchy (shared/flame-tree.ts), width = mean time per
 * run, drawn by one custom series so thousands of frames stay one canvas pass.
 */
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, EChartsOption } from 'echarts';
import { buildFlameTree, flameFramesInRange, flameZoomRange, type FlameTree } from '../../shared/flame-tree.js';
import { formatCount, formatShare, formatUs } from '../../shared/format.js';
import type { Report } from '../../shared/report.js';
import { axisStyle, LIGHT_THEME, opTypeColor, opTypeColors, tooltipStyle, type ChartTheme } from './theme.js';
import { layerTooltipHtml, tooltipTable } from './tooltip.js';
import { fallbackIndices, fallbackStroke } from './fallback.js';

/** Height of one flame row in pixels. */
export const FLAME_ROW_PX = 22;
const GRID = { left: 8, right: 8, top: 8, bottom: 30 };

const trees = new WeakMap<Report, FlameTree>();

/** The report's flame tree, built once per report object (options are rebuilt on every selection). */
export function flameTreeOf(report: Report): FlameTree {
  let tree = trees.get(report);
  if (!tree) {
    tree = buildFlameTree(report.layers);
    trees.set(report, tree);
  }
  return tree;
}

/** Pixel height the flame chart needs to show every row of the report. */
export function flameChartHeight(report: Report): number {
  const rows = Math.max(1, flameTreeOf(report).maxDepth + 1);
  return GRID.top + GRID.bottom + rows * FLAME_ROW_PX;
}

/** Options of the flame chart besides the report and the zoom. */
export interface FlameOptions {
  readonly selectedLayer?: number | null;
  readonly theme?: ChartTheme;
}

/** Dimensions of one data item of the flame series. */
export const FLAME_DIM = { start: 0, end: 1, depth: 2, frame: 3 } as const;

/**
 * The flame chart option. `zoomPath` is a module frame's key ("encoder/layer.3/attn"): the x axis
 * then spans that frame, its ancestors are drawn clipped above it and other frames are left out.
 * Each data item is [startUs, endUs, depth, frame id] with times from the left edge of the zoomed
 * range; a click handler reads the frame id at
 * `value[FLAME_DIM.frame]`.
 */
export function buildFlameOption(report: Report, zoomPath?: string | null, options: FlameOptions = {}): EChartsOption {
  const theme = options.theme ?? LIGHT_THEME;
  const selected = options.selectedLayer ?? null;
  const tree = flameTreeOf(report);
  const { startUs, endUs } = flameZoomRange(tree, zoomPath);
  const visible = flameFramesInRange(tree, zoomPath);
  // x is measured from the left edge of the zoomed range, so axis ticks fall on round durations.
  const data = visible.map(({ frame, startUs: s, endUs: e }) => [s - startUs, e - startUs, frame.depth, frame.id]);
  const rows = Math.max(1, tree.maxDepth + 1);
  const axis = axisStyle(theme);
  const colors = opTypeColors(report, theme);
  // Layers that fell back from the chosen EP get a dashed warning outline.
  const fellBack = fallbackIndices(report);
  const fills = tree.frames.map((f) => {
    const layer = f.layer === null ? undefined : report.layers[f.layer];
    return layer ? (colors.get(layer.opType) ?? opTypeColor(layer.opType, theme)) : theme.moduleFill;
  });

  const renderItem = (params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI) => {
    const s = api.value(FLAME_DIM.start) as number;
    const e = api.value(FLAME_DIM.end) as number;
    const depth = api.value(FLAME_DIM.depth) as number;
    const id = api.value(FLAME_DIM.frame) as number;
    const frame = tree.frames[id]!;
    const [x0, y0] = api.coord([s, depth]) as number[];
    const [x1] = api.coord([e, depth]) as number[];
    const rowH = (api.size!([0, 1]) as number[])[1]!;
    const box = params.coordSys as unknown as { x: number; width: number };
    // Clip to the grid by hand: dataZoom can put frames partly outside it.
    const left = Math.max(x0!, box.x);
    const right = Math.min(x1!, box.x + box.width);
    if (right < box.x || left > box.x + box.width) return null;
    const isSelected = frame.layer !== null && frame.layer === selected;
    // A layer that fell back is drawn at least 4 px wide, so the alarm shows even when it is short.
    const width = Math.max(right - left - 1, frame.layer !== null && fellBack.has(frame.layer) ? 4 : 0.5);
    return {
      type: 'rect' as const,
      shape: { x: left, y: y0! + 1, width, height: rowH - 2, r: 2 },
      style: {
        fill: fills[id]!,
        stroke: isSelected ? theme.accent : undefined,
        lineWidth: isSelected ? 3 : 0,
        ...(!isSelected && frame.layer !== null && fellBack.has(frame.layer) ? fallbackStroke(theme) : {}),
      },
      z2: isSelected ? 10 : 0,
      textContent:
        width > 28
          ? {
              style: {
                text: frame.label,
                fill: theme.frameText,
                fontSize: 11,
                width: width - 8,
                overflow: 'truncate' as const,
                ellipsis: '…',
              },
            }
          : undefined,
      textConfig: width > 28 ? { position: 'insideLeft' as const, distance: 4 } : undefined,
    };
  };

  return {
    animation: false,
    backgroundColor: 'transparent',
    aria: { enabled: true, label: { description: `Flame graph of ${tree.frames.length} frames, width is time.` } },
    grid: { ...GRID, containLabel: false },
    tooltip: {
      ...tooltipStyle(theme),
      trigger: 'item',
      formatter: (p: unknown) => {
        const value = (p as { value: number[] }).value;
        const frame = tree.frames[value[FLAME_DIM.frame]!];
        if (!frame) return '';
        const layer = frame.layer === null ? undefined : report.layers[frame.layer];
        if (layer) return layerTooltipHtml(layer);
        return tooltipTable(frame.key, [
          ['Time', `${formatUs(frame.widthUs)} per run`],
          ['Share', `${formatShare(tree.totalUs > 0 ? frame.widthUs / tree.totalUs : 0)} of layers`],
          ['Layers', formatCount(frame.layerCount, frame.layerCount === 1 ? 'layer' : 'layers')],
          ['', 'Click to zoom in'],
        ]);
      },
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: endUs > startUs ? endUs - startUs : 1,
      ...axis,
      splitLine: { show: false },
      // The end labels align inward, so "0" and the total are not cut at the chart's edges.
      axisLabel: { ...axis.axisLabel, hideOverlap: true, alignMinLabel: 'left', alignMaxLabel: 'right', formatter: (v: number) => (v === 0 ? '0' : formatUs(v)) },
    },
    yAxis: { type: 'value', min: 0, max: rows, inverse: true, show: false },
    dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'weakFilter', zoomOnMouseWheel: true, moveOnMouseMove: true }],
    series: [
      {
        type: 'custom',
        name: 'Flame graph',
        renderItem: renderItem as never,
        encode: { x: [FLAME_DIM.start, FLAME_DIM.end], y: FLAME_DIM.depth, tooltip: [] },
        data,
        clip: true,
        progressive: 2000,
        progressiveThreshold: 3000,
      },
    ],
  };
}
