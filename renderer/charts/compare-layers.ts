/**
 * Per-layer views of one compared model against the baseline: where its time went up or down (the
 * layers with the largest deltas, as diverging bars), and where its error starts (1 − cosine of each
 * intermediate tensor both models compute, in the baseline's execution order).
 */
import type { EChartsOption } from 'echarts';
import type { Comparison, MatchedLayer } from '../../shared/compare.js';
import { cosineError, DRIFT_COSINE, driftStart, formatSnr } from '../../shared/compare-summary.js';
import { formatUs } from '../../shared/format.js';
import { errorAxis, errorFloor, formatError, plottedError } from './error-axis.js';
import { axisStyle, LIGHT_THEME, tooltipStyle, type ChartTheme, CHART_BASE, itemTooltip } from './theme.js';
import { tooltipTable } from './tooltip.js';

/** One bar of the delta chart. */
export interface LayerDelta {
  readonly layer: MatchedLayer;
  readonly baseUs: number;
  readonly variantUs: number;
  readonly deltaUs: number; // variant − baseline; negative = faster
}

/**
 * The `limit` matched layers of model `index` whose time changed most (by |delta|), ordered from
 * the largest slowdown to the largest speed-up.
 */
export function largestDeltas(comparison: Comparison, index: number, limit = 20): LayerDelta[] {
  const rows: LayerDelta[] = [];
  for (const layer of comparison.layers) {
    const delta = layer.deltasUs[index];
    const baseUs = layer.timesUs[0];
    const variantUs = layer.timesUs[index];
    if (
      delta === null ||
      delta === undefined ||
      baseUs === null ||
      baseUs === undefined ||
      variantUs === null ||
      variantUs === undefined
    )
      continue;
    rows.push({ layer, baseUs, variantUs, deltaUs: delta });
  }
  return rows
    .sort((a, b) => Math.abs(b.deltaUs) - Math.abs(a.deltaUs))
    .slice(0, limit)
    .sort((a, b) => b.deltaUs - a.deltaUs);
}

/** The tail of a layer name that fits an axis: "/encoder/layer.0/attn/q_proj/MatMul" -> "layer.0/attn/q_proj/MatMul" at 26 characters. */
export function layerTail(name: string, max = 44): string {
  const parts = name.split('/').filter(Boolean);
  let tail = parts.pop() ?? name;
  while (parts.length && tail.length + parts[parts.length - 1]!.length + 1 <= max) tail = `${parts.pop()}/${tail}`;
  return tail.length > max ? `…${tail.slice(tail.length - max + 1)}` : tail;
}

/** Option of the per-layer delta bars of model `index`, or null when no layer matched the baseline. */
export function buildLayerDeltaOption(
  comparison: Comparison,
  index: number,
  theme: ChartTheme = LIGHT_THEME,
  limit = 20,
): EChartsOption | null {
  const rows = largestDeltas(comparison, index, limit);
  if (rows.length === 0) return null;
  const axis = axisStyle(theme);
  return {
    ...CHART_BASE,
    grid: { left: 8, right: 24, top: 8, bottom: 28, containLabel: true },
    tooltip: {
      ...tooltipStyle(theme),
      trigger: 'item',
      formatter: (p: unknown) => {
        const r = rows[(p as { dataIndex: number }).dataIndex]!;
        return tooltipTable(r.layer.name, [
          ['Baseline', `${formatUs(r.baseUs)} (${r.layer.opTypes[0] ?? '?'})`],
          [comparison.models[index]!.label, `${formatUs(r.variantUs)} (${r.layer.opTypes[index] ?? '?'})`],
          [
            'Change',
            `${r.deltaUs >= 0 ? '+' : '−'}${formatUs(Math.abs(r.deltaUs))}${r.baseUs > 0 ? ` (${((r.deltaUs / r.baseUs) * 100).toFixed(0)}%)` : ''}`,
          ],
          ['Matched by', r.layer.how],
          // A lineage group: the quantized op with the quantize and rescale ops written for it, summed.
          ...(r.layer.groups?.[index]
            ? ([
                [
                  'Summed',
                  `${r.layer.groups[index]!.length} layers: ${r.layer.groups[index]!.map((n) => layerTail(n, 40)).join(', ')}`,
                ],
              ] as [string, string][])
            : []),
        ]);
      },
    },
    xAxis: {
      type: 'value',
      name: 'change in median time per run',
      nameLocation: 'middle',
      nameGap: 24,
      ...axis,
      axisLabel: {
        ...axis.axisLabel,
        hideOverlap: true,
        formatter: (v: number) => (v === 0 ? '0' : `${v > 0 ? '+' : '−'}${formatUs(Math.abs(v))}`),
      },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) => layerTail(r.layer.name)),
      ...axis,
      axisLabel: { ...axis.axisLabel, fontFamily: 'ui-monospace, Menlo, Consolas, monospace' },
      splitLine: { show: false },
    },
    series: [
      {
        type: 'bar',
        name: 'Change',
        data: rows.map((r) => ({ value: r.deltaUs, itemStyle: { color: r.deltaUs > 0 ? theme.warn : theme.good } })),
        barMaxWidth: 14,
      },
    ],
  };
}

