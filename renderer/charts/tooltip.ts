/**
 * HTML for chart tooltips. Node names come from model files, so every string is escaped before it
 * reaches the tooltip's innerHTML.
 */
import { formatBytes, formatFlops, formatGflops, formatShape, formatShare, formatUs } from '../../shared/format.js';
import type { LayerStats } from '../../shared/report.js';
import { escapeHtml } from '../../shared/html-escape.js';

/** Tooltip rows as a small two-column table; values are escaped here. */
export function tooltipTable(title: string, rows: readonly (readonly [string, string])[]): string {
  const body = rows
    .map(
      ([k, v]) => `<tr><td style="opacity:.7;padding-right:10px">${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`,
    )
    .join('');
  return `<div style="font-weight:600;margin-bottom:4px;word-break:break-all">${escapeHtml(title)}</div><table>${body}</table>`;
}

/** Shapes of a layer: "1×128×256, 256×256 → 1×128×256". */
export function formatShapes(layer: LayerStats): string {
  const ins = layer.inputShapes.map((s) => formatShape(s)).join(', ') || '–';
  const outs = layer.outputShapes.map((s) => formatShape(s)).join(', ') || '–';
  return `${ins} → ${outs}`;
}

/** What a layer works on and what it costs, the same rows in its tooltip and its detail panel. */
export function layerWorkRows(layer: LayerStats): [string, string][] {
  return [
    ['Shapes', formatShapes(layer)],
    ['FLOPs', formatFlops(layer.flops)],
    ['Rate', formatGflops(layer.gflopsPerSec)],
    ['Activations', formatBytes(layer.activationBytes)],
    ['Parameters', formatBytes(layer.parameterBytes)],
    ['Output', formatBytes(layer.outputBytes)],
  ];
}

/** The rows every layer tooltip shows: op type, module, provider, time, shapes, FLOPs, bytes. */
export function layerTooltipRows(layer: LayerStats): [string, string][] {
  const rows: [string, string][] = [
    ['Op type', layer.opType],
    ['Module', layer.modulePath || '(top level)'],
    ['Provider', layer.provider],
    ['Mean time', `${formatUs(layer.meanUs)} (${formatShare(layer.share)} of layers)`],
    ['p50 / p90', `${formatUs(layer.p50Us)} / ${formatUs(layer.p90Us)}`],
    ...layerWorkRows(layer),
  ];
  if (layer.calls > 1) rows.splice(3, 0, ['Calls per run', String(layer.calls)]);
  if (layer.arenaInUseBytes !== null) rows.push(['Arena in use', formatBytes(layer.arenaInUseBytes)]);
  if (layer.gpuUs !== null) rows.push(['GPU time', formatUs(layer.gpuUs)]);
  return rows;
}

/** A full tooltip for one layer. */
export function layerTooltipHtml(layer: LayerStats, extra: readonly (readonly [string, string])[] = []): string {
  return tooltipTable(layer.name || `#${layer.index}`, [...extra, ...layerTooltipRows(layer)]);
}
