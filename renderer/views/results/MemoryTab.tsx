/** Memory: peak RSS and arena cards, and the arena in use across the node sequence. */
import { useMemo } from 'react';
import { describeSampling, formatBytes } from '../../../shared/format.js';
import { buildArenaSeries } from '../../view-models/memory-series.js';
import type { Report } from '../../../shared/report.js';
import { buildMemoryOption, hasArenaData } from '../../charts/memory.js';
import { buildRssOption } from '../../charts/rss.js';
import { chartTheme } from '../../charts/theme.js';
import { ChartCard } from '../../components/chart-card.js';
import { usePrefersDark, type PlotPoint } from '../../components/echart.js';
import { useAppStore } from '../../store/index.js';
import { Cards } from './Cards.js';

/** The Memory tab. */
export function MemoryTab({ report }: { readonly report: Report }) {
  const dark = usePrefersDark();
  const theme = chartTheme(dark);
  const selected = useAppStore((s) => s.selectedLayer);
  const selectLayer = useAppStore((s) => s.selectLayer);
  const option = useMemo(
    () => buildMemoryOption(report, { selectedLayer: selected, theme }),
    [report, selected, theme],
  );
  const series = useMemo(() => buildArenaSeries(report.layers), [report]);
  const rss = useMemo(() => buildRssOption(report, theme), [report, theme]);
  const { memory } = report;
  const cards = [
    { label: 'Peak RSS', value: formatBytes(memory.peakRssBytes), hint: 'worker process, whole life' },
    { label: 'RSS after load', value: formatBytes(memory.rssAfterLoadBytes), hint: 'model loaded, before runs' },
    {
      label: 'Arena peak',
      value: memory.arenaPeakBytes === null ? 'not reported' : formatBytes(memory.arenaPeakBytes),
      hint: 'onnxruntime CPU arena',
    },
    { label: 'Weights', value: formatBytes(report.model.parameterBytes), hint: 'parameters in the model file' },
  ];

  const onPlotClick = (point: PlotPoint) => {
    const step = series[Math.round(point.x)];
    if (step) selectLayer(step.layer);
  };

  return (
    <div className="memory">
      <Cards label="Memory" cards={cards} />
      {hasArenaData(report) ? (
        <ChartCard
          caption="Arena memory in use after each layer, in execution order (click to select a layer)"
          option={option}
          height={360}
          label="Arena memory across the node sequence"
          dark={dark}
          resetKey={report.createdAt}
          onPlotClick={onPlotClick}
        />
      ) : (
        <p className="muted">
          onnxruntime reported no arena memory per layer for this run (some execution providers do not), so only the
          totals above are known.
        </p>
      )}
      {rss && (
        <ChartCard
          caption={`Worker resident memory during the profile (${report.system ? describeSampling(report.system) : 'not sampled'})`}
          option={rss}
          height={260}
          label="Worker resident memory over time"
          dark={dark}
        />
      )}
    </div>
  );
}
