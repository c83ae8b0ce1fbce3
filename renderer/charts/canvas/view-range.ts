/**
 * The horizontal window of a time chart (flame graph, timeline): which span of µs the canvas shows.
 * Zoom and pan change only this pair of numbers; nothing is rebuilt, the next frame draws it.
 */

/** A span of the x axis, in µs. */
export interface ViewRange {
  readonly startUs: number;
  readonly endUs: number;
}

/** Narrowest span a zoom reaches, as a fraction of the whole (deeper zooms show nothing new). */
const MIN_SPAN_FRACTION = 1e-7;
/** Below this relative difference two ranges count as the same (floating point after many zooms). */
const SAME = 1e-9;

/** Keeps `range` inside `full` with at least the minimum span, moving it rather than shrinking it. */
export function clampRange(range: ViewRange, full: ViewRange): ViewRange {
  const fullSpan = Math.max(full.endUs - full.startUs, Number.MIN_VALUE);
  let span = Math.min(fullSpan, Math.max(range.endUs - range.startUs, fullSpan * MIN_SPAN_FRACTION));
  if (!Number.isFinite(span)) span = fullSpan;
  let start = Number.isFinite(range.startUs) ? range.startUs : full.startUs;
  start = Math.min(Math.max(start, full.startUs), full.endUs - span);
  return { startUs: start, endUs: start + span };
}

/**
 * Zooms by `factor` (< 1 in, > 1 out) keeping the point at `anchor` (0 = left edge, 1 = right edge
 * of the view) where it is on screen.
 */
export function zoomRange(range: ViewRange, full: ViewRange, anchor: number, factor: number): ViewRange {
  const span = range.endUs - range.startUs;
  const at = range.startUs + span * Math.min(1, Math.max(0, anchor));
  const next = span * factor;
  return clampRange({ startUs: at - next * anchor, endUs: at - next * anchor + next }, full);
}

/** Moves the view by `deltaUs` (positive: later times come into view). */
export function panRange(range: ViewRange, full: ViewRange, deltaUs: number): ViewRange {
  return clampRange({ startUs: range.startUs + deltaUs, endUs: range.endUs + deltaUs }, full);
}

/** Whether `range` shows all of `full` (Reset zoom has nothing to do). */
export function isFullRange(range: ViewRange, full: ViewRange): boolean {
  const span = Math.max(full.endUs - full.startUs, Number.MIN_VALUE);
  return Math.abs(range.startUs - full.startUs) <= span * SAME && Math.abs(range.endUs - full.endUs) <= span * SAME;
}

/** The wheel's zoom factor: 150 px of wheel (one notch in most browsers) zooms by about 1.35x. */
export function wheelZoomFactor(deltaPx: number): number {
  return Math.exp(Math.max(-600, Math.min(600, deltaPx)) * 0.002);
}
