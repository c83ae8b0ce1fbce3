/** Columns of the layers table: header, how to sort, how to show a value (always with its unit). */
import { formatBytes, formatFlops, formatGflops, formatShare, formatUs, cutMiddle } from '../../../shared/format.js';
import type { LayerStats } from '../../../shared/report.js';
import { formatShapes } from '../../charts/tooltip.js';

/** One column of the layers table. */
export interface LayerColumn {
  readonly id: string;
  readonly label: string;
  readonly numeric: boolean;
  readonly width: number; // px
  /** Sort key; null sorts last whatever the direction. Absent: not sortable. */
  readonly sortValue?: (l: LayerStats) => number | string | null;
  readonly text: (l: LayerStats) => string;
  readonly title?: (l: LayerStats) => string;
}

/** "CPUExecutionProvider" -> "CPU": the table is narrow, the tooltip has the full name. */
export function shortProvider(provider: string): string {
  return provider.replace(/ExecutionProvider$/, '') || provider;
}

/** A right-aligned column of one number per layer, sorted by it, written with `format` ('–' for none). */
function numberColumn(
  id: string,
  label: string,
  width: number,
  value: (l: LayerStats) => number | null,
  format: (v: number) => string,
): LayerColumn {
  return {
    id,
    label,
    numeric: true,
    width,
    sortValue: value,
    text: (l) => {
      const v = value(l);
      return v === null ? '–' : format(v);
    },
  };
}

/**
 * Every column, in display order: what ranks a layer (its median time and its share, the default
 * sort) fits a 1440 px window; module, shapes and bytes follow.
 */
export const LAYER_COLUMNS: readonly LayerColumn[] = [
  // Names cut in the middle: rows of one module share the start and differ at the end.
  {
    id: 'name',
    label: 'Name',
    numeric: false,
    width: 210,
    sortValue: (l) => l.name,
    text: (l) => cutMiddle(l.name, 32),
    title: (l) => l.name,
  },
  { id: 'op', label: 'Op type', numeric: false, width: 112, sortValue: (l) => l.opType, text: (l) => l.opType },
  {
    id: 'provider',
    label: 'Provider',
    numeric: false,
    width: 80,
    sortValue: (l) => l.provider,
    text: (l) => shortProvider(l.provider),
    title: (l) => l.provider,
  },
  numberColumn('p50', 'p50', 84, (l) => l.p50Us, formatUs),
  numberColumn('share', 'Share', 104, (l) => l.share, formatShare),
  numberColumn('mean', 'Mean', 84, (l) => l.meanUs, formatUs),
  numberColumn('p90', 'p90', 84, (l) => l.p90Us, formatUs),
  numberColumn('flops', 'FLOPs', 100, (l) => l.flops, formatFlops),
  numberColumn('gflops', 'Rate', 110, (l) => l.gflopsPerSec, formatGflops),
  {
    id: 'module',
    label: 'Module',
    numeric: false,
    width: 180,
    sortValue: (l) => l.modulePath,
    text: (l) => cutMiddle(l.modulePath || '(top)', 25),
    title: (l) => l.modulePath,
  },
  {
    id: 'shapes',
    label: 'Shapes (in → out)',
    numeric: false,
    width: 210,
    text: (l) => formatShapes(l),
    title: (l) => formatShapes(l),
  },
  numberColumn('act', 'Activations', 100, (l) => l.activationBytes, formatBytes),
  numberColumn('param', 'Parameters', 100, (l) => l.parameterBytes, formatBytes),
  numberColumn('arena', 'Arena', 96, (l) => l.arenaInUseBytes, formatBytes),
];

/** Sort state of the table. */
export interface LayerSort {
  readonly column: string;
  readonly descending: boolean;
}

/**
 * Layers matching a free-text filter (name, op type, module or provider contains it,
 * case-insensitive) and, when `opType` is given, of exactly that op type; sorted. The two are
 * separate on purpose: "Gemm" as text also matches a Reshape named `gemm_input_reshape`, while the
 * op-type filter picked in the by-op-type view means the Gemm layers and nothing else.
 */
export function filterAndSortLayers(
  layers: readonly LayerStats[],
  filter: string,
  sort: LayerSort,
  opType: string | null = null,
): LayerStats[] {
  const needle = filter.trim().toLowerCase();
  const rows = layers.filter(
    (l) =>
      (opType === null || l.opType === opType) &&
      (!needle ||
        l.name.toLowerCase().includes(needle) ||
        l.opType.toLowerCase().includes(needle) ||
        l.modulePath.toLowerCase().includes(needle) ||
        l.provider.toLowerCase().includes(needle)),
  );
  const column = LAYER_COLUMNS.find((c) => c.id === sort.column);
  const key = column?.sortValue;
  if (!key) return rows;
  const sign = sort.descending ? -1 : 1;
  const keys = new Map(rows.map((l) => [l.index, key(l)] as const));
  return rows.sort((a, b) => {
    const ka = keys.get(a.index) ?? null;
    const kb = keys.get(b.index) ?? null;
    if (ka === kb) return a.index - b.index;
    if (ka === null) return 1;
    if (kb === null) return -1;
    const cmp = typeof ka === 'string' ? ka.localeCompare(String(kb)) : ka < (kb as number) ? -1 : 1;
    return cmp * sign;
  });
}
