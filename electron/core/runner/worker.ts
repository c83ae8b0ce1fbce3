/**
 * The inference worker: a child process that runs one job with onnxruntime and exits. Everything
 * that can crash, hang or leak (native code, GPU drivers, huge allocations) happens here, never in
 * the app or the CLI.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import { StrataError, toErrorInfo } from '../../../shared/errors.js';
import { EP_NAMES } from '../../../shared/plan.js';
import { createRng } from '../random.js';
import { GraphBuilder } from '../model/graph-builder.js';
import { graphOutputsSuffix } from '../model/onnx-proto.js';
import { pinInputShapes } from '../model/pin-dims.js';
import { medianWithCi } from '../profile/confidence.js';
import { percentile } from '../profile/stats.js';
import type { DataElementType, InputData } from './inputs.js';
import { readNpy, writeNpy } from './npy.js';
import { classRowLength, compareWithReference } from '../variants/fidelity.js';
import { measureBandwidth, measureLatency, sweepSizes } from '../profile/memory-sweep.js';
import { startCpuMeter, startPeakRssTracker } from './process-stats.js';
import type {
  FidelityJobMessage,
  InterleaveJobMessage,
  JobMessage,
  MemoryProbeJobMessage,
  OutputTensor,
  ProbeJobMessage,
  ProfileJobMessage,
  SavedTensor,
  TensorMetrics,
  TensorsJobMessage,
  WorkerMessage,
} from './protocol.js';
import { epConfig, explainOrtError, sessionOptions } from './session-options.js';
import { generateJob } from './generate-job.js';
import { profiledRunCount } from './profiled-runs.js';
import { removeOrtLitter } from './temp-files.js';
import { heartbeat, LOAD_TIMEOUT_MS, startWatchdog } from './watchdog.js';

// First thing: the kernel's peak-RSS mark is reset here, so the peak the job reports is this
// worker's, not the parent's it inherited.
const peakRss = startPeakRssTracker();

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

/** Fewest milliseconds between progress messages of a timing pass: a few a second, no more. */
const PROGRESS_INTERVAL_MS = 250;
/** A precision goal never keeps a timing pass going longer than this. */
const PRECISION_TIME_LIMIT_MS = 60_000;

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

// A file moved or deleted since it was opened: said before onnxruntime's own message about it.
function assertModelFile(modelPath: string): void {
  if (!existsSync(modelPath)) throw new StrataError('MODEL_NOT_FOUND', `There is no model file at "${modelPath}".`);
}

async function prepareModel(
  modelPath: string,
  shapes: Record<string, number[]>,
  bytes?: Uint8Array,
): Promise<ModelSource> {
  if (!bytes) assertModelFile(modelPath);
  if (Object.keys(shapes).length === 0) return { path: modelPath, bytes };
  try {
    return { path: modelPath, bytes, pinned: pinInputShapes(bytes ?? (await readFile(modelPath)), shapes) };
  } catch (err) {
    throw explainOrtError(err, 'load', ortVersion);
  }
}

// The model file's bytes with `extraOutputs` appended as graph outputs (see graphOutputsSuffix).
async function withExtraOutputs(job: FidelityJobMessage): Promise<Uint8Array | undefined> {
  if (!job.extraOutputs?.length) return undefined;
  assertModelFile(job.modelPath);
  const file = await readFile(job.modelPath);
  const suffix = graphOutputsSuffix(job.extraOutputs);
  const bytes = new Uint8Array(file.length + suffix.length);
  bytes.set(file);
  bytes.set(suffix, file.length);
  return bytes;
}

