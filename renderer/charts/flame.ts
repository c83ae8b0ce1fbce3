/**
 * The flame graph's data for the canvas chart (components/time-canvas.tsx): frames from the module
 * hierarchy (shared/flame-tree.ts) in one row per depth, width = mean time per run, with colours,
 * labels and tooltips. Built once per report and theme; zoom and pan never rebuild it.
 */
import { buildFlameTree, flameZoomRange, type FlameTree } from '../view-models/flame-tree.js';
import { formatCount, formatShare, formatUs } from '../../shared/format.js';
import type { Report } from '../../shared/report.js';
import { buildIntervalRows, type IntervalRow } from './canvas/interval-rows.js';
import type { ViewRange } from './canvas/view-range.js';
import { opTypeColor, opTypeColors, type ChartTheme } from './theme.js';
import { layerTooltipHtml, tooltipTable } from './tooltip.js';
import { fallbackIndices } from './fallback.js';

/** Height of one flame row in pixels. */
export const FLAME_ROW_PX = 22;

const trees = new WeakMap<Report, FlameTree>();
const rowsCache = new WeakMap<FlameTree, IntervalRow[]>();

/** The report's flame tree, built once per report object. */
export function flameTreeOf(report: Report): FlameTree {
  let tree = trees.get(report);
  if (!tree) {
    tree = buildFlameTree(report.layers);
    trees.set(report, tree);
  }
  return tree;
}

/** The frames as interval rows, one per depth, ids = frame ids. */
export function flameRowsOf(report: Report): IntervalRow[] {
  const tree = flameTreeOf(report);
  let rows = rowsCache.get(tree);
  if (!rows) {
    rows = buildIntervalRows(
      tree.frames.map((f) => ({ row: f.depth, startUs: f.startUs, endUs: f.startUs + f.widthUs, id: f.id })),
      Math.max(1, tree.maxDepth + 1),
    );
    rowsCache.set(tree, rows);
  }
  return rows;
}

/** The whole graph's range, or a module's when zoomed into it by key. */
export function flameRange(report: Report, zoomKey?: string | null): ViewRange {
  const { startUs, endUs } = flameZoomRange(flameTreeOf(report), zoomKey);
  return { startUs, endUs: endUs > startUs ? endUs : startUs + 1 };
}

/** Colours, labels, outlines and tooltips of the frames. */
export interface FlameLook {
  readonly fills: readonly string[]; // by frame id
  readonly labels: readonly string[]; // by frame id
  readonly fellBack: ReadonlySet<number>; // frame ids of layers that fell back from the chosen EP
  readonly frameOfLayer: ReadonlyMap<number, number>; // layer index -> leaf frame id
  readonly tooltip: (id: number) => string;
}

const looks = new WeakMap<Report, Map<ChartTheme, FlameLook>>();

/** How the frames look under `theme`, built once per report and theme. */
export function flameLookOf(report: Report, theme: ChartTheme): FlameLook {
  let byTheme = looks.get(report);
  if (!byTheme) looks.set(report, (byTheme = new Map()));
  let look = byTheme.get(theme);
  if (look) return look;
  const tree = flameTreeOf(report);
  const colors = opTypeColors(report, theme);
  const fallback = fallbackIndices(report);
  const frameOfLayer = new Map<number, number>();
  const fellBack = new Set<number>();
  const fills = tree.frames.map((f) => {
    if (f.layer === null) return theme.moduleFill;
    frameOfLayer.set(f.layer, f.id);
    if (fallback.has(f.layer)) fellBack.add(f.id);
    const layer = report.layers[f.layer];
    return layer ? (colors.get(layer.opType) ?? opTypeColor(layer.opType, theme)) : theme.moduleFill;
  });
  look = {
    fills,
    labels: tree.frames.map((f) => f.label),
    fellBack,
    frameOfLayer,
    tooltip: (id) => flameTooltipHtml(report, id),
  };
  byTheme.set(theme, look);
  return look;
}

/** The tooltip of a frame: a layer's details, or a module's time, share and layer count. */
export function flameTooltipHtml(report: Report, frameId: number): string {
  const tree = flameTreeOf(report);
  const frame = tree.frames[frameId];
  if (!frame) return '';
  const layer = frame.layer === null ? undefined : report.layers[frame.layer];
  if (layer) return layerTooltipHtml(layer);
  return tooltipTable(frame.key, [
    ['Time', `${formatUs(frame.widthUs)} per run`],
    ['Share', `${formatShare(tree.totalUs > 0 ? frame.widthUs / tree.totalUs : 0)} of layers`],
    ['Layers', formatCount(frame.layerCount, frame.layerCount === 1 ? 'layer' : 'layers')],
    ['', 'Click to zoom in'],
  ]);
}
