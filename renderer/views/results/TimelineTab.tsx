/**
 * Timeline: one lane per thread, one box per kernel call, for a chosen profiled run; under it, the
 * machine's CPU load per core and the worker's memory over the whole profile.
 */
import { useCallback, useMemo, useState } from 'react';
import { describeSampling, formatUs } from '../../../shared/format.js';
import type { Report } from '../../../shared/report.js';
import { chartTheme } from '../../charts/theme.js';
import { buildSystemLoadOption, temperatureRange } from '../../charts/system-load.js';
import {
  boxesOfLayer,
  timelineLayoutOf,
  timelineLookOf,
  timelineRowsOf,
  TIMELINE_GUTTER_PX,
  TIMELINE_ROW_PX,
} from '../../charts/timeline.js';
import type { ViewRange } from '../../charts/canvas/view-range.js';
import { EChart, usePrefersDark } from '../../components/echart.js';
import { lookProps, ResetZoomButton, TimeCanvas, type ViewRequest } from '../../components/time-canvas.js';
import { useAppStore } from '../../store/index.js';
import { formatWhole } from './view-format.js';
import { OpLegend } from './OpLegend.js';
import { FallbackHint } from './FallbackHint.js';

/** The Timeline tab. */
export function TimelineTab({ report }: { readonly report: Report }) {
  const dark = usePrefersDark();
  const theme = chartTheme(dark);
  const selected = useAppStore((s) => s.selectedLayer);
  const selectLayer = useAppStore((s) => s.selectLayer);
  const [runIndex, setRunIndex] = useState(0);
  const run = Math.min(runIndex, Math.max(0, report.runs.length - 1));
  const layout = timelineLayoutOf(report, run);
  const rows = timelineRowsOf(layout);
  const look = timelineLookOf(report, run, theme);
  const moduleFill = theme.moduleFill;
  const canvasLook = useMemo(() => lookProps(look, moduleFill), [look, moduleFill]);
  const full = useMemo(() => ({ startUs: 0, endUs: Math.max(1, layout.endUs) }), [layout]);
  const [request, setRequest] = useState<ViewRequest>({ range: full, seq: 0 });
  const [zoomed, setZoomed] = useState(false);
  const onView = useCallback((_: ViewRange, isFull: boolean) => setZoomed(!isFull), []);
  const selectedBoxes = useMemo(() => boxesOfLayer(layout, selected), [layout, selected]);
  const rowLabels = useMemo(() => layout.lanes.map((l) => ({ row: l.firstRow, text: `thread ${l.tid}` })), [layout]);
  const separators = useMemo(() => layout.lanes.slice(1).map((l) => l.firstRow), [layout]);
  const systemLoad = useMemo(() => buildSystemLoadOption(report, { runIndex: run, theme }), [report, run, theme]);
  const nested = layout.lanes.some((l) => l.depth > 1);

  const onPick = (box: number) => {
    const layer = layout.boxes[box]?.layer;
    if (layer !== undefined && report.layers[layer]) selectLayer(layer);
  };

  if (report.runs.length === 0) return <p className="muted">This profile recorded no profiled runs to draw.</p>;
  return (
    <div className="timeline">
      <div className="chart-toolbar">
        <label className="results-field">
          <span>Run</span>
          <select
            aria-label="Profiled run"
            value={run}
            onChange={(e) => {
              setRunIndex(Number(e.target.value));
              setRequest((r) => ({
                range: { startUs: 0, endUs: Math.max(1, timelineLayoutOf(report, Number(e.target.value)).endUs) },
                seq: r.seq + 1,
              }));
            }}
          >
            {report.runs.map((r, i) => (
              <option key={i} value={i}>
                Run {i + 1} of {report.runs.length} ({formatUs(r.durUs)})
              </option>
            ))}
          </select>
        </label>
        <span className="muted">
          {formatWhole(layout.boxes.length, 'kernel calls')} on{' '}
          {formatWhole(layout.lanes.length, layout.lanes.length === 1 ? 'thread' : 'threads')}
          {layout.lanes.length > 0 &&
            ' · busy ' + layout.lanes.map((l) => `thread ${l.tid} ${formatUs(l.busyUs)}`).join(', ')}
        </span>
        <ResetZoomButton zoomed={zoomed} onReset={() => setRequest((r) => ({ range: full, seq: r.seq + 1 }))} />
      </div>
      <p className="hint muted">
        Scroll to zoom, drag to pan (or focus the chart: ← → pan, + − zoom, 0 resets); click a box to select its layer.
        {nested &&
          ' Calls that ran inside another (the layers of an If or Loop subgraph) sit one row below it; busy time counts them once.'}
      </p>
      <FallbackHint report={report} />
      <TimeCanvas
        rows={rows}
        full={full}
        request={request}
        rowHeight={TIMELINE_ROW_PX}
        boxHeight={TIMELINE_ROW_PX - 4}
        plotLeft={TIMELINE_GUTTER_PX}
        plotRight={16}
        rowLabels={rowLabels}
        rowSeparators={separators}
        selected={selectedBoxes}
        theme={theme}
        {...canvasLook}
        onPick={onPick}
        onView={onView}
        label={`Timeline of run ${run + 1}: ${layout.boxes.length.toLocaleString('en-US')} kernel calls on ${layout.lanes.length} threads`}
        className="timeline-chart"
      />
      <OpLegend report={report} theme={theme} />
      {systemLoad && (
        <figure className="chart-card system-load">
          <figcaption>
            System load during the profile{' '}
            <span className="hint muted">
              — CPU load per core, memory in use machine-wide and the worker’s resident memory, sampled by the parent
              process, not the worker ({report.system ? describeSampling(report.system) : 'not sampled'}).{' '}
              <TemperatureText report={report} />{' '}
              {report.profiledStartEpochMs
                ? 'Time 0 is the start of the profiled session; samples before it cover loading and the timing pass. The shaded band spans the profiled runs, the line marks the run above.'
                : 'This report does not record when its runs began, so the samples are shown from the first one.'}
            </span>
          </figcaption>
          <EChart
            option={systemLoad}
            height={220}
            label="CPU load per core, system memory and worker memory during the profile"
            dark={dark}
            className="system-load-chart"
          />
        </figure>
      )}
    </div>
  );
}

/** The CPU temperature over the profile, or that this machine does not expose one. */
function TemperatureText({ report }: { readonly report: Report }) {
  const range = temperatureRange(report);
  if (!range) return <>CPU temperature: not readable on this machine (usual in VMs).</>;
  return (
    <>
      CPU temperature {range.minC.toFixed(0)}–{range.maxC.toFixed(0)} °C.
    </>
  );
}
