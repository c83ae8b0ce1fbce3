/**
 * What a variant changed in the compute, read from what onnxruntime ran, not from the file: for
 * each of the baseline's Conv/MatMul/Gemm layers, the variant layers matched to it (by lineage) run
 * an integer kernel, or float behind Q/DQ ops onnxruntime did not fuse, or plain float. Plus the
 * comparison-only diagnostic: quantizable layers that stayed float, and why.
 */
import { resolve } from 'node:path';
import type { ComputeChange, Diagnostic, MatchedLayer } from '../../../shared/compare.js';
import type { Report } from '../../../shared/report.js';
import { walkGraphs } from '../model/onnx-proto.js';
import { defaultModelCache } from '../model/open-model.js';
import { INT8_OPS, medianRunUs, ownUs, runTimeUs } from '../profile/diagnostics.js';
import { layerOriginResolver } from './lineage.js';
import type { OriginResolver } from './matching.js';
import { VARIANT_METADATA_KEY } from './quantize.js';

const TARGET_OPS = ['Conv', 'MatMul', 'Gemm'];
const QDQ_OPS = new Set(['QuantizeLinear', 'DequantizeLinear']);

/** What the comparison reads from each model file: its lineage and, for the baseline, node op types. */
export interface ModelOrigins {
  readonly resolvers: OriginResolver[];
  /** Op type of each baseline node, by name. */
  readonly baseOpTypes: ReadonlyMap<string, string>;
  /** Per model, why the quantizer left a node in float (from the file's strata.variant record), by node name. */
  readonly skipped: readonly ReadonlyMap<string, string>[];
}

/** Reads lineage and the quantizer's record from every model of a comparison. */
export async function readModelOrigins(paths: readonly string[]): Promise<ModelOrigins> {
  const resolvers: OriginResolver[] = [];
  const skipped: Map<string, string>[] = [];
  let baseOpTypes = new Map<string, string>();
  for (const [i, path] of paths.entries()) {
    const model = (await defaultModelCache.open(resolve(path))).model; // structure only, weights unread
    resolvers.push(layerOriginResolver(model));
    if (i === 0)
      baseOpTypes = new Map(
        [...walkGraphs(model.graph)].flatMap((g) => g.nodes.map((n) => [n.name, n.opType] as [string, string])),
      );
    const record = model.metadata.find((e) => e.key === VARIANT_METADATA_KEY)?.value;
    let reasons = new Map<string, string>();
    try {
      if (record)
        reasons = new Map(
          (JSON.parse(record).skipped as { node: string; reason: string }[]).map((s) => [s.node, s.reason]),
        );
    } catch {
      // A record written by another tool or version: no reasons, still comparable.
    }
    skipped.push(reasons);
  }
  return { resolvers, baseOpTypes, skipped };
}

type RowKind = 'int8' | 'unfusedQdq' | 'float' | 'unmatched';

function classify(row: MatchedLayer, m: number, opTypeOf: ReadonlyMap<string, string>): RowKind {
  if (row.timesUs[m] === null || row.timesUs[m] === undefined) return 'unmatched';
  const group = row.groups?.[m];
  const ops = group ? group.map((name) => opTypeOf.get(name) ?? '') : [row.opTypes[m] ?? ''];
  if (ops.some((op) => INT8_OPS.has(op))) return 'int8';
  if (ops.some((op) => QDQ_OPS.has(op))) return 'unfusedQdq';
  return 'float';
}

/** The baseline op type (Conv, MatMul, Gemm) of a row, through the node it came from. */
function targetOpOf(row: MatchedLayer, origins: ModelOrigins): string | null {
  const origin = origins.resolvers[0]?.(row.name, row.opTypes[0] ?? undefined)?.origin;
  const op = (origin && origins.baseOpTypes.get(origin)) ?? row.opTypes[0] ?? '';
  return TARGET_OPS.includes(op) ? op : null;
}

