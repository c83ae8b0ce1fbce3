/**
 * This machine's roofline ceilings, measured with onnxruntime itself so they are the ceilings a
 * model can reach here: peak compute from a large float32 MatMul, memory bandwidth from an
 * element-wise Mul over arrays far larger than the last-level cache. Measured once per machine,
 * thread count and onnxruntime version, then cached in the config folder.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPlan, type ProfilePlan } from '../../../shared/plan.js';
import type { Ceilings, Report } from '../../../shared/report.js';
import { configDir } from '../config-dir.js';
import { createRng } from '../../../shared/random.js';
import { GraphBuilder } from '../model/graph-builder.js';

/** Runs a profile; injected so this module does not depend on the profiler that uses it. */
export type ProfileFn = (modelPath: string, plan: ProfilePlan) => Promise<Report>;

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

/** The ceilings for `threads` threads on this machine, measured now or read from the cache. */
export async function machineCeilings(
  options: { threads: number; cpu: string; onnxruntimeVersion: string; remeasure?: boolean },
  profile: ProfileFn,
): Promise<Ceilings> {
  const key = `${options.cpu}|threads=${options.threads}|ort=${options.onnxruntimeVersion}`;
  if (!options.remeasure) {
    const cached = await readCache(key);
    if (cached) return cached;
  }
  const ceilings = await measureCeilings(options.threads, profile);
  await writeCache(key, ceilings);
  return ceilings;
}

/** Measures the ceilings by profiling two synthetic models. */
export async function measureCeilings(threads: number, profile: ProfileFn): Promise<Ceilings> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-ceilings-'));
  try {
    const plan: ProfilePlan = { ...defaultPlan(), intraOpThreads: threads, warmupRuns: 2, timedRuns: 3, profiledRuns: 5 };
    const matmulPath = join(dir, 'matmul.onnx');
    await writeFile(matmulPath, buildMatMulModel());
    const matmul = await profile(matmulPath, plan);
    const mm = matmul.layers.filter((l) => l.flops).sort((a, b) => (b.flops ?? 0) - (a.flops ?? 0))[0];
    const streamPath = join(dir, 'stream.onnx');
    await writeFile(streamPath, buildStreamModel());
    const stream = await profile(streamPath, { ...plan, inputs: { x: { kind: 'zeros' } } });
    const mul = stream.layers.find((l) => l.opType === 'Mul');
    if (!mm || !mul) throw new Error('The ceiling models did not report their MatMul and Mul layers.');
    // p50 rather than mean: one preempted run on a busy machine must not lower the ceiling.
    const peakGflops = (2 * MATMUL_N ** 3) / (mm.p50Us * 1e3);
    const memBandwidthGBs = (2 * STREAM_ELEMENTS * 4) / (mul.p50Us * 1e3);
    return { peakGflops, memBandwidthGBs, threads, measuredAt: new Date().toISOString() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
