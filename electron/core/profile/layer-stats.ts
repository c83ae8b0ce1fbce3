/**
 * Per-layer statistics from onnxruntime's trace: kernel calls grouped into runs by the `model_run`
 * events, summed per node within a run, then described across runs.
 *
 * Nesting: a control-flow node (If, Loop, Scan) runs its subgraph's nodes inside its own kernel
 * call, and the profiler reports both. A call that lies within another call on the same thread is
 * that node's child: a layer of its own, with `parent`. Nested time reads as a profiler's nested
 * frames do, total and own ("self") time:
 * - a layer's meanUs, p50Us, minUs... are its calls as measured; a container's (a layer that others
 *   name as `parent`) include its subgraph's layers: its total;
 * - its share is of its own time (a container's total minus its direct children's; a kernel's own
 *   time is its time) over the sum of every layer's own time, so the shares of all layers, nested
 *   or not, add up to 1 and no microsecond counts twice;
 * - op types sum own time over every layer, nested ones included: an If row holds the If's own work,
 *   the Convs inside it count as Conv.
 * Σ own time over all layers = Σ top-level layers' time = profiled run mean - overhead.
 *
 * Overhead: a profiled run's wall time minus the union of its top-level kernel intervals (executor
 * set-up, input copies, scheduling gaps). In sequential mode layers never overlap, so
 * Σ top-level meanUs + overhead = profiled run mean exactly; in parallel mode the union keeps
 * overlapping kernels from being counted twice.
 */
import { ownTimesUs } from '../../../shared/layer-time.js';
import type { LayerStats, OpTypeStats, Overhead, ProfiledRun, TimelineEvent } from '../../../shared/report.js';
import { estimateFlops } from '../model/flops.js';
import type { GraphIndex } from '../model/graph-index.js';
import { assignModulePaths } from '../model/module-paths.js';
import { maxOf, mean, minOf, percentile } from './stats.js';
import { kernelEvents, kernelShapes, modelRunEvents, type KernelEvent, type OrtTraceEvent } from './trace.js';

/** Everything the trace says, ready for the Report. */
export interface TraceAnalysis {
  readonly layers: LayerStats[];
  readonly opTypes: OpTypeStats[];
  readonly runs: ProfiledRun[];
  readonly overhead: Overhead;
  readonly profiledRunMeanMs: number;
  readonly session: { readonly loadMs: number; readonly initMs: number };
  readonly arenaPeakBytes: number | null;
  readonly providersUsed: string[];
}

interface Call {
  readonly event: KernelEvent;
  readonly run: number;
  readonly nested: string | null; // the enclosing call's node
}

/** How to analyse a trace: warm-up runs to leave out, and the model's graph when it could be read. */
export interface AnalyzeOptions {
  readonly warmupRuns: number;
  /** Weight shapes the trace leaves out (FLOPs) and tensor producers (module paths). */
  readonly graph?: GraphIndex;
}

