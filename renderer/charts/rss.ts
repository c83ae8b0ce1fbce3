/**
 * Worker memory over time, from the system samples the parent took during the profile: the
 * worker's resident set, with its peak marked. Complements the arena view, which is per layer.
 */
import type { EChartsOption } from 'echarts';
import { formatBytes, formatMs } from '../../shared/format.js';
import type { Report } from '../../shared/report.js';
import { niceByteStep } from './memory.js';
import { axisStyle, LIGHT_THEME, tooltipStyle, type ChartTheme } from './theme.js';
import { tooltipTable } from './tooltip.js';

/** The [ms since the first sample, worker RSS bytes] points of a report; empty without samples. */
export function rssPoints(report: Report): [number, number][] {
  const samples = report.system?.samples ?? [];
  const t0 = samples[0]?.epochMs ?? 0;
  const points: [number, number][] = [];
  for (const s of samples) {
    if (s.workerRssBytes !== null && Number.isFinite(s.workerRssBytes)) points.push([s.epochMs - t0, s.workerRssBytes]);
  }
  return points;
}

/** Worker RSS over the profile, or null when the report has no RSS samples to draw. */
export function buildRssOption(report: Report, theme: ChartTheme = LIGHT_THEME): EChartsOption | null {
  const points = rssPoints(report);
  if (points.length === 0) return null;
  const axis = axisStyle(theme);
  const peak = Math.max(report.memory.peakRssBytes, ...points.map((p) => p[1]));
  const step = niceByteStep(peak);
  return {
    animation: false,
    backgroundColor: 'transparent',
    aria: { enabled: true, label: { description: 'Worker resident memory over the profile.' } },
    grid: { left: 80, right: 130, top: 24, bottom: 48 },
    tooltip: {
      ...tooltipStyle(theme),
      trigger: 'axis',
      formatter: (ps: unknown) => {
        const p = (ps as { value: number[] }[])[0];
        if (!p) return '';
        return tooltipTable(`${formatMs(p.value[0]!)} into the profile`, [['Worker RSS', formatBytes(p.value[1]!)]]);
      },
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: Math.max(1, points[points.length - 1]![0]),
      name: 'time since the first sample',
      nameLocation: 'middle',
      nameGap: 28,
      ...axis,
      splitLine: { show: false },
      axisLabel: { ...axis.axisLabel, hideOverlap: true, formatter: (v: number) => (v === 0 ? '0' : formatMs(v)) },
    },
    yAxis: {
      type: 'value',
      min: 0,
      interval: step,
      max: Math.max(step, Math.ceil((peak * 1.02) / step) * step),
      ...axis,
      axisLabel: { ...axis.axisLabel, formatter: (v: number) => formatBytes(v) },
    },
    series: [
      {
        type: 'line',
        name: 'Worker RSS',
        data: points,
        showSymbol: points.length <= 60,
        symbolSize: 4,
        lineStyle: { color: theme.cold, width: 1.5 },
        itemStyle: { color: theme.cold },
        areaStyle: { color: theme.cold, opacity: 0.12 },
        markLine: {
          silent: true,
          symbol: 'none',
          label: {
            color: theme.muted,
            fontSize: 10,
            position: 'end',
            formatter: (p: unknown) => (p as { name: string }).name,
          },
          data: [
            {
              name: `peak RSS ${formatBytes(report.memory.peakRssBytes)}`,
              yAxis: report.memory.peakRssBytes,
              lineStyle: { color: theme.warn, type: 'dashed' },
            },
          ],
        },
      },
    ],
  };
}
