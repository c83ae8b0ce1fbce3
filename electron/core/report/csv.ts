/**
 * Layers and op types as CSV (RFC 4180), one row each, units in the column names, for
 * spreadsheets and scripts.
 */
import type { Report } from '../../../shared/report.js';
import { containerNames, ownTimesUs } from '../../../shared/layer-time.js';

type Cell = string | number | null | undefined;

/** One CSV field: quoted when it holds a comma, quote or line break. */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function toCsv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const shapes = (list: readonly (readonly number[])[]) => list.map((s) => s.join('x')).join(';');

/**
 * One row per layer, in execution order. A control-flow layer (If, Loop, Scan) has container=1: its
 * mean_us and percentiles include the layers of its subgraph (their `parent` column names it), its
 * own_us does not; `share` is own_us over the sum of all own_us, so shares add up to 1 over all rows.
 * New columns go at the end, so scripts reading by position keep working.
 */
export function layersToCsv(report: Report): string {
  const own = ownTimesUs(report.layers);
  const containers = containerNames(report.layers);
  return toCsv(
    [
      'index',
      'name',
      'op_type',
      'module_path',
      'provider',
      'parent',
      'calls_per_run',
      'mean_us',
      'p50_us',
      'p90_us',
      'min_us',
      'max_us',
      'share',
      'flops',
      'gflops_per_s',
      'input_shapes',
      'output_shapes',
      'activation_bytes',
      'parameter_bytes',
      'output_bytes',
      'working_set_bytes',
      'cache_level',
      'arena_in_use_bytes',
      'gpu_us',
      'own_us',
      'container',
    ],
    report.layers.map((l, i) => [
      l.index,
      l.name,
      l.opType,
      l.modulePath,
      l.provider,
      l.parent ?? '',
      l.calls,
      l.meanUs,
      l.p50Us,
      l.p90Us,
      l.minUs,
      l.maxUs,
      l.share,
      l.flops,
      l.gflopsPerSec,
      shapes(l.inputShapes),
      shapes(l.outputShapes),
      l.activationBytes,
      l.parameterBytes,
      l.outputBytes,
      l.workingSetBytes,
      l.cacheLevel,
      l.arenaInUseBytes,
      l.gpuUs,
      own[i],
      containers.has(l.name) ? 1 : 0,
    ]),
  );
}
