/**
 * Working set per layer: the bytes each layer touches per run (weights + input activations +
 * outputs), in execution order, on a log axis with the sizes of one core's caches drawn as lines.
 * Bars are coloured by the smallest cache level the working set fits in, so "which layers spill to
 * DRAM" reads at a glance.
 */
import type { EChartsOption } from 'echarts';
import { formatBytes, formatUs } from '../../shared/format.js';
import { ownTimesUs } from '../../shared/layer-time.js';
import type { CacheLevel, CacheSizes, Report } from '../../shared/report.js';
import { axisStyle, LIGHT_THEME, tooltipStyle, xZoom, type ChartTheme } from './theme.js';
import { layerTooltipRows, tooltipTable } from './tooltip.js';

/** Cache levels from the closest to the core to the farthest. */
export const CACHE_LEVELS: readonly CacheLevel[] = ['L1', 'L2', 'L3', 'DRAM'];

/** One bar: a layer with a known working set. */
export interface WorkingSetRow {
  readonly step: number; // position among the bars, in execution order
  readonly layer: number; // index into report.layers
  readonly bytes: number;
  readonly level: CacheLevel | null; // null when the report has no cache sizes
}

/** Options of the working-set chart besides the report. */
export interface WorkingSetOptions {
  readonly selectedLayer?: number | null;
  readonly theme?: ChartTheme;
}

/** Column indexes of a bar's value array: [step, bytes, layer]. */
export const WORKING_SET_DIM = { step: 0, bytes: 1, layer: 2 } as const;

/** Colour of a cache level: green near the core, through blue and amber, to red for DRAM. */
export function cacheLevelColor(level: CacheLevel | null, theme: ChartTheme = LIGHT_THEME): string {
  const light = { L1: '#2f9e5b', L2: '#3b82c4', L3: '#d39a1c', DRAM: '#cf4a3c' };
  const dark = { L1: '#4fbf7a', L2: '#5aa2e0', L3: '#e0b040', DRAM: '#ee6b5c' };
  return level === null ? theme.muted : (theme.dark ? dark : light)[level];
}

/** The cache sizes drawn as lines on both byte-axis charts: [label, bytes, level], levels found only. */
export function cacheSizeLines(caches: CacheSizes | undefined): [string, number, CacheLevel][] {
  if (!caches) return [];
  return (
    [
      ['L1d', caches.l1d, 'L1'],
      ['L2', caches.l2, 'L2'],
      ['L3', caches.l3, 'L3'],
    ] as [string, number, CacheLevel][]
  ).filter(([, bytes]) => bytes > 0);
}

/** The bars: every layer with a working set, in execution order (report.layers is already so ordered). */
export function workingSetRows(report: Report): WorkingSetRow[] {
  const rows: WorkingSetRow[] = [];
  for (const layer of report.layers) {
    const bytes = layer.workingSetBytes ?? layer.parameterBytes + layer.activationBytes + layer.outputBytes;
    if (!(bytes > 0)) continue;
    rows.push({ step: rows.length, layer: layer.index, bytes, level: layer.cacheLevel ?? null });
  }
  return rows;
}

/**
 * Per cache level: how many layers fit it first and their own time per run (µs). Own time, so a
 * control-flow layer's small working set does not claim the time of the subgraph that ran inside it.
 */
export function countByLevel(report: Report): Record<CacheLevel, { layers: number; meanUs: number }> {
  const counts = Object.fromEntries(CACHE_LEVELS.map((l) => [l, { layers: 0, meanUs: 0 }])) as Record<
    CacheLevel,
    { layers: number; meanUs: number }
  >;
  const own = ownTimesUs(report.layers);
  for (const [i, layer] of report.layers.entries()) {
    if (!layer.cacheLevel) continue;
    counts[layer.cacheLevel].layers++;
    counts[layer.cacheLevel].meanUs += Math.max(0, own[i]!);
  }
  return counts;
}

/**
 * Tick labels of a power-of-two byte axis: "1 KiB", "64 KiB", "2 MiB" (whole numbers, no decimals),
 * falling back to formatBytes elsewhere.
 */
