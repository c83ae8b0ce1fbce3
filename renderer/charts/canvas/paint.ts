/**
 * Paints a scene (interval-rows.ts) on a 2D canvas: rectangles batched by colour (one path and one
 * fill per colour, not one per frame), labels cut in the middle where they fit, outlines for the
 * selection and the fallback alarm, and a time axis. Colours come from the chart theme, so light
 * and dark schemes draw alike.
 */
import { formatUs } from '../../../shared/format.js';
import type { ChartTheme } from '../theme.js';
import { elideMiddle } from './elide.js';
import type { SceneRect } from './interval-rows.js';
import type { ViewRange } from './view-range.js';

/**
 * The part of CanvasRenderingContext2D the painters use: declared here so the painters type-check
 * (and unit tests record drawing) without the DOM library.
 */
export interface Canvas2D {
  fillStyle: string | object;
  strokeStyle: string | object;
  lineWidth: number;
  font: string;
  textBaseline: string;
  beginPath(): void;
  rect(x: number, y: number, w: number, h: number): void;
  fill(): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  stroke(): void;
  strokeRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  measureText(text: string): { readonly width: number };
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  save(): void;
  restore(): void;
  setLineDash(segments: number[]): void;
}

/** Font of frame labels and axis text. */
export const CANVAS_FONT = '11px system-ui, -apple-system, "Segoe UI", sans-serif';
/** Labels need at least this much room (CSS px), about "M…M": narrower frames stay unlabelled. */
export const MIN_LABEL_PX = 24;
const LABEL_PAD_PX = 4;

/** How to place and colour what a chart draws. */
export interface PaintStyle {
  readonly theme: ChartTheme;
  readonly plotLeft: number; // CSS px of the plot's left edge inside the canvas
  readonly rowTop: (row: number) => number; // CSS px of a row's top edge
  readonly boxHeight: number; // CSS px of a box's height
  readonly fillOf: (id: number) => string;
  readonly labelOf: (id: number) => string;
  readonly isSelected: (id: number) => boolean;
  readonly isOutlined: (id: number) => boolean; // fell back from the chosen EP: dashed warning
}

/** A label as drawn (kept for tests and the e2e check that none is drawn twice). */
export interface DrawnLabel {
  readonly text: string;
  readonly row: number;
  readonly x: number;
}

const widths = new Map<string, number>();

/** measureText, cached: labels repeat across frames and measuring is the slow part of text. */
function measure(ctx: Canvas2D, text: string): number {
  const cached = widths.get(text);
  if (cached !== undefined) return cached;
  const w = ctx.measureText(text).width;
  if (widths.size > 200_000) widths.clear();
  widths.set(text, w);
  return w;
}

const textColors = new Map<string, string>();

/** Dark text on light fills, light text on dark ones (a dark theme's module frames). */
export function textColorOn(fill: string): string {
  let color = textColors.get(fill);
  if (color === undefined) {
    const m = /^#([0-9a-f]{6})$/i.exec(fill);
    const v = m ? parseInt(m[1]!, 16) : 0xcccccc;
    const lum = (0.2126 * ((v >> 16) & 255) + 0.7152 * ((v >> 8) & 255) + 0.0722 * (v & 255)) / 255;
    color = lum > 0.45 ? '#111418' : '#eef1f4';
    textColors.set(fill, color);
  }
  return color;
}

