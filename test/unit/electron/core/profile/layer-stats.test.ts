import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containerNames, ownTimesUs } from '../../../../../shared/layer-time.js';
import { analyzeTrace, firstRunNodeTimes, unionLength } from '../../../../../electron/core/profile/layer-stats.js';
import { modulePathOf } from '../../../../../electron/core/model/module-paths.js';
import { summarizeLatency } from '../../../../../electron/core/profile/stats.js';
import { kernelEvents, parseOrtTrace } from '../../../../../electron/core/profile/trace.js';
import { REPO } from '../../../../fixtures/paths.js';

const trace = (name: string) =>
  parseOrtTrace(JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'traces', `${name}.json`), 'utf8')));

describe('per-layer numbers robust to one bad run', () => {
  it('keeps a layer stalled in one run of three at its usual share, and marks its mean as driven by that run', () => {
    const clean = analyzeTrace(trace('convnet'), { warmupRuns: 1 });
    const events = trace('convnet');
    const target = clean.layers[1]!;
    // The layer's calls in time order: the first is the warm-up run's; stall the next run's 200x.
    const calls = events.filter((e) => e.name === `${target.name}_kernel_time`).sort((a, b) => a.ts - b.ts);
    (calls[2] as { dur: number }).dur *= 200;
    const stalled = analyzeTrace(events, { warmupRuns: 1 }).layers.find((l) => l.name === target.name)!;
    expect(stalled.meanUs).toBeGreaterThan(20 * target.meanUs);
    expect(stalled.meanDrivenByOneRun).toBe(true);
    expect(target.meanDrivenByOneRun).toBe(false);
    expect(stalled.share).toBeLessThan(2 * target.share);
    expect(stalled.ownIqrUs).toBeGreaterThan(target.ownIqrUs!);
    // Its op type keeps its usual share and place too: op types are ranked by median own time.
    const after = analyzeTrace(events, { warmupRuns: 1 });
    const op = (a: typeof clean, type: string) => a.opTypes.find((o) => o.opType === type)!;
    expect(op(after, target.opType).share).toBeLessThan(2 * op(clean, target.opType).share);
    expect(after.opTypes.map((o) => o.opType)).toEqual(clean.opTypes.map((o) => o.opType));
    expect(op(after, target.opType).meanUs).toBeGreaterThan((10 * op(clean, target.opType).meanUs) / 2);
  });
});

