/**
 * Arena memory across the node sequence: the arena in use after each layer, in execution order,
 * with the arena peak and (when on a comparable scale) the worker's peak RSS as reference lines.
 */
import type { EChartsOption } from 'echarts';
import { formatBytes } from '../../shared/format.js';
import { buildArenaSeries } from '../view-models/memory-series.js';
import type { Report } from '../../shared/report.js';
import { axisStyle, LIGHT_THEME, tooltipStyle, xZoom, type ChartTheme } from './theme.js';
import { tooltipTable } from './tooltip.js';

/** Options of the memory chart besides the report. */
export interface MemoryOptions {
  readonly selectedLayer?: number | null;
  readonly theme?: ChartTheme;
}

/** Peak RSS is drawn on the arena chart only when it is at most this many times the arena's peak. */
export const RSS_LINE_MAX_RATIO = 4;

/**
 * A tick step in binary units for a byte axis reaching `maxBytes` with about `ticks` ticks:
 * 1, 2, 4, 8... × 1 B, KiB, MiB or GiB, so labels read "4 MiB, 8 MiB" rather than "8.58 MiB".
 */
export function niceByteStep(maxBytes: number, ticks = 5): number {
  if (!(maxBytes > 0)) return 1;
  const raw = maxBytes / ticks;
  const unit = 1024 ** Math.max(0, Math.min(4, Math.floor(Math.log(raw) / Math.log(1024))));
  const steps = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
  return (steps.find((s) => s * unit >= raw) ?? 1024) * unit;
}

/** True when at least one layer reported arena memory, i.e. the memory chart has something to draw. */
export function hasArenaData(report: Report): boolean {
  return report.layers.some((l) => l.arenaInUseBytes !== null);
}

/**
 * The arena-in-use line: x = step in execution order, y = bytes. Each data item is
 * [step, bytes | null, layer index]. Reference lines: arena peak, peak RSS (if comparable),
 * the selected layer's step.
 */
export function buildMemoryOption(report: Report, options: MemoryOptions = {}): EChartsOption {
  const theme = options.theme ?? LIGHT_THEME;
  const series = buildArenaSeries(report.layers);
  const data = series.map((s) => [s.step, s.arenaInUseBytes, s.layer]);
  const axis = axisStyle(theme);
  const maxArena = series.reduce((m, s) => Math.max(m, s.arenaInUseBytes ?? 0), 0);
  const arenaPeak = report.memory.arenaPeakBytes ?? (maxArena > 0 ? maxArena : null);
  const rss = report.memory.peakRssBytes;
  const showRss = rss > 0 && arenaPeak !== null && rss <= arenaPeak * RSS_LINE_MAX_RATIO;
  const selectedStep = series.find((s) => s.layer === options.selectedLayer)?.step;

  const top = Math.max(maxArena, arenaPeak ?? 0, showRss ? rss : 0);
  const step = niceByteStep(top);
  const lines: object[] = [];
  if (arenaPeak !== null) {
    lines.push({
      name: `arena peak ${formatBytes(arenaPeak)}`,
      yAxis: arenaPeak,
      lineStyle: { color: theme.warn, type: 'dashed' },
    });
  }
  if (showRss)
    lines.push({ name: `peak RSS ${formatBytes(rss)}`, yAxis: rss, lineStyle: { color: theme.cold, type: 'dashed' } });
  if (selectedStep !== undefined) {
    lines.push({ name: 'selected', xAxis: selectedStep, lineStyle: { color: theme.accent, type: 'solid', width: 2 } });
  }

  return {
    animation: false,
    backgroundColor: 'transparent',
    aria: { enabled: true, label: { description: `Arena memory in use after each of ${series.length} layers.` } },
    grid: { left: 80, right: 140, top: 24, bottom: 72 },
    tooltip: {
      ...tooltipStyle(theme),
      trigger: 'axis',
      axisPointer: { type: 'line', lineStyle: { color: theme.muted } },
      formatter: (ps: unknown) => {
        const p = (ps as { value: (number | null)[] }[])[0];
        if (!p) return '';
        const layer = report.layers[p.value[2] as number];
        const bytes = p.value[1];
        return tooltipTable(layer?.name ?? '', [
          ['Step', `${(p.value[0] as number) + 1} of ${series.length}`],
          ['Op type', layer?.opType ?? '–'],
          ['Arena in use', bytes === null || bytes === undefined ? 'not reported' : formatBytes(bytes)],
        ]);
      },
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: Math.max(1, series.length - 1),
      name: 'layers in execution order',
      nameLocation: 'middle',
      nameGap: 28,
      minInterval: 1,
      ...axis,
      axisLabel: { ...axis.axisLabel, hideOverlap: true },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      // Along the axis, not over it: the selected layer's label goes on top of the plot.
      name: 'arena in use',
      nameLocation: 'middle',
      nameGap: 62,
      min: 0,
      interval: step,
      max: Math.max(step, Math.ceil((top * 1.02) / step) * step),
      ...axis,
      axisLabel: { ...axis.axisLabel, formatter: (v: number) => formatBytes(v) },
    },
    dataZoom: xZoom(theme),
    series: [
      {
        type: 'line',
        name: 'Arena in use',
        data,
        showSymbol: false,
        connectNulls: false,
        step: 'end',
        sampling: 'lttb',
        lineStyle: { color: theme.accent, width: 1.5 },
        itemStyle: { color: theme.accent },
        areaStyle: { color: theme.accent, opacity: 0.15 },
        markLine:
          lines.length > 0
            ? {
                silent: true,
                symbol: 'none',
                label: {
                  color: theme.muted,
                  fontSize: 10,
                  position: 'end',
                  formatter: (p: unknown) => (p as { name: string }).name,
                },
                data: lines as never,
              }
            : undefined,
      },
    ],
  };
}