/** What changed in model `m`'s compute, or undefined when the baseline has no Conv/MatMul/Gemm layer. */
export function computeChangeOf(
  rows: readonly MatchedLayer[],
  m: number,
  variant: Report,
  origins: ModelOrigins,
): ComputeChange | undefined {
  const opTypeOf = new Map(variant.layers.map((l) => [l.name, l.opType]));
  const byOp = new Map<
    string,
    { opType: string; total: number; int8: number; unfusedQdq: number; float: number; unmatched: number }
  >();
  const fused: string[] = [];
  const unfused: string[] = [];
  for (const row of rows) {
    const op = targetOpOf(row, origins);
    if (!op) continue;
    const entry = byOp.get(op) ?? { opType: op, total: 0, int8: 0, unfusedQdq: 0, float: 0, unmatched: 0 };
    const kind = classify(row, m, opTypeOf);
    entry.total++;
    entry[kind]++;
    byOp.set(op, entry);
    const group = row.groups?.[m];
    if (
      kind === 'int8' &&
      (group ? group.some((n) => /^Q/.test(opTypeOf.get(n) ?? '')) : /^Q/.test(row.opTypes[m] ?? ''))
    )
      fused.push(row.name);
    if (kind === 'unfusedQdq') unfused.push(row.name);
  }
  if (byOp.size === 0) return undefined;
  const ops = [...byOp.values()];
  // A variant with no integer layer at all (fp16, pruned, a distilled model) says so in one phrase.
  if (ops.every((o) => o.int8 === 0 && o.unfusedQdq === 0)) {
    const parts = ops.map(
      (o) => `${o.float} of ${o.total} ${o.opType} in float${o.unmatched ? `, ${o.unmatched} unmatched` : ''}`,
    );
    return { summary: `no int8 compute: ${parts.join('; ')}`, ops, fused, unfused };
  }
  const summary = ops
    .map((o) => {
      const parts = [`${o.int8} of ${o.total} ${o.opType} run int8`];
      if (o.unfusedQdq) parts.push(`${o.unfusedQdq} stay Q→DQ→float`);
      if (o.float) parts.push(`${o.float} stay float`);
      if (o.unmatched) parts.push(`${o.unmatched} unmatched`);
      return parts.join(', ');
    })
    .join('; ');
  const qdq =
    fused.length || unfused.length
      ? `; onnxruntime fused ${fused.length} into QLinear kernels, left ${unfused.length} as Q→DQ→float`
      : '';
  return { summary: summary + qdq, ops, fused, unfused };
}

/**
 * In a variant that runs some layers in int8: the baseline's Conv/MatMul/Gemm layers that still run
 * in float, their time in the variant, and why (the quantizer's reason where it recorded one).
 */
export function floatLayersDiagnostic(
  rows: readonly MatchedLayer[],
  m: number,
  variant: Report,
  origins: ModelOrigins,
): Diagnostic | null {
  const opTypeOf = new Map(variant.layers.map((l) => [l.name, l.opType]));
  const targets = rows.filter((row) => targetOpOf(row, origins));
  const kinds = targets.map((row) => classify(row, m, opTypeOf));
  if (!kinds.includes('int8')) return null;
  const floats = targets.filter((_, i) => kinds[i] === 'float');
  if (floats.length === 0) return null;
  const timeUs = floats.reduce((s, row) => s + (row.timesUs[m] ?? 0), 0);
  const total = variantRunUs(variant);
  const timeShare = total > 0 ? Math.min(1, timeUs / total) : 0;
  const reasons = origins.skipped[m] ?? new Map<string, string>();
  const why = new Map<string, number>();
  for (const row of floats) {
    const origin = origins.resolvers[0]?.(row.name, row.opTypes[0] ?? undefined)?.origin ?? row.name;
    const reason =
      reasons.get(origin) ??
      'no float weight initializer to quantize (both inputs are computed), or the tool that made it left it out';
    why.set(reason, (why.get(reason) ?? 0) + 1);
  }
  const reasonText = [...why.entries()].map(([r, c]) => `${c}: ${r}`).join('; ');
  return {
    kind: 'float-layers',
    layers: floats.map((row) => row.name),
    timeUs,
    timeShare,
    message: `${floats.length} of ${targets.length} Conv/MatMul/Gemm layers still compute in float (${reasonText}): ${timeUs.toFixed(0)} µs per run, ${(timeShare * 100).toFixed(0)}% of the run time.`,
    fix: 'Where the reason allows, quantize them (drop them from --exclude, or quantize activation × activation MatMuls statically); keep float on purpose only where the drift chart shows the error starting there.',
  };
}

