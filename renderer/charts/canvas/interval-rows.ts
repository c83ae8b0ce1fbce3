/**
 * Rows of time intervals, the data both canvas charts draw: flame frames by depth, timeline calls by
 * lane row. Built once per report; each frame only looks up what is in view (binary search on the
 * sorted starts) and merges what is narrower than a pixel, so drawing costs what the screen holds,
 * not what the report holds (speedscope's idea: level of detail by screen size).
 */
import type { ViewRange } from './view-range.js';

/** One row's intervals, sorted by start and not overlapping: structure of arrays for speed. */
export interface IntervalRow {
  readonly starts: Float64Array; // µs
  readonly ends: Float64Array; // µs
  readonly ids: Int32Array; // caller's id (flame frame id, timeline box index)
}

/** An interval to place. */
export interface PlacedInterval {
  readonly row: number;
  readonly startUs: number;
  readonly endUs: number;
  readonly id: number;
}

/** Groups intervals into `rowCount` rows sorted by start (ties keep input order). */
export function buildIntervalRows(items: readonly PlacedInterval[], rowCount: number): IntervalRow[] {
  const byRow: PlacedInterval[][] = Array.from({ length: rowCount }, () => []);
  for (const item of items) byRow[item.row]?.push(item);
  return byRow.map((list) => {
    const sorted = list
      .map((item, seq) => ({ item, seq }))
      .sort((a, b) => a.item.startUs - b.item.startUs || a.seq - b.seq);
    return {
      starts: Float64Array.from(sorted, (s) => s.item.startUs),
      ends: Float64Array.from(sorted, (s) => Math.max(s.item.startUs, s.item.endUs)),
      ids: Int32Array.from(sorted, (s) => s.item.id),
    };
  });
}

/** First index whose start is at least `us` (`starts.length` when none). */
export function lowerBound(starts: Float64Array, us: number, from = 0): number {
  let lo = from;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! < us) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One rectangle to draw, in CSS pixels from the plot's left edge. */
export interface SceneRect {
  readonly row: number;
  readonly x: number;
  readonly w: number;
  /** The interval drawn; for a merged run of sub-pixel intervals, the widest of them (its colour). */
  readonly id: number;
  /** How many intervals this rectangle stands for (1 unless merged). */
  readonly count: number;
}

/** What a frame of a chart shows. */
export interface SceneRequest {
  readonly view: ViewRange;
  readonly widthPx: number; // plot width in CSS pixels
  /** Rows to draw (the ones scrolled into view); all when absent. */
  readonly firstRow?: number;
  readonly lastRow?: number;
  /** Intervals never merged away (the fallback alarm must show however small they are). */
  readonly keep?: (id: number) => boolean;
}

/** Narrower than this (CSS px), an interval is merged with its neighbours into one pixel. */
export const MERGE_BELOW_PX = 1;

/**
 * The rectangles of the intervals in view. An interval at least a pixel wide is one rectangle; a
 * run of narrower neighbours within the same pixel column becomes one rectangle coloured by its
 * widest member, so zoomed out the chart draws at most a few rectangles per pixel column per row.
 * Rectangles are clipped to the plot (x >= 0, x + w <= widthPx).
 */
export function buildScene(rows: readonly IntervalRow[], request: SceneRequest): SceneRect[] {
  const { view, widthPx, keep } = request;
  const span = view.endUs - view.startUs;
  const out: SceneRect[] = [];
  if (!(span > 0) || !(widthPx > 0)) return out;
  const k = widthPx / span; // px per µs
  const first = Math.max(0, request.firstRow ?? 0);
  const last = Math.min(rows.length - 1, request.lastRow ?? rows.length - 1);
  for (let r = first; r <= last; r++) {
    const { starts, ends, ids } = rows[r]!;
    const n = starts.length;
    let i = lowerBound(starts, view.startUs);
    // The interval before may still reach into view.
    if (i > 0 && ends[i - 1]! > view.startUs) i--;
    while (i < n && starts[i]! <= view.endUs) {
      const x0 = (starts[i]! - view.startUs) * k;
      const x1 = (ends[i]! - view.startUs) * k;
      if (x1 - x0 >= MERGE_BELOW_PX || keep?.(ids[i]!)) {
        pushClipped(out, r, x0, x1, ids[i]!, 1, widthPx);
        i++;
        continue;
      }
      // A run of sub-pixel intervals: everything narrow that starts in this pixel column.
      const column = Math.floor(x0) + 1;
      let widest = ids[i]!;
      let widestPx = x1 - x0;
      let end = x1;
      let count = 0;
      while (i < n) {
        const s = (starts[i]! - view.startUs) * k;
        const e = (ends[i]! - view.startUs) * k;
        if (s >= column || e - s >= MERGE_BELOW_PX || (count > 0 && keep?.(ids[i]!))) break;
        if (e - s > widestPx) {
          widestPx = e - s;
          widest = ids[i]!;
        }
        end = Math.max(end, e);
        count++;
        i++;
      }
      pushClipped(out, r, x0, Math.max(end, x0 + MERGE_BELOW_PX), widest, count, widthPx);
    }
  }
  return out;
}

function pushClipped(
  out: SceneRect[],
  row: number,
  x0: number,
  x1: number,
  id: number,
  count: number,
  widthPx: number,
): void {
  const left = Math.max(0, x0);
  const right = Math.min(widthPx, x1);
  if (right <= left && !(x0 >= 0 && x0 <= widthPx)) return;
  out.push({ row, x: left, w: Math.max(right - left, 0), id, count });
}

/**
 * The interval under the pointer in `row` at `xPx` (CSS px from the plot's left), or null. A pointer
 * within `slopPx` of an interval narrower than a pixel still finds it, so tiny frames can be hovered.
 */
export function hitTest(
  row: IntervalRow | undefined,
  view: ViewRange,
  widthPx: number,
  xPx: number,
  slopPx = 1,
): number | null {
  if (!row || row.starts.length === 0 || !(widthPx > 0)) return null;
  const k = widthPx / (view.endUs - view.startUs);
  const t = view.startUs + xPx / k;
  const slop = slopPx / k;
  // Rows do not overlap, so ends rise with starts: walk back from the last interval starting
  // before t + slop until one ends before t - slop.
  let best: number | null = null;
  let bestDistance = Infinity;
  for (let i = lowerBound(row.starts, t + slop) - 1; i >= 0 && row.ends[i]! >= t - slop; i--) {
    const s = row.starts[i]!;
    const e = row.ends[i]!;
    const distance = t < s ? s - t : t > e ? t - e : 0;
    if (distance < bestDistance) {
      best = row.ids[i]!;
      bestDistance = distance;
      if (distance === 0) break;
    }
  }
  return best;
}
