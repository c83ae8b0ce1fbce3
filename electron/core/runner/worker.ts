/**
 * The inference worker: a child process that runs one job with onnxruntime and exits. Everything
 * that can crash, hang or leak (native code, GPU drivers, huge allocations) happens here, never in
 * the app or the CLI.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import { StrataError, toErrorInfo } from '../../../shared/errors.js';
import { GraphBuilder } from '../model/graph-builder.js';
import { pinInputShapes } from '../model/pin-dims.js';
import type { InputData } from './inputs.js';
import type { JobMessage, OutputTensor, ProbeJobMessage, ProfileJobMessage, TensorsJobMessage, WorkerMessage } from './protocol.js';
import { epConfig, explainOrtError, sessionOptions } from './session-options.js';
import { removeOrtLitter } from './temp-files.js';
import { heartbeat, LOAD_TIMEOUT_MS, startWatchdog } from './watchdog.js';

const ortVersion: string = (ort.env as { versions?: { common?: string } }).versions?.common ?? 'unknown';

// Two transports: child_process.fork gives process.send; an Electron utility process gives
// process.parentPort (see electron/utility-worker.ts). Same messages either way.
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(message: WorkerMessage): Promise<void> {
  heartbeat(message.type !== 'progress' || message.phase !== 'loading');
  if (parentPort) {
    parentPort.postMessage(message);
    return Promise.resolve();
  }
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

function onJob(handler: (message: JobMessage) => void): void {
  let taken = false;
  const once = (message: JobMessage) => {
    if (!taken) handler(message);
    taken = true;
  };
  if (parentPort) parentPort.on('message', (event) => once(event.data as JobMessage));
  else process.once('message', once);
}

// The trace folder of the running job: removed here if the parent is gone, since it cannot.
let jobTraceDir: string | null = null;

// A worker whose parent died (SIGKILL, a crash, a closed terminal) is of use to no one: it stops at
// the next chance its event loop gets (between runs: onnxruntime runs block it) instead of running
// the rest of a job nobody will read, and leaves no trace folder behind. An Electron utility
// process needs none of this: Chromium ends it when its parent goes.
process.on('disconnect', () => {
  if (jobTraceDir) rmSync(jobTraceDir, { recursive: true, force: true });
  removeOrtLitter(process.pid);
  process.exit(0);
});

function toFeeds(inputs: readonly InputData[]): Record<string, ort.Tensor> {
  return Object.fromEntries(inputs.map((i) => [i.name, new ort.Tensor(i.type as never, i.data as never, [...i.dims])]));
}

// Pinned dims require creating the session from rewritten bytes; external data then resolves
// against the original model's folder through the session config entry ORT provides for that.
// Static shapes let ORT plan better, but a few models' subgraphs fail ORT's shape inference once
// their inputs are fixed: those run with symbolic dims instead, and the user is told.
const notes: string[] = [];

/**
 * Where a job's sessions load the model from, prepared once per job so session-create times
 * measure onnxruntime alone: the file itself (or the caller's bytes) when no dim needs pinning,
 * else the rewritten bytes, kept for the job's second session.
 */
interface ModelSource {
  readonly path: string;
  readonly bytes?: Uint8Array; // the caller's model bytes (tensors jobs), else the file at `path`
  pinned?: Uint8Array; // dropped once onnxruntime's shape inference refuses it
}

async function prepareModel(modelPath: string, shapes: Record<string, number[]>, bytes?: Uint8Array): Promise<ModelSource> {
  if (!bytes && !existsSync(modelPath)) throw new StrataError('MODEL_NOT_FOUND', `There is no model file at "${modelPath}".`);
  if (Object.keys(shapes).length === 0) return { path: modelPath, bytes };
  try {
    return { path: modelPath, bytes, pinned: pinInputShapes(bytes ?? (await readFile(modelPath)), shapes) };
  } catch (err) {
    throw explainOrtError(err, 'load', ortVersion);
  }
}

