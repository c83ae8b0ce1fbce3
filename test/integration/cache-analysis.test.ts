// Issue 5 and 8's acceptance check on a real profile: an MLP whose MatMul weights are 16 KiB,
// 64 KiB, 2 MiB, 128 MiB and 4 MiB lands in L1, L2, L3, DRAM and L3. The cache sizes are given (a
// 48 KiB L1d, 1 MiB L2, 32 MiB L3 core), so the placement is checked the same on every machine; the
// machine's own staircase is measured in its own test below. The roofline ceilings are measured
// fresh; cold and warm times are measured.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPlan } from '../../shared/plan.js';
import type { CacheLevel, CacheSizes, Report } from '../../shared/report.js';
import { formatCacheSummary } from '../../electron/cli/summary-cache.js';
import { buildMlp } from '../support/synthetic-models.js';
import { profileModel } from '../../electron/core/profile/profiler.js';

// Feature sizes chosen so each MatMul's weights are exactly 16 KiB, 64 KiB, 2 MiB, 128 MiB, 4 MiB.
const SIZES = [64, 64, 256, 2048, 16384, 64];
const WEIGHT_BYTES = [16 * 1024, 64 * 1024, 2 * 1024 ** 2, 128 * 1024 ** 2, 4 * 1024 ** 2];
const ISSUE_LEVELS: CacheLevel[] = ['L1', 'L2', 'L3', 'DRAM', 'L3'];
const GIVEN: CacheSizes = { l1d: 48 * 1024, l1i: 32 * 1024, l2: 1024 ** 2, l3: 32 * 1024 ** 2, source: 'given' };

const dir = mkdtempSync(join(tmpdir(), 'strata-cache-'));
const configDir = join(dir, 'config');
const previousConfigDir = process.env.STRATA_CONFIG_DIR;
let report: Report;
const startedAt = Date.now();

// The level a working set of `bytes` needs, computed here from the given sizes, apart from the engine.
function expectedLevel(bytes: number, caches: CacheSizes): CacheLevel {
  if (bytes <= caches.l1d) return 'L1';
  if (bytes <= caches.l2) return 'L2';
  if (bytes <= caches.l3) return 'L3';
  return 'DRAM';
}

