/**
 * "Why is this slower?": the per-layer data of a profile read for the usual causes, each with the
 * time it costs and the fix. Also the silent-fallback alarm: nodes and time per execution provider.
 *
 * Worked example: a dynamically quantized conv net whose 20 DynamicQuantizeLinear layers take 180 µs
 * of a 1.5 ms run gives { kind: 'dynamic-quantize', timeShare: 0.12, ... }.
 */
import { providerLabel } from '../../../shared/format.js';
import type { EpName } from '../../../shared/plan.js';
import type { Diagnostic, Fallback, LayerStats, ProviderShare } from '../../../shared/report.js';
import type { LayerOrigin } from '../variants/lineage.js';
import type { Int8Dot } from './cpu-flags.js';

/** onnxruntime kernels that compute in integers. */
export const INT8_OPS = new Set([
  'ConvInteger',
  'MatMulInteger',
  'MatMulIntegerToFloat',
  'DynamicQuantizeMatMul',
  'QLinearConv',
  'QLinearMatMul',
  'QGemm',
  'QAttention',
  'DynamicQuantizeLSTM',
  'NhwcQLinearConv',
  'QLinearAdd',
  'QLinearMul',
  'QLinearGlobalAveragePool',
  'QLinearAveragePool',
  'QLinearConcat',
  'QLinearSigmoid',
  'QLinearLeakyRelu',
  'QLinearSoftmax',
]);
const QDQ_OPS = new Set(['QuantizeLinear', 'DequantizeLinear']);
const COPY_OPS = new Set(['MemcpyToHost', 'MemcpyFromHost', 'ReorderInput', 'ReorderOutput']);

const EP_PROVIDER: Record<EpName, string> = {
  cpu: 'CPUExecutionProvider',
  webgpu: 'WebGpuExecutionProvider',
  cuda: 'CUDAExecutionProvider',
  tensorrt: 'TensorrtExecutionProvider',
  dml: 'DmlExecutionProvider',
  coreml: 'CoreMLExecutionProvider',
  qnn: 'QNNExecutionProvider',
  openvino: 'OpenVINOExecutionProvider',
};

/**
 * A layer's own time per run, the one statistic every share here is made of: the median over the
 * profiled runs of its time minus its subgraph layers' (the mean in reports before ownP50Us), so one
 * stalled run moves nothing and a control-flow layer's subgraph is not counted twice.
 */
export function ownUs(layer: LayerStats): number {
  return layer.ownP50Us ?? layer.meanUs;
}

/**
 * The time shares are of: a profiled run's wall time (median over the profiled runs), or the
 * summed own time of the layers where that is larger (nodes running in parallel), so a share of
 * it is never above 1. Without run times (hand-made layers), the summed layer time.
 */
export function runTimeUs(layers: readonly LayerStats[], runWallUs?: number): number {
  const nodes = layers.reduce((s, l) => s + ownUs(l), 0);
  return Math.max(nodes, runWallUs ?? 0);
}

