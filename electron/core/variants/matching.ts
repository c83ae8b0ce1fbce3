/**
 * Matching layers across models (by recorded lineage, then name, then op type and position), so a
 * quantized or distilled model can be compared with its baseline; inputs and outputs are matched
 * by shared/tensor-match.ts, which the UI also uses to check a model as it is brought in.
 */
import { originName } from '../model/fused-names.js';
import type { MatchedLayer, MatchRate } from '../../../shared/compare.js';
import type { LayerOrigin } from './lineage.js';
import type { LayerStats } from '../../../shared/report.js';

/** Maps a profiled layer name to the original node it came from (see lineage.ts), or null. */
export type OriginResolver = (layerName: string, opType?: string) => LayerOrigin | null;

/**
 * Matches layers of each model to the baseline's (models[0]). With `origins` (one resolver per
 * model), first by lineage: every variant layer whose recorded origin is a baseline layer's node is
 * summed into that row (a ConvInteger with its DynamicQuantizeLinear and rescale Mul against the
 * original Conv). Then by name; then by the original node name inside onnxruntime's fused names;
 * then, among the rest, the k-th unmatched layer of an op type to the k-th unmatched baseline layer
 * of the same op type.
 */
export function matchLayers(
  models: readonly (readonly LayerStats[])[],
  origins?: readonly (OriginResolver | null)[],
): { layers: MatchedLayer[]; unmatched: { model: number; layers: string[] }[]; matchRates: MatchRate[] } {
  const [baseline, ...variants] = models;
  if (!baseline) return { layers: [], unmatched: [], matchRates: [] };
  const n = models.length;
  const baseOrigin = origins?.[0];
  const rows = baseline.map((layer) => ({
    name: layer.name,
    key: baseOrigin?.(layer.name, layer.opType)?.origin ?? null,
    opTypes: [layer.opType, ...new Array<string | null>(n - 1).fill(null)],
    timesUs: [layer.p50Us, ...new Array<number | null>(n - 1).fill(null)],
    groups: [null, ...new Array<string[] | null>(n - 1).fill(null)] as (string[] | null)[],
    how: 'name' as MatchedLayer['how'],
  }));
  const unmatched: { model: number; layers: string[] }[] = [];
  const matchRates: MatchRate[] = [];
  variants.forEach((layers, vi) => {
    const m = vi + 1;
    const used = new Set<LayerStats>();
    let byLineage = 0;
    // Lineage (or the node a renamed layer came from): group the variant's layers by origin.
    const resolve = origins?.[m];
    if (resolve && baseOrigin) {
      const groups = new Map<string, { layers: LayerStats[]; lineage: boolean }>();
      for (const l of layers) {
        const o = resolve(l.name, l.opType);
        if (!o) continue;
        const g = groups.get(o.origin) ?? { layers: [], lineage: false };
        g.layers.push(l);
        if (o.role) g.lineage = true;
        groups.set(o.origin, g);
      }
      for (const row of rows) {
        const g = row.key === null ? undefined : groups.get(row.key);
        if (!g || g.layers.some((l) => used.has(l))) continue;
        const compute =
          g.layers.find(
            (l) => resolve(l.name, l.opType)?.role === 'compute' || resolve(l.name, l.opType)?.role === null,
          ) ?? g.layers[0]!;
        row.opTypes[m] = compute.opType;
        row.timesUs[m] = g.layers.reduce((sum, l) => sum + l.p50Us, 0);
        if (g.layers.length > 1) row.groups[m] = g.layers.map((l) => l.name);
        if (g.lineage) {
          row.how = 'lineage';
          byLineage++;
        }
        for (const l of g.layers) used.add(l);
      }
    }
    const byName = new Map(layers.filter((l) => !used.has(l)).map((l) => [l.name, l]));
    const pendingRows: number[] = [];
    rows.forEach((row, r) => {
      if (row.timesUs[m] !== null) return;
      const hit = byName.get(row.name);
      if (hit) {
        row.opTypes[m] = hit.opType;
        row.timesUs[m] = hit.p50Us;
        used.add(hit);
      } else {
        pendingRows.push(r);
      }
    });
    // onnxruntime renames what it fuses ("fused /a/MatMul/MatMulAddFusion"); the original node
    // name inside still identifies the layer across models optimised differently.
    const byOrigin = new Map<string, LayerStats>();
    for (const l of layers) if (!used.has(l) && !byOrigin.has(originName(l.name))) byOrigin.set(originName(l.name), l);
    const stillPending: number[] = [];
    for (const r of pendingRows) {
      const row = rows[r]!;
      const hit = byOrigin.get(originName(row.name));
      if (hit && !used.has(hit)) {
        row.opTypes[m] = hit.opType;
        row.timesUs[m] = hit.p50Us;
        if (row.how === 'name') row.how = 'origin';
        used.add(hit);
      } else {
        stillPending.push(r);
      }
    }
    const leftovers = layers.filter((l) => !used.has(l));
    for (const r of stillPending) {
      const row = rows[r]!;
      const hit = leftovers.find((l) => !used.has(l) && l.opType === row.opTypes[0]);
      if (!hit) continue;
      row.opTypes[m] = hit.opType;
      row.timesUs[m] = hit.p50Us;
      if (row.how === 'name') row.how = 'op-position';
      used.add(hit);
    }
    const rest = layers.filter((l) => !used.has(l)).map((l) => l.name);
    if (rest.length) unmatched.push({ model: m, layers: rest });
    // Baseline layers onnxruntime inserted (no node of the file: the Reshapes around a fused Gemm)
    // that found no counterpart are counted apart, not as misses.
    const inserted = baseOrigin ? rows.filter((row) => row.key === null && row.timesUs[m] === null).length : 0;
    matchRates.push({
      model: m,
      matched: rows.filter((row) => row.timesUs[m] !== null).length,
      total: rows.length - inserted,
      byLineage,
      inserted,
    });
  });
  const layers = rows.map((row) => {
    const matchedAll = row.timesUs.every((t) => t !== null);
    return {
      name: row.name,
      opTypes: row.opTypes,
      timesUs: row.timesUs,
      deltasUs: row.timesUs.map((t, i) => (i === 0 || t === null ? null : t - row.timesUs[0]!)),
      how:
        matchedAll || n === 1
          ? row.how
          : row.timesUs.slice(1).some((t) => t !== null)
            ? row.how
            : ('unmatched' as const),
      ...(row.groups.some((g) => g !== null) ? { groups: row.groups } : {}),
    };
  });
  return { layers, unmatched, matchRates };
}