async function createSession(
  source: ModelSource,
  options: ort.InferenceSession.SessionOptions,
): Promise<ort.InferenceSession> {
  const external = {
    ...options,
    extra: { session: { model_external_initializers_file_folder_path: dirname(source.path) } },
  };
  const unpinned = () =>
    source.bytes
      ? ort.InferenceSession.create(source.bytes, external)
      : ort.InferenceSession.create(source.path, options);
  try {
    if (!source.pinned) return await unpinned();
    try {
      return await ort.InferenceSession.create(source.pinned, external);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!/ShapeInferenceError|TypeInferenceError/.test(message)) throw err;
      source.pinned = undefined; // the job's next session need not fail the same way first
      const session = await unpinned();
      const note =
        "Fixing the input dims in the model made onnxruntime's shape inference fail, so it ran with symbolic dims (shapes fixed only by the input data).";
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
  // At most four messages a second (and each phase's start and end): on a model that runs in 70 µs,
  // a message per run would itself disturb the runs it reports on, and every message wakes the
  // parent, the server and the page while the timing pass runs. Every message re-arms the
  // parent's per-run watchdog, so a tiny --timeout gets more frequent messages.
  const throttleMs = Math.min(PROGRESS_INTERVAL_MS, plan.runTimeoutMs / 4);
  let lastSent = 0;
  let unsentRuns = 0;
  let unsentMs = 0;
  const progress = async (
    phase: Extract<WorkerMessage, { type: 'progress' }>['phase'],
    done: number,
    total: number,
    runMs: number | null,
  ) => {
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
  const cpu = startCpuMeter();
  const timingStart = performance.now();
  // With a precision goal: more runs, in steps of a tenth of the plan, until the p50's interval is
  // narrow enough, up to 20x the plan or a minute.
  let target = plan.timedRuns;
  for (let i = 0; i < target; i++) {
    samplesMs.push(await timedRun(session, feeds));
    if (
      i + 1 === target &&
      plan.precision !== undefined &&
      target < plan.timedRuns * 20 &&
      performance.now() - timingStart < PRECISION_TIME_LIMIT_MS
    ) {
      const ci = medianWithCi(samplesMs);
      if (!((ci.high - ci.low) / 2 <= plan.precision * ci.median))
        target += Math.max(10, Math.ceil(plan.timedRuns / 10));
    }
    await progress('timing', i + 1, target, samplesMs[i]!);
  }
  const timingCpu = cpu.stop();
  peakRss.checkpoint();
  const outputNames = [...session.outputNames];
  await session.release();

  // Profiled pass: a second session, since startProfiling() does nothing in Node. Its first run is
  // a warm-up (arena growth, prepacking) kept out of the per-layer statistics.
  const prefix = join(job.traceDir, `strata-${process.pid}-${Date.now()}`);
  // A 'loading' message first: the parent's watchdog then allows a load's time, not a run's.
  await progress('loading', 0, 1, null);
  const profiledStartEpochMs = Date.now();
  const profiled = await createSession(source, sessionOptions(plan, prefix));
  // eslint-disable-next-line no-useless-assignment -- the assignment is the point: it lets GC free the bytes
  source = null; // pinned bytes can be as large as the model: not kept through the profiled runs
  peakRss.checkpoint();
  const profiledRunsMs: number[] = [];
  const profiledRuns = profiledRunCount(
    plan.profiledRuns,
    percentile(samplesMs.length ? samplesMs : [coldMs], 50),
    job.nodeCount,
  );
  if (profiledRuns > plan.profiledRuns) {
    notes.push(
      `Profiled ${profiledRuns} runs instead of ${plan.profiledRuns}: the model is fast, and more runs make each layer's median time steadier at little cost.`,
    );
  }
  // Progress counts the profiled runs; the warm-up before them reports as run 0 of N.
  await progress('profiling', 0, profiledRuns, null);
  for (let i = 0; i <= profiledRuns; i++) {
    profiledRunsMs.push(await timedRun(profiled, feeds));
    await progress('profiling', i, profiledRuns, profiledRunsMs[i]!);
  }
  peakRss.checkpoint();
  profiled.endProfiling();
  // Not released: the parent ends this process as soon as the answer arrives, and freeing a
  // 50,000-node session first only kept the parent waiting to start its analysis.
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
      ...(({ bytes, source }) => ({ peakRssBytes: bytes, peakRssSource: source }))(peakRss.read()),
      timingCpu,
      rssAfterLoadBytes,
      ortVersion,
      providersRequested: [...plan.eps],
      outputNames,
      notes,
    },
  });
}