describe('trace analysis of a conv net (recorded, optimisations off)', () => {
  const events = trace('convnet');
  const analysis = analyzeTrace(events, { warmupRuns: 1 });

  it('finds one layer per node that ran, in execution order', () => {
    const nodes = new Set(kernelEvents(events).map((k) => k.node));
    expect(analysis.layers.map((l) => l.name).sort()).toEqual([...nodes].sort());
    expect(analysis.layers[0]!.name).toBe('/features/stage.0/conv/Conv');
    const starts = analysis.layers.map((l) => l.firstStartUs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('keeps three profiled runs after dropping the warm-up', () => {
    expect(analysis.runs).toHaveLength(3);
    for (const run of analysis.runs) expect(run.events).toHaveLength(analysis.layers.length);
  });

  it('accounts for every microsecond: layers plus overhead equal the run', () => {
    const shares = analysis.layers.reduce((s, l) => s + l.share, 0);
    expect(shares).toBeCloseTo(1, 9);
    const layerSum = analysis.layers.reduce((s, l) => s + l.meanUs, 0);
    expect(layerSum + analysis.overhead.meanUs).toBeCloseTo(analysis.profiledRunMeanMs * 1000, 6);
    expect(analysis.overhead.meanUs).toBeGreaterThanOrEqual(0);
  });

  it('computes FLOPs of the first conv from its shapes: 2·(1·8·32·32)·(3·3·3) + bias', () => {
    const conv = analysis.layers.find((l) => l.name === '/features/stage.0/conv/Conv')!;
    expect(conv.inputShapes).toEqual([[1, 3, 32, 32], [8, 3, 3, 3], [8]]);
    expect(conv.flops).toBe(2 * 8 * 32 * 32 * 27 + 8 * 32 * 32);
    expect(conv.gflopsPerSec).toBeCloseTo(conv.flops! / (conv.meanUs * 1e3), 9);
    expect(conv.modulePath).toBe('features/stage.0/conv');
    expect(conv.provider).toBe('CPUExecutionProvider');
  });

  it('aggregates op types over the same total', () => {
    expect(analysis.opTypes.reduce((s, o) => s + o.share, 0)).toBeCloseTo(1, 9);
    expect(analysis.opTypes.find((o) => o.opType === 'Conv')!.count).toBe(3);
  });

  it('reads session phases and arena memory', () => {
    expect(analysis.session.initMs).toBeGreaterThan(0);
    expect(analysis.arenaPeakBytes).toBeGreaterThan(0);
  });

  it('gives each node its time in the cold first run', () => {
    const cold = firstRunNodeTimes(events);
    expect(cold.byNode.size).toBe(analysis.layers.length);
    expect(cold.runUs).toBeGreaterThan(0);
  });
});

describe('trace analysis with subgraphs (Silero, If nodes, optimisations off)', () => {
  const analysis = analyzeTrace(trace('silero-if'), { warmupRuns: 1 });

  it('lists subgraph layers under their If and does not count their time twice', () => {
    const nested = analysis.layers.filter((l) => l.parent);
    expect(nested.length).toBeGreaterThan(10);
    for (const layer of nested) expect(analysis.layers.find((l) => l.name === layer.parent)?.opType).toBe('If');
    // A container's meanUs is its total: the top level alone adds up to the run minus overhead.
    const topLevel = analysis.layers.filter((l) => !l.parent);
    const sum = topLevel.reduce((s, l) => s + l.meanUs, 0);
    expect(sum + analysis.overhead.meanUs).toBeCloseTo(analysis.profiledRunMeanMs * 1000, 6);
    // Own time over every layer adds up to the same total, and shares are of own time.
    const own = ownTimesUs(analysis.layers);
    expect(own.reduce((a, b) => a + b, 0)).toBeCloseTo(sum, 6);
    for (const us of own) expect(us).toBeGreaterThanOrEqual(0);
    expect(analysis.layers.reduce((s, l) => s + l.share, 0)).toBeCloseTo(1, 9);
    // Shares are of the median own time per run, which never goes below zero.
    const robustTotal = analysis.layers.reduce((s, l) => s + l.ownP50Us!, 0);
    analysis.layers.forEach((l) => expect(l.share).toBeCloseTo(l.ownP50Us! / robustTotal, 9));
    for (const l of analysis.layers) expect(l.ownP50Us).toBeGreaterThanOrEqual(0);
  });

  it('gives an If its own time only, what it spends outside the layers of its subgraph', () => {
    const containers = containerNames(analysis.layers);
    const biggest = analysis.layers.filter((l) => containers.has(l.name)).sort((a, b) => b.meanUs - a.meanUs)[0]!;
    expect(biggest.name).toBe('/model/decoder/If_1');
    const children = analysis.layers.filter((l) => l.parent === biggest.name);
    expect(children.map((l) => l.opType)).toEqual(expect.arrayContaining(['LSTM', 'If']));
    const total = analysis.layers.filter((l) => !l.parent).reduce((s, l) => s + l.meanUs, 0);
    const own = biggest.meanUs - children.reduce((s, l) => s + l.meanUs, 0);
    // Its median own time per run is about its mean own time here (no stalled run), and well under its total.
    expect(biggest.ownP50Us!).toBeGreaterThan(0.5 * own);
    expect(biggest.ownP50Us!).toBeLessThan(1.5 * own);
    expect(biggest.share).toBeLessThan(0.6 * (biggest.meanUs / total)); // its total share was 38%
  });

  it('counts op types over every layer by own time, so they add up to 1 and show what ran inside the Ifs', () => {
    expect(analysis.opTypes.reduce((s, o) => s + o.share, 0)).toBeCloseTo(1, 9);
    const ops = analysis.opTypes.map((o) => o.opType);
    expect(ops).toEqual(expect.arrayContaining(['If', 'Conv', 'LSTM']));
    expect(analysis.opTypes.find((o) => o.opType === 'If')!.share).toBeLessThan(0.5);
    expect(analysis.opTypes.reduce((s, o) => s + o.count, 0)).toBe(analysis.layers.length);
  });
});

describe('GPU time on WebGPU (copied from a real trace: SwiftShader, one Gemm, one warm-up + three profiled runs)', () => {
  const run = (ts: number, dur: number) => ({ cat: 'Session', name: 'model_run', pid: 1, tid: 1, ts, dur, args: {} });
  const kernel = (ts: number, dur: number) => ({
    cat: 'Node',
    name: '/fc/MatMul/MatMulAddFusion_kernel_time',
    pid: 1,
    tid: 1,
    ts,
    dur,
    args: {
      op_name: 'Gemm',
      provider: 'WebGpuExecutionProvider',
      input_type_shape: [{ float: [1, 4] }],
      output_type_shape: [{ float: [1, 4] }],
    },
  });
  const gpu = (ts: number, dur: number) => ({
    cat: 'Api',
    name: '/fc/MatMul/MatMulAddFusion&Gemm&GemmNaive',
    pid: -1,
    tid: -1,
    ts,
    dur,
    args: {},
  });
  const events = [
    run(1258, 10040),
    kernel(11000, 120),
    gpu(11069, 59), // warm-up: shader compilation, uploads
    run(11636, 382),
    kernel(11700, 60),
    gpu(11745, 29),
    run(12185, 122),
    kernel(12200, 55),
    gpu(12252, 27),
    run(12379, 85),
    kernel(12390, 40),
    gpu(12420, 17),
  ];

  it('averages GPU time over the profiled runs only, leaving the warm-up out like the CPU times', () => {
    const [layer] = analyzeTrace(events, { warmupRuns: 1 }).layers;
    expect(layer!.meanUs).toBeCloseTo((60 + 55 + 40) / 3, 9);
    expect(layer!.gpuUs).toBeCloseTo((29 + 27 + 17) / 3, 9);
  });
});

describe('helpers', () => {
  it('takes the module path from a node name, seeing through fused names', () => {
    expect(modulePathOf('/encoder/layer.0/attn/q_proj/MatMul')).toBe('encoder/layer.0/attn/q_proj');
    expect(modulePathOf('/encoder/layer.0/attn/k_proj/MatMul/MatMulAddFusion')).toBe('encoder/layer.0/attn/k_proj');
    expect(modulePathOf('/encoder/layer.0/attn/scores/MatMul/MatMulScaleFusion/')).toBe('encoder/layer.0/attn/scores');
    expect(modulePathOf('fused /fc1/MatMul')).toBe('fc1');
    expect(modulePathOf('conv1')).toBe('');
  });

  it('summarizes 300,000 timed runs (no spread into Math.min, which overflows the stack)', () => {
    const samples = Array.from({ length: 300_000 }, (_, i) => 1 + (i % 1000) / 1000);
    const latency = summarizeLatency(5, samples);
    expect(latency.minMs).toBe(1);
    expect(latency.maxMs).toBe(1.999);
  });

  it('measures the union of overlapping intervals once', () => {
    expect(
      unionLength([
        { ts: 0, dur: 10 },
        { ts: 5, dur: 10 },
        { ts: 30, dur: 5 },
        { ts: 31, dur: 1 },
      ]),
    ).toBe(20);
  });
});
