// The inference worker for real: every way a job can end, the EP probes, and the GPU path on a
// software Vulkan driver.
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strataErrorOf } from '../fixtures/errors.js';
import { defaultPlan, type ProfilePlan } from '../../shared/plan.js';
import { summarizeModelFile } from '../../electron/core/model/open-model.js';
import { encodeModel } from '../../electron/core/model/onnx-proto.js';
import { buildUnknownOpModel, externalMatMul, writeExternalDataModel } from '../support/synthetic-models.js';
import { profileModel } from '../../electron/core/profile/profiler.js';
import { assertEpsUsable, listExecutionProviders } from '../../electron/core/runner/eps.js';
import { runFidelityJob, runProfileJob, type ForkWorker } from '../../electron/core/runner/worker-client.js';
import { OCR_CLS, OCR_DET, SAMPLE, SILERO_16K } from '../fixtures/paths.js';

const quick: ProfilePlan = { ...defaultPlan(), warmupRuns: 1, timedRuns: 3, profiledRuns: 2, intraOpThreads: 2 };
const dir = mkdtempSync(join(tmpdir(), 'strata-runner-'));

async function sampleJob(plan: ProfilePlan, options: Parameters<typeof runProfileJob>[1] = {}) {
  const summary = await summarizeModelFile(SAMPLE);
  return runProfileJob({ modelPath: SAMPLE, modelInputs: summary.inputs, plan }, options);
}

interface TraceEvent {
  readonly cat: string;
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur: number;
  readonly args: Record<string, unknown>;
}

function readTrace(path: string): TraceEvent[] {
  const events = JSON.parse(readFileSync(path, 'utf8')) as TraceEvent[];
  rmSync(path);
  return events;
}

