/**
 * This machine's roofline ceilings, measured with onnxruntime itself so they are the ceilings a
 * model can reach here: peak compute from a large float32 MatMul, memory bandwidth from an
 * element-wise Mul over arrays far larger than the last-level cache. Measured once per machine,
 * thread count and onnxruntime version, then cached in the config folder.
 *
 * A ceiling is what the machine can do, so each is the best of several runs: other work on the
 * machine only ever slows a run down. A cache written on a busy day can still be low; when a
 * profiled layer then beats the cached peak, the peak is raised to what was seen (see
 * `raiseCeilingsSeen`) rather than drawing layers above their roof forever.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPlan, type ProfilePlan } from '../../../shared/plan.js';
import type { Ceilings, LayerStats, Report } from '../../../shared/report.js';
import { configDir } from '../config-dir.js';
import { createRng } from '../../../shared/random.js';
import { GraphBuilder } from '../model/graph-builder.js';

/** Runs a profile; injected so this module does not depend on the profiler that uses it. */
export type ProfileFn = (modelPath: string, plan: ProfilePlan, signal?: AbortSignal) => Promise<Report>;

const MATMUL_N = 1024; // 2·1024³ ≈ 2.1 GFLOP per run: long enough to time, short enough to wait for
const STREAM_ELEMENTS = 32 * 1024 * 1024; // 128 MiB read + 128 MiB written, far past any L3

/** Cached ceilings for `key`, or null. */
async function readCache(key: string): Promise<Ceilings | null> {
  try {
    const all = JSON.parse(await readFile(join(configDir(), 'ceilings.json'), 'utf8')) as Record<string, Ceilings>;
    return all[key] ?? null;
  } catch {
    return null;
  }
}

async function writeCache(key: string, ceilings: Ceilings): Promise<void> {
  const file = join(configDir(), 'ceilings.json');
  let all: Record<string, Ceilings> = {};
  try {
    all = JSON.parse(await readFile(file, 'utf8')) as Record<string, Ceilings>;
  } catch {
    // first measurement on this machine
  }
  all[key] = ceilings;
  await mkdir(configDir(), { recursive: true });
  await writeFile(file, JSON.stringify(all, null, 2));
}

/** Options of `machineCeilings`. */
export interface CeilingOptions {
  readonly threads: number;
  readonly cpu: string;
  readonly onnxruntimeVersion: string;
  /** Measure again even if cached (a cache written while the machine was busy). */
  readonly remeasure?: boolean;
  readonly signal?: AbortSignal;
  /** Called before a measurement starts (it takes a few seconds, once per machine). */
  readonly onMeasure?: () => void;
}

function cacheKey(options: Pick<CeilingOptions, 'cpu' | 'threads' | 'onnxruntimeVersion'>): string {
  return `${options.cpu}|threads=${options.threads}|ort=${options.onnxruntimeVersion}`;
}

/** The ceilings for `threads` threads on this machine, measured now or read from the cache. */
export async function machineCeilings(options: CeilingOptions, profile: ProfileFn): Promise<Ceilings> {
  const key = cacheKey(options);
  if (!options.remeasure) {
    const cached = await readCache(key);
    if (cached) return cached;
  }
  options.onMeasure?.();
  const ceilings = await measureCeilings(options.threads, profile, options.signal);
  await writeCache(key, ceilings);
  return ceilings;
}

