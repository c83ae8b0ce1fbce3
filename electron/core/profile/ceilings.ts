/**
 * This machine's roofline ceilings, measured with onnxruntime itself so they are the ceilings a
 * model can reach here: peak float32 compute from a large MatMul, peak int8 compute from a large
 * MatMulInteger (int8 layers are judged against it, never against the float roof), and memory
 * bandwidth from an element-wise Mul over arrays far larger than the last-level cache. Measured
 * once per machine, thread count and onnxruntime version, then cached in the config folder.
 *
 * A ceiling is what the machine can do, so each is the best of several runs: other work on the
 * machine only ever slows a run down. Measurement waits a little for other programs to settle and
 * records how busy the machine was; ceilings measured on a busy machine are marked busy and
 * measured again the next time the machine is quiet. When a profiled layer beats a ceiling, the
 * ceiling is raised to what that layer reached, and the report names the layer.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatCeiling } from '../../../shared/format.js';
import { defaultPlan, type ProfilePlan } from '../../../shared/plan.js';
import type { ProfileProgress } from '../../../shared/progress.js';
import type { CeilingRaise, Ceilings, LayerStats, Report } from '../../../shared/report.js';
import { readConfigEntry, writeConfigEntry } from '../config-file.js';
import { createRng } from '../random.js';
import { GraphBuilder } from '../model/graph-builder.js';
import { DataType } from '../model/onnx-proto.js';
import { BUSY_PERCENT, openLoadWindow, sampleOtherCpuPercent, settleBeforeMeasuring } from './machine-load.js';
import { isInt8Layer } from './roofline.js';
import { ownedTempDir } from '../temp-owner.js';

/** How a ceiling measurement follows its profiles. */
export interface CeilingProfileOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ProfileProgress) => void;
  readonly onWorkerStart?: (pid: number) => void;
}

/** Runs a profile; injected so this module does not depend on the profiler that uses it. */
export type ProfileFn = (modelPath: string, plan: ProfilePlan, options: CeilingProfileOptions) => Promise<Report>;

const CACHE_FILE = 'ceilings.json';
const MATMUL_N = 1024; // 2·1024³ ≈ 2.1 GFLOP per run: long enough to time, short enough to wait for
const STREAM_ELEMENTS = 32 * 1024 * 1024; // 128 MiB read + 128 MiB written, far past any L3
/** About how long the three ceiling models take on a quiet 2-core machine, for the first ETA. */
export const CEILINGS_ESTIMATE_MS = 10_000;

/** Options of `machineCeilings`. */
export interface CeilingOptions {
  readonly threads: number;
  readonly cpu: string;
  readonly onnxruntimeVersion: string;
  /** Measure again even if cached (a cache written while the machine was busy). */
  readonly remeasure?: boolean;
  readonly signal?: AbortSignal;
  /** Follows a measurement (a few seconds, once per machine). */
  readonly onProgress?: (progress: ProfileProgress) => void;
}

function cacheKey(options: Pick<CeilingOptions, 'cpu' | 'threads' | 'onnxruntimeVersion'>): string {
  return `${options.cpu}|threads=${options.threads}|ort=${options.onnxruntimeVersion}`;
}

/**
 * The ceilings for `threads` threads on this machine: cached ones, or measured now when there are
 * none, when asked to, or when the cached ones were measured busy and the machine is quiet now.
 */
export async function machineCeilings(options: CeilingOptions, profile: ProfileFn): Promise<Ceilings> {
  const key = cacheKey(options);
  const cached = options.remeasure ? null : await readConfigEntry<Ceilings>(CACHE_FILE, key);
  // Ceilings cached before the int8 ceiling existed are measured again, once.
  if (cached && !cached.busy && cached.peakInt8Gops !== undefined) return cached;
  if (cached?.busy) {
    const now = await sampleOtherCpuPercent();
    if (now === null || now >= BUSY_PERCENT) return cached;
  }
  const measured = await measureCeilings(options.threads, profile, options);
  // A busy machine only slows a run: never let a busy measurement lower what a quieter one found.
  const previous = cached ?? (await readConfigEntry<Ceilings>(CACHE_FILE, key));
  const ceilings = measured.busy && previous ? bestOf(previous, measured) : measured;
  await writeConfigEntry(CACHE_FILE, key, ceilings);
  return ceilings;
}