/** Analyses a trace; the first `warmupRuns` model runs are left out. */
export function analyzeTrace(events: readonly OrtTraceEvent[], options: AnalyzeOptions): TraceAnalysis {
  const allRuns = modelRunEvents(events);
  const runWindows = allRuns.slice(options.warmupRuns);
  const kernels = [...kernelEvents(events)].sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const calls = assignCalls(kernels, runWindows);
  const runCount = Math.max(1, runWindows.length);

  // Per node: its time in each run, its calls, what the first call said about it.
  const byNode = new Map<
    string,
    { perRun: number[]; calls: number; first: KernelEvent; last: KernelEvent; starts: number[]; parent: string | null }
  >();
  for (const call of calls) {
    const e = call.event;
    let entry = byNode.get(e.node);
    if (!entry) {
      entry = {
        perRun: new Array<number>(runCount).fill(0),
        calls: 0,
        first: e,
        last: e,
        starts: [],
        parent: call.nested,
      };
      byNode.set(e.node, entry);
    }
    entry.last = e; // calls come in time order: the latest seen is the last
    entry.perRun[call.run]! += e.dur;
    entry.calls++;
    if (entry.starts.length <= call.run) entry.starts.push(e.ts - runWindows[call.run]!.ts);
  }
  const gpuUs = gpuTimesPerRun(events, allRuns, options.warmupRuns, runCount);

  const ordered = [...byNode.entries()].sort((a, b) => mean(a[1].starts) - mean(b[1].starts));
  const indexOf = new Map(ordered.map(([name], i) => [name, i]));
  const modulePaths = assignModulePaths(
    ordered.map(([name, n]) => ({ name, opType: n.first.opType })),
    options.graph,
  );
  const measured = ordered.map(([name, n], index): LayerStats => {
    const e = n.first;
    const shapes = kernelShapes(e);
    const inputShapes = shapes.inputs.map((s) => s.dims);
    const outputShapes = shapes.outputs.map((s) => s.dims);
    const callsPerRun = n.calls / runCount;
    const flopsPerCall = estimateFlops(e.opType, inputShapes, outputShapes, options.graph?.constantShapes(name));
    const flops = flopsPerCall === null ? null : flopsPerCall * callsPerRun;
    const meanUs = mean(n.perRun);
    const gpu = gpuUs.get(name) ?? 0;
    return {
      index,
      name,
      opType: e.opType,
      modulePath: modulePaths[index]!,
      provider: e.provider,
      inputShapes,
      outputShapes,
      inputTypes: shapes.inputs.map((s) => s.type),
      calls: callsPerRun,
      meanUs,
      p50Us: percentile(n.perRun, 50),
      p90Us: percentile(n.perRun, 90),
      minUs: minOf(n.perRun),
      maxUs: maxOf(n.perRun),
      share: 0, // of own time, below, once every layer's own time is known
      firstStartUs: mean(n.starts),
      flops,
      gflopsPerSec: flops !== null && meanUs > 0 ? flops / (meanUs * 1e3) : null,
      activationBytes: e.activationBytes,
      parameterBytes: e.parameterBytes,
      outputBytes: e.outputBytes,
      arenaInUseBytes: n.last.arenaInUseBytes ?? null,
      gpuUs: gpu > 0 ? gpu : null,
      ...(n.parent ? { parent: n.parent } : {}),
    };
  });
  const ownUs = ownTimesUs(measured);
  const ownTotal = ownUs.reduce((a, b) => a + b, 0);
  // Own time run by run (a container's minus its direct children's in the same run), so shares and
  // rankings can use its median: one stalled run must not make a 6 µs Max hold 47% of the time.
  const perRun = ordered.map(([, n]) => n.perRun);
  const childPerRun = new Map<string, number[]>();
  ordered.forEach(([, n], i) => {
    if (!n.parent) return;
    const acc = childPerRun.get(n.parent) ?? new Array<number>(runCount).fill(0);
    perRun[i]!.forEach((us, r) => (acc[r]! += us));
    childPerRun.set(n.parent, acc);
  });
  const robust = ordered.map(([name], i) => {
    const children = childPerRun.get(name);
    const own = perRun[i]!.map((us, r) => us - (children?.[r] ?? 0));
    const sum = own.reduce((a, b) => a + b, 0);
    const worst = maxOf(own);
    const meanUs = sum / runCount;
    const withoutWorst = runCount > 1 ? (sum - worst) / (runCount - 1) : meanUs;
    return {
      ownP50Us: Math.max(0, percentile(own, 50)),
      ownIqrUs: percentile(own, 75) - percentile(own, 25),
      meanDrivenByOneRun: runCount >= 3 && meanUs > 1 && meanUs > 2 * Math.max(0, withoutWorst),
    };
  });
  const robustTotal = robust.reduce((a, r) => a + r.ownP50Us, 0);
  // Completed in place: a spread copy of 50,000 rows of 30 keys cost more than the rest of this step.
  const layers = measured.map((layer, i) =>
    Object.assign(layer, robust[i]!, {
      share: robustTotal > 0 ? robust[i]!.ownP50Us / robustTotal : ownTotal > 0 ? ownUs[i]! / ownTotal : 0,
    }),
  );

  // One pass over the calls, run by run (they are in time order, so each run's are contiguous).
  const callsOfRun: Call[][] = runWindows.map(() => []);
  for (const c of calls) callsOfRun[c.run]!.push(c);
  const runs: ProfiledRun[] = runWindows.map((w, r) => ({
    durUs: w.dur,
    events: callsOfRun[r]!.map((c): TimelineEvent => ({
      layer: indexOf.get(c.event.node)!,
      tid: c.event.tid,
      startUs: c.event.ts - w.ts,
      durUs: c.event.dur,
    })),
  }));
  const profiledRunMeanUs = mean(runWindows.map((w) => w.dur));
  const overheadUs = mean(
    runWindows.map((w, r) => w.dur - unionLength(callsOfRun[r]!.filter((c) => c.nested === null).map((c) => c.event))),
  );
  const arenaPeaks = kernels.map((k) => k.arenaPeakBytes).filter((v): v is number => v !== null);
  const sessionEvent = (pattern: RegExp) => events.find((e) => e.cat === 'Session' && pattern.test(e.name));
  return {
    layers,
    opTypes: aggregateOpTypes(layers, ownUs),
    runs,
    overhead: { meanUs: overheadUs, share: profiledRunMeanUs > 0 ? overheadUs / profiledRunMeanUs : 0 },
    profiledRunMeanMs: profiledRunMeanUs / 1000,
    session: {
      loadMs: (sessionEvent(/^model_loading/)?.dur ?? 0) / 1000,
      initMs: (sessionEvent(/^session_initialization$/)?.dur ?? 0) / 1000,
    },
    arenaPeakBytes: arenaPeaks.length ? maxOf(arenaPeaks) : null,
    providersUsed: [...new Set(layers.map((l) => l.provider).filter(Boolean))],
  };
}