/** Paints the rectangles and their labels; returns the labels drawn. */
export function paintScene(ctx: Canvas2D, scene: readonly SceneRect[], style: PaintStyle): DrawnLabel[] {
  const { plotLeft, rowTop, boxHeight } = style;
  // Grouped by fill colour (one fillStyle change per colour), and neighbouring narrow rectangles of
  // one colour in a row drawn as one: zoomed out, a row of 1-px merged columns is mostly runs of
  // the same op type. fillRect, not one path of thousands of rectangles: software rasterisers
  // (headless Chromium, VMs without a GPU) fill a big path far more slowly.
  const byFill = new Map<string, SceneRect[]>();
  for (const rect of scene) {
    const fill = style.fillOf(rect.id);
    let list = byFill.get(fill);
    if (!list) byFill.set(fill, (list = []));
    list.push(rect);
  }
  for (const [fill, list] of byFill) {
    ctx.fillStyle = fill;
    let runRow = -1;
    let runX = 0;
    let runEnd = 0;
    const flush = () => {
      if (runRow >= 0) ctx.fillRect(plotLeft + runX, rowTop(runRow) + 1, Math.max(runEnd - runX, 0.75), boxHeight - 2);
    };
    for (const r of list) {
      // A gap of a pixel between wide neighbours keeps frames apart; narrow ones stay solid.
      const end = r.w > 3 ? r.x + r.w - 1 : r.x + Math.max(r.w, 0.75);
      if (r.row === runRow && r.w <= 3 && r.x <= runEnd + 0.5) {
        runEnd = Math.max(runEnd, end);
        continue;
      }
      flush();
      runRow = r.row;
      runX = r.x;
      runEnd = end;
    }
    flush();
  }

  // Outlines: the fallback alarm dashed, the selection solid and on top.
  ctx.save();
  ctx.setLineDash([4, 2]);
  ctx.lineWidth = 2;
  ctx.strokeStyle = style.theme.warn;
  ctx.beginPath();
  let dashed = false;
  for (const r of scene) {
    if (r.count === 1 && style.isOutlined(r.id) && !style.isSelected(r.id)) {
      ctx.rect(plotLeft + r.x + 1, rowTop(r.row) + 2, Math.max(r.w - 2, 2), boxHeight - 4);
      dashed = true;
    }
  }
  if (dashed) ctx.stroke();
  ctx.setLineDash([]);
  ctx.lineWidth = 3;
  ctx.strokeStyle = style.theme.accent;
  for (const r of scene) {
    if (style.isSelected(r.id))
      ctx.strokeRect(plotLeft + r.x + 1.5, rowTop(r.row) + 2.5, Math.max(r.w - 3, 2), boxHeight - 5);
  }
  ctx.restore();

  // Labels where they fit, cut in the middle, clipped to the frame's visible part.
  const drawn: DrawnLabel[] = [];
  ctx.font = CANVAS_FONT;
  ctx.textBaseline = 'middle';
  for (const r of scene) {
    if (r.count !== 1 || r.w < MIN_LABEL_PX) continue;
    const text = elideMiddle(style.labelOf(r.id), r.w - 2 * LABEL_PAD_PX, (s) => measure(ctx, s));
    if (text === null) continue;
    ctx.fillStyle = textColorOn(style.fillOf(r.id));
    ctx.fillText(text, plotLeft + r.x + LABEL_PAD_PX, rowTop(r.row) + boxHeight / 2 + 0.5);
    drawn.push({ text, row: r.row, x: Math.round(r.x) });
  }
  return drawn;
}

/** Round tick positions (1, 2 or 5 × 10^n µs apart) at least `minGapPx` apart. */
export function timeTicks(view: ViewRange, widthPx: number, minGapPx = 90): number[] {
  const span = view.endUs - view.startUs;
  if (!(span > 0) || !(widthPx > 0)) return [];
  const raw = (span * minGapPx) / widthPx;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks: number[] = [];
  for (let t = Math.ceil(view.startUs / step) * step; t <= view.endUs + step * 1e-9; t += step) ticks.push(t);
  return ticks;
}

/**
 * Tick labels: times from the chart's start ("1.50 ms"); deep in a zoom, where two ticks would read
 * alike ("1.37 s", "1.37 s"), the first keeps its time and the others say how far past it they are
 * ("+20.0 µs").
 */
export function tickLabels(ticks: readonly number[]): string[] {
  const plain = ticks.map((t) => (t === 0 ? '0' : formatUs(t)));
  if (new Set(plain).size === plain.length) return plain;
  const first = ticks[0]!;
  return ticks.map((t, i) => (i === 0 ? plain[0]! : `+${formatUs(t - first)}`));
}

/** Paints a time axis along `y` (CSS px): tick marks and labels in µs/ms from the view's start of the chart. */
export function paintTimeAxis(
  ctx: Canvas2D,
  view: ViewRange,
  plotLeft: number,
  widthPx: number,
  y: number,
  theme: ChartTheme,
): void {
  const k = widthPx / (view.endUs - view.startUs);
  ctx.save();
  ctx.strokeStyle = theme.border;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(plotLeft, y + 0.5);
  ctx.lineTo(plotLeft + widthPx, y + 0.5);
  ctx.stroke();
  ctx.fillStyle = theme.muted;
  ctx.font = CANVAS_FONT;
  ctx.textBaseline = 'top';
  const ticks = timeTicks(view, widthPx);
  const texts = tickLabels(ticks);
  for (const [i, t] of ticks.entries()) {
    const x = plotLeft + (t - view.startUs) * k;
    ctx.beginPath();
    ctx.moveTo(Math.round(x) + 0.5, y);
    ctx.lineTo(Math.round(x) + 0.5, y + 4);
    ctx.stroke();
    const text = texts[i]!;
    const w = measure(ctx, text);
    // Ends align inward so the first and last labels are not cut at the canvas edges.
    const left = Math.min(Math.max(x - w / 2, plotLeft), plotLeft + widthPx - w);
    ctx.fillText(text, left, y + 6);
  }
  ctx.restore();
}