/** The median of the profiled runs' wall times, in µs (undefined without runs). */
export function medianRunUs(runs: readonly { durUs: number }[]): number | undefined {
  if (runs.length === 0) return undefined;
  const sorted = runs.map((r) => r.durUs).sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Time of a set of layers per run, and its share of the run time (see runTimeUs). */
function costOf(
  layers: readonly LayerStats[],
  all: readonly LayerStats[],
  runWallUs?: number,
): { timeUs: number; timeShare: number } {
  const timeUs = layers.reduce((s, l) => s + ownUs(l), 0);
  const total = runTimeUs(all, runWallUs);
  return { timeUs, timeShare: total > 0 ? Math.min(1, timeUs / total) : 0 };
}

/**
 * Nodes and own time per provider, most time first, as shares of the run's wall time; the time in
 * no node (waiting on GPU work the node times leave out, copies between devices, the session's own
 * work) is the rest, returned
 * by `unattributedOf`. On a GPU that rest can be most of the run, so node time alone misleads.
 */
export function providerShares(layers: readonly LayerStats[], runWallUs?: number): ProviderShare[] {
  const by = new Map<string, LayerStats[]>();
  // Pushed, not spread into a new array per layer: that copy made 50,000 layers take minutes.
  for (const l of layers) {
    const name = l.provider || 'unknown';
    const group = by.get(name);
    if (group) group.push(l);
    else by.set(name, [l]);
  }
  return [...by.entries()]
    .map(([name, ls]) => ({ name, nodes: ls.length, ...costOf(ls, layers, runWallUs) }))
    .sort((a, b) => b.timeShare - a.timeShare);
}

/** The run time in no node: wall time minus every layer's own time, per run and as a share (0 when unknown). */
export function unattributedOf(
  layers: readonly LayerStats[],
  runWallUs?: number,
): { timeUs: number; timeShare: number } {
  const total = runTimeUs(layers, runWallUs);
  const nodes = layers.reduce((s, l) => s + ownUs(l), 0);
  const timeUs = Math.max(0, total - nodes);
  return { timeUs, timeShare: total > 0 ? timeUs / total : 0 };
}

/**
 * The fallback line when the first EP asked for is not the CPU: "WebGPU ran 212 of 240 nodes, 41% of
 * the run time; 28 nodes fell back to CPU (9%); 50% in no node (waiting on the GPU, copies, session
 * overhead)", every share of the run's wall time. Undefined on CPU-only plans.
 */
export function fallbackOf(
  layers: readonly LayerStats[],
  requested: readonly EpName[],
  runWallUs?: number,
): Fallback | undefined {
  const first = requested[0];
  if (!first || first === 'cpu') return undefined;
  const chosen = EP_PROVIDER[first] ?? first;
  const shares = providerShares(layers, runWallUs);
  const mine = shares.find((p) => p.name === chosen);
  const others = shares.filter((p) => p.name !== chosen);
  const fellBack = layers.filter((l) => l.provider !== chosen);
  const label = providerLabel(chosen);
  const fellShare = others.reduce((s, o) => s + o.timeShare, 0);
  const rest = unattributedOf(layers, runWallUs).timeShare;
  const line =
    `${label} ran ${mine?.nodes ?? 0} of ${layers.length} nodes, ${pct(mine?.timeShare ?? 0)} of the run time` +
    (fellBack.length
      ? `; ${fellBack.length} node${fellBack.length === 1 ? '' : 's'} fell back to ${others.map((o) => providerLabel(o.name)).join(', ')} (${pct(fellShare)})`
      : '; no node fell back') +
    (rest >= 0.005 ? `; ${pct(rest)} in no node (waiting on the GPU, copies, session overhead)` : '');
  return { chosen, line, layers: fellBack.map((l) => l.name), unattributedShare: rest };
}

// Whole percents, but never "100%" or "0%" for a part that is not all or nothing.
function pct(share: number): string {
  if (share > 0 && share < 0.001) return '<0.1%';
  if (share > 0.999 && share < 1) return '>99.9%';
  const partial = (share > 0 && share < 0.01) || (share > 0.99 && share < 1);
  return `${(share * 100).toFixed(partial ? 1 : 0)}%`;
}

function topOps(layers: readonly LayerStats[], n = 4): string {
  const counts = new Map<string, number>();
  for (const l of layers) counts.set(l.opType, (counts.get(l.opType) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([op, c]) => `${c} ${op}`)
    .join(', ');
}

function us(v: number): string {
  return v >= 1000 ? `${(v / 1000).toFixed(2)} ms` : `${v.toFixed(0)} µs`;
}

/** What `profileDiagnostics` reads besides the layers. */
export interface DiagnosticContext {
  readonly requested: readonly EpName[];
  /** Median wall time of a profiled run, µs: shares are of it (see runTimeUs). */
  readonly runWallUs?: number;
  readonly int8Dot?: Int8Dot;
  /** Maps a layer to the model node it came from; null for layers onnxruntime inserted. */
  readonly origin?: (layerName: string) => LayerOrigin | null;
}

/** Every diagnostic the profile supports, largest time share first; none that cost nothing. */
export function profileDiagnostics(layers: readonly LayerStats[], ctx: DiagnosticContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (kind: Diagnostic['kind'], ls: readonly LayerStats[], message: (cost: string) => string, fix: string) => {
    if (ls.length === 0) return;
    const cost = costOf(ls, layers, ctx.runWallUs);
    out.push({
      kind,
      layers: ls.map((l) => l.name),
      ...cost,
      message: message(`${us(cost.timeUs)} per run, ${pct(cost.timeShare)} of the run time`),
      fix,
    });
  };

  const fallback = fallbackOf(layers, ctx.requested, ctx.runWallUs);
  if (fallback && fallback.layers.length) {
    const fell = layers.filter((l) => fallback.layers.includes(l.name));
    add(
      'ep-fallback',
      fell,
      (cost) =>
        `${fell.length} layers (${topOps(fell)}) fell back from ${providerLabel(fallback.chosen)} to ${[...new Set(fell.map((l) => providerLabel(l.provider)))].join(', ')}: ${cost}.`,
      `${providerLabel(fallback.chosen)} has no kernel for these ops with these types or shapes. Replace the ops, fix symbolic dims (--dim/--shape), or export at an opset the EP covers; every switch between providers also adds copies.`,
    );
  }

  const inserted = layers.filter((l) => {
    if (COPY_OPS.has(l.opType)) return true;
    if (l.opType !== 'Transpose') return false;
    return ctx.origin ? ctx.origin(l.name) === null : /^Transpose(_token_\d+)?$/.test(l.name);
  });
  add(
    'ep-inserted',
    inserted,
    (cost) => `${inserted.length} copy or layout nodes the execution provider inserted (${topOps(inserted)}): ${cost}.`,
    'Memcpy nodes move tensors between devices where the graph switches provider: keep runs of nodes on one provider. Transpose/Reorder nodes convert layouts (NCHW to NHWC or NCHWc) around the kernels that want them: fewer layout changes between convolutions, or a channels-last export, remove them.',
  );

  const qdq = layers.filter((l) => QDQ_OPS.has(l.opType));
  add(
    'unfused-qdq',
    qdq,
    (cost) =>
      `${qdq.length} QuantizeLinear/DequantizeLinear layers were not fused into integer kernels and run on their own: ${cost}.`,
    'onnxruntime fuses Q/DQ only around ops it has integer kernels for, with every input (an int32 bias too) dequantized and the output quantized. Quantize the ops between (Relu, MaxPool, Add) as well, or use static QDQ instead of weight-only, at graph optimisation level "all".',
  );

  const dynamic = layers.filter(
    (l) =>
      l.opType === 'DynamicQuantizeLinear' ||
      (ctx.origin?.(l.name)?.role === 'rescale' && l.opType !== 'ConvInteger') ||
      ctx.origin?.(l.name)?.role === 'bias',
  );
  // Per original layer: what its DynamicQuantizeLinear and rescale ops cost, largest first.
  const perLayer = new Map<string, number>();
  for (const l of dynamic) {
    const key = ctx.origin?.(l.name)?.origin ?? l.name;
    perLayer.set(key, (perLayer.get(key) ?? 0) + ownUs(l));
  }
  const largest = [...perLayer.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, t]) => `${name} ${us(t)}`);
  add(
    'dynamic-quantize',
    dynamic,
    (cost) =>
      `Dynamic quantization computes each activation's scale on every run, then casts and rescales the int32 result: ${dynamic.length} DynamicQuantizeLinear, Cast and rescale layers take ${cost}` +
      (perLayer.size > 1 ? `; per layer the most go to ${largest.join(', ')}.` : '.'),
    'Static quantization calibrates activation scales once: try the static QDQ variant, or keep small layers, whose overhead outweighs the int8 gain, in float (--exclude).',
  );

  const int8 = layers.filter((l) => INT8_OPS.has(l.opType));
  if (ctx.int8Dot && ctx.int8Dot.supported === false) {
    add(
      'no-int8-dot',
      int8,
      (cost) =>
        `This CPU has no int8 dot-product instructions (VNNI, AVX512-VNNI or Arm dot-product; read from ${ctx.int8Dot!.source}), so its ${int8.length} int8 layers run on slower widening multiplies: ${cost}.`,
      'On this CPU keep the model in float or fp16; int8 pays off on CPUs with AVX-VNNI/AVX512-VNNI (Intel Ice Lake and later, AMD Zen 4 and later) or Arm dot-product (Armv8.2+).',
    );
  }
  return out.sort((a, b) => b.timeShare - a.timeShare);
}