// Places each kernel call in its run and finds its enclosing call (same thread, interval inside).
function assignCalls(kernels: readonly KernelEvent[], runs: readonly OrtTraceEvent[]): Call[] {
  const calls: Call[] = [];
  let r = 0;
  const open = new Map<number, KernelEvent[]>(); // per thread, calls whose interval is still open
  for (const e of kernels) {
    while (r < runs.length && e.ts > runs[r]!.ts + runs[r]!.dur) {
      r++;
      open.clear();
    }
    if (r >= runs.length) break;
    if (e.ts < runs[r]!.ts) continue; // a warm-up run's call
    const stack = open.get(e.tid) ?? [];
    while (stack.length && stack[stack.length - 1]!.ts + stack[stack.length - 1]!.dur <= e.ts) stack.pop();
    const parent =
      stack.length && e.ts + e.dur <= stack[stack.length - 1]!.ts + stack[stack.length - 1]!.dur
        ? stack[stack.length - 1]!
        : null;
    calls.push({ event: e, run: r, nested: parent ? parent.node : null });
    stack.push(e);
    open.set(e.tid, stack);
  }
  return calls;
}

// WebGPU reports GPU time as 'Api' events named "<node>&<op>&<program>", on the trace's clock but
// outside the kernel events. Each belongs to the run whose window began last before it (GPU work
// may finish just after its run's window closes); the warm-up runs' GPU time is left out like
// their kernels, or a cold first run (shader compilation, uploads) would inflate every mean.
function gpuTimesPerRun(
  events: readonly OrtTraceEvent[],
  allRuns: readonly OrtTraceEvent[],
  warmupRuns: number,
  runCount: number,
): Map<string, number> {
  const totals = new Map<string, number>();
  for (const e of events) {
    if (e.cat !== 'Api') continue;
    const run = lastStartAtOrBefore(allRuns, e.ts);
    if (run < warmupRuns) continue; // during session set-up, or a warm-up run
    const node = e.name.split('&')[0]!;
    totals.set(node, (totals.get(node) ?? 0) + e.dur);
  }
  return new Map([...totals].map(([node, us]) => [node, us / runCount]));
}

// Index of the last run (sorted by start) that started at or before `ts`; -1 when none did.
function lastStartAtOrBefore(runs: readonly OrtTraceEvent[], ts: number): number {
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs[mid]!.ts <= ts) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Total length of the union of intervals. */
export function unionLength(intervals: readonly { ts: number; dur: number }[]): number {
  const sorted = [...intervals].sort((a, b) => a.ts - b.ts);
  let total = 0;
  let end = -Infinity;
  for (const { ts, dur } of sorted) {
    const stop = ts + dur;
    if (stop <= end) continue;
    total += stop - Math.max(ts, end);
    end = stop;
  }
  return total;
}

// Op types by own time over every layer, nested ones included, so their shares add up to 1 like
// the layers' and a subgraph's kernels count as what they are rather than as their If. Shares and
// order use the layers' median own times, like the layers' own shares: one stalled run of one Add
// must not put Add above Gemm.
function aggregateOpTypes(layers: readonly LayerStats[], ownUs: readonly number[]): OpTypeStats[] {
  const groups = new Map<string, { layers: LayerStats[]; us: number; p50Us: number }>();
  layers.forEach((layer, i) => {
    const group = groups.get(layer.opType) ?? { layers: [], us: 0, p50Us: 0 };
    group.layers.push(layer);
    group.us += ownUs[i]!;
    group.p50Us += layer.ownP50Us ?? ownUs[i]!;
    groups.set(layer.opType, group);
  });
  const total = [...groups.values()].reduce((s, g) => s + g.p50Us, 0);
  return [...groups.entries()]
    .map(([opType, { layers: group, us: meanUs, p50Us }]) => {
      const known = group.every((l) => l.flops !== null);
      const flops = known ? group.reduce((s, l) => s + (l.flops ?? 0), 0) : null;
      return {
        opType,
        count: group.length,
        meanUs,
        ownP50Us: p50Us,
        share: total > 0 ? p50Us / total : 0,
        flops,
        gflopsPerSec: flops !== null && meanUs > 0 ? flops / (meanUs * 1e3) : null,
        providers: [...new Set(group.map((l) => l.provider))],
      };
    })
    .sort((a, b) => b.ownP50Us - a.ownP50Us);
}

/**
 * Each node's summed kernel time in the trace's first model run: the cold run of the profiled
 * session (page-in of weights, arena growth, kernel prepacking all land here).
 */
export function firstRunNodeTimes(events: readonly OrtTraceEvent[]): { runUs: number; byNode: Map<string, number> } {
  const first = modelRunEvents(events)[0];
  const byNode = new Map<string, number>();
  if (!first) return { runUs: 0, byNode };
  for (const k of kernelEvents(events)) {
    if (k.ts >= first.ts && k.ts + k.dur <= first.ts + first.dur) byNode.set(k.node, (byNode.get(k.node) ?? 0) + k.dur);
  }
  return { runUs: first.dur, byNode };
}
