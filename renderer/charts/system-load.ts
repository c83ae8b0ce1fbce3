/**
 * System load during a profile, for the Timeline tab: CPU load per core, the machine's memory in use
 * (as a share of all memory, on the same 0-100% axis) and the worker's resident memory, as the parent
 * process sampled them, on one time axis with the profiled runs marked. Temperatures, where the
 * machine exposes one, are in the tooltip and `temperatureRange`.
 *
 * Alignment: samples carry wall-clock epochMs; runs carry their start on the profiled session's
 * trace clock (`startUs`) and the report the wall-clock start of that session
 * (`profiledStartEpochMs`). Time 0 of the chart is that session's start, so samples before it belong
 * to the timing pass. Without those fields the axis starts at the first sample and no run is marked.
 */
import type { EChartsOption } from 'echarts';
import { formatBytes, formatMs } from '../../shared/format.js';
import type { Report } from '../../shared/report.js';
import { niceByteStep } from './memory.js';
import { axisStyle, LIGHT_THEME, tooltipStyle, type ChartTheme } from './theme.js';
import { escapeHtml } from '../../shared/html-escape.js';

/** The samples on the chart's clock. */
export interface SystemLoadSeries {
  readonly originEpochMs: number; // wall-clock time of x = 0
  readonly aligned: boolean; // true when x = 0 is the profiled session's start
  readonly cores: number;
  readonly cpu: [number, number][][]; // per core: [ms, percent]
  readonly rss: [number, number][]; // [ms, bytes]
  readonly memory: [number, number][]; // [ms, percent of all memory in use machine-wide]
  readonly temperature: [number, number][]; // [ms, °C], empty where the machine exposes none
  readonly runs: { readonly startMs: number; readonly endMs: number }[]; // profiled runs on the same clock
}

/** Options of the system-load chart besides the report. */
export interface SystemLoadOptions {
  readonly runIndex?: number | null; // the run shown in the timeline, marked on this chart
  readonly theme?: ChartTheme;
}

/** The report's samples and runs on one clock; null without samples. */
export function systemLoadSeries(report: Report): SystemLoadSeries | null {
  const samples = report.system?.samples ?? [];
  if (samples.length === 0) return null;
  const aligned = typeof report.profiledStartEpochMs === 'number' && report.profiledStartEpochMs > 0;
  const originEpochMs = aligned ? report.profiledStartEpochMs! : samples[0]!.epochMs;
  const cores = Math.max(0, ...samples.map((s) => s.cpuLoadPerCore.length));
  const cpu: [number, number][][] = Array.from({ length: cores }, () => []);
  const rss: [number, number][] = [];
  const memory: [number, number][] = [];
  const temperature: [number, number][] = [];
  const total = report.system?.memoryTotalBytes ?? 0;
  for (const s of samples) {
    const t = s.epochMs - originEpochMs;
    s.cpuLoadPerCore.forEach((load, core) => {
      if (Number.isFinite(load)) cpu[core]!.push([t, load]);
    });
    if (s.workerRssBytes !== null && Number.isFinite(s.workerRssBytes)) rss.push([t, s.workerRssBytes]);
    if (total > 0 && Number.isFinite(s.systemUsedBytes)) memory.push([t, (100 * s.systemUsedBytes) / total]);
    if (s.temperatureC !== null && Number.isFinite(s.temperatureC)) temperature.push([t, s.temperatureC]);
  }
  const runs = aligned
    ? report.runs.flatMap((r) =>
        typeof r.startUs === 'number' ? [{ startMs: r.startUs / 1000, endMs: (r.startUs + r.durUs) / 1000 }] : [],
      )
    : [];
  return { originEpochMs, aligned, cores, cpu, rss, memory, temperature, runs };
}

/** Lowest and highest CPU temperature sampled, or null where the machine exposes none (most VMs). */
export function temperatureRange(report: Report): { minC: number; maxC: number } | null {
  const temps = (report.system?.samples ?? [])
    .map((s) => s.temperatureC)
    .filter((t): t is number => t !== null && Number.isFinite(t));
  if (temps.length === 0) return null;
  return { minC: Math.min(...temps), maxC: Math.max(...temps) };
}

const MEMORY_SERIES = 'system memory';

