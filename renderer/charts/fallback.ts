/** The silent-fallback alarm in the charts: which layers ran on another EP than the one asked for first. */
import type { Report } from '../../shared/report.js';
import type { ChartTheme } from './theme.js';

/** Indices (into `report.layers`) of the layers that fell back from the chosen EP; empty on CPU-only runs. */
export function fallbackIndices(report: Report): Set<number> {
  const names = new Set(report.fallback?.layers ?? []);
  return new Set(report.layers.filter((l) => names.has(l.name)).map((l) => l.index));
}

/** The outline a fallen-back layer's box gets (dashed, in the warning colour), unless it is selected. */
export function fallbackStroke(theme: ChartTheme): { stroke: string; lineWidth: number; lineDash: number[] } {
  return { stroke: theme.warn, lineWidth: 2, lineDash: [4, 2] };
}
