/**
 * Cold start against steady state, per layer: the layers whose time in the profiled session's first
 * run exceeds their warm mean the most (page-in of weights, arena growth, kernel prepacking), as
 * horizontal bars of cold and warm time side by side.
 */
import type { EChartsOption } from 'echarts';
import { formatUs } from '../../shared/format.js';
import type { Report } from '../../shared/report.js';
import { axisStyle, LIGHT_THEME, tooltipStyle, type ChartTheme, legendStyle } from './theme.js';
import { tooltipTable } from './tooltip.js';

/** One layer's cold and warm time. */
export interface ColdWarmRow {
  readonly layer: number; // index into report.layers
  readonly name: string;
  readonly coldUs: number; // in the profiled session's first run
  readonly warmUs: number; // mean over the warm profiled runs
  readonly excessUs: number; // coldUs - warmUs
}

/** Options of the cold-vs-warm chart besides the report. */
export interface ColdWarmOptions {
  readonly top?: number; // default 15
  readonly selectedLayer?: number | null;
  readonly theme?: ChartTheme;
}

/** The `top` layers whose cold time exceeds their warm time the most, largest excess first. */
export function coldWarmRows(report: Report, top = 15): ColdWarmRow[] {
  const layers = report.coldStart?.layers ?? [];
  return layers
    .map((l) => ({
      layer: l.layer,
      name: report.layers[l.layer]?.name || `#${l.layer}`,
      coldUs: l.coldUs,
      warmUs: l.warmUs,
      excessUs: l.coldUs - l.warmUs,
    }))
    .filter((r) => r.excessUs > 0)
    .sort((a, b) => b.excessUs - a.excessUs || a.layer - b.layer)
    .slice(0, Math.max(0, top));
}

/** Cold run over warm p50, or null when either is missing. */
export function coldWarmRatio(report: Report): number | null {
  const cs = report.coldStart;
  const cold = cs?.coldMs ?? report.latency.coldMs;
  const warm = cs?.warmP50Ms ?? report.latency.p50Ms;
  return cold > 0 && warm > 0 ? cold / warm : null;
}

const MAX_LABEL = 34;

/** A name cut from the left so its tail (the op and its module) stays readable. */
export function tailOf(name: string, max = MAX_LABEL): string {
  return name.length > max ? '…' + name.slice(name.length - max + 1) : name;
}

/** Height in pixels that fits `rows` bars. */
export function coldWarmChartHeight(rows: number): number {
  return Math.max(160, 60 + rows * 26);
}

/**
 * Horizontal bars, largest excess at the top: series 0 is cold, series 1 warm. Each item's value is
 * [µs, row]; the category axis holds the layer names. Null when no layer was slower cold.
 */
export function buildColdWarmOption(report: Report, options: ColdWarmOptions = {}): EChartsOption | null {
  const rows = coldWarmRows(report, options.top ?? 15);
  if (rows.length === 0) return null;
  const theme = options.theme ?? LIGHT_THEME;
  const axis = axisStyle(theme);
  const selected = options.selectedLayer ?? null;
  // The category axis runs bottom-up, so reverse to put the largest excess first at the top.
  const ordered = [...rows].reverse();
  const item = (value: number, r: ColdWarmRow, color: string) => ({
    value,
    itemStyle: { color, ...(r.layer === selected ? { borderColor: theme.accent, borderWidth: 2 } : {}) },
  });
  return {
    animation: false,
    backgroundColor: 'transparent',
    aria: {
      enabled: true,
      label: { description: `Cold against warm time of the ${rows.length} layers slowed most by a cold start.` },
    },
    grid: { left: 8, right: 64, top: 28, bottom: 36, containLabel: true },
    legend: { ...legendStyle(theme), data: ['First run (cold)', 'Warm mean'], itemWidth: 12 },
    tooltip: {
      ...tooltipStyle(theme),
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: unknown) => {
        const first = (ps as { dataIndex: number }[])[0];
        const row = first ? ordered[first.dataIndex] : undefined;
        if (!row) return '';
        const layer = report.layers[row.layer];
        return tooltipTable(row.name, [
          ['Op type', layer?.opType ?? '–'],
          ['First run', formatUs(row.coldUs)],
          ['Warm mean', formatUs(row.warmUs)],
          [
            'Cold costs',
            `${formatUs(row.excessUs)} more (${row.warmUs > 0 ? (row.coldUs / row.warmUs).toFixed(1) + '×' : '–'})`,
          ],
        ]);
      },
    },
    xAxis: {
      type: 'value',
      min: 0,
      name: 'time per run',
      nameLocation: 'middle',
      nameGap: 24,
      ...axis,
      axisLabel: { ...axis.axisLabel, hideOverlap: true, formatter: (v: number) => (v === 0 ? '0' : formatUs(v)) },
    },
    yAxis: {
      type: 'category',
      data: ordered.map((r) => tailOf(r.name)),
      ...axis,
      axisTick: { show: false },
      axisLabel: { ...axis.axisLabel, color: theme.fg },
      splitLine: { show: false },
    },
    series: [
      {
        type: 'bar',
        name: 'First run (cold)',
        data: ordered.map((r) => item(r.coldUs, r, theme.cold)),
        itemStyle: { color: theme.cold }, // for the legend's swatch
        barGap: '10%',
        barMaxWidth: 10,
        label: {
          show: true,
          position: 'right',
          color: theme.muted,
          fontSize: 10,
          formatter: (p: unknown) => formatUs((p as { value: number }).value),
        },
      },
      {
        type: 'bar',
        name: 'Warm mean',
        data: ordered.map((r) => item(r.warmUs, r, theme.accent)),
        itemStyle: { color: theme.accent },
        barMaxWidth: 10,
      },
    ],
  };
}
