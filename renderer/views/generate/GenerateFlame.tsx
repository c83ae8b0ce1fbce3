/**
 * The Generation view's flame graph of the profiled pass by module, in the phase the switch picks,
 * drawn by the app's canvas chart. Click a module to zoom into it (again to zoom out); the wheel
 * zooms, a drag pans, Reset zoom shows everything.
 */
import { useCallback, useMemo, useState } from 'react';
import { formatUs } from '../../../shared/format.js';
import type { GeneratePhase, GenerateReport } from '../../../shared/generate.js';
import { FLAME_ROW_PX } from '../../charts/flame.js';
import { buildGenerateFlame, type GenerateFlame as GenerateFlameData } from '../../charts/generate-flame.js';
import type { ViewRange } from '../../charts/canvas/view-range.js';
import type { ChartTheme } from '../../charts/theme.js';
import { ResetZoomButton, TimeCanvas, type ViewRequest } from '../../components/time-canvas.js';

const NOTHING: ReadonlySet<number> = new Set();

// The range a zoom into module `key` shows: the module's frame, or everything.
function zoomRange(flame: GenerateFlameData, key: string | null): ViewRange {
  const id = key === null ? undefined : flame.tree.byKey.get(key);
  const f = id === undefined ? undefined : flame.tree.frames[id];
  return f && f.widthUs > 0 ? { startUs: f.startUs, endUs: f.startUs + f.widthUs } : flame.full;
}

/** The flame graph of `report` in `phase`. */
export function GenerateFlame(props: {
  readonly report: GenerateReport;
  readonly phase: GeneratePhase;
  readonly theme: ChartTheme;
}) {
  const { report, phase, theme } = props;
  const flame = buildGenerateFlame(report, phase, theme);
  const [zoom, setZoom] = useState<{ key: string | null; phase: GeneratePhase }>({ key: null, phase });
  // Another phase is another graph: its frames have other widths, so a zoom does not carry over.
  const zoomKey = zoom.phase === phase ? zoom.key : null;
  const [seq, setSeq] = useState(0);
  // Whether the wheel, a drag or the keys show less than everything (Reset zoom then applies too).
  const [zoomed, setZoomed] = useState(false);
  const onView = useCallback((_: ViewRange, isFull: boolean) => setZoomed(!isFull), []);
  const range = useMemo(() => zoomRange(flame, zoomKey), [flame, zoomKey]);
  const request = useMemo<ViewRequest>(() => ({ range, seq }), [range, seq]);
  const zoomTo = (key: string | null) => {
    setZoom({ key, phase });
    setSeq((s) => s + 1);
  };
  const onPick = (id: number) => {
    const f = flame.tree.frames[id];
    if (!f || f.layer !== null) return;
    const parent = f.parent === null ? null : flame.tree.frames[f.parent]!.key;
    zoomTo(f.key === zoomKey ? parent : f.key);
  };
  if (report.layers.length === 0) return <p className="muted">The profiled pass recorded no kernel times.</p>;
  return (
    <div className="flame generate-flame">
      <div className="chart-toolbar">
        <span className="muted">
          {zoomKey ? `${zoomKey}: ` : ''}
          {formatUs(range.endUs - range.startUs)} {flame.unit}
          {phase === 'both' ? ' · orange prefill, blue decode' : ''}
        </span>
        <ResetZoomButton zoomed={zoomKey !== null || zoomed} onReset={() => zoomTo(null)} />
      </div>
      <TimeCanvas
        rows={flame.rows}
        full={flame.full}
        request={request}
        rowHeight={FLAME_ROW_PX}
        selected={NOTHING}
        outlined={NOTHING}
        theme={theme}
        fillOf={(id) => flame.fills[id] ?? theme.moduleFill}
        labelOf={(id) => flame.labels[id] ?? ''}
        tooltipOf={flame.tooltip}
        onPick={onPick}
        onView={onView}
        label={`Flame graph of the profiled generation by module, ${flame.unit}: width is time`}
        className="flame-chart"
      />
    </div>
  );
}