describe('the inference worker on real models', () => {
  it('profiles Silero VAD with a rank-0 int64 sr=16000, recurrent state and If subgraphs', async () => {
    const summary = await summarizeModelFile(SILERO_16K);
    const plan: ProfilePlan = {
      ...quick,
      shapes: { input: [1, 512] },
      inputs: { sr: { kind: 'scalar', value: 16000 } },
    };
    const phases: string[] = [];
    const result = await runProfileJob(
      { modelPath: SILERO_16K, modelInputs: summary.inputs, plan },
      { onProgress: (p) => phases.push(p.phase) },
    );

    expect(result.createMs).toBeGreaterThan(0);
    expect(result.coldMs).toBeGreaterThan(0);
    expect(result.samplesMs).toHaveLength(3);
    for (const ms of [...result.samplesMs, ...result.profiledRunsMs]) expect(ms).toBeGreaterThan(0);
    expect(result.profiledRunsMs).toHaveLength(plan.profiledRuns + 1);
    expect(result.profiledWarmupRuns).toBe(1);
    expect(result.ortVersion).toMatch(/^1\.30\./);
    expect(result.providersRequested).toEqual(['cpu']);
    expect(result.outputNames).toEqual(['output', 'stateN']);
    expect(result.rssAfterLoadBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(result.peakRssBytes).toBeGreaterThanOrEqual(result.rssAfterLoadBytes);
    expect(result.resolvedInputs).toEqual([
      { name: 'input', elementType: 'float32', shape: [1, 512], source: 'random(seed=42)' },
      { name: 'state', elementType: 'float32', shape: [2, 1, 128], source: 'random(seed=42)' },
      { name: 'sr', elementType: 'int64', shape: [], source: 'value 16000' },
    ]);
    // state's batch dim was left symbolic: said once.
    expect(result.notes.filter((n) => n.includes("'state'"))).toHaveLength(1);
    expect(phases).toEqual(expect.arrayContaining(['loading', 'cold', 'warmup', 'timing', 'profiling']));

    const events = readTrace(result.tracePath);
    const session = events.filter((e) => e.cat === 'Session').map((e) => e.name);
    expect(session).toContain('session_initialization');
    expect(session.filter((n) => n === 'model_run')).toHaveLength(plan.profiledRuns + 1);
    const kernels = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'));
    expect(kernels.length).toBeGreaterThan(10);
    for (const k of kernels) {
      expect(k.ph).toBe('X');
      expect(k.args.provider).toBe('CPUExecutionProvider');
      expect(typeof k.args.op_name).toBe('string');
    }
    // The pinned 512-sample window reached the kernels.
    expect(kernels.some((k) => JSON.stringify(k.args.input_type_shape).includes('[1,512]'))).toBe(true);
  });

  it('says the model file is gone when it was moved after opening, for a profile and for a comparison of its tensors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-gone-'));
    try {
      const gone = join(dir, 'moved.onnx');
      const summary = await summarizeModelFile(SAMPLE);
      const profile = await strataErrorOf(() =>
        runProfileJob({ modelPath: gone, modelInputs: summary.inputs, plan: quick }),
      );
      expect(profile.code).toBe('MODEL_NOT_FOUND');
      expect(profile.message).toBe(`There is no model file at "${gone}".`);
      const fidelity = await strataErrorOf(() =>
        runFidelityJob({ modelPath: gone, extraOutputs: ['x'], shapes: {}, inputs: [], plan: quick }),
      );
      expect(fidelity.code).toBe('MODEL_NOT_FOUND');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says which dims it set to 1 when a run fails on them, and how to set them (app and CLI)', async () => {
    // Silero's STFT pads by reflection, which needs at least 2 samples: [1, 1] cannot run.
    const summary = await summarizeModelFile(SILERO_16K);
    const plan: ProfilePlan = { ...quick, inputs: { sr: { kind: 'scalar', value: 16000 } } };
    const err = await strataErrorOf(() => runProfileJob({ modelPath: SILERO_16K, modelInputs: summary.inputs, plan }));
    expect(err.code).toBe('RUN_FAILED');
    expect(err.message).toMatch(/Pad reflect requires axis length >= 2.*Input shape:\{1,1\}\./);
    expect(err.message).toMatch(
      /Strata set 3 dims the model leaves open to 1: 'input' dim 0 \('batch'\) and dim 1 \('sequence'\), 'state' dim 1 \('batch'\)\. .*set them in Run settings, or with --dim batch=N --dim sequence=N on the command line\.$/,
    );
    // Once, not after the generic advice it replaces.
    expect(err.message).not.toMatch(/If the inputs' shapes are wrong/);
  });

  it('profiles the OCR classifier at the shape --shape gives, with nothing left to default', async () => {
    const summary = await summarizeModelFile(OCR_CLS);
    const plan: ProfilePlan = { ...quick, shapes: { x: [1, 3, 48, 192] } };
    const result = await runProfileJob({ modelPath: OCR_CLS, modelInputs: summary.inputs, plan });
    expect(result.notes).toEqual([]);
    expect(result.resolvedInputs[0]!.shape).toEqual([1, 3, 48, 192]);
    const events = readTrace(result.tracePath);
    // Every dim of x is symbolic: the session loads the rewritten bytes.
    expect(events.filter((e) => e.cat === 'Session').map((e) => e.name)).toContain('model_loading_array');
    const kernels = events.filter((e) => e.name.endsWith('_kernel_time'));
    const firstConv = kernels.find((k) => k.args.op_name === 'Conv' || k.args.op_name === 'FusedConv')!;
    expect(JSON.stringify(firstConv.args.input_type_shape)).toContain('[1,3,48,192]');
  });

  it('pins a symbolic dim of a model whose weights are in an external file next to it', async () => {
    // Pinning means creating the session from rewritten bytes, which have no folder of their own:
    // the external file must still resolve next to the model, not in the working directory.
    const model = externalMatMul('batch.weights.bin', { batch: 'batch' });
    const modelDir = mkdtempSync(join(dir, 'external-'));
    const modelPath = join(modelDir, 'batch.onnx');
    writeFileSync(modelPath, encodeModel(model));
    writeFileSync(join(modelDir, 'batch.weights.bin'), new Uint8Array(new Float32Array(16 * 8).fill(0.25).buffer));
    expect(process.cwd()).not.toBe(modelDir);

    const summary = await summarizeModelFile(modelPath);
    const result = await runProfileJob({
      modelPath,
      modelInputs: summary.inputs,
      plan: { ...quick, dims: { batch: 4 } },
    });
    expect(result.notes).toEqual([]);
    const matmul = readTrace(result.tracePath).find((e) => e.args.op_name === 'MatMul')!;
    // (onnxruntime lists only the activation: the weight was prepacked at load.)
    expect((matmul.args.input_type_shape as unknown[])[0]).toEqual({ float: [4, 16] });
    expect(matmul.args.output_type_shape).toEqual([{ float: [4, 8] }]);
  });

  it('starts its worker through the fork the caller passes', async () => {
    const scripts: string[] = [];
    const counting: ForkWorker = (script, execArgv, env) => {
      scripts.push(script);
      return fork(script, [], { execArgv, env, serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    };
    const result = await sampleJob(quick, { fork: counting });
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatch(/worker\.(ts|js)$/);
    rmSync(result.tracePath);
  });

  it('takes the answer of a worker that exits before its last message is read, not a crash', async () => {
    // The parent can be told a worker exited before it reads that worker's last message from the
    // pipe. Hold every message back 50 ms behind 'exit' to make that order certain.
    const lagging: ForkWorker = (script, execArgv, env) => {
      const child = fork(script, [], {
        execArgv,
        env,
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      const events = new EventEmitter();
      let held = 0;
      let closed: unknown[] | null = null;
      child.on('message', (message) => {
        held++;
        setTimeout(() => {
          events.emit('message', message);
          if (--held === 0 && closed) events.emit('close', ...closed);
        }, 50);
      });
      child.on('close', (...args) => {
        closed = args;
        if (held === 0) events.emit('close', ...args);
      });
      for (const name of ['exit', 'error', 'spawn']) child.on(name, (...args) => events.emit(name, ...args));
      return Object.assign(events, {
        pid: child.pid,
        stderr: child.stderr,
        send: (m: unknown) => child.send(m as never),
        kill: (s?: NodeJS.Signals) => child.kill(s),
      }) as never;
    };
    const result = await sampleJob(quick, { fork: lagging });
    expect(result.samplesMs).toHaveLength(quick.timedRuns);
    rmSync(result.tracePath);
  });
});

describe('the inference worker', () => {
  it('runs both passes and hands back a trace', async () => {
    const result = await sampleJob(quick);
    expect(result.samplesMs).toHaveLength(3);
    expect(result.profiledRunsMs).toHaveLength(3); // one warm-up + two profiled
    expect(existsSync(result.tracePath)).toBe(true);
    expect(result.peakRssBytes).toBeGreaterThan(result.rssAfterLoadBytes / 2);
    // Every dim of the sample model is fixed: onnxruntime loads the file itself, not rewritten bytes.
    const loading = readTrace(result.tracePath).filter(
      (e) => e.cat === 'Session' && e.name.startsWith('model_loading'),
    );
    expect(loading.map((e) => e.name)).toEqual(['model_loading_uri']);
  });

  it('stops a cancelled job at once, and the next job gets a fresh worker', async () => {
    const abort = new AbortController();
    const started = Date.now();
    const job = sampleJob(
      { ...quick, timedRuns: 1_000_000 },
      { signal: abort.signal, onProgress: (p) => p.phase === 'timing' && abort.abort() },
    );
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
    const job = sampleJob(
      { ...quick, timedRuns: 1_000_000 },
      {
        onWorkerStart: (p) => (pid = p),
        onProgress: (p) => {
          // Progress is throttled, so "some timed runs done" rather than an exact count.
          if (p.phase === 'timing' && p.done >= 5 && !killed) {
            killed = true;
            process.kill(pid, 'SIGKILL');
          }
        },
      },
    );
    const err = await strataErrorOf(() => job);
    expect(err.code).toBe('WORKER_CRASHED');
    expect(err.message).toMatch(/killed \(SIGKILL/);
    expect(err.message).toMatch(/next run starts a fresh worker/);

    let nextPid = 0;
    const next = await sampleJob(quick, { onWorkerStart: (p) => (nextPid = p) });
    expect(nextPid).not.toBe(pid);
    expect(next.samplesMs).toHaveLength(3);
    rmSync(next.tracePath);
  });

  it('stops a run that exceeds the per-run timeout', async () => {
    const summary = await summarizeModelFile(OCR_DET);
    const err = await strataErrorOf(() =>
      runProfileJob({
        modelPath: OCR_DET,
        modelInputs: summary.inputs,
        plan: { ...quick, shapes: { x: [1, 3, 960, 960] }, runTimeoutMs: 100 },
      }),
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

  it('says a plan asking onnxruntime itself for an absent EP cannot run, not that the model is bad', async () => {
    const err = await strataErrorOf(() => sampleJob({ ...quick, eps: ['cuda', 'cpu'] }));
    expect(err.code).toBe('EP_UNAVAILABLE');
    expect(err.message).toMatch(/Cuda execution provider/);
  });

  it('refuses webgpu+cpu as a whole when no WebGPU adapter exists, and says why', async () => {
    const saved = process.env.VK_ICD_FILENAMES;
    process.env.VK_ICD_FILENAMES = join(dir, 'no-such-icd.json'); // no Vulkan driver at all
    try {
      const err = await strataErrorOf(() => sampleJob({ ...quick, eps: ['webgpu', 'cpu'] }));
      expect(err.code).toBe('EP_UNAVAILABLE');
      expect(err.message).toMatch(/^No WebGPU adapter was found.*Install a Vulkan driver/);
      const webgpu = (await listExecutionProviders({ refresh: true })).find((e) => e.name === 'webgpu')!;
      expect(webgpu).toMatchObject({ inBinary: true, usable: false });
      expect(webgpu.reason).toMatch(/^No WebGPU adapter was found/);
    } finally {
      if (saved === undefined) delete process.env.VK_ICD_FILENAMES;
      else process.env.VK_ICD_FILENAMES = saved;
      await listExecutionProviders({ refresh: true });
    }
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
      const report = await profileModel(
        SAMPLE,
        { ...quick, eps: ['webgpu', 'cpu'] },
        { roofline: false, system: false },
      );
      expect(report.eps.used).toContain('WebGpuExecutionProvider');
      const gpuLayers = report.layers.filter((l) => l.provider === 'WebGpuExecutionProvider');
      expect(gpuLayers.length).toBeGreaterThan(report.layers.length / 2);
      expect(gpuLayers.some((l) => (l.gpuUs ?? 0) > 0)).toBe(true);
    } finally {
      delete process.env.VK_ICD_FILENAMES;
    }
  });
});
