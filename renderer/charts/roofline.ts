/**
 * The roofline chart: every layer with FLOPs placed by arithmetic intensity (FLOPs per byte of
 * working set, x) and achieved GFLOP/s (y), both on log axes, under this machine's two roofs: the
 * memory slope (bandwidth × intensity) up to the ridge, the flat compute peak after it.
 *
 * Worked example with peak 120 GFLOP/s and 14.5 GB/s: the ridge is at 8.28 FLOP/byte; a layer at
 * 0.25 FLOP/byte can reach at most 3.6 GFLOP/s and sits left of the ridge, memory-bound.
 */
import type { EChartsOption } from 'echarts';
import { formatGflops, formatGops, formatShare, formatUs } from '../../shared/format.js';
import type { Report, RooflinePoint } from '../../shared/report.js';
import { axisStyle, LIGHT_THEME, tooltipStyle, type ChartTheme, legendStyle } from './theme.js';
import { tooltipTable } from './tooltip.js';

/** Options of the roofline chart besides the report. */
export interface RooflineOptions {
  readonly selectedLayer?: number | null;
  readonly theme?: ChartTheme;
}

/** Column indexes of a point's value array: [intensity, achieved GFLOP/s, layer]. */
export const ROOFLINE_DIM = { intensity: 0, gflops: 1, layer: 2 } as const;

/** Colours of the two kinds of point. */
export function boundColor(bound: RooflinePoint['boundBy'], theme: ChartTheme = LIGHT_THEME): string {
  if (bound === 'memory') return theme.dark ? '#ee8a5c' : '#c8553d';
  return theme.dark ? '#5aa9ff' : '#1f6fc9';
}

/** Powers of ten bracketing `values`, for a log axis. */
export function decadeRange(values: readonly number[]): [number, number] {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return [0.1, 10];
  const lo = 10 ** Math.floor(Math.log10(Math.min(...positive)));
  let hi = 10 ** Math.ceil(Math.log10(Math.max(...positive)));
  if (hi <= lo) hi = lo * 10;
  return [lo, hi];
}

