/**
 * Side-by-side bars of a comparison, one row per model: latency (p50 bar, p90 tick) or file size,
 * each labelled with its ratio to the baseline so "2.1× faster" or "3.9× smaller" reads at a glance.
 */
import type { EChartsOption } from 'echarts';
import type { Comparison } from '../../shared/compare.js';
import { speedShort } from '../../shared/compare-summary.js';
import { formatBytes, formatMs, ratioText } from '../../shared/format.js';
import { axisStyle, LIGHT_THEME, type ChartTheme, CHART_BASE, itemTooltip } from './theme.js';
import { tooltipTable } from './tooltip.js';
import { comparedModelRows } from './compare-pareto.js';

/** What the bars measure. */
export type CompareMetric = 'latency' | 'size';

export { ratioText } from '../../shared/format.js';

/** A label cut to `max` characters with an ellipsis, for category axes. */
export function shortLabel(label: string, max = 28): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/** Option of the latency or size bars; `chosen` is drawn in the accent colour. Data index = model index. */
export function buildCompareBarsOption(
  comparison: Comparison,
  metric: CompareMetric,
  chosen: number,
  theme: ChartTheme = LIGHT_THEME,
): EChartsOption {
  const models = comparison.models;
  const base = models[0]!;
  const value = (i: number) => (metric === 'latency' ? models[i]!.latency.p50Ms : models[i]!.bytes);
  const format = metric === 'latency' ? formatMs : formatBytes;
  const ratio = (i: number) =>
    // Speed only as the comparison's verdict says it: never "1.2× faster" when the interval includes 1.
    i === 0
      ? 'baseline'
      : metric === 'latency'
        ? speedShort(models[i]!, i)
        : ratioText(base.bytes, value(i), 'smaller', 'larger');
  const axis = axisStyle(theme);
  const series: EChartsOption['series'] = [
    {
      type: 'bar',
      name: metric === 'latency' ? 'p50' : 'File size',
      data: models.map((_, i) => ({
        value: value(i),
        itemStyle: {
          color: i === chosen ? theme.accent : i === 0 ? theme.muted : theme.palette[0],
          borderRadius: [0, 3, 3, 0],
        },
      })),
      barMaxWidth: 22,
    },
  ];
  if (metric === 'latency') {
    series.push({
      type: 'scatter',
      name: 'p90',
      data: models.map((m) => m.latency.p90Ms),
      symbol: 'rect',
      symbolSize: [2, 16],
      itemStyle: { color: theme.fg },
      z: 3,
    });
  }
  const largest = Math.max(...models.map((m, i) => Math.max(value(i), metric === 'latency' ? m.latency.p90Ms : 0)));
  const rows = {
    type: 'category' as const,
    // A category y axis counts from the bottom; inverse keeps the baseline on top, models in order.
    inverse: true,
    ...axis,
    splitLine: { show: false },
  };
  return {
    ...CHART_BASE,
    grid: { left: 8, right: 8, top: metric === 'latency' ? 28 : 12, bottom: 28, containLabel: true },
    legend:
      metric === 'latency'
        ? { top: 0, right: 0, data: ['p50', 'p90'], textStyle: { color: theme.muted, fontSize: 11 }, itemHeight: 10 }
        : undefined,
    tooltip: itemTooltip(theme, (i) =>
      tooltipTable(models[i]!.label, [...comparedModelRows(comparison, i), ['Against baseline', ratio(i)]]),
    ),
    xAxis: {
      type: 'value',
      max: largest * 1.02,
      ...axis,
      axisLabel: { ...axis.axisLabel, formatter: (v: number) => (v === 0 ? '0' : format(v)), hideOverlap: true },
    },
    // Model names on the left; the value and its ratio to the baseline on the right, clear of the bars and ticks.
    yAxis: [
      { ...rows, data: models.map((m) => shortLabel(m.label)) },
      {
        ...rows,
        position: 'right',
        data: models.map((_, i) => `${format(value(i))}  ${ratio(i)}`),
        axisLine: { show: false },
        axisTick: { show: false },
        axisLabel: { ...axis.axisLabel, color: theme.fg },
      },
    ],
    series,
  };
}
