// The inference worker for real: every way a job can end, the EP probes, and the GPU path on a
// software Vulkan driver.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strataErrorOf } from '../fixtures/errors.js';
import { defaultPlan, type ProfilePlan } from '../../shared/plan.js';
import { summarizeModelFile } from '../../electron/core/model/summary.js';
import { buildUnknownOpModel, writeExternalDataModel } from '../../electron/core/model/synthetic.js';
import { profileModel } from '../../electron/core/profile/profiler.js';
import { assertEpsUsable, listExecutionProviders } from '../../electron/core/runner/eps.js';
import { runProfileJob } from '../../electron/core/runner/worker-client.js';
import { OCR_DET, SAMPLE } from '../fixtures/paths.js';

const quick: ProfilePlan = { ...defaultPlan(), warmupRuns: 1, timedRuns: 3, profiledRuns: 2, intraOpThreads: 2 };
const dir = mkdtempSync(join(tmpdir(), 'strata-runner-'));

async function sampleJob(plan: ProfilePlan, options: Parameters<typeof runProfileJob>[1] = {}) {
  const summary = await summarizeModelFile(SAMPLE);
  return runProfileJob({ modelPath: SAMPLE, modelInputs: summary.inputs, plan }, options);
}

describe('the inference worker', () => {
  it('runs both passes and hands back a trace', async () => {
    const result = await sampleJob(quick);
    expect(result.samplesMs).toHaveLength(3);
    expect(result.profiledRunsMs).toHaveLength(3); // one warm-up + two profiled
    expect(existsSync(result.tracePath)).toBe(true);
    expect(result.peakRssBytes).toBeGreaterThan(result.rssAfterLoadBytes / 2);
    rmSync(result.tracePath);
  });

  it('stops a cancelled job at once, and the next job gets a fresh worker', async () => {
    const abort = new AbortController();
    const started = Date.now();
    const job = sampleJob({ ...quick, timedRuns: 1_000_000 }, { signal: abort.signal, onProgress: (p) => p.phase === 'timing' && abort.abort() });
    const err = await strataErrorOf(() => job);
    expect(err.code).toBe('RUN_CANCELLED');
    expect(Date.now() - started).toBeLessThan(30_000);
    const next = await sampleJob(quick);
    expect(next.samplesMs).toHaveLength(3);
    rmSync(next.tracePath);
  });

  it('turns a worker killed mid-run into a plain error', async () => {
    let pid = 0;
    let killed = false;
    const job = sampleJob({ ...quick, timedRuns: 1_000_000 }, {
      onWorkerStart: (p) => (pid = p),
      onProgress: (p) => {
        // Progress is throttled, so "some timed runs done" rather than an exact count.
        if (p.phase === 'timing' && p.done >= 5 && !killed) {
          killed = true;
          process.kill(pid, 'SIGKILL');
        }
      },
    });
    const err = await strataErrorOf(() => job);
    expect(err.code).toBe('WORKER_CRASHED');
    expect(err.message).toMatch(/killed \(SIGKILL/);
    expect(err.message).toMatch(/next run starts a fresh worker/);
  });

  it('stops a run that exceeds the per-run timeout', async () => {
    const summary = await summarizeModelFile(OCR_DET);
    const err = await strataErrorOf(() => runProfileJob({ modelPath: OCR_DET, modelInputs: summary.inputs, plan: { ...quick, shapes: { x: [1, 3, 960, 960] }, runTimeoutMs: 100 } }),
    );
    expect(err.code).toBe('RUN_TIMEOUT');
    expect(err.message).toMatch(/longer than 0\.1 s/);
  });

  it('names an op onnxruntime does not implement', async () => {
    const path = join(dir, 'unknown-op.onnx');
    writeFileSync(path, buildUnknownOpModel());
    const err = await strataErrorOf(() => profileModel(path, quick, { roofline: false }));
    expect(err.code).toBe('MODEL_UNSUPPORTED');
    expect(err.message).toMatch(/Node "\/block\/CustomOpThatDoesNotExist" uses op 'CustomOpThatDoesNotExist'/);
  });

  it('profiles a model with external data next to it, and names the file when it is missing', async () => {
    const { modelPath, dataPath } = writeExternalDataModel(dir, 'ext');
    const report = await profileModel(modelPath, quick, { roofline: false });
    expect(report.layers.map((l) => l.opType)).toContain('MatMul');
    rmSync(dataPath);
    const err = await strataErrorOf(() => profileModel(modelPath, quick, { roofline: false }));
    expect(err.code).toBe('MODEL_EXTERNAL_DATA_MISSING');
    expect(err.message).toContain('"ext.weights.bin"');
  });
});

describe('execution providers', () => {
  it('lists every EP with CPU usable and a reason for each one that is not', async () => {
    const eps = await listExecutionProviders();
    expect(eps.map((e) => e.name)).toEqual(['cpu', 'webgpu', 'cuda', 'tensorrt', 'dml', 'coreml', 'qnn', 'openvino']);
    expect(eps.find((e) => e.name === 'cpu')!.usable).toBe(true);
    for (const ep of eps.filter((e) => !e.usable)) expect(ep.reason).toMatch(/\.$/);
  });

  it('refuses an absent EP with the reason', async () => {
    const err = await strataErrorOf(() => assertEpsUsable(['cuda', 'cpu']));
    expect(err.code).toBe('EP_UNAVAILABLE');
    expect(err.message).toMatch(/CUDA.*onnxruntime-node-install/);
  });
});

// Chromium ships SwiftShader, a software Vulkan driver: with it the WebGPU EP runs for real.
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
describe.skipIf(!existsSync(SWIFTSHADER))('the WebGPU EP on a software Vulkan driver', () => {
  it('profiles the sample model on WebGPU, with GPU time per layer', async () => {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER;
    try {
      const report = await profileModel(SAMPLE, { ...quick, eps: ['webgpu', 'cpu'] }, { roofline: false, system: false });
      expect(report.eps.used).toContain('WebGpuExecutionProvider');
      const gpuLayers = report.layers.filter((l) => l.provider === 'WebGpuExecutionProvider');
      expect(gpuLayers.length).toBeGreaterThan(report.layers.length / 2);
      expect(gpuLayers.some((l) => (l.gpuUs ?? 0) > 0)).toBe(true);
    } finally {
      delete process.env.VK_ICD_FILENAMES;
    }
  });
});
