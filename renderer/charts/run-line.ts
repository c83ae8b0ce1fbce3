/** Run-by-run latency: the cold first run, then every timed run in order, with p50 and p90 lines. */
import type { EChartsOption } from 'echarts';
import { formatMs } from '../../shared/format.js';
import type { Report } from '../../shared/report.js';
import { axisStyle, LIGHT_THEME, tooltipStyle, type ChartTheme, CHART_BASE, legendStyle } from './theme.js';
import { tooltipTable } from './tooltip.js';

/** Series names, so views and tests find them. */
export const RUN_LINE_SERIES = { timed: 'Timed runs', cold: 'Cold run' } as const;

/**
 * Latency per run: x = run number (0 is the cold run of a fresh session, 1..n the timed runs),
 * y = ms. The cold run is its own series with a distinct symbol and colour, since it is kept out of
 * the statistics.
 */
export function buildRunLineOption(report: Report, theme: ChartTheme = LIGHT_THEME): EChartsOption {
  const { samplesMs, coldMs, p50Ms, p90Ms } = report.latency;
  const timed = samplesMs.map((ms, i) => [i + 1, ms]);
  const axis = axisStyle(theme);
  return {
    ...CHART_BASE,
    // The right margin holds the p50/p90 labels, clear of the runs and of the x axis.
    grid: { left: 64, right: 84, top: 36, bottom: 48 },
    legend: legendStyle(theme),
    tooltip: {
      ...tooltipStyle(theme),
      trigger: 'item',
      formatter: (p: unknown) => {
        const { seriesName, value } = p as { seriesName: string; value: number[] };
        const run = value[0]!;
        const title = seriesName === RUN_LINE_SERIES.cold ? 'Cold run (first run of a fresh session)' : `Run ${run}`;
        return tooltipTable(title, [['Latency', formatMs(value[1]!)]]);
      },
    },
    xAxis: {
      type: 'value',
      name: 'run',
      nameLocation: 'middle',
      nameGap: 30,
      min: 0,
      max: Math.max(1, samplesMs.length),
      minInterval: 1,
      ...axis,
      // The last run's number stays inside the plot, clear of the p50 label in the margin.
      axisLabel: { ...axis.axisLabel, alignMaxLabel: 'right' },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      name: 'latency',
      scale: true,
      ...axis,
      axisLabel: { ...axis.axisLabel, formatter: (v: number) => formatMs(v) },
    },
    series: [
      {
        type: 'line',
        name: RUN_LINE_SERIES.timed,
        data: timed,
        showSymbol: samplesMs.length <= 200,
        symbolSize: 4,
        lineStyle: { color: theme.accent, width: 1.5 },
        itemStyle: { color: theme.accent },
        markLine:
          samplesMs.length > 0
            ? {
                silent: true,
                symbol: 'none',
                lineStyle: { color: theme.muted, type: 'dashed' },
                // Labels past the right end of the plot, where no run is drawn: p90 just over its
                // line and p50 just under its own, so two close percentiles still read apart.
                label: {
                  color: theme.muted,
                  fontSize: 10,
                  position: 'end',
                  distance: 4,
                  formatter: (p: unknown) => (p as { name: string }).name,
                },
                data: [
                  { name: `p50 ${formatMs(p50Ms)}`, yAxis: p50Ms, label: { offset: [0, 6] } },
                  { name: `p90 ${formatMs(p90Ms)}`, yAxis: p90Ms, label: { offset: [0, -6] } },
                ],
              }
            : undefined,
      },
      {
        type: 'scatter',
        name: RUN_LINE_SERIES.cold,
        data: Number.isFinite(coldMs) ? [[0, coldMs]] : [],
        symbol: 'diamond',
        symbolSize: 13,
        itemStyle: { color: theme.cold, borderColor: theme.bg, borderWidth: 1 },
        label: {
          show: true,
          position: 'right',
          color: theme.cold,
          fontSize: 11,
          formatter: () => `cold ${formatMs(coldMs)}`,
        },
        z: 3,
      },
    ],
  };
}
