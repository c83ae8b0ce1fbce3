/**
 * Flame graph: frames from the module hierarchy, width = time. Click a module to zoom into it, a
 * layer to select it; the breadcrumb zooms back out.
 */
import { useMemo, useState } from 'react';
import type { ECElementEvent } from 'echarts/core';
import { flameAncestry } from '../../../shared/flame-tree.js';
import { formatShare, formatUs } from '../../../shared/format.js';
import type { Report } from '../../../shared/report.js';
import { buildFlameOption, FLAME_DIM, flameChartHeight, flameTreeOf } from '../../charts/flame.js';
import { chartTheme } from '../../charts/theme.js';
import { EChart, usePrefersDark } from '../../components/echart.js';
import { useAppStore } from '../../store/index.js';
import { OpLegend } from './OpLegend.js';
import { FallbackHint } from './FallbackHint.js';

/** The Flame graph tab. */
export function FlameTab({ report }: { readonly report: Report }) {
  const dark = usePrefersDark();
  const theme = chartTheme(dark);
  const selected = useAppStore((s) => s.selectedLayer);
  const selectLayer = useAppStore((s) => s.selectLayer);
  const [zoomKey, setZoomKey] = useState<string | null>(null);
  const tree = flameTreeOf(report);
  const option = useMemo(
    () => buildFlameOption(report, zoomKey, { selectedLayer: selected, theme }),
    [report, zoomKey, selected, theme],
  );
  const zoomId = zoomKey === null ? undefined : tree.byKey.get(zoomKey);
  const crumbs = zoomId === undefined ? [] : flameAncestry(tree, zoomId);
  const zoomed = zoomId === undefined ? undefined : tree.frames[zoomId];

  const onItemClick = (event: ECElementEvent) => {
    const value = event.value as number[] | undefined;
    const frame = value ? tree.frames[value[FLAME_DIM.frame]!] : undefined;
    if (!frame) return;
    if (frame.layer !== null) selectLayer(frame.layer);
    else setZoomKey(frame.key === zoomKey ? (frame.parent === null ? null : tree.frames[frame.parent]!.key) : frame.key);
  };

  if (report.layers.length === 0) return <p className="muted">This profile has no layers to draw.</p>;
  return (
    <div className="flame">
      <div className="chart-toolbar">
        <nav aria-label="Flame graph zoom" className="breadcrumb">
          <ol>
            <li>
              <button type="button" className="crumb" aria-current={zoomKey === null ? 'true' : undefined} onClick={() => setZoomKey(null)}>
                All layers
              </button>
            </li>
            {crumbs.map((f) => (
              <li key={f.key}>
                <button
                  type="button"
                  className="crumb"
                  aria-current={f.key === zoomKey ? 'true' : undefined}
                  onClick={() => setZoomKey(f.key)}
                >
                  {f.label}
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <span className="muted">
          {zoomed
            ? `${formatUs(zoomed.widthUs)} per run, ${formatShare(tree.totalUs > 0 ? zoomed.widthUs / tree.totalUs : 0)} of layer time`
            : `${formatUs(tree.totalUs)} per run over ${report.layers.length} layers`}
        </span>
        <button type="button" className="results-button" disabled={zoomKey === null} onClick={() => setZoomKey(null)}>
          Reset zoom
        </button>
      </div>
      <FallbackHint report={report} />
      <p className="hint muted">
        Width is each layer’s own mean time per run (an If or Loop without the layers of its subgraph, which have frames of their own). Click a module to zoom in, a layer to select it; scroll to zoom, drag to pan.
      </p>
      <EChart
        option={option}
        height={flameChartHeight(report)}
        label="Flame graph of layer time by module"
        dark={dark}
        resetKey={zoomKey ?? ''}
        onItemClick={onItemClick}
        className="flame-chart"
      />
      <OpLegend report={report} theme={theme} />
    </div>
  );
}