/** "0.25", "8.3", "170": intensities and rates at a readable precision. */
export function formatIntensity(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  if (value >= 0.1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** The roof polyline across [xMin, xMax]: the memory slope, the ridge, the flat peak. */
export function roofPolyline(peakGflops: number, bandwidthGBs: number, xMin: number, xMax: number): [number, number][] {
  const ridge = peakGflops / bandwidthGBs;
  const points: [number, number][] = [];
  if (xMin < ridge) points.push([xMin, bandwidthGBs * xMin]);
  points.push([ridge, peakGflops]);
  if (xMax > ridge) points.push([xMax, peakGflops]);
  return points;
}

/**
 * The roof's points tagged for labels: a point half-way (in log space) up the memory slope for the
 * bandwidth, the ridge, and the right end of the flat peak.
 */
export function roofWithLabels(
  roof: readonly [number, number][],
  ridgeIntensity: number,
  xMin: number,
): [number, number, 'slope' | 'bandwidth' | 'ridge' | 'peak'][] {
  const out: [number, number, 'slope' | 'bandwidth' | 'ridge' | 'peak'][] = [];
  roof.forEach(([x, y], i) => {
    if (x === ridgeIntensity) {
      if (i > 0) {
        const mid = Math.sqrt(xMin * ridgeIntensity);
        out.push([mid, (y / ridgeIntensity) * mid, 'bandwidth']);
      }
      out.push([x, y, 'ridge']);
    } else out.push([x, y, x > ridgeIntensity ? 'peak' : 'slope']);
  });
  return out;
}

/**
 * Where on the memory slope to write the bandwidth: the intensity whose label box (just above and
 * to the left of that point of the slope, sized as a share of the log axes) holds the fewest
 * layer points, the middle of the slope on a tie. Points drawn on top of the label hid it.
 *
 * Example: with the slope from 0.01 to 17 FLOP/byte and layers clustered at 0.08-0.12, the label
 * moves up the slope, past the cluster, instead of sitting on it half-way (log) at 0.4.
 */
export function bandwidthLabelIntensity(
  points: readonly { readonly intensity: number; readonly achievedGflops: number }[],
  bandwidthGBs: number,
  ridge: number,
  [xMin, xMax]: readonly [number, number],
  [yMin, yMax]: readonly [number, number],
): number {
  const lx0 = Math.log10(xMin);
  const lx1 = Math.log10(Math.min(ridge, xMax));
  const spanX = Math.log10(xMax) - lx0;
  const spanY = Math.log10(yMax) - Math.log10(yMin);
  const boxW = 0.16 * spanX; // about the text's width on a ~900 px chart
  const boxH = 0.1 * spanY;
  const logPoints = points
    .filter((p) => p.intensity > 0 && p.achievedGflops > 0)
    .map((p) => [Math.log10(p.intensity), Math.log10(p.achievedGflops)] as const);
  let best = { t: 0.5, hits: Infinity, fromMiddle: Infinity };
  for (let t = 0.2; t <= 0.801; t += 0.05) {
    const lx = lx0 + t * (lx1 - lx0);
    const ly = Math.log10(bandwidthGBs) + lx;
    const hits = logPoints.filter(
      ([px, py]) => px >= lx - boxW && px <= lx + 0.02 * spanX && py >= ly - 0.02 * spanY && py <= ly + boxH,
    ).length;
    const fromMiddle = Math.abs(t - 0.5);
    if (hits < best.hits || (hits === best.hits && fromMiddle < best.fromMiddle)) best = { t, hits, fromMiddle };
  }
  return 10 ** (lx0 + best.t * (lx1 - lx0));
}

/** The roofline chart, or null when the report has no roofline (non-CPU EPs, or none measured). */
export function buildRooflineOption(report: Report, options: RooflineOptions = {}): EChartsOption | null {
  const roofline = report.roofline;
  if (!roofline || !(roofline.peakGflops > 0) || !(roofline.memBandwidthGBs > 0)) return null;
  const theme = options.theme ?? LIGHT_THEME;
  const axis = axisStyle(theme);
  const { peakGflops, memBandwidthGBs, ridgeIntensity, points } = roofline;
  const selected = options.selectedLayer ?? null;

  const [xMin, xMax] = decadeRange([...points.map((p) => p.intensity), ridgeIntensity * 4, ridgeIntensity / 4]);
  const [yMin, yMaxRaw] = decadeRange([
    ...points.map((p) => p.achievedGflops),
    memBandwidthGBs * xMin,
    peakGflops * 1.5,
  ]);
  // int8 layers sit under their own compute roof, drawn dashed where the report has any.
  const int8Peak = roofline.peakInt8Gops && points.some((p) => p.precision === 'int8') ? roofline.peakInt8Gops : null;
  const yMax = Math.max(yMaxRaw, peakGflops * 2, (int8Peak ?? 0) * 1.5);
  // Point area grows with the layer's time, so the layers worth fixing stand out.
  const maxUs = Math.max(1e-9, ...points.map((p) => report.layers[p.layer]?.meanUs ?? 0));
  const size = (layer: number) => 6 + 14 * Math.sqrt((report.layers[layer]?.meanUs ?? 0) / maxUs);

  const scatter = (bound: RooflinePoint['boundBy'], name: string) => ({
    type: 'scatter' as const,
    name,
    data: points
      .filter((p) => p.boundBy === bound)
      .map((p) => ({
        value: [p.intensity, p.achievedGflops, p.layer],
        symbolSize: size(p.layer),
        ...(p.layer === selected ? { itemStyle: { borderColor: theme.fg, borderWidth: 2, opacity: 1 } } : {}),
      })),
    itemStyle: { color: boundColor(bound, theme), opacity: 0.75 },
    emphasis: { itemStyle: { opacity: 1, borderColor: theme.fg, borderWidth: 1 } },
  });
  const roof = roofPolyline(peakGflops, memBandwidthGBs, xMin, xMax);
  const bandwidthAt = bandwidthLabelIntensity(points, memBandwidthGBs, ridgeIntensity, [xMin, xMax], [yMin, yMax]);
  const selectedPoint = points.find((p) => p.layer === selected);

  return {
    animation: false,
    backgroundColor: 'transparent',
    aria: {
      enabled: true,
      label: {
        description: `Roofline: ${points.length} layers by arithmetic intensity and achieved GFLOP/s under a peak of ${formatGflops(peakGflops)} and ${memBandwidthGBs.toFixed(1)} GB/s.`,
      },
    },
    grid: { left: 72, right: 28, top: 36, bottom: 48 },
    legend: { ...legendStyle(theme), data: ['Memory-bound', 'Compute-bound'], itemWidth: 10 },
    tooltip: {
      ...tooltipStyle(theme),
      trigger: 'item',
      formatter: (p: unknown) => {
        const value = (p as { value: number[]; seriesType?: string }).value;
        const point = points.find((q) => q.layer === value?.[ROOFLINE_DIM.layer]);
        const layer = point ? report.layers[point.layer] : undefined;
        if (!point || !layer) return '';
        return tooltipTable(layer.name || `#${layer.index}`, [
          ['Op type', layer.opType],
          ['Intensity', `${formatIntensity(point.intensity)} FLOP/byte`],
          ['Achieved', formatGflops(point.achievedGflops)],
          ['Roof here', formatGflops(point.roofGflops)],
          ['Efficiency', `${formatShare(point.efficiency)} of the roof`],
          ['Bound by', point.boundBy === 'memory' ? 'memory bandwidth' : 'compute'],
          ['Mean time', formatUs(layer.meanUs)],
          ['Fits in', layer.cacheLevel ?? '–'],
        ]);
      },
    },
    xAxis: {
      type: 'log',
      min: xMin,
      max: xMax,
      name: 'arithmetic intensity (FLOP/byte)',
      nameLocation: 'middle',
      nameGap: 28,
      ...axis,
      axisLabel: { ...axis.axisLabel, formatter: (v: number) => formatIntensity(v) },
    },
    yAxis: {
      type: 'log',
      min: yMin,
      max: yMax,
      name: 'achieved GFLOP/s',
      ...axis,
      axisLabel: { ...axis.axisLabel, formatter: (v: number) => formatIntensity(v) },
    },
    series: [
      scatter('memory', 'Memory-bound'),
      scatter('compute', 'Compute-bound'),
      {
        type: 'line',
        name: 'Roof',
        silent: true,
        symbol: 'circle',
        symbolSize: 0,
        showSymbol: true,
        // Labels ride on the roof's own points: the ridge, the peak at the right end, the bandwidth
        // half-way up the slope (a markLine label would inherit a hidden line's opacity).
        data: roofWithLabels(roof, ridgeIntensity, xMin).map(([x, y, kind]) => {
          const text = { color: theme.muted, fontSize: 11 };
          if (kind === 'ridge') {
            return {
              value: [x, y],
              symbol: 'circle',
              symbolSize: 7,
              itemStyle: { color: theme.fg },
              label: {
                show: true,
                position: 'top',
                ...text,
                formatter: `ridge ${formatIntensity(ridgeIntensity)} FLOP/B`,
              },
            };
          }
          if (kind === 'peak') {
            return {
              value: [x, y],
              label: {
                show: true,
                position: 'top',
                align: 'right',
                ...text,
                color: theme.fg,
                fontWeight: 'bold',
                formatter: `peak ${formatGflops(peakGflops)}`,
              },
            };
          }
          return { value: [x, y] };
        }),
        lineStyle: { color: theme.fg, width: 2 },
        z: 1,
      },
      ...(int8Peak
        ? [
            {
              type: 'line' as const,
              name: 'int8 roof',
              silent: true,
              symbol: 'none',
              data: roofPolyline(int8Peak, memBandwidthGBs, xMin, xMax).filter(
                ([x]) => x >= int8Peak / memBandwidthGBs,
              ),
              lineStyle: { color: theme.fg, width: 1.5, type: 'dashed' as const },
              endLabel: {
                show: true,
                color: theme.fg,
                fontSize: 11,
                offset: [-150, -10],
                formatter: `int8 peak ${formatGops(int8Peak)}`,
              },
              tooltip: { show: false },
              z: 1,
            },
          ]
        : []),
      // The bandwidth, written above the slope where no layer point sits, in its own series
      // drawn over the points (the roof line itself stays under them).
      {
        type: 'scatter' as const,
        name: 'Bandwidth',
        silent: true,
        symbolSize: 0,
        data: [[bandwidthAt, memBandwidthGBs * bandwidthAt]],
        label: {
          show: true,
          position: 'left',
          offset: [-2, -10],
          color: theme.fg,
          fontSize: 11,
          fontWeight: 'bold',
          backgroundColor: theme.bg,
          padding: [1, 4],
          borderRadius: 3,
          formatter: `${memBandwidthGBs.toFixed(1)} GB/s`,
        },
        tooltip: { show: false },
        z: 4,
      },
      ...(selectedPoint
        ? [
            {
              type: 'scatter' as const,
              name: 'Selected',
              silent: true,
              data: [[selectedPoint.intensity, selectedPoint.achievedGflops, selectedPoint.layer]],
              symbolSize: size(selectedPoint.layer) + 10,
              itemStyle: { color: 'transparent', borderColor: theme.accent, borderWidth: 2.5 },
              z: 5,
            },
          ]
        : []),
    ],
  };
}
