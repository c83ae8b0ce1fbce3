/**
 * Timeline: one lane per thread, one box per kernel call, for a chosen profiled run; under it, the
 * machine's CPU load per core and the worker's memory over the whole profile.
 */
import { useMemo, useState } from 'react';
import type { ECElementEvent } from 'echarts/core';
import { describeSampling, formatUs } from '../../../shared/format.js';
import type { Report } from '../../../shared/report.js';
import { chartTheme } from '../../charts/theme.js';
import { buildSystemLoadOption, temperatureRange } from '../../charts/system-load.js';
import { buildTimelineOption, TIMELINE_DIM, timelineChartHeight, timelineLayoutOf } from '../../charts/timeline.js';
import { EChart, usePrefersDark } from '../../components/echart.js';
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
  const option = useMemo(
    () => buildTimelineOption(report, run, { selectedLayer: selected, theme }),
    [report, run, selected, theme],
  );
  const layout = timelineLayoutOf(report, run);
  const systemLoad = useMemo(() => buildSystemLoadOption(report, { runIndex: run, theme }), [report, run, theme]);

  const onItemClick = (event: ECElementEvent) => {
    const value = event.value as number[] | undefined;
    const layer = value?.[TIMELINE_DIM.layer];
    if (layer !== undefined && report.layers[layer]) selectLayer(layer);
  };

  if (report.runs.length === 0) return <p className="muted">This profile recorded no profiled runs to draw.</p>;
  return (
    <div className="timeline">
      <div className="chart-toolbar">
        <label className="results-field">
          <span>Run</span>
          <select aria-label="Profiled run" value={run} onChange={(e) => setRunIndex(Number(e.target.value))}>
            {report.runs.map((r, i) => (
              <option key={i} value={i}>
                Run {i + 1} of {report.runs.length} ({formatUs(r.durUs)})
              </option>
            ))}
          </select>
        </label>
        <span className="muted">
          {formatWhole(layout.boxes.length, 'kernel calls')} on {formatWhole(layout.lanes.length, layout.lanes.length === 1 ? 'thread' : 'threads')}
          {layout.lanes.length > 0 &&
            ' · busy ' + layout.lanes.map((l) => `thread ${l.tid} ${formatUs(l.busyUs)}`).join(', ')}
        </span>
      </div>
      <p className="hint muted">Scroll to zoom, drag or use the slider to pan; click a box to select its layer.</p>
      <FallbackHint report={report} />
      <EChart
        option={option}
        height={timelineChartHeight(report, run)}
        label={`Timeline of run ${run + 1}, one lane per thread`}
        dark={dark}
        resetKey={run}
        onItemClick={onItemClick}
        className="timeline-chart"
      />
      <OpLegend report={report} theme={theme} />
      {systemLoad && (
        <figure className="chart-card system-load">
          <figcaption>
            System load during the profile{' '}
            <span className="hint muted">
              — CPU load per core, memory in use machine-wide and the worker’s resident memory, sampled by the parent process, not the
              worker ({report.system ? describeSampling(report.system) : 'not sampled'}). <TemperatureText report={report} />{' '}
              {report.profiledStartEpochMs
                ? 'Time 0 is the start of the profiled session; samples before it cover loading and the timing pass. The shaded band spans the profiled runs, the line marks the run above.'
                : 'This report does not record when its runs began, so the samples are shown from the first one.'}
            </span>
          </figcaption>
          <EChart option={systemLoad} height={220} label="CPU load per core, system memory and worker memory during the profile" dark={dark} className="system-load-chart" />
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
