/**
 * A time chart drawn on one 2D canvas: rows of intervals (flame frames, timeline calls) with a time
 * axis, wheel zoom at the pointer, drag to pan, arrow keys and +/- for the keyboard, a tooltip on
 * hover and a pick on click. The view is two numbers kept in a ref: zoom and pan only schedule the
 * next animation frame, which draws what is in view (renderer/charts/canvas/); React re-renders
 * nothing while the user zooms.
 */
import { useEffect, useLayoutEffect, useRef, type CSSProperties } from 'react';
import type { ChartTheme } from '../charts/theme.js';
import { buildScene, hitTest, type IntervalRow } from '../charts/canvas/interval-rows.js';
import { paintScene, paintTimeAxis, CANVAS_FONT, type DrawnLabel } from '../charts/canvas/paint.js';
import {
  clampRange,
  isFullRange,
  panRange,
  wheelZoomFactor,
  zoomRange,
  type ViewRange,
} from '../charts/canvas/view-range.js';

/** A request to show a range; a new `seq` applies it again even when the range is the same. */
export interface ViewRequest {
  readonly range: ViewRange;
  readonly seq: number;
}

/** Props of TimeCanvas. */
export interface TimeCanvasProps {
  readonly rows: readonly IntervalRow[];
  readonly full: ViewRange;
  readonly request: ViewRequest;
  readonly rowHeight: number; // CSS px per row
  readonly boxHeight?: number; // CSS px of a box inside its row (default rowHeight)
  readonly plotLeft?: number; // gutter for row labels (default 0)
  readonly plotRight?: number; // margin on the right (default 8)
  readonly top?: number; // space above the first row (default 4)
  readonly rowLabels?: readonly { readonly row: number; readonly text: string }[];
  readonly rowSeparators?: readonly number[]; // rows above which a line is drawn (lane boundaries)
  readonly theme: ChartTheme;
  readonly fillOf: (id: number) => string;
  readonly labelOf: (id: number) => string;
  readonly selected: ReadonlySet<number>; // ids drawn with the selection outline
  readonly outlined: ReadonlySet<number>; // ids drawn with the fallback outline
  readonly tooltipOf: (id: number) => string; // HTML, escaped by the caller
  readonly onPick?: (id: number) => void;
  /** Called when the view starts or stops showing everything (zoom, pan, request). */
  readonly onView?: (range: ViewRange, full: boolean) => void;
  readonly label: string; // accessible name
  readonly className?: string;
}

const AXIS_PX = 26;
const DRAG_PX = 4; // a press that moves less than this is a click

/** How a flame graph or a timeline colours, labels, outlines and explains its intervals, by id. */
export interface IntervalLook {
  readonly fills: readonly string[];
  readonly labels: readonly string[];
  readonly fellBack: ReadonlySet<number>; // ids of layers that fell back from the chosen EP: outlined
  readonly tooltip: (id: number) => string;
}

/** The TimeCanvas props a look decides (an interval without a fill of its own is a module's, `moduleFill`). */
export function lookProps(look: IntervalLook, moduleFill: string) {
  return {
    fillOf: (id: number) => look.fills[id] ?? moduleFill,
    labelOf: (id: number) => look.labels[id] ?? '',
    outlined: look.fellBack,
    tooltipOf: look.tooltip,
  } satisfies Partial<TimeCanvasProps>;
}