/** Each ceiling the higher of two measurements; busy only if both were. */
function bestOf(a: Ceilings, b: Ceilings): Ceilings {
  return {
    ...b,
    peakGflops: Math.max(a.peakGflops, b.peakGflops),
    memBandwidthGBs: Math.max(a.memBandwidthGBs, b.memBandwidthGBs),
    ...(a.peakInt8Gops !== undefined || b.peakInt8Gops !== undefined
      ? { peakInt8Gops: Math.max(a.peakInt8Gops ?? 0, b.peakInt8Gops ?? 0) }
      : {}),
    busy: Boolean(a.busy && b.busy),
  };
}

/**
 * Measures the ceilings by profiling three synthetic models; each ceiling is the best of its runs.
 * Waits up to ~2 s for other programs to settle first, and records how busy the machine was.
 */
export async function measureCeilings(
  threads: number,
  profile: ProfileFn,
  options: Pick<CeilingOptions, 'signal' | 'onProgress'> = {},
): Promise<Ceilings> {
  const { say, before } = await settleBeforeMeasuring('its ceilings', options.onProgress);
  const window = openLoadWindow();
  const started = performance.now();
  const tempDir = await ownedTempDir('strata-ceilings-');
  const dir = tempDir.path;
  try {
    const plan: ProfilePlan = {
      ...defaultPlan(),
      intraOpThreads: threads,
      warmupRuns: 2,
      timedRuns: 3,
      profiledRuns: 8,
    };
    const steps = [
      { file: 'matmul.onnx', bytes: buildMatMulModel(), plan, what: 'float32 compute (MatMul)' },
      { file: 'matmul-int8.onnx', bytes: buildMatMulIntegerModel(), plan, what: 'int8 compute (MatMulInteger)' },
      {
        file: 'stream.onnx',
        bytes: buildStreamModel(),
        plan: { ...plan, inputs: { x: { kind: 'zeros' as const } } },
        what: 'memory bandwidth (Mul over 128 MiB)',
      },
    ];
    const reports: Report[] = [];
    for (const [i, step] of steps.entries()) {
      const path = join(dir, step.file);
      await writeFile(path, step.bytes);
      reports.push(
        await profile(path, step.plan, {
          signal: options.signal,
          onWorkerStart: (pid) => window.exclude(pid),
          onProgress: (p) => {
            const fraction = (i + Math.min(1, p.fraction)) / steps.length;
            const elapsed = performance.now() - started;
            say(
              `Measuring ${step.what}`,
              fraction,
              fraction > 0.2 ? (elapsed / fraction) * (1 - fraction) : CEILINGS_ESTIMATE_MS - elapsed,
            );
          },
        }),
      );
    }
    const [matmul, int8, stream] = reports as [Report, Report, Report];
    const mm = matmul.layers.filter((l) => l.flops).sort((a, b) => (b.flops ?? 0) - (a.flops ?? 0))[0];
    const mmi = int8.layers.filter((l) => l.flops).sort((a, b) => (b.flops ?? 0) - (a.flops ?? 0))[0];
    const mul = stream.layers.find((l) => l.opType === 'Mul');
    if (!mm || !mmi || !mul)
      throw new Error('The ceiling models did not report their MatMul, MatMulInteger and Mul layers.');
    const during = window.otherCpuPercent();
    const other = before === null && during === null ? null : Math.round(Math.max(before ?? 0, during ?? 0));
    // The fastest run: preemption and other load only ever make a run slower than the machine can go.
    return {
      peakGflops: (2 * MATMUL_N ** 3) / (mm.minUs * 1e3),
      peakInt8Gops: (2 * MATMUL_N ** 3) / (mmi.minUs * 1e3),
      memBandwidthGBs: (2 * STREAM_ELEMENTS * 4) / (mul.minUs * 1e3),
      threads,
      measuredAt: new Date().toISOString(),
      otherCpuPercent: other,
      busy: other !== null && other >= BUSY_PERCENT,
    };
  } finally {
    await tempDir.remove();
  }
}