/** Option of the drift chart of model `index`, or null when it shares no intermediate tensor with the baseline. */
export function buildDriftOption(
  comparison: Comparison,
  index: number,
  theme: ChartTheme = LIGHT_THEME,
): EChartsOption | null {
  const model = comparison.models[index];
  const drift = model?.fidelity?.drift ?? [];
  if (!model || drift.length === 0) return null;
  const errors = drift.map((d) => cosineError(d.cosine));
  const floor = errorFloor([...errors, 1 - DRIFT_COSINE]);
  const start = driftStart(model);
  const startIndex = start ? drift.indexOf(start) : -1;
  const axis = axisStyle(theme);
  return {
    ...CHART_BASE,
    grid: { left: 64, right: 24, top: 36, bottom: 36 },
    tooltip: itemTooltip(theme, (i) => {
      const d = drift[i]!;
      return tooltipTable(d.producer, [
        ['Tensor', d.tensor],
        ['Position', `${i + 1} of ${drift.length}`],
        ['Cosine', d.cosine.toFixed(6)],
        ['1 − cosine', formatError(errors[i]!)],
        ['Max |error|', d.maxAbsErr.toPrecision(3)],
        ['SNR', formatSnr(d.snrDb)],
      ]);
    }),
    xAxis: {
      type: 'category',
      name: 'intermediate tensors, in execution order',
      nameLocation: 'middle',
      nameGap: 20,
      data: drift.map((d) => d.producer),
      ...axis,
      axisLabel: { show: false },
      axisTick: { show: false },
    },
    yAxis: errorAxis([...errors, 1 - DRIFT_COSINE], theme, 'error (1 − cosine)'),
    series: [
      {
        type: 'line',
        name: 'Error',
        data: errors.map((e) => plottedError(e, floor)),
        symbol: 'circle',
        symbolSize: 5,
        lineStyle: { color: theme.accent, width: 1.5 },
        itemStyle: { color: theme.accent },
        markPoint:
          startIndex >= 0
            ? {
                symbol: 'pin',
                symbolSize: 34,
                itemStyle: { color: theme.warn },
                label: { show: false },
                data: [{ coord: [startIndex, plottedError(errors[startIndex]!, floor)], name: 'drift starts' }],
              }
            : undefined,
      },
      // The threshold as a flat series, not a markLine: ECharts drops markLines under ~0.005 on log axes.
      {
        type: 'line',
        name: 'Drift threshold',
        data: drift.map(() => 1 - DRIFT_COSINE),
        symbol: 'none',
        silent: true,
        lineStyle: { color: theme.warn, type: 'dashed', width: 1 },
        endLabel: {
          show: true,
          formatter: `cosine ${DRIFT_COSINE}`,
          color: theme.warn,
          fontSize: 11,
          offset: [-70, -10],
        },
        z: 1,
      },
    ],
  };
}