/** The canvas chart; see the module comment. */
export function TimeCanvas(props: TimeCanvasProps) {
  const { rows, rowHeight, className, label } = props;
  const top = props.top ?? 4;
  const height = top + rows.length * rowHeight + AXIS_PX;
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const view = useRef<ViewRange>(props.request.range);
  const size = useRef({ width: 0 });
  const frame = useRef(0);
  const hovered = useRef<number | null>(null);
  const latest = useRef(props);
  // Before the other layout effects (they run in order), so they and the listeners see this render's props.
  useLayoutEffect(() => {
    latest.current = props;
  });
  const labelsTimer = useRef(0);

  const plotWidth = () =>
    Math.max(1, size.current.width - (latest.current.plotLeft ?? 0) - (latest.current.plotRight ?? 8));

  /** Draws on the next animation frame (several changes in one frame draw once). */
  const schedule = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      draw();
    });
  };

  const draw = () => {
    const canvas = canvasRef.current;
    const p = latest.current;
    if (!canvas) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    const cssWidth = size.current.width;
    const cssHeight = (p.top ?? 4) + p.rows.length * p.rowHeight + AXIS_PX;
    if (canvas.width !== Math.round(cssWidth * dpr) || canvas.height !== Math.round(cssHeight * dpr)) {
      canvas.width = Math.round(cssWidth * dpr);
      canvas.height = Math.round(cssHeight * dpr);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssWidth, cssHeight);
    const left = p.plotLeft ?? 0;
    const width = plotWidth();
    const rowTop = (row: number) => (p.top ?? 4) + row * p.rowHeight;
    // Lane separators and labels in the gutter.
    ctx.strokeStyle = p.theme.grid;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const row of p.rowSeparators ?? []) {
      const y = Math.round(rowTop(row)) + 0.5;
      ctx.moveTo(0, y);
      ctx.lineTo(cssWidth, y);
    }
    ctx.stroke();
    ctx.font = CANVAS_FONT;
    ctx.textBaseline = 'middle';
    ctx.fillStyle = p.theme.muted;
    for (const l of p.rowLabels ?? []) ctx.fillText(l.text, 6, rowTop(l.row) + p.rowHeight / 2);
    const keep = (id: number) => p.selected.has(id) || p.outlined.has(id);
    const scene = buildScene(p.rows, { view: view.current, widthPx: width, keep });
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, 0, width, cssHeight);
    ctx.clip();
    const boxHeight = p.boxHeight ?? p.rowHeight;
    const drawn = paintScene(ctx, scene, {
      theme: p.theme,
      plotLeft: left,
      rowTop: (row) => rowTop(row) + (p.rowHeight - boxHeight) / 2,
      boxHeight,
      fillOf: p.fillOf,
      labelOf: p.labelOf,
      isSelected: (id) => p.selected.has(id),
      isOutlined: (id) => p.outlined.has(id),
    });
    ctx.restore();
    paintTimeAxis(ctx, view.current, left, width, rowTop(p.rows.length) + 2, p.theme);
    publishLabels(drawn, scene.length);
  };

  // What was drawn, for tests and for screen readers' sake, written after the user stops zooming.
  const publishLabels = (drawn: DrawnLabel[], rects: number) => {
    window.clearTimeout(labelsTimer.current);
    labelsTimer.current = window.setTimeout(() => {
      const canvas = canvasRef.current;
      if (!canvas) return;
      canvas.dataset.labels = JSON.stringify(drawn.map((d) => [d.row, d.x, d.text]));
      canvas.dataset.rects = String(rects);
      canvas.dataset.rows = String(latest.current.rows.length);
      canvas.dataset.view = `${view.current.startUs},${view.current.endUs}`;
    }, 120);
  };

  // Whether the view showed everything when the parent last heard: it hears only of changes, so a
  // wheel zoom costs the parent no render (a setState per wheel event did, even with the same value).
  const lastFull = useRef<boolean | null>(null);
  const setView = (next: ViewRange) => {
    const p = latest.current;
    view.current = clampRange(next, p.full);
    schedule();
    const full = isFullRange(view.current, p.full);
    if (full !== lastFull.current) {
      lastFull.current = full;
      p.onView?.(view.current, full);
    }
  };

  const showTip = (id: number, clientX: number, clientY: number) => {
    const tip = tipRef.current;
    const wrap = wrapRef.current;
    if (!tip || !wrap) return;
    if (hovered.current !== id) {
      hovered.current = id;
      tip.innerHTML = latest.current.tooltipOf(id);
    }
    tip.style.display = 'block';
    const box = wrap.getBoundingClientRect();
    const x = clientX - box.left;
    const y = clientY - box.top;
    // Keep it inside the chart: flip left of the pointer near the right edge.
    const left = x + 16 + tip.offsetWidth > box.width ? Math.max(0, x - 16 - tip.offsetWidth) : x + 16;
    tip.style.transform = `translate(${Math.round(left)}px, ${Math.round(y + 12)}px)`;
    if (canvasRef.current) canvasRef.current.style.cursor = 'pointer';
  };
  const hideTip = () => {
    hovered.current = null;
    if (tipRef.current) tipRef.current.style.display = 'none';
    if (canvasRef.current) canvasRef.current.style.cursor = '';
  };

  // A new request (zoom to a module, Reset zoom, another run) replaces the view.
  useLayoutEffect(() => {
    setView(props.request.range);
    // Keyed on the request's sequence number, not its range object: a re-render that builds an
    // equal range must not reset a view the user has since zoomed or panned.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.request.seq, props.full.startUs, props.full.endUs]);

  // Anything else that changes the picture (selection, theme, rows) only redraws.
  useEffect(schedule);

  // Size follows the box; wheel and pointer listeners bound once.
  useEffect(() => {
    const wrap = wrapRef.current;
    const canvas = canvasRef.current;
    if (!wrap || !canvas) return undefined;
    const observer = new ResizeObserver(() => {
      size.current.width = wrap.clientWidth;
      schedule();
    });
    observer.observe(wrap);
    size.current.width = wrap.clientWidth;

    const plotX = (clientX: number) => clientX - canvas.getBoundingClientRect().left - (latest.current.plotLeft ?? 0);
    const rowAt = (clientY: number) => {
      const p = latest.current;
      return Math.floor((clientY - canvas.getBoundingClientRect().top - (p.top ?? 4)) / p.rowHeight);
    };

    const onWheel = (e: WheelEvent) => {
      const p = latest.current;
      const width = plotWidth();
      const x = plotX(e.clientX);
      if (x < 0 || x > width) return;
      e.preventDefault();
      const dx = e.deltaMode === 1 ? e.deltaX * 16 : e.deltaX;
      const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      const span = view.current.endUs - view.current.startUs;
      if (e.shiftKey || Math.abs(dx) > Math.abs(dy))
        setView(panRange(view.current, p.full, ((e.shiftKey ? dy : dx) / width) * span));
      else setView(zoomRange(view.current, p.full, x / width, wheelZoomFactor(dy)));
      hideTip();
    };

    let drag: { x: number; startUs: number; moved: boolean; id: number } | null = null;
    const onDown = (e: PointerEvent) => {
      if (e.button !== 0) return;
      drag = { x: e.clientX, startUs: view.current.startUs, moved: false, id: e.pointerId };
      canvas.setPointerCapture(e.pointerId);
    };
    const onMove = (e: PointerEvent) => {
      const p = latest.current;
      if (drag) {
        const dx = e.clientX - drag.x;
        if (Math.abs(dx) >= DRAG_PX) drag.moved = true;
        if (drag.moved) {
          const span = view.current.endUs - view.current.startUs;
          const start = drag.startUs - (dx / plotWidth()) * span;
          setView({ startUs: start, endUs: start + span });
          hideTip();
          return;
        }
      }
      const id = hitTest(p.rows[rowAt(e.clientY)], view.current, plotWidth(), plotX(e.clientX), 2);
      if (id === null) hideTip();
      else showTip(id, e.clientX, e.clientY);
    };
    const onUp = (e: PointerEvent) => {
      if (!drag) return;
      const wasDrag = drag.moved;
      drag = null;
      if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
      if (wasDrag) return;
      const p = latest.current;
      const id = hitTest(p.rows[rowAt(e.clientY)], view.current, plotWidth(), plotX(e.clientX), 2);
      if (id !== null) p.onPick?.(id);
    };
    const onKey = (e: KeyboardEvent) => {
      const p = latest.current;
      const span = view.current.endUs - view.current.startUs;
      if (e.key === 'ArrowLeft') setView(panRange(view.current, p.full, -span * 0.2));
      else if (e.key === 'ArrowRight') setView(panRange(view.current, p.full, span * 0.2));
      else if (e.key === '+' || e.key === '=') setView(zoomRange(view.current, p.full, 0.5, 0.7));
      else if (e.key === '-' || e.key === '_') setView(zoomRange(view.current, p.full, 0.5, 1 / 0.7));
      else if (e.key === '0') setView(p.full);
      else return;
      e.preventDefault();
    };
    const onLeave = () => hideTip();
    canvas.addEventListener('wheel', onWheel, { passive: false });
    canvas.addEventListener('pointerdown', onDown);
    canvas.addEventListener('pointermove', onMove);
    canvas.addEventListener('pointerup', onUp);
    canvas.addEventListener('pointerleave', onLeave);
    canvas.addEventListener('keydown', onKey);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame.current);
      frame.current = 0;
      window.clearTimeout(labelsTimer.current);
      canvas.removeEventListener('wheel', onWheel);
      canvas.removeEventListener('pointerdown', onDown);
      canvas.removeEventListener('pointermove', onMove);
      canvas.removeEventListener('pointerup', onUp);
      canvas.removeEventListener('pointerleave', onLeave);
      canvas.removeEventListener('keydown', onKey);
    };
    // Bound once: the handlers read the current view and props through refs, so re-binding on
    // every render would only drop a drag in progress.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const tipStyle: CSSProperties = {
    display: 'none',
    position: 'absolute',
    left: 0,
    top: 0,
    pointerEvents: 'none',
    zIndex: 3,
    maxWidth: 420,
    padding: '6px 8px',
    borderRadius: 4,
    fontSize: 12,
    background: props.theme.bg,
    color: props.theme.fg,
    border: `1px solid ${props.theme.border}`,
    boxShadow: '0 2px 10px rgba(0,0,0,.2)',
    whiteSpace: 'normal',
  };
  return (
    <div ref={wrapRef} className={className} style={{ position: 'relative', width: '100%', height }}>
      <canvas
        ref={canvasRef}
        role="img"
        aria-label={label}
        tabIndex={0}
        style={{ display: 'block', width: '100%', height, touchAction: 'none' }}
      />
      <div ref={tipRef} className="chart-tip" role="tooltip" style={tipStyle} />
    </div>
  );
}

/** The toolbar button every time chart has: shows everything again; off when nothing is zoomed. */
export function ResetZoomButton({ zoomed, onReset }: { readonly zoomed: boolean; readonly onReset: () => void }) {
  return (
    <button type="button" className="results-button" disabled={!zoomed} onClick={onReset}>
      Reset zoom
    </button>
  );
}