async function createSession(source: ModelSource, options: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession> {
  const external = { ...options, extra: { session: { model_external_initializers_file_folder_path: dirname(source.path) } } };
  const unpinned = () => (source.bytes ? ort.InferenceSession.create(source.bytes, external) : ort.InferenceSession.create(source.path, options));
  try {
    if (!source.pinned) return await unpinned();
    try {
      return await ort.InferenceSession.create(source.pinned, external);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!/ShapeInferenceError|TypeInferenceError/.test(message)) throw err;
      source.pinned = undefined; // the job's next session need not fail the same way first
      const session = await unpinned();
      const note = 'Fixing the input dims in the model made onnxruntime\'s shape inference fail, so it ran with symbolic dims (shapes fixed only by the input data).';
      if (!notes.includes(note)) notes.push(note);
      return session;
    }
  } catch (err) {
    throw explainOrtError(err, 'load', ortVersion);
  }
}

async function timedRun(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>): Promise<number> {
  const start = process.hrtime.bigint();
  try {
    await session.run(feeds);
  } catch (err) {
    throw explainOrtError(err, 'run', ortVersion);
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function profileJob(job: ProfileJobMessage): Promise<void> {
  const { plan } = job;
  jobTraceDir = job.traceDir;
  const feeds = toFeeds(job.inputs);
  // At most one message per 50 ms (and each phase's start and end): on a model that runs in 70 µs,
  // a message per run would itself disturb the runs it reports on. Every message re-arms the
  // parent's per-run watchdog, so a tiny --timeout gets more frequent messages.
  const throttleMs = Math.min(50, plan.runTimeoutMs / 4);
  let lastSent = 0;
  let unsentRuns = 0;
  let unsentMs = 0;
  const progress = async (phase: Extract<WorkerMessage, { type: 'progress' }>['phase'], done: number, total: number, runMs: number | null) => {
    if (runMs !== null) {
      unsentRuns++;
      unsentMs += runMs;
    }
    const now = performance.now();
    if (done > 0 && done < total && now - lastSent < throttleMs) return;
    lastSent = now;
    // The runs since the last message, as one: count and mean time.
    const runs = unsentRuns;
    const meanMs = runs ? unsentMs / runs : null;
    unsentRuns = 0;
    unsentMs = 0;
    await send({ type: 'progress', phase, done, total, runMs: meanMs, runs });
  };

  // Timing pass: profiler off.
  await progress('loading', 0, 1, null);
  let source: ModelSource | null = await prepareModel(job.modelPath, job.shapes);
  const createStart = process.hrtime.bigint();
  const session = await createSession(source, sessionOptions(plan));
  const createMs = Number(process.hrtime.bigint() - createStart) / 1e6;
  const rssAfterLoadBytes = process.memoryUsage.rss();
  await progress('cold', 0, 1, null);
  const coldMs = await timedRun(session, feeds);
  await progress('cold', 1, 1, coldMs);
  for (let i = 0; i < plan.warmupRuns; i++) {
    const ms = await timedRun(session, feeds);
    await progress('warmup', i + 1, plan.warmupRuns, ms);
  }
  const samplesMs: number[] = [];
  for (let i = 0; i < plan.timedRuns; i++) {
    samplesMs.push(await timedRun(session, feeds));
    await progress('timing', i + 1, plan.timedRuns, samplesMs[i]!);
  }
  const outputNames = [...session.outputNames];
  await session.release();

  // Profiled pass: a second session, since startProfiling() does nothing in Node. Its first run is
  // a warm-up (arena growth, prepacking) kept out of the per-layer statistics.
  const prefix = join(job.traceDir, `strata-${process.pid}-${Date.now()}`);
  // A 'loading' message first: the parent's watchdog then allows a load's time, not a run's.
  await progress('loading', 0, 1, null);
  const profiledStartEpochMs = Date.now();
  const profiled = await createSession(source, sessionOptions(plan, prefix));
  source = null; // pinned bytes can be as large as the model: not kept through the profiled runs
  const profiledRunsMs: number[] = [];
  // Progress counts the plan's profiled runs; the warm-up before them reports as run 0 of N.
  await progress('profiling', 0, plan.profiledRuns, null);
  for (let i = 0; i <= plan.profiledRuns; i++) {
    profiledRunsMs.push(await timedRun(profiled, feeds));
    await progress('profiling', i, plan.profiledRuns, profiledRunsMs[i]!);
  }
  profiled.endProfiling();
  await profiled.release();
  // A session that failed to load (see createSession) may have left a trace of its own: the one
  // with the runs is the largest.
  const traceName = readdirSync(job.traceDir)
    .filter((f) => f.startsWith(basename(prefix)) && f.endsWith('.json'))
    .sort((a, b) => statSync(join(job.traceDir, b)).size - statSync(join(job.traceDir, a)).size)[0];
  if (!traceName) throw new StrataError('INTERNAL', `onnxruntime wrote no profile trace with the prefix "${prefix}".`);

  await send({
    type: 'profile-result',
    result: {
      createMs,
      coldMs,
      samplesMs,
      profiledRunsMs,
      profiledWarmupRuns: 1,
      profiledStartEpochMs,
      tracePath: join(job.traceDir, traceName),
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      rssAfterLoadBytes,
      ortVersion,
      providersRequested: [...plan.eps],
      outputNames,
      notes,
    },
  });
}

async function tensorsJob(job: TensorsJobMessage): Promise<void> {
  const session = await createSession(await prepareModel(job.modelPath, job.shapes, job.modelBytes), sessionOptions(job.plan));
  const names = job.outputs.length ? [...job.outputs] : [...session.outputNames];
  const results: OutputTensor[][] = [];
  for (const [i, inputs] of job.inputSets.entries()) {
    let outputs: ort.InferenceSession.ReturnType;
    try {
      outputs = await session.run(toFeeds(inputs), names);
    } catch (err) {
      throw explainOrtError(err, 'run', ortVersion);
    }
    results.push(names.map((name) => {
      const t = outputs[name]!;
      return { name, type: t.type, dims: [...t.dims], data: t.data as OutputTensor['data'] };
    }));
    await send({ type: 'progress', phase: 'timing', done: i + 1, total: job.inputSets.length, runMs: null });
  }
  await session.release();
  await send({ type: 'tensors-result', outputs: results, ortVersion });
}

// The smallest model that exercises an EP: y = x + x.
function probeModel(): Uint8Array {
  const g = new GraphBuilder('probe');
  g.input('x', [1, 4]);
  g.node('Add', ['x', 'x'], 'y', { name: 'probe/Add' });
  g.output('y', [1, 4]);
  return g.toBytes(13);
}

async function probeJob(job: ProbeJobMessage): Promise<void> {
  const results: { ep: string; ok: boolean; error: string | null }[] = [];
  for (const ep of job.eps) {
    try {
      const session = await ort.InferenceSession.create(probeModel(), { executionProviders: [epConfig(ep as never)], logSeverityLevel: 3 });
      await session.run({ x: new ort.Tensor('float32', new Float32Array(4).fill(1), [1, 4]) });
      await session.release();
      results.push({ ep, ok: true, error: null });
    } catch (err) {
      results.push({ ep, ok: false, error: (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim() });
    }
  }
  await send({ type: 'probe-result', results, ortVersion });
}

onJob((message) => {
  // Known at once, not when the job starts: a parent killed while this worker is still starting
  // (loading onnxruntime, starting the watchdog) must not leave the folder behind either.
  if (message.type === 'profile') jobTraceDir = message.traceDir;
  // Up before any native call: it ends this process if the parent dies or the job goes silent.
  const watchdog = startWatchdog({
    traceDir: message.type === 'profile' ? message.traceDir : undefined,
    loadTimeoutMs: LOAD_TIMEOUT_MS,
    runTimeoutMs: message.type === 'probe' ? 120_000 : message.plan.runTimeoutMs,
  });
  const job = watchdog.then(() => (message.type === 'profile' ? profileJob(message) : message.type === 'tensors' ? tensorsJob(message) : probeJob(message)));
  job
    .catch((err: unknown) => send({ type: 'error', error: toErrorInfo(err) }))
    // process.send calls back once the answer is out; parentPort.postMessage does not, and exiting
    // at once could drop it, so a utility process waits for the parent, which ends every worker
    // as soon as its answer arrives.
    .finally(() => {
      if (!parentPort) process.exit(0);
    });
});