/** A profiled run's time for shares (median wall time, at least the summed layer time), µs. */
function variantRunUs(report: Report): number {
  return runTimeUs(report.layers, medianRunUs(report.runs ?? []));
}

/** Interleaved p50s of the variant and the baseline, ms: the comparison's own latency measure. */
export interface ComparedP50 {
  readonly variantMs: number;
  readonly baselineMs: number;
}

/**
 * A variant's diagnostics for a comparison: its profile's, the float-layers one and the int8-slower
 * one. Each `timeShare` is of the variant's run time (see Diagnostic); `timeUs` is that share of the
 * variant's interleaved p50, so it agrees with the comparison's latency. Where the variant is slower
 * than the baseline at the interleaved p50, `slowdownShare` says what part of the difference each
 * one's added time explains: the time of ops the baseline has no counterpart for (quantize,
 * dequantize, rescale, copies), or for int8-slower the integer kernels' time over the float layers
 * they replace. These count disjoint time and are handed out largest first, so they add up to at
 * most 100%; what they leave is in no diagnostic (kernels that are merely slower, run-to-run noise).
 */
export function variantDiagnostics(
  rows: readonly MatchedLayer[],
  m: number,
  variant: Report,
  baseline: Report,
  origins: ModelOrigins,
  p50: ComparedP50,
): Diagnostic[] {
  const all = [...(variant.diagnostics ?? [])];
  const float = floatLayersDiagnostic(rows, m, variant, origins);
  if (float) all.push(float);
  const slower = slowerInt8Diagnostic(rows, m, variant, origins);
  if (slower) all.push(slower);
  const variantUs = p50.variantMs * 1000;
  const scaled = all.map((d) => ({ ...d, timeUs: d.timeShare * variantUs }));
  const differenceUs = (p50.variantMs - p50.baselineMs) * 1000;
  if (!(differenceUs > 0)) return scaled.sort((a, b) => b.timeShare - a.timeShare);

  // Added time per diagnostic, in the variant's run-time share, then in interleaved µs.
  const runUs = variantRunUs(variant);
  const baseOf = (kind: Diagnostic['kind']) => baseline.diagnostics?.find((d) => d.kind === kind)?.timeShare ?? 0;
  const added = scaled.map((d) => {
    let share = 0;
    if (d.kind === 'dynamic-quantize' || d.kind === 'unfused-qdq') share = d.timeShare;
    else if (d.kind === 'ep-inserted' || d.kind === 'ep-fallback') share = Math.max(0, d.timeShare - baseOf(d.kind));
    else if (d.kind === 'int8-slower') share = runUs > 0 ? kernelExtraUs(rows, m, variant, d.layers) / runUs : 0;
    return share * variantUs;
  });
  let left = 1;
  const order = added.map((a, i) => [a, i] as const).sort((a, b) => b[0] - a[0]);
  const explained = new Array<number>(scaled.length).fill(0);
  for (const [a, i] of order) {
    const part = Math.min(left, a / differenceUs);
    explained[i] = part;
    left -= part;
  }
  return scaled
    .map((d, i) =>
      added[i]! > 0
        ? {
            ...d,
            slowdownShare: explained[i]!,
            message: `${d.message} The variant is ${differenceUs.toFixed(0)} µs slower than the baseline at the interleaved p50; these layers add about ${Math.min(added[i]!, differenceUs).toFixed(0)} µs, ${
              explained[i]! >= 0.005
                ? `${(explained[i]! * 100).toFixed(0)}% of that difference.`
                : 'but the causes listed above it already account for the whole difference (their time overlaps).'
            }`,
          }
        : d,
    )
    .sort((a, b) => (b.slowdownShare ?? 0) - (a.slowdownShare ?? 0) || b.timeShare - a.timeShare);
}