export function formatByteTick(bytes: number): string {
  if (!(bytes > 0)) return '0';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  const unit = Math.min(units.length - 1, Math.floor(Math.log2(bytes) / 10));
  const value = bytes / 1024 ** unit;
  return Number.isInteger(value) ? `${value} ${units[unit]}` : formatBytes(bytes);
}

/** Lowest and highest powers of 4 bracketing `values` (a log axis with base 4 keeps its ticks on them). */
export function powerOf4Range(values: readonly number[]): [number, number] {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return [1, 1024];
  const lo = Math.min(...positive);
  const hi = Math.max(...positive);
  return [4 ** Math.floor(Math.log(lo) / Math.log(4)), 4 ** Math.ceil(Math.log(hi * 1.05) / Math.log(4))];
}

/** The working-set bar chart with cache-size lines; each bar's value is [step, bytes, layer]. */
export function buildWorkingSetOption(report: Report, options: WorkingSetOptions = {}): EChartsOption {
  const theme = options.theme ?? LIGHT_THEME;
  const axis = axisStyle(theme);
  const rows = workingSetRows(report);
  const cacheLines = cacheSizeLines(report.device.caches);
  const [min, max] = powerOf4Range([...rows.map((r) => r.bytes), ...cacheLines.map(([, b]) => b)]);
  const selected = options.selectedLayer ?? null;

  return {
    animation: false,
    backgroundColor: 'transparent',
    aria: {
      enabled: true,
      label: { description: `Working set of ${rows.length} layers in execution order, with the cache sizes as lines.` },
    },
    grid: { left: 72, right: 96, top: 30, bottom: rows.length > 60 ? 64 : 44 },
    tooltip: {
      ...tooltipStyle(theme),
      trigger: 'item',
      formatter: (p: unknown) => {
        const value = (p as { value: number[] }).value;
        const layer = report.layers[value[WORKING_SET_DIM.layer]!];
        if (!layer) return '';
        return tooltipTable(layer.name || `#${layer.index}`, [
          ['Working set', formatBytes(value[WORKING_SET_DIM.bytes]!)],
          ['Fits in', layer.cacheLevel ?? 'unknown (no cache sizes)'],
          ['Step', `${value[WORKING_SET_DIM.step]! + 1} of ${rows.length}`],
          ...layerTooltipRows(layer).filter(([k]) =>
            ['Op type', 'Mean time', 'Activations', 'Parameters', 'Output'].includes(k),
          ),
        ]);
      },
    },
    xAxis: {
      type: 'category',
      data: rows.map((r) => String(r.step + 1)),
      name: 'layers in execution order',
      nameLocation: 'middle',
      nameGap: 26,
      ...axis,
      axisTick: { show: false },
      axisLabel: { ...axis.axisLabel, hideOverlap: true },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'log',
      logBase: 4,
      min,
      max,
      name: 'working set',
      ...axis,
      axisLabel: { ...axis.axisLabel, formatter: (v: number) => formatByteTick(v) },
    },
    dataZoom: rows.length > 60 ? xZoom(theme) : undefined,
    series: [
      {
        type: 'bar',
        name: 'Working set',
        barMaxWidth: 28,
        barCategoryGap: rows.length > 200 ? '5%' : '20%',
        data: rows.map((r) => ({
          value: [r.step, r.bytes, r.layer],
          itemStyle:
            r.layer === selected
              ? { color: theme.accent, borderColor: theme.fg, borderWidth: 1 }
              : { color: cacheLevelColor(r.level, theme) },
        })),
        markLine: cacheLines.length
          ? {
              silent: true,
              symbol: 'none',
              label: {
                position: 'end',
                fontSize: 11,
                formatter: (p: unknown) => (p as { name: string }).name,
              },
              data: cacheLines.map(([name, bytes, level]) => ({
                name: `${name} ${formatByteTick(bytes)}`,
                yAxis: bytes,
                lineStyle: { color: cacheLevelColor(level, theme), type: 'dashed', width: 1.5 },
                label: { color: cacheLevelColor(level, theme) },
              })),
            }
          : undefined,
      },
    ],
  };
}

/** Mean time of one cache level's layers, for the legend table: "1.2 ms". */
export function formatLevelTime(meanUs: number): string {
  return meanUs > 0 ? formatUs(meanUs) : '–';
}
