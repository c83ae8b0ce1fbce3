/**
 * Option builders of the Generation view: TTFT against prompt length, decode speed against KV
 * depth (each with an earlier report beside it, to compare two decoders), the per-token timeline
 * with its prefill block, KV memory growth, per-layer time of one phase, and the speculative pair's
 * predicted and measured speedup. Pure: tested without a DOM.
 */
import type { EChartsOption } from 'echarts';
import { formatMs, formatUs } from '../../shared/format.js';
import {
  phaseUnit,
  phaseUs,
  type GeneratePhase,
  type GenerateReport,
  type LayerPhaseTime,
} from '../../shared/generate.js';
import { axisStyle, LIGHT_THEME, tooltipStyle, type ChartTheme } from './theme.js';

const MiB = 1024 * 1024;

function base(theme: ChartTheme, xName: string, yName: string): EChartsOption {
  const axis = axisStyle(theme);
  return {
    animation: false,
    backgroundColor: 'transparent',
    aria: { enabled: true },
    grid: { left: 64, right: 24, top: 40, bottom: 48 },
    legend: { top: 0, right: 8, textStyle: { color: theme.muted, fontSize: 11 }, itemHeight: 10 },
    tooltip: { ...tooltipStyle(theme), trigger: 'axis' },
    xAxis: { type: 'value', name: xName, nameLocation: 'middle', nameGap: 28, scale: true, ...axis },
    yAxis: { type: 'value', name: yName, nameLocation: 'middle', nameGap: 48, ...axis },
  };
}

const label = (r: GenerateReport) => r.model.name;

function categoryAxis(theme: ChartTheme, name: string) {
  return { type: 'category' as const, name, nameLocation: 'middle' as const, nameGap: 28, ...axisStyle(theme) };
}

/** One line per report: this one solid in the accent, the run before (if any) dashed and muted. */
function withBefore(
  r: GenerateReport,
  previous: GenerateReport | null,
  theme: ChartTheme,
  symbolSize: number,
  points: (x: GenerateReport) => number[][],
) {
  return [r, ...(previous ? [previous] : [])].map((x, i) => ({
    name: `${label(x)}${i ? ' (before)' : ''}`,
    type: 'line' as const,
    symbolSize,
    lineStyle: { type: i ? ('dashed' as const) : ('solid' as const) },
    color: i ? theme.muted : theme.accent,
    data: points(x),
  }));
}

/** TTFT (ms) against prompt tokens, for the report and, dashed, an earlier one. */
export function buildTtftOption(
  r: GenerateReport,
  previous: GenerateReport | null,
  theme: ChartTheme = LIGHT_THEME,
): EChartsOption {
  const series = withBefore(r, previous, theme, 7, (x) => x.prompts.map((p) => [p.promptTokens, p.ttftMs]));
  return { ...base(theme, 'prompt tokens', 'TTFT (ms)'), series };
}

/** Median decode step rate (1000 / median step) against KV depth. */
export function buildDepthOption(
  r: GenerateReport,
  previous: GenerateReport | null,
  theme: ChartTheme = LIGHT_THEME,
): EChartsOption {
  const series = withBefore(r, previous, theme, 5, (x) => x.depth.map((p) => [p.depth, Math.round(p.tokensPerSec)]));
  return { ...base(theme, 'KV depth (tokens in the cache)', 'median step rate (tok/s)'), series };
}

/** One generation: a bar per forward pass (the prefill first, in its own colour), height = ms. */
export function buildTokenTimelineOption(r: GenerateReport, theme: ChartTheme = LIGHT_THEME): EChartsOption {
  const option = base(theme, 'pass (0 = prefill)', 'ms');
  return {
    ...option,
    tooltip: {
      ...tooltipStyle(theme),
      trigger: 'item',
      formatter: (p: unknown) => {
        const s = r.timeline[(p as { dataIndex: number }).dataIndex]!;
        return `${s.phase === 'prefill' ? `Prefill of ${s.tokens} tokens` : `Decode step ${s.index} at depth ${s.depth}`}: ${formatMs(s.ms)}, starting at ${formatMs(s.startMs)}`;
      },
    },
    xAxis: { ...categoryAxis(theme, 'pass (0 = prefill)'), data: r.timeline.map((s) => String(s.index)) },
    series: [
      {
        name: 'pass time',
        type: 'bar',
        barCategoryGap: '10%',
        data: r.timeline.map((s) => ({
          value: s.ms,
          itemStyle: { color: s.phase === 'prefill' ? theme.cold : theme.accent },
        })),
      },
    ],
  };
}

/** KV bytes computed and measured (and RSS growth) against context, in MiB. */
export function buildKvMemoryOption(r: GenerateReport, theme: ChartTheme = LIGHT_THEME): EChartsOption {
  const pts = r.kvMemory.points;
  return {
    ...base(theme, 'context (tokens)', 'MiB'),
    series: [
      {
        name: 'computed KV',
        type: 'line',
        color: theme.muted,
        lineStyle: { type: 'dashed' },
        showSymbol: false,
        data: pts.map((p) => [p.context, p.computedBytes / MiB]),
      },
      {
        name: 'measured (ArrayBuffers)',
        type: 'line',
        color: theme.good,
        symbolSize: 4,
        data: pts.map((p) => [p.context, p.measuredBytes / MiB]),
      },
      {
        name: 'RSS growth',
        type: 'line',
        color: theme.warn,
        showSymbol: false,
        data: pts.map((p) => [p.context, p.rssBytes / MiB]),
      },
    ],
  };
}

/**
 * Per-module time of one phase (µs per prefill pass or per decode step), the largest first; for
 * "both", one generation's time (the prefill and every decode step) stacked by phase.
 */
