/**
 * The Pareto chart of a comparison: each model at its p50 latency (x) and output error (y, 1 − cosine
 * of its worst output, log scale), point area growing with its file size. The models no other beats
 * on both latency and error form the front, joined by a line: the choices worth considering.
 */
import type { EChartsOption } from 'echarts';
import type { Comparison } from '../../shared/compare.js';
import { formatSnr, outputError, paretoFront, worstOutput } from '../../shared/compare-summary.js';
import { formatBytes, formatMs, sizeChange } from '../../shared/format.js';
import { errorAxis, errorFloor, formatError, plottedError } from './error-axis.js';
import { axisStyle, LIGHT_THEME, tooltipStyle, type ChartTheme, CHART_BASE } from './theme.js';
import { tooltipTable } from './tooltip.js';

/** Point diameter in px for a file of `bytes` when the largest model has `maxBytes`: area ∝ bytes. */
export function pointSize(bytes: number, maxBytes: number): number {
  return 8 + 28 * Math.sqrt(maxBytes > 0 ? bytes / maxBytes : 0);
}

/** Tooltip rows of one compared model: latency, size, and (for variants) its output error. */
export function comparedModelRows(comparison: Comparison, index: number): [string, string][] {
  const m = comparison.models[index]!;
  const base = comparison.models[0]!;
  const rows: [string, string][] = [
    ['p50 / p90', `${formatMs(m.latency.p50Ms)} / ${formatMs(m.latency.p90Ms)}`],
    ['Size', `${formatBytes(m.bytes)}${index > 0 && m.bytes > 0 ? ` (${sizeChange(base.bytes, m.bytes)})` : ''}`],
    ['Peak memory', formatBytes(m.memory.peakRssBytes)],
  ];
  const worst = worstOutput(m);
  if (worst) {
    rows.push(
      ['Worst output', worst.name],
      ['Cosine', worst.cosine.toFixed(6)],
      ['1 − cosine', formatError(outputError(m))],
      ['SNR', formatSnr(worst.snrDb)],
    );
    if (worst.top1Agreement !== undefined) rows.push(['Top-1 agreement', `${(worst.top1Agreement * 100).toFixed(1)}%`]);
  }
  return rows;
}

/** The latency axis span: the models' p50s with a margin, wider on the right where labels go. */
export function latencyRange(comparison: Comparison): { min: number; max: number } {
  const p50s = comparison.models.map((m) => m.latency.p50Ms).filter(Number.isFinite);
  const lo = Math.min(...p50s);
  const hi = Math.max(...p50s);
  const span = hi - lo || hi || 1;
  return { min: Math.max(0, lo - span * 0.1), max: hi + span * 0.45 };
}

/**
 * The models whose names are printed beside their points: the chosen one, the baseline, then the
 * front, skipping any point so close to an already labelled one (within a quarter of the latency
 * span and a third of a decade of error) that the two names would print over each other. The rest
 * show their names on hover.
 */
export function labelledModels(comparison: Comparison, chosen: number): Set<number> {
  const errors = comparison.models.map(outputError);
  const floor = errorFloor(errors);
  const { min, max } = latencyRange(comparison);
  const at = (i: number) => ({
    x: (comparison.models[i]!.latency.p50Ms - min) / (max - min),
    y: Math.log10(plottedError(errors[i]!, floor)),
  });
  const labelled = new Set<number>();
  for (const i of [chosen, 0, ...paretoFront(comparison)]) {
    if (i < 0 || i >= comparison.models.length || labelled.has(i)) continue;
    const p = at(i);
    const crowded = [...labelled].some((j) => {
      const q = at(j);
      return Math.abs(p.x - q.x) < 0.25 && Math.abs(p.y - q.y) < 0.34;
    });
    if (!crowded) labelled.add(i);
  }
  return labelled;
}

/** Option of the Pareto chart; `chosen` is outlined. Data index = model index. */
export function buildParetoOption(
  comparison: Comparison,
  chosen: number,
  theme: ChartTheme = LIGHT_THEME,
): EChartsOption {
  const errors = comparison.models.map(outputError);
  const floor = errorFloor(errors);
  const front = new Set(paretoFront(comparison));
  const maxBytes = Math.max(...comparison.models.map((m) => m.bytes));
  const axis = axisStyle(theme);
  const labelled = labelledModels(comparison, chosen);
  const frontLine = [...front].map((i) => [comparison.models[i]!.latency.p50Ms, plottedError(errors[i]!, floor)]);
  return {
    ...CHART_BASE,
    grid: { left: 64, right: 24, top: 36, bottom: 48 },
    tooltip: {
      ...tooltipStyle(theme),
      trigger: 'item',
      formatter: (p: unknown) => {
        // Only the scatter answers (the front line is silent), so the data index is the model's.
        const index = (p as { dataIndex: number }).dataIndex;
        const label = comparison.models[index]!.label;
        return tooltipTable(label, [
          ...comparedModelRows(comparison, index),
          ['Pareto front', front.has(index) ? 'yes' : 'no: another model is faster and closer'],
        ]);
      },
    },
    xAxis: {
      type: 'value',
      name: 'p50 latency',
      nameLocation: 'middle',
      nameGap: 28,
      // Headroom on the right for the rightmost point's label.
      ...latencyRange(comparison),
      ...axis,
      // The padded ends are not round numbers: label only the ticks between them.
      axisLabel: {
        ...axis.axisLabel,
        formatter: (v: number) => formatMs(v),
        showMinLabel: false,
        showMaxLabel: false,
        hideOverlap: true,
      },
    },
    yAxis: errorAxis(errors, theme, 'output error (1 − cosine)'),
    series: [
      {
        type: 'scatter',
        name: 'Models',
        data: comparison.models.map((m, i) => ({
          value: [m.latency.p50Ms, plottedError(errors[i]!, floor), m.bytes],
          symbolSize: pointSize(m.bytes, maxBytes),
          itemStyle: {
            color: front.has(i) ? theme.accent : theme.muted,
            opacity: front.has(i) ? 0.85 : 0.55,
            borderColor: i === chosen ? theme.fg : 'transparent',
            borderWidth: i === chosen ? 2 : 0,
          },
          name: m.label,
          label: { show: labelled.has(i), color: i === chosen ? theme.fg : theme.muted },
        })),
        label: { position: 'right', formatter: '{b}', fontSize: 11 },
        emphasis: { scale: 1.15, label: { show: true } },
      },
      {
        type: 'line',
        name: 'Pareto front',
        data: frontLine,
        symbol: 'none',
        silent: true,
        lineStyle: { color: theme.accent, type: 'dashed', width: 1.5 },
        z: 1,
      },
    ],
  };
}
