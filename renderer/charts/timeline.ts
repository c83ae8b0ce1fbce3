/**
 * The timeline's data for the canvas chart (components/time-canvas.tsx): one lane per thread, one
 * row per nesting level inside it (shared/timeline-lanes.ts), one box per kernel call, with colours,
 * labels and tooltips. Built once per run and theme; zoom and pan never rebuild it.
 */
import { leafLabel } from '../view-models/flame-tree.js';
import { formatUs } from '../../shared/format.js';
import type { Report } from '../../shared/report.js';
import { buildTimelineLayout, type TimelineLayout } from '../view-models/timeline-lanes.js';
import { buildIntervalRows, type IntervalRow } from './canvas/interval-rows.js';
import { opTypeColor, opTypeColors, type ChartTheme } from './theme.js';
import { layerTooltipHtml } from './tooltip.js';
import { fallbackIndices } from './fallback.js';

/** Height of one row of a lane in pixels. */
export const TIMELINE_ROW_PX = 26;
/** Width of the gutter holding "thread N". */
export const TIMELINE_GUTTER_PX = 96;

const EMPTY: TimelineLayout = { lanes: [], boxes: [], rows: 0, endUs: 0 };
const layouts = new WeakMap<object, TimelineLayout>();
const rowsCache = new WeakMap<TimelineLayout, IntervalRow[]>();

/** The lanes and boxes of run `runIndex`, built once per run object; an empty layout if there is no such run. */
export function timelineLayoutOf(report: Report, runIndex: number): TimelineLayout {
  const run = report.runs[runIndex];
  if (!run) return EMPTY;
  let layout = layouts.get(run);
  if (!layout) {
    layout = buildTimelineLayout(run);
    layouts.set(run, layout);
  }
  return layout;
}

/** The boxes as interval rows (every lane's rows, top to bottom), ids = box indices. */
export function timelineRowsOf(layout: TimelineLayout): IntervalRow[] {
  let rows = rowsCache.get(layout);
  if (!rows) {
    rows = buildIntervalRows(
      layout.boxes.map((b, i) => ({ row: b.row, startUs: b.startUs, endUs: b.endUs, id: i })),
      layout.rows,
    );
    rowsCache.set(layout, rows);
  }
  return rows;
}

/** Colours, labels and tooltips of a run's boxes. */
export interface TimelineLook {
  readonly fills: readonly string[]; // by box index
  readonly labels: readonly string[]; // by box index
  readonly fellBack: ReadonlySet<number>; // box indices of layers that fell back
  readonly tooltip: (box: number) => string;
}

const looks = new WeakMap<TimelineLayout, Map<ChartTheme, TimelineLook>>();

/** How run `runIndex`'s boxes look under `theme`, built once per run and theme. */
export function timelineLookOf(report: Report, runIndex: number, theme: ChartTheme): TimelineLook {
  const layout = timelineLayoutOf(report, runIndex);
  let byTheme = looks.get(layout);
  if (!byTheme) looks.set(layout, (byTheme = new Map()));
  let look = byTheme.get(theme);
  if (look) return look;
  const colors = opTypeColors(report, theme);
  const fallback = fallbackIndices(report);
  const layerFill = report.layers.map((l) => colors.get(l.opType) ?? opTypeColor(l.opType, theme));
  const layerLabel = report.layers.map((l) => leafLabel(l));
  const run = report.runs[runIndex];
  const fellBack = new Set<number>();
  layout.boxes.forEach((b, i) => {
    if (fallback.has(b.layer)) fellBack.add(i);
  });
  look = {
    fills: layout.boxes.map((b) => layerFill[b.layer] ?? theme.moduleFill),
    labels: layout.boxes.map((b) => layerLabel[b.layer] ?? ''),
    fellBack,
    tooltip: (i) => {
      const box = layout.boxes[i];
      const layer = box ? report.layers[box.layer] : undefined;
      const event = box ? run?.events[box.event] : undefined;
      if (!box || !layer || !event) return '';
      return layerTooltipHtml(layer, [
        ['This call', `${formatUs(event.durUs)} at ${formatUs(event.startUs)} from run start`],
        [
          'Thread',
          box.depth > 0
            ? `${event.tid}, inside ${box.depth === 1 ? 'one other call' : `${box.depth} other calls`}`
            : String(event.tid),
        ],
      ]);
    },
  };
  byTheme.set(theme, look);
  return look;
}

/** The boxes of the layer `layer` in a run (a layer may run several times, on several threads). */
export function boxesOfLayer(layout: TimelineLayout, layer: number | null): Set<number> {
  const out = new Set<number>();
  if (layer === null) return out;
  layout.boxes.forEach((b, i) => {
    if (b.layer === layer) out.add(i);
  });
  return out;
}