/** CPU load per core (left axis, %) and worker RSS (right axis) over time; null without samples. */
export function buildSystemLoadOption(report: Report, options: SystemLoadOptions = {}): EChartsOption | null {
  const data = systemLoadSeries(report);
  if (!data) return null;
  const theme = options.theme ?? LIGHT_THEME;
  const axis = axisStyle(theme);
  const times = [
    ...data.cpu.flat().map((p) => p[0]),
    ...data.rss.map((p) => p[0]),
    ...data.runs.flatMap((r) => [r.startMs, r.endMs]),
  ];
  const xMin = Math.min(0, ...times);
  const xMax = Math.max(xMin + 1, ...times);
  const peakRss = Math.max(0, ...data.rss.map((p) => p[1]));
  const rssStep = niceByteStep(peakRss || 1, 4);
  const coreColors = theme.palette;
  const run = options.runIndex ?? null;
  const chosen = run !== null ? data.runs[run] : undefined;
  const pass = data.runs.length
    ? { start: Math.min(...data.runs.map((r) => r.startMs)), end: Math.max(...data.runs.map((r) => r.endMs)) }
    : null;

  const marks: object[] = [];
  // Time 0 gets a plain line (the axis label already reads "0"); only the chosen run is named.
  if (data.aligned)
    marks.push({
      name: 'profiled session',
      xAxis: 0,
      lineStyle: { color: theme.muted, type: 'dotted' },
      label: { show: false },
    });
  if (chosen)
    marks.push({
      name: `run ${run! + 1}`,
      xAxis: chosen.startMs,
      lineStyle: { color: theme.accent, type: 'solid', width: 2 },
    });

  const cpuSeries = data.cpu.map((points, core) => ({
    type: 'line' as const,
    name: `core ${core}`,
    data: points,
    yAxisIndex: 0,
    showSymbol: points.length <= 40,
    symbolSize: 3,
    lineStyle: { width: 1.25, color: coreColors[core % coreColors.length] },
    itemStyle: { color: coreColors[core % coreColors.length] },
    ...(core === 0
      ? {
          markArea: pass
            ? {
                silent: true,
                itemStyle: { color: theme.accent, opacity: 0.08 },
                // Unlabelled: the caption says what the band is, and a label would collide with the run's.
                label: { show: false },
                data: [[{ name: 'profiled runs', xAxis: pass.start }, { xAxis: pass.end }]] as never,
              }
            : undefined,
          markLine: marks.length
            ? {
                silent: true,
                symbol: 'none',
                label: {
                  color: theme.accent,
                  fontSize: 10,
                  position: 'end' as const,
                  formatter: (p: unknown) => (p as { name: string }).name,
                },
                data: marks as never,
              }
            : undefined,
        }
      : {}),
  }));

  return {
    animation: false,
    backgroundColor: 'transparent',
    aria: {
      enabled: true,
      label: {
        description: `CPU load of ${data.cores} cores, system memory in use and the worker's resident memory during the profile.`,
      },
    },
    grid: { left: 56, right: 80, top: 36, bottom: 40 },
    legend: {
      top: 0,
      left: 'center',
      textStyle: { color: theme.muted, fontSize: 11 },
      itemWidth: 14,
      itemHeight: 8,
      data: [
        ...data.cpu.map((_, i) => `core ${i}`),
        ...(data.memory.length ? [MEMORY_SERIES] : []),
        ...(data.rss.length ? ['worker RSS'] : []),
      ],
    },
    tooltip: {
      ...tooltipStyle(theme),
      trigger: 'axis',
      formatter: (ps: unknown) => {
        const list = ps as { seriesName: string; value: number[] }[];
        const first = list[0];
        if (!first) return '';
        const t = first.value[0]!;
        const title = data.aligned
          ? `${t < 0 ? '−' + formatMs(-t) + ' before' : formatMs(t) + ' after'} the profiled session began`
          : `${formatMs(t)} into the profile`;
        const value = (p: { seriesName: string; value: number[] }) =>
          p.seriesName === 'worker RSS'
            ? formatBytes(p.value[1]!)
            : p.seriesName === MEMORY_SERIES
              ? `${p.value[1]!.toFixed(1)}% of ${formatBytes(report.system!.memoryTotalBytes)}`
              : `${p.value[1]!.toFixed(0)}%`;
        const sample = data.temperature.find((x) => x[0] === t);
        const rows =
          list
            .map(
              (p) =>
                `<tr><td style="opacity:.7;padding-right:10px">${escapeHtml(p.seriesName)}</td><td>${escapeHtml(value(p))}</td></tr>`,
            )
            .join('') +
          (sample
            ? `<tr><td style="opacity:.7;padding-right:10px">CPU temperature</td><td>${sample[1].toFixed(0)} °C</td></tr>`
            : '');
        return `<div style="font-weight:600;margin-bottom:4px">${escapeHtml(title)}</div><table>${rows}</table>`;
      },
    },
    xAxis: {
      type: 'value',
      min: xMin,
      max: xMax,
      name: data.aligned ? 'time from the profiled session’s start' : 'time since the first sample',
      nameLocation: 'middle',
      nameGap: 26,
      ...axis,
      splitLine: { show: false },
      axisLabel: {
        ...axis.axisLabel,
        hideOverlap: true,
        formatter: (v: number) => (v === 0 ? '0' : (v < 0 ? '−' : '') + formatMs(Math.abs(v))),
      },
    },
    yAxis: [
      {
        type: 'value',
        min: 0,
        max: 100,
        interval: 25,
        name: 'CPU, memory %',
        position: 'left',
        nameLocation: 'end',
        ...axis,
        // The x axis crosses 0 (the profiled session's start): keep this axis at the left edge.
        axisLine: { ...axis.axisLine, onZero: false },
        axisLabel: { ...axis.axisLabel, formatter: (v: number) => `${v}%` },
      },
      {
        type: 'value',
        min: 0,
        interval: rssStep,
        max: Math.max(rssStep, Math.ceil((peakRss * 1.02) / rssStep) * rssStep),
        name: 'worker RSS',
        position: 'right',
        ...axis,
        // Like the left axis: without this its line and name sit where x is 0, over the left one's.
        axisLine: { ...axis.axisLine, onZero: false },
        splitLine: { show: false },
        axisLabel: { ...axis.axisLabel, formatter: (v: number) => formatBytes(v) },
      },
    ],
    series: [
      ...cpuSeries,
      ...(data.memory.length
        ? [
            {
              type: 'line' as const,
              name: MEMORY_SERIES,
              data: data.memory,
              yAxisIndex: 0,
              showSymbol: false,
              lineStyle: { width: 1.25, color: theme.muted, type: 'dotted' as const },
              itemStyle: { color: theme.muted },
            },
          ]
        : []),
      ...(data.rss.length
        ? [
            {
              type: 'line' as const,
              name: 'worker RSS',
              data: data.rss,
              yAxisIndex: 1,
              showSymbol: false,
              // Not a palette colour: those belong to the cores (core 1 and RSS were both orange in dark).
              lineStyle: { width: 1.5, color: theme.good, type: 'dashed' as const },
              itemStyle: { color: theme.good },
              areaStyle: { color: theme.good, opacity: 0.06 },
            },
          ]
        : []),
    ],
  };
}