/** Measures the ceilings by profiling two synthetic models; each ceiling is the best of its runs. */
export async function measureCeilings(threads: number, profile: ProfileFn, signal?: AbortSignal): Promise<Ceilings> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-ceilings-'));
  try {
    const plan: ProfilePlan = { ...defaultPlan(), intraOpThreads: threads, warmupRuns: 2, timedRuns: 3, profiledRuns: 8 };
    const matmulPath = join(dir, 'matmul.onnx');
    await writeFile(matmulPath, buildMatMulModel());
    const matmul = await profile(matmulPath, plan, signal);
    const mm = matmul.layers.filter((l) => l.flops).sort((a, b) => (b.flops ?? 0) - (a.flops ?? 0))[0];
    const streamPath = join(dir, 'stream.onnx');
    await writeFile(streamPath, buildStreamModel());
    const stream = await profile(streamPath, { ...plan, inputs: { x: { kind: 'zeros' } } }, signal);
    const mul = stream.layers.find((l) => l.opType === 'Mul');
    if (!mm || !mul) throw new Error('The ceiling models did not report their MatMul and Mul layers.');
    // The fastest run: preemption and other load only ever make a run slower than the machine can go.
    const peakGflops = (2 * MATMUL_N ** 3) / (mm.minUs * 1e3);
    const memBandwidthGBs = (2 * STREAM_ELEMENTS * 4) / (mul.minUs * 1e3);
    return { peakGflops, memBandwidthGBs, threads, measuredAt: new Date().toISOString() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Ceilings no lower than what `layers` reached: a layer's achieved GFLOP/s above the peak, or a
 * DRAM-bound layer streaming faster than the bandwidth, proves the cached ceiling low. Returns the
 * raised ceilings (and writes them to the cache) with a note saying so, or the same ones and null.
 */
export async function raiseCeilingsSeen(
  ceilings: Ceilings,
  layers: readonly LayerStats[],
  options: Pick<CeilingOptions, 'cpu' | 'threads' | 'onnxruntimeVersion'>,
): Promise<{ ceilings: Ceilings; note: string | null }> {
  let peak = ceilings.peakGflops;
  let bandwidth = ceilings.memBandwidthGBs;
  for (const l of layers) {
    if (l.parent || l.meanUs <= 0) continue;
    if (l.flops) peak = Math.max(peak, l.flops / (l.meanUs * 1e3));
    // Only a working set past every cache measures memory bandwidth; smaller ones stream from cache.
    if (l.cacheLevel === 'DRAM' && l.workingSetBytes) bandwidth = Math.max(bandwidth, l.workingSetBytes / (l.meanUs * 1e3));
  }
  if (peak === ceilings.peakGflops && bandwidth === ceilings.memBandwidthGBs) return { ceilings, note: null };
  const raised = { ...ceilings, peakGflops: peak, memBandwidthGBs: bandwidth };
  await writeCache(cacheKey(options), raised);
  const what = [
    peak > ceilings.peakGflops ? `peak ${ceilings.peakGflops.toFixed(1)} → ${peak.toFixed(1)} GFLOP/s` : null,
    bandwidth > ceilings.memBandwidthGBs ? `bandwidth ${ceilings.memBandwidthGBs.toFixed(1)} → ${bandwidth.toFixed(1)} GB/s` : null,
  ].filter(Boolean);
  return {
    ceilings: raised,
    note: `A layer of this profile went faster than the roofline ceilings measured on ${ceilings.measuredAt.slice(0, 10)} (likely while the machine was busy), so they were raised to what it reached: ${what.join(', ')}.`,
  };
}

function buildMatMulModel(): Uint8Array {
  const rng = createRng(11);
  const g = new GraphBuilder('ceiling-matmul');
  const a = g.input('a', [MATMUL_N, MATMUL_N]);
  const w = g.floatInit('w', [MATMUL_N, MATMUL_N], () => rng() - 0.5);
  g.node('MatMul', [a, w], 'y', { name: '/ceiling/MatMul' });
  g.output('y', [MATMUL_N, MATMUL_N]);
  return g.toBytes();
}

function buildStreamModel(): Uint8Array {
  const g = new GraphBuilder('ceiling-stream');
  const x = g.input('x', [STREAM_ELEMENTS]);
  const c = g.floatInit('c', [], () => 1.5);
  g.node('Mul', [x, c], 'y', { name: '/ceiling/Mul' });
  g.output('y', [STREAM_ELEMENTS]);
  return g.toBytes();
}
