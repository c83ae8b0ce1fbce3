/** The latency histogram of the timing pass (profiler off): how the timed runs spread. */
import type { EChartsOption } from 'echarts';
import { formatMs } from '../../shared/format.js';
import { binSamples } from '../view-models/histogram.js';
import type { Report } from '../../shared/report.js';
import { axisStyle, LIGHT_THEME, type ChartTheme, CHART_BASE, itemTooltip } from './theme.js';
import { tooltipTable } from './tooltip.js';

/** Histogram of `report.latency.samplesMs`: one bar per bin, labelled by the bin's range in ms. */
export function buildLatencyHistogramOption(report: Report, theme: ChartTheme = LIGHT_THEME): EChartsOption {
  const { edges, counts } = binSamples(report.latency.samplesMs);
  const labels = counts.map((_, i) => `${formatMs(edges[i]!)} – ${formatMs(edges[i + 1]!)}`);
  const axis = axisStyle(theme);
  return {
    ...CHART_BASE,
    grid: { left: 48, right: 16, top: 28, bottom: 48 },
    tooltip: itemTooltip(theme, (i) => {
      const n = counts[i] ?? 0;
      return tooltipTable(labels[i] ?? '', [['Timed runs', `${n} run${n === 1 ? '' : 's'}`]]);
    }),
    xAxis: {
      type: 'category',
      data: labels,
      name: 'latency per run',
      nameLocation: 'middle',
      nameGap: 30,
      ...axis,
      // The bin's lower edge keeps labels short; the tooltip gives the full range.
      axisLabel: { ...axis.axisLabel, hideOverlap: true, formatter: (_: string, i: number) => formatMs(edges[i]!) },
      axisTick: { ...axis.axisTick, alignWithLabel: false },
      splitLine: { show: false },
    },
    yAxis: { type: 'value', name: 'runs', minInterval: 1, ...axis },
    series: [
      {
        type: 'bar',
        name: 'Timed runs',
        data: [...counts],
        barCategoryGap: '8%',
        itemStyle: { color: theme.accent },
      },
    ],
  };
}