describe('cache analysis of a synthetic MLP with known cache sizes', () => {
  beforeAll(async () => {
    // A fresh config folder, so the ceilings are measured now rather than read from a cache.
    process.env.STRATA_CONFIG_DIR = configDir;
    const model = join(dir, 'mlp-cache.onnx');
    writeFileSync(model, buildMlp({ sizes: SIZES, batch: 1 }).bytes);
    report = await profileModel(
      model,
      {
        ...defaultPlan(),
        graphOptimizationLevel: 'disabled', // keep the MatMul nodes and their names as built
        warmupRuns: 2,
        timedRuns: 20, // a steadier p50: this VM's warm runs of the 128 MiB MatMul swing between ~2 and ~10 ms
        profiledRuns: 3,
      },
      { caches: GIVEN },
    );
  }, 600_000);

  afterAll(() => {
    if (previousConfigDir === undefined) delete process.env.STRATA_CONFIG_DIR;
    else process.env.STRATA_CONFIG_DIR = previousConfigDir;
    rmSync(dir, { recursive: true, force: true });
  });

  const matmuls = () => report.layers.filter((l) => l.opType === 'MatMul');

  it('reports the cache sizes it was given, the display adapters and the usable EPs', () => {
    expect(report.device.caches).toEqual(GIVEN);
    expect(report.device.memoryHierarchy).toBeUndefined(); // given sizes: nothing measured
    expect(Array.isArray(report.device.gpus)).toBe(true); // empty in this VM: no display adapter
    expect(report.device.usableEps).toContain('cpu');
  });

  it('places the MatMuls in L1, L2, L3, DRAM and L3 by their working sets', () => {
    const caches = GIVEN;
    const layers = matmuls();
    expect(layers.map((l) => l.name)).toEqual(SIZES.slice(0, -1).map((_, i) => `/mlp/layer.${i}/fc/MatMul`));
    expect(layers.map((l) => l.parameterBytes)).toEqual(WEIGHT_BYTES);
    // Working set = weights + the [1, in] input + the [1, out] output, in float32.
    const workingSets = WEIGHT_BYTES.map((w, i) => w + 4 * SIZES[i]! + 4 * SIZES[i + 1]!);
    expect(layers.map((l) => l.workingSetBytes)).toEqual(workingSets);
    const levels = layers.map((l) => l.cacheLevel);
    expect(levels).toEqual(workingSets.map((b) => expectedLevel(b, caches)));
    expect(levels).toEqual(ISSUE_LEVELS);
  });

  it('measures the roofline ceilings now, caches them, and places every MatMul under them', () => {
    const roof = report.roofline!;
    expect(roof).toBeDefined();
    expect(roof.peakGflops).toBeGreaterThan(0);
    expect(roof.memBandwidthGBs).toBeGreaterThan(0);
    expect(roof.threads).toBeGreaterThan(0);
    expect(Date.parse(roof.measuredAt)).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(roof.ridgeIntensity).toBeCloseTo(roof.peakGflops / roof.memBandwidthGBs, 9);
    const cached = JSON.parse(readFileSync(join(configDir, 'ceilings.json'), 'utf8')) as Record<
      string,
      { peakGflops: number }
    >;
    expect(Object.values(cached).map((c) => c.peakGflops)).toContain(roof.peakGflops);
    for (const layer of matmuls()) {
      const point = roof.points.find((p) => p.layer === layer.index)!;
      expect(point, layer.name).toBeDefined();
      expect(point.intensity).toBeCloseTo(layer.flops! / layer.workingSetBytes!, 9);
      expect(point.roofGflops).toBeCloseTo(Math.min(roof.peakGflops, roof.memBandwidthGBs * point.intensity), 6);
    }
    // A batch-1 MatMul does 2 FLOPs per 4-byte weight: intensity ≤ 0.5, far below any CPU's ridge.
    const dram = roof.points.find((p) => p.layer === matmuls()[3]!.index)!;
    expect(dram.intensity).toBeLessThanOrEqual(0.5);
    expect(dram.boundBy).toBe('memory');
  });

  it('measures cold against warm, end to end and per layer, with the first layer slower cold', () => {
    const { coldMs, p50Ms } = report.latency;
    const cs = report.coldStart!;
    expect(cs.coldMs).toBe(coldMs);
    expect(cs.warmP50Ms).toBe(p50Ms);
    expect(coldMs).toBeGreaterThan(0);
    expect(cs.profiledColdMs).toBeGreaterThan(0);
    const top = report.layers.filter((l) => !l.parent);
    expect(cs.layers.map((l) => l.layer).sort((a, b) => a - b)).toEqual(top.map((l) => l.index));
    expect(cs.layers.every((l) => l.coldUs > 0)).toBe(true);
    // The first kernel of the first run pays the first-run costs (thread pool wake-up, lazy MLAS
    // set-up, cold instruction cache): several times its warm time on every run seen here.
    const first = cs.layers.find((l) => l.layer === matmuls()[0]!.index)!;
    expect(first.coldUs).toBeGreaterThan(first.warmUs);
    // Not asserted: end-to-end cold > warm p50. onnxruntime loads and prepacks the weights inside
    // InferenceSession.create, which streams the 128 MiB weight through the caches just before the
    // first run, and this VM's warm runs of that MatMul swing between ~2 and ~15 ms with the other
    // work on the host; the first run came out faster than the p50 in most profiles seen here.
  });

  it('places the profiled runs on the system samples’ clock', () => {
    const samples = report.system!.samples;
    expect(samples.length).toBeGreaterThan(0);
    const start = report.profiledStartEpochMs!;
    expect(start).toBeGreaterThanOrEqual(samples[0]!.epochMs - 1000);
    expect(start).toBeLessThanOrEqual(samples[samples.length - 1]!.epochMs + 1000);
    const starts = report.runs.map((r) => r.startUs!);
    // At least the 3 asked for (a fast model gets more, with a note).
    expect(starts.length).toBeGreaterThanOrEqual(3);
    expect(starts.every((s) => typeof s === 'number')).toBe(true);
    for (let i = 1; i < starts.length; i++)
      expect(starts[i]!).toBeGreaterThanOrEqual(starts[i - 1]! + report.runs[i - 1]!.durUs);
  });

  it('summarises caches, levels, ceilings, cold start and counters for the CLI', () => {
    const text = formatCacheSummary(report).join('\n');
    expect(text).toContain('caches    L1d 48.0 KiB, L2 1.00 MiB, L3 32.0 MiB (the caller), one core');
    expect(text).toMatch(/machine {3}\d+ cores, .*; GPUs: .*; usable EPs: cpu/);
    expect(text).toMatch(/L1 \d+ layers?.*L2 \d+ layers?.*L3 \d+ layers?.*DRAM 1 layer\b/);
    expect(text).toMatch(/roofline {2}peak \d/);
    expect(text).toMatch(/memory-bound, \d+ compute-bound of \d+ layers with FLOPs/);
    expect(text).toMatch(/cold {6}first run .* against warm p50/);
    expect(text).toMatch(/counters {2}\S/);
    expect(existsSync(configDir)).toBe(true);
  });
});

describe('weights of layers onnxruntime fused', () => {
  it('counts every weight of the sample model once, fused MatMul+Add Gemms included', async () => {
    const sample = await profileModel(
      join(import.meta.dirname, '..', '..', 'assets', 'sample-model.onnx'),
      {
        ...defaultPlan(),
        warmupRuns: 1,
        timedRuns: 3,
        profiledRuns: 2,
      },
      { roofline: false, system: false },
    );
    const fused = sample.layers.filter((l) => l.name.endsWith('/MatMulAddFusion'));
    expect(fused.length).toBeGreaterThan(0);
    // q_proj of the sample: a 64×64 float32 weight and a 64-float bias, fused into one Gemm.
    const q = fused.find((l) => l.name === '/encoder/layer.0/attn/q_proj/MatMul/MatMulAddFusion')!;
    expect(q.parameterBytes).toBe((64 * 64 + 64) * 4);
    expect(q.workingSetBytes).toBe(q.parameterBytes + q.activationBytes + q.outputBytes);
    // Every weight is read by some layer: the layers' weights add up to the model's, give or take
    // the small shape tensors of the Reshapes onnxruntime inserts around each Gemm.
    const total = sample.layers.filter((l) => !l.parent).reduce((sum, l) => sum + l.parameterBytes, 0);
    expect(total / sample.model.parameterBytes).toBeGreaterThan(0.99);
    expect(total / sample.model.parameterBytes).toBeLessThan(1.01);
  });
});