/**
 * Ceilings no lower than what `layers` reached: a float layer's achieved GFLOP/s above the float
 * peak, an int8 layer's above the int8 peak, or a DRAM-bound layer streaming faster than the
 * bandwidth, proves that ceiling low. Returns the raised ceilings (and writes them to the cache)
 * with a note naming the layer, or the same ones and null.
 */
export async function raiseCeilingsSeen(
  ceilings: Ceilings,
  layers: readonly LayerStats[],
  options: Pick<CeilingOptions, 'cpu' | 'threads' | 'onnxruntimeVersion'>,
): Promise<{ ceilings: Ceilings; note: string | null }> {
  const best: Record<CeilingRaise['ceiling'], { value: number; layer: string | null }> = {
    peakGflops: { value: ceilings.peakGflops, layer: null },
    peakInt8Gops: { value: ceilings.peakInt8Gops ?? 0, layer: null },
    memBandwidthGBs: { value: ceilings.memBandwidthGBs, layer: null },
  };
  const offer = (ceiling: CeilingRaise['ceiling'], value: number, layer: string) => {
    if (value > best[ceiling].value) best[ceiling] = { value, layer };
  };
  for (const l of layers) {
    if (l.parent || l.meanUs <= 0) continue;
    if (l.flops)
      offer(
        isInt8Layer(l) && ceilings.peakInt8Gops !== undefined ? 'peakInt8Gops' : 'peakGflops',
        l.flops / (l.meanUs * 1e3),
        l.name,
      );
    // Only a working set past every cache measures memory bandwidth; smaller ones stream from cache.
    if (l.cacheLevel === 'DRAM' && l.workingSetBytes)
      offer('memBandwidthGBs', l.workingSetBytes / (l.meanUs * 1e3), l.name);
  }
  const at = new Date().toISOString();
  const raises: CeilingRaise[] = (Object.keys(best) as CeilingRaise['ceiling'][])
    .filter((c) => best[c].layer !== null)
    .map((c) => ({
      ceiling: c,
      from: c === 'peakInt8Gops' ? (ceilings.peakInt8Gops ?? 0) : ceilings[c],
      to: best[c].value,
      layer: best[c].layer!,
      at,
    }));
  if (raises.length === 0) return { ceilings, note: null };
  const raised: Ceilings = {
    ...ceilings,
    peakGflops: best.peakGflops.value,
    memBandwidthGBs: best.memBandwidthGBs.value,
    ...(ceilings.peakInt8Gops !== undefined ? { peakInt8Gops: best.peakInt8Gops.value } : {}),
    raised: [...(ceilings.raised ?? []).filter((r) => !raises.some((n) => n.ceiling === r.ceiling)), ...raises],
  };
  await writeConfigEntry(CACHE_FILE, cacheKey(options), raised);
  return {
    ceilings: raised,
    note: `A layer of this profile went faster than the roofline ceilings measured on ${ceilings.measuredAt.slice(0, 10)}${ceilings.busy ? ' (while the machine was busy)' : ''}, so they were raised to what it reached: ${raises.map(describeRaise).join(', ')}.`,
  };
}

/** "float32 peak 50.0 → 80.0 GFLOP/s by /mlp/fc1/MatMul" */
export function describeRaise(raise: CeilingRaise): string {
  const name = { peakGflops: 'float32 peak', peakInt8Gops: 'int8 peak', memBandwidthGBs: 'bandwidth' }[raise.ceiling];
  return `${name} ${formatCeiling(raise.ceiling, raise.from)} → ${formatCeiling(raise.ceiling, raise.to)} by ${raise.layer}`;
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

function buildMatMulIntegerModel(): Uint8Array {
  const rng = createRng(12);
  const g = new GraphBuilder('ceiling-matmul-int8');
  const a = g.input('a', [MATMUL_N, MATMUL_N], DataType.UINT8);
  const w = g.rawInit(
    'w',
    [MATMUL_N, MATMUL_N],
    DataType.UINT8,
    Uint8Array.from({ length: MATMUL_N * MATMUL_N }, () => Math.floor(rng() * 256)),
  );
  g.node('MatMulInteger', [a, w], 'y', { name: '/ceiling/MatMulInteger' });
  g.output('y', [MATMUL_N, MATMUL_N], DataType.INT32);
  return g.toBytes();
}