export function buildPhaseLayersOption(
  r: GenerateReport,
  phase: GeneratePhase,
  theme: ChartTheme = LIGHT_THEME,
  top = 16,
): EChartsOption {
  const steps = r.profiledPass.decodeSteps;
  const rows = [...r.layers]
    .sort((a, b) => phaseUs(b, phase, steps) - phaseUs(a, phase, steps))
    .slice(0, top)
    .reverse();
  const axis = axisStyle(theme);
  const bar = (name: string, color: string, us: (l: LayerPhaseTime) => number) => ({
    name,
    type: 'bar' as const,
    stack: 'phase',
    color,
    data: rows.map(us),
  });
  return {
    animation: false,
    backgroundColor: 'transparent',
    aria: { enabled: true },
    grid: { left: 230, right: 40, top: 10, bottom: 40 },
    tooltip: {
      ...tooltipStyle(theme),
      trigger: 'item',
      formatter: (p: unknown) => {
        const item = p as { name: string; value: number; seriesName: string };
        return `${item.name}${phase === 'both' ? ` (${item.seriesName})` : ''}: ${formatUs(item.value)}`;
      },
    },
    xAxis: { type: 'value', name: `µs ${phaseUnit(phase, steps)}`, nameLocation: 'middle', nameGap: 26, ...axis },
    yAxis: {
      type: 'category',
      data: rows.map((l) => l.module),
      ...axis,
      axisLabel: { ...axis.axisLabel, width: 220, overflow: 'truncate' },
    },
    series:
      phase === 'both'
        ? [
            bar('prefill', theme.cold, (l) => l.prefillUs),
            bar(`decode × ${steps}`, theme.accent, (l) => l.decodeUs * steps),
          ]
        : [bar(phase, phase === 'prefill' ? theme.cold : theme.accent, (l) => phaseUs(l, phase, steps))],
  };
}

/**
 * S(gamma) predicted with the round's measured costs (Strata's prediction, its best gamma marked),
 * the paper's S (a verification pass costing one target step) for reference, and the loops'
 * measured speedup with its interval as an error bar.
 */
export function buildSpeculativeOption(r: GenerateReport, theme: ChartTheme = LIGHT_THEME): EChartsOption {
  const s = r.speculative;
  if (!s) return {};
  const option = base(theme, 'γ (draft tokens per round)', 'speedup ×');
  const intervals = s.runs
    .filter((p) => Number.isFinite(p.measuredInterval.low))
    .map((p) => [p.gamma, p.measuredInterval.low, p.measuredInterval.high]);
  return {
    ...option,
    xAxis: { ...(option.xAxis as object), minInterval: 1 },
    yAxis: { ...(option.yAxis as object), scale: true },
    series: [
      {
        name: 'predicted (measured round cost)',
        type: 'line',
        color: theme.accent,
        lineStyle: { type: 'dashed' },
        data: s.costedPredicted.map((p) => [p.gamma, p.speedup]),
        markPoint: {
          symbolSize: 38,
          data: [
            {
              name: 'best γ',
              coord: [s.costedBestGamma, s.costedPredicted.find((p) => p.gamma === s.costedBestGamma)?.speedup ?? 0],
              value: `γ=${s.costedBestGamma}`,
            },
          ],
        },
      },
      {
        name: "paper's S (verify = 1 step)",
        type: 'line',
        color: theme.muted,
        lineStyle: { type: 'dotted' },
        data: s.predicted.map((p) => [p.gamma, p.speedup]),
      },
      {
        name: 'measured loop',
        type: 'line',
        color: theme.good,
        symbolSize: 7,
        data: s.runs.map((p) => [p.gamma, p.measuredSpeedup]),
      },
      {
        name: `measured loop`,
        type: 'custom',
        color: theme.good,
        tooltip: { show: false },
        // An error bar: the measured speedup's interval at each gamma, capped at both ends.
        renderItem: (_params, api) => {
          const low = api.coord([api.value(0), api.value(1)]);
          const high = api.coord([api.value(0), api.value(2)]);
          const cap = 5;
          const style = { stroke: theme.good, lineWidth: 1.5 };
          return {
            type: 'group',
            children: [
              { type: 'line', shape: { x1: low[0]!, y1: low[1]!, x2: high[0]!, y2: high[1]! }, style },
              { type: 'line', shape: { x1: low[0]! - cap, y1: low[1]!, x2: low[0]! + cap, y2: low[1]! }, style },
              { type: 'line', shape: { x1: high[0]! - cap, y1: high[1]!, x2: high[0]! + cap, y2: high[1]! }, style },
            ],
          };
        },
        encode: { x: 0, y: [1, 2] },
        data: intervals,
        z: 3,
      },
    ],
  };
}

/** Acceptance by draft position in the largest-gamma loop, against alpha. */
export function buildAcceptanceOption(r: GenerateReport, theme: ChartTheme = LIGHT_THEME): EChartsOption {
  const s = r.speculative;
  const run = s?.runs.at(-1);
  if (!s || !run) return {};
  const option = base(theme, 'draft position', 'P(accepted | earlier accepted)');
  return {
    ...option,
    xAxis: { ...categoryAxis(theme, 'draft position'), data: run.acceptanceByPosition.map((_, i) => String(i + 1)) },
    yAxis: { ...(option.yAxis as object), max: 1 },
    series: [
      { name: `γ=${run.gamma} loop`, type: 'bar', color: theme.good, data: [...run.acceptanceByPosition] },
      {
        name: 'α',
        type: 'line',
        color: theme.accent,
        lineStyle: { type: 'dashed' },
        showSymbol: false,
        data: run.acceptanceByPosition.map(() => s.alpha),
      },
    ],
  };
}
