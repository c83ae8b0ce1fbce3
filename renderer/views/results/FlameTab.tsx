/**
 * Flame graph: frames from the module hierarchy, width = time, drawn on a canvas. Click a module to
 * zoom into it, a layer to select it; the wheel zooms, a drag pans, the breadcrumb and Reset zoom
 * zoom back out.
 */
import { useCallback, useMemo, useState } from 'react';
import { flameAncestry } from '../../view-models/flame-tree.js';
import { formatShare, formatUs } from '../../../shared/format.js';
import type { Report } from '../../../shared/report.js';
import { flameLookOf, flameRange, flameRowsOf, flameTreeOf, FLAME_ROW_PX } from '../../charts/flame.js';
import { chartTheme } from '../../charts/theme.js';
import type { ViewRange } from '../../charts/canvas/view-range.js';
import { usePrefersDark } from '../../components/echart.js';
import { lookProps, ResetZoomButton, TimeCanvas, type ViewRequest } from '../../components/time-canvas.js';
import { useAppStore } from '../../store/index.js';
import { OpLegend } from './OpLegend.js';
import { FallbackHint } from './FallbackHint.js';

/** The Flame graph tab. */
export function FlameTab({ report }: { readonly report: Report }) {
  const dark = usePrefersDark();
  const theme = chartTheme(dark);
  const selected = useAppStore((s) => s.selectedLayer);
  const selectLayer = useAppStore((s) => s.selectLayer);
  const tree = flameTreeOf(report);
  const rows = flameRowsOf(report);
  const look = flameLookOf(report, theme);
  const moduleFill = theme.moduleFill;
  const canvasLook = useMemo(() => lookProps(look, moduleFill), [look, moduleFill]);
  const full = useMemo(() => flameRange(report), [report]);
  const [zoomKey, setZoomKey] = useState<string | null>(null);
  const [request, setRequest] = useState<ViewRequest>({ range: full, seq: 0 });
  // Whether the view shows less than everything: zoomed by a click, the wheel, a drag or the keys.
  const [zoomed, setZoomed] = useState(false);
  const zoomTo = (key: string | null) => {
    setZoomKey(key);
    setRequest((r) => ({ range: flameRange(report, key), seq: r.seq + 1 }));
  };
  const onView = useCallback((_: ViewRange, isFull: boolean) => setZoomed(!isFull), []);
  const selectedFrames = useMemo(() => {
    const id = selected === null ? undefined : look.frameOfLayer.get(selected);
    return new Set(id === undefined ? [] : [id]);
  }, [selected, look]);
  const zoomId = zoomKey === null ? undefined : tree.byKey.get(zoomKey);
  const crumbs = zoomId === undefined ? [] : flameAncestry(tree, zoomId);
  const zoomedFrame = zoomId === undefined ? undefined : tree.frames[zoomId];

  const onPick = (id: number) => {
    const frame = tree.frames[id];
    if (!frame) return;
    if (frame.layer !== null) selectLayer(frame.layer);
    else zoomTo(frame.key === zoomKey ? (frame.parent === null ? null : tree.frames[frame.parent]!.key) : frame.key);
  };

  if (report.layers.length === 0) return <p className="muted">This profile has no layers to draw.</p>;
  return (
    <div className="flame">
      <div className="chart-toolbar">
        <nav aria-label="Flame graph zoom" className="breadcrumb">
          <ol>
            <li>
              <button
                type="button"
                className="crumb"
                aria-current={zoomKey === null ? 'true' : undefined}
                onClick={() => zoomTo(null)}
              >
                All layers
              </button>
            </li>
            {crumbs.map((f) => (
              <li key={f.key}>
                <button
                  type="button"
                  className="crumb"
                  aria-current={f.key === zoomKey ? 'true' : undefined}
                  onClick={() => zoomTo(f.key)}
                >
                  {f.label}
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <span className="muted">
          {zoomedFrame
            ? `${formatUs(zoomedFrame.widthUs)} per run, ${formatShare(tree.totalUs > 0 ? zoomedFrame.widthUs / tree.totalUs : 0)} of layer time`
            : `${formatUs(tree.totalUs)} per run over ${report.layers.length.toLocaleString('en-US')} layers`}
        </span>
        <ResetZoomButton zoomed={zoomKey !== null || zoomed} onReset={() => zoomTo(null)} />
      </div>
      <FallbackHint report={report} />
      <p className="hint muted">
        Width is each layer’s own mean time per run (an If or Loop without the layers of its subgraph, which have frames
        of their own). Click a module to zoom in, a layer to select it; scroll to zoom, drag to pan (or focus the chart:
        ← → pan, + − zoom, 0 resets).
      </p>
      <TimeCanvas
        rows={rows}
        full={full}
        request={request}
        rowHeight={FLAME_ROW_PX}
        selected={selectedFrames}
        theme={theme}
        {...canvasLook}
        onPick={onPick}
        onView={onView}
        label={`Flame graph of layer time by module: ${tree.frames.length.toLocaleString('en-US')} frames, width is time`}
        className="flame-chart"
      />
      <OpLegend report={report} theme={theme} />
    </div>
  );
}
