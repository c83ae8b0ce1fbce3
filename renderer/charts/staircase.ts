/**
 * The machine's staircase: load latency (top) and copy bandwidth (bottom) against working-set size,
 * as one core measured them, with the cache sizes layers are placed by drawn across both. Each layer
 * sits on the bandwidth panel at its working set and the bytes per second it moved, so a layer far
 * under the curve at its size is not limited by where its data lives.
 */
import type { EChartsOption } from 'echarts';
import { formatBytes, formatUs } from '../../shared/format.js';
import { containerNames } from '../../shared/layer-time.js';
import { bandwidthAt } from '../../shared/memory-hierarchy.js';
import type { CacheLevel, MemoryCurvePoint, Report } from '../../shared/report.js';
import { axisStyle, LIGHT_THEME, tooltipStyle, type ChartTheme } from './theme.js';
import { tooltipTable } from './tooltip.js';
import { cacheLevelColor, cacheSizeLines, formatByteTick } from './working-set.js';

/** Column indexes of a layer point's value: [working-set bytes, achieved GB/s, layer index]. */
export const STAIRCASE_DIM = { bytes: 0, gbs: 1, layer: 2 } as const;

/** One layer on the bandwidth panel. */
export interface StaircaseLayer {
  readonly layer: number;
  readonly bytes: number; // working set
  readonly achievedGBs: number; // working set / mean time
  readonly machineGBs: number | null; // what the machine's copy delivered at that size
  readonly level: CacheLevel | null;
}

/** Layers with a working set and a time, control-flow containers left out (their time is their subgraph's). */
export function staircaseLayers(report: Report): StaircaseLayer[] {
  const hierarchy = report.device.memoryHierarchy;
  const containers = containerNames(report.layers);
  return report.layers
    .filter((l) => (l.workingSetBytes ?? 0) > 0 && l.meanUs > 0 && !containers.has(l.name))
    .map((l) => ({
      layer: l.index,
      bytes: l.workingSetBytes!,
      achievedGBs: l.workingSetBytes! / (l.meanUs * 1e3),
      machineGBs: hierarchy ? bandwidthAt(hierarchy, l.workingSetBytes!) : null,
      level: l.cacheLevel ?? null,
    }));
}

/** Options of the staircase chart besides the report. */
export interface StaircaseOptions {
  readonly selectedLayer?: number | null;
  readonly theme?: ChartTheme;
}