/**
 * For the int8-slower rows: the integer kernels' own time over the float layers they replace, µs
 * per profiled run. The quantize and rescale ops of each group are left out: the dynamic-quantize
 * diagnostic counts them, and no time is counted twice.
 */
function kernelExtraUs(rows: readonly MatchedLayer[], m: number, variant: Report, layers: readonly string[]): number {
  const byName = new Map(variant.layers.map((l) => [l.name, l]));
  let extra = 0;
  for (const row of rows.filter((r) => layers.includes(r.name))) {
    const group = row.groups?.[m] ?? [row.name];
    const kernel = group
      .map((n) => byName.get(n))
      .filter((l) => l && INT8_OPS.has(l.opType))
      .reduce((s, l) => s + ownUs(l!), 0);
    extra += Math.max(0, kernel - (row.timesUs[0] ?? 0));
  }
  return extra;
}

/**
 * The baseline's Conv/MatMul/Gemm layers whose int8 replacement (the whole lineage group) takes
 * longer than the float layer did: onnxruntime's ConvInteger, say, is a plain im2col kernel, slower
 * than the blocked float convolution with its activation fused.
 */
export function slowerInt8Diagnostic(
  rows: readonly MatchedLayer[],
  m: number,
  variant: Report,
  origins: ModelOrigins,
): Diagnostic | null {
  const opTypeOf = new Map(variant.layers.map((l) => [l.name, l.opType]));
  const slower = rows.filter(
    (row) => targetOpOf(row, origins) && classify(row, m, opTypeOf) === 'int8' && (row.deltasUs[m] ?? 0) > 0,
  );
  if (slower.length === 0) return null;
  const timeUs = slower.reduce((s, row) => s + (row.timesUs[m] ?? 0), 0);
  const baseUs = slower.reduce((s, row) => s + (row.timesUs[0] ?? 0), 0);
  const total = variantRunUs(variant);
  const kernels = new Map<string, number>();
  for (const row of slower) {
    const ops = row.groups?.[m]?.map((n) => opTypeOf.get(n) ?? '') ?? [row.opTypes[m] ?? ''];
    for (const op of ops.filter((o) => INT8_OPS.has(o))) kernels.set(op, (kernels.get(op) ?? 0) + 1);
  }
  const names = [...kernels.entries()].map(([op, c]) => `${c} ${op}`).join(', ');
  return {
    kind: 'int8-slower',
    layers: slower.map((row) => row.name),
    timeUs,
    timeShare: total > 0 ? Math.min(1, timeUs / total) : 0,
    message:
      `${slower.length} layer${slower.length === 1 ? '' : 's'} run${slower.length === 1 ? 's' : ''} int8 (${names}) but take ${timeUs.toFixed(0)} µs per run with their quantize and rescale ops, ` +
      `against ${baseUs.toFixed(0)} µs for the float layers they replace (${baseUs > 0 ? (timeUs / baseUs).toFixed(1) : '∞'}x), in the profiled runs: ${((total > 0 ? Math.min(1, timeUs / total) : 0) * 100).toFixed(0)}% of the run time.`,
    fix: int8SlowerFix(kernels),
  };
}

/**
 * What to try when integer kernels are slower, by the kind they are: a static variant's fused
 * QLinear kernels already have fixed activation scales, so advising "use static QDQ" there (as the
 * dynamic advice does) would send the user in a circle.
 */
function int8SlowerFix(kernels: ReadonlyMap<string, number>): string {
  if (kernels.has('ConvInteger'))
    return "onnxruntime's ConvInteger is a plain im2col kernel, not its blocked float convolution with the activation fused: use static QDQ (QLinearConv is optimised), or quantize only MatMul/Gemm (--ops MatMul,Gemm) and keep Conv in float.";
  if ([...kernels.keys()].some((op) => op.startsWith('QLinear') || op === 'QGemm'))
    return 'These layers already run fused static int8 kernels; on this CPU they cost more than float, usually because they are small or their channels do not fill the int8 SIMD width: keep them in float (--exclude), and check the machine section for int8 dot-product support.';
  return 'Small MatMul/Gemm layers do not repay quantizing their activation on every run: keep them in float (--exclude), or use static QDQ.';
}