async function interleaveJob(job: InterleaveJobMessage): Promise<void> {
  const { plan } = job;
  const count = job.models.length;
  let lastSent = 0;
  const progress = async (
    phase: 'loading' | 'cold' | 'warmup' | 'timing',
    done: number,
    total: number,
    force = false,
  ) => {
    const now = performance.now();
    if (!force && now - lastSent < Math.min(PROGRESS_INTERVAL_MS, plan.runTimeoutMs / 4)) return;
    lastSent = now;
    await send({ type: 'progress', phase, done, total, runMs: null });
  };
  const models: { session: ort.InferenceSession; feeds: Record<string, ort.Tensor> }[] = [];
  for (const [i, m] of job.models.entries()) {
    await progress('loading', i, count, true);
    models.push({
      session: await createSession(await prepareModel(m.modelPath, m.shapes), sessionOptions(plan)),
      feeds: toFeeds(m.inputs),
    });
  }
  const coldMs: number[] = [];
  await progress('cold', 0, count, true);
  for (const m of models) coldMs.push(await timedRun(m.session, m.feeds));
  // Warm-ups interleaved too, and they tell how long a round takes.
  const warm: number[][] = models.map(() => []);
  for (let r = 0; r < Math.max(1, plan.warmupRuns); r++) {
    for (const [i, m] of models.entries()) warm[i]!.push(await timedRun(m.session, m.feeds));
    await progress('warmup', r + 1, plan.warmupRuns, r + 1 === plan.warmupRuns);
  }
  const roundMs = warm.reduce((sum, w) => sum + medianWithCi(w).median, 0);
  const target = Math.min(
    job.maxRounds,
    Math.max(plan.timedRuns, Math.ceil((job.minTimedMs * count) / Math.max(roundMs, 1e-3))),
  );
  const rng = createRng(job.seed);
  const order = models.map((_, i) => i);
  const samplesMs: number[][] = models.map(() => []);
  const cpu = startCpuMeter();
  for (let r = 0; r < target; r++) {
    // Fisher-Yates: a new order every round, so no model always follows the same one.
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const i of order) samplesMs[i]!.push(await timedRun(models[i]!.session, models[i]!.feeds));
    await progress('timing', r + 1, target, r + 1 === target);
  }
  const timingCpu = cpu.stop();
  for (const m of models) await m.session.release();
  await send({ type: 'interleave-result', result: { coldMs, samplesMs, cpu: timingCpu } });
}

async function tensorsJob(job: TensorsJobMessage): Promise<void> {
  const session = await createSession(
    await prepareModel(job.modelPath, job.shapes, job.modelBytes),
    sessionOptions(job.plan),
  );
  const names = job.outputs.length ? [...job.outputs] : [...session.outputNames];
  const results: OutputTensor[][] = [];
  for (const [i, inputs] of job.inputSets.entries()) {
    let outputs: ort.InferenceSession.ReturnType;
    try {
      outputs = await session.run(toFeeds(inputs), names);
    } catch (err) {
      throw explainOrtError(err, 'run', ortVersion);
    }
    results.push(
      names.map((name) => {
        const t = outputs[name]!;
        return { name, type: t.type, dims: [...t.dims], data: t.data as OutputTensor['data'] };
      }),
    );
    await send({ type: 'progress', phase: 'timing', done: i + 1, total: job.inputSets.length, runMs: null });
  }
  await session.release();
  await send({ type: 'tensors-result', outputs: results, ortVersion });
}

// Runs the model once, then saves the tensors asked for (the baseline) or compares them, one at a
// time, with ones saved earlier (a variant): only metrics go back to the parent.
async function fidelityJob(job: FidelityJobMessage): Promise<void> {
  const session = await createSession(
    await prepareModel(job.modelPath, job.shapes, job.modelBytes ?? (await withExtraOutputs(job))),
    sessionOptions(job.plan),
  );
  const available = new Set(session.outputNames);
  const names = [...new Set([...(job.save?.names ?? []), ...(job.compare ?? []).map((p) => p.name)])].filter((n) =>
    available.has(n),
  );
  let outputs: ort.InferenceSession.ReturnType;
  try {
    outputs = await session.run(toFeeds(job.inputs), names);
  } catch (err) {
    throw explainOrtError(err, 'run', ortVersion);
  }
  const steps = (job.save?.names.length ?? 0) + (job.compare?.length ?? 0);
  let done = 0;
  const step = () => progressEvery(++done, steps);
  const saved: (SavedTensor | null)[] = [];
  for (const [k, name] of (job.save?.names ?? []).entries()) {
    const t = outputs[name];
    if (!t || t.type === 'string') saved.push(null);
    else {
      const file = join(job.save!.dir, `t${k}.npy`);
      const data = t.data as InputData['data'];
      await writeFile(file, writeNpy(data, t.dims, t.type as DataElementType));
      saved.push({
        name,
        type: t.type,
        dims: [...t.dims],
        file,
        bytes: data.byteLength,
        rowLength: classRowLength(name, t.type, t.dims, data),
      });
    }
    await step();
  }
  const metrics: (TensorMetrics | null)[] = [];
  for (const pair of job.compare ?? []) {
    const t = outputs[pair.name];
    if (!t || t.type === 'string') metrics.push(null);
    else {
      const ref = readNpy(await readFile(pair.reference.file));
      metrics.push(
        compareWithReference(
          { type: pair.reference.type, data: ref.data, rowLength: pair.reference.rowLength },
          { type: t.type, data: t.data as InputData['data'] },
          pair.strict,
        ),
      );
    }
    await step();
  }
  await session.release();
  await send({ type: 'fidelity-result', result: { saved, metrics } });
}