/** The two-panel staircase; null when the report has no measured hierarchy. */
export function buildStaircaseOption(report: Report, options: StaircaseOptions = {}): EChartsOption | null {
  const hierarchy = report.device.memoryHierarchy;
  if (!hierarchy || hierarchy.latencyNs.length === 0) return null;
  const theme = options.theme ?? LIGHT_THEME;
  const axis = axisStyle(theme);
  const layers = staircaseLayers(report);
  const cacheLines = cacheSizeLines(report.device.caches);
  const sizes = hierarchy.latencyNs.map((p) => p.bytes);
  const minX = Math.min(...sizes, ...layers.map((l) => l.bytes));
  const maxX = Math.max(...sizes, ...layers.map((l) => l.bytes));
  const selected = options.selectedLayer ?? null;
  const xAxis = (gridIndex: number, name: string | undefined) => ({
    type: 'log' as const,
    logBase: 4,
    gridIndex,
    min: 4 ** Math.floor(Math.log(minX) / Math.log(4)),
    max: 4 ** Math.ceil(Math.log(maxX) / Math.log(4)),
    name,
    nameLocation: 'middle' as const,
    nameGap: 26,
    ...axis,
    axisLabel: { ...axis.axisLabel, formatter: (v: number) => formatByteTick(v) },
  });
  const boundaryLines = (withLabels: boolean) =>
    cacheLines.length
      ? {
          silent: true,
          symbol: 'none',
          label: withLabels
            ? {
                position: 'insideEndTop' as const,
                fontSize: 11,
                formatter: (p: unknown) => (p as { name: string }).name,
              }
            : { show: false },
          data: cacheLines.map(([name, bytes, level]) => ({
            name: `${name} ${formatByteTick(bytes)}`,
            xAxis: bytes,
            lineStyle: { color: cacheLevelColor(level, theme), type: 'dashed' as const, width: 1.5 },
            label: { color: cacheLevelColor(level, theme) },
          })),
        }
      : undefined;
  // One measured curve on its own grid (0: latency, 1: bandwidth); the latency curve names the caches.
  const curve = (
    name: string,
    grid: 0 | 1,
    color: string,
    points: readonly MemoryCurvePoint[],
    withLabels: boolean,
  ) => ({
    type: 'line' as const,
    name,
    xAxisIndex: grid,
    yAxisIndex: grid,
    symbolSize: 4,
    lineStyle: { color, width: 2 },
    itemStyle: { color },
    data: points.map((p) => [p.bytes, p.value]),
    markLine: boundaryLines(withLabels),
  });

  return {
    animation: false,
    backgroundColor: 'transparent',
    aria: {
      enabled: true,
      label: {
        description: `Load latency and copy bandwidth against working-set size, measured at ${sizes.length} sizes, with ${cacheLines.length} cache sizes marked and ${layers.length} layers placed by their working sets.`,
      },
    },
    grid: [
      { left: 72, right: 32, top: 28, height: '34%' },
      { left: 72, right: 32, bottom: 44, height: '40%' },
    ],
    legend: {
      top: 0,
      right: 32,
      textStyle: { color: theme.muted, fontSize: 11 },
      data: ['load latency', 'copy bandwidth'], // layers: the dots, named in the caption
    },
    tooltip: {
      ...tooltipStyle(theme),
      trigger: 'item',
      formatter: (p: unknown) => {
        const { seriesName, value } = p as { seriesName: string; value: number[] };
        if (seriesName === 'layers') {
          const row = layers.find((l) => l.layer === value[STAIRCASE_DIM.layer]);
          const layer = report.layers[value[STAIRCASE_DIM.layer]!];
          if (!row || !layer) return '';
          return tooltipTable(layer.name || `#${layer.index}`, [
            ['Op type', layer.opType],
            ['Working set', formatBytes(row.bytes)],
            ['Fits in', row.level ?? 'unknown'],
            ['Moved', `${row.achievedGBs.toPrecision(3)} GB/s in ${formatUs(layer.meanUs)}`],
            ['Machine at this size', row.machineGBs === null ? '–' : `${row.machineGBs.toPrecision(3)} GB/s (copy)`],
          ]);
        }
        const unit =
          seriesName === 'load latency' ? `${value[1]!.toFixed(1)} ns per load` : `${value[1]!.toPrecision(3)} GB/s`;
        return tooltipTable(`${formatBytes(value[0]!)} working set`, [[seriesName, unit]]);
      },
    },
    xAxis: [xAxis(0, undefined), xAxis(1, 'working set (bytes touched)')],
    yAxis: [
      {
        type: 'log',
        gridIndex: 0,
        name: 'ns per load',
        ...axis,
        axisLabel: { ...axis.axisLabel, formatter: (v: number) => `${v}` },
      },
      {
        type: 'log',
        gridIndex: 1,
        name: 'GB/s',
        ...axis,
        axisLabel: { ...axis.axisLabel, formatter: (v: number) => `${v}` },
      },
    ],
    series: [
      curve('load latency', 0, theme.accent, hierarchy.latencyNs, true),
      curve('copy bandwidth', 1, theme.muted, hierarchy.bandwidthGBs, false),
      {
        type: 'scatter',
        name: 'layers',
        xAxisIndex: 1,
        yAxisIndex: 1,
        symbolSize: 7,
        itemStyle: { color: theme.fg },
        data: layers.map((l) => ({
          value: [l.bytes, l.achievedGBs, l.layer],
          itemStyle:
            l.layer === selected
              ? { color: theme.accent, borderColor: theme.fg, borderWidth: 1.5 }
              : { color: cacheLevelColor(l.level, theme), opacity: 0.85 },
          symbolSize: l.layer === selected ? 12 : 7,
        })),
      },
    ],
  };
}