// Progress of a job of many small steps, a few messages a second at most.
let lastStepMessage = 0;
async function progressEvery(done: number, total: number): Promise<void> {
  const now = performance.now();
  if (done < total && now - lastStepMessage < 250) return;
  lastStepMessage = now;
  await send({ type: 'progress', phase: 'analysing', done, total, runMs: null });
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
  const backends = ort.listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled }));
  // Unnamed: every EP Strata knows that the binary lists (bundled or loadable), and the CPU.
  const eps = job.eps ?? [
    'cpu',
    ...backends.map((b) => b.name).filter((n) => n !== 'cpu' && (EP_NAMES as readonly string[]).includes(n)),
  ];
  const results: { ep: string; ok: boolean; error: string | null }[] = [];
  for (const ep of new Set(eps)) {
    try {
      const session = await ort.InferenceSession.create(probeModel(), {
        executionProviders: [epConfig(ep as never)],
        logSeverityLevel: 3,
      });
      await session.run({ x: new ort.Tensor('float32', new Float32Array(4).fill(1), [1, 4]) });
      await session.release();
      results.push({ ep, ok: true, error: null });
    } catch (err) {
      results.push({
        ep,
        ok: false,
        error: (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim(),
      });
    }
  }
  await send({ type: 'probe-result', results, backends, ortVersion });
}

// The sweeps are synchronous: progress goes out between sizes (a handful of messages in all).
async function memoryProbeJob(job: MemoryProbeJobMessage): Promise<void> {
  const sizes = sweepSizes(4 * 1024, job.maxBytes);
  const total = sizes.length * 2;
  const tell = (done: number) => void send({ type: 'progress', phase: 'measuring', done, total, runMs: null });
  tell(0);
  const latencyNs = measureLatency(sizes, { onSize: (done) => done % 8 === 0 && tell(done) });
  const bandwidthGBs = measureBandwidth(sizes, { onSize: (done) => done % 8 === 0 && tell(sizes.length + done) });
  await send({ type: 'memory-probe-result', latencyNs, bandwidthGBs });
}

function runJobMessage(message: JobMessage): Promise<void> {
  switch (message.type) {
    case 'profile':
      return profileJob(message);
    case 'tensors':
      return tensorsJob(message);
    case 'fidelity':
      return fidelityJob(message);
    case 'probe':
      return probeJob(message);
    case 'memory-probe':
      return memoryProbeJob(message);
    case 'interleave':
      return interleaveJob(message);
    case 'generate':
      return generateJob(message, { send, peakRss, ortVersion });
  }
}

onJob((message) => {
  // Known at once, not when the job starts: a parent killed while this worker is still starting
  // (loading onnxruntime, starting the watchdog) must not leave the folder behind either.
  if (message.type === 'profile' || message.type === 'generate') jobTraceDir = message.traceDir;
  // Up before any native call: it ends this process if the parent dies or the job goes silent.
  const watchdog = startWatchdog({
    traceDir: message.type === 'profile' || message.type === 'generate' ? message.traceDir : undefined,
    loadTimeoutMs: LOAD_TIMEOUT_MS,
    runTimeoutMs: message.type === 'probe' || message.type === 'memory-probe' ? 120_000 : message.plan.runTimeoutMs,
  });
  const job = watchdog.then(() => runJobMessage(message));
  job
    .catch((err: unknown) => send({ type: 'error', error: toErrorInfo(err) }))
    // process.send calls back once the answer is out; parentPort.postMessage does not, and exiting
    // at once could drop it, so a utility process waits for the parent, which ends every worker
    // as soon as its answer arrives.
    .finally(() => {
      if (!parentPort) process.exit(0);
    });
});
