/**
 * The engine's side of the inference worker: fork a fresh worker per job, stream its progress, and
 * turn every way it can end (result, error, cancel, timeout, crash) into a result or a StrataError.
 */
import { fork as forkChild } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StrataError } from '../../../shared/errors.js';
import type { TensorInfo } from '../../../shared/model.js';
import type { ProfilePlan } from '../../../shared/plan.js';
import type { ProfilePhase, ProfileProgress } from '../../../shared/progress.js';
import type { MemoryCurvePoint, ResolvedInput } from '../../../shared/report.js';
import { describeDefaultedDims, makeInputData, resolveInputs, type InputData } from './inputs.js';
import type {
  FidelityJobMessage,
  FidelityJobResult,
  InterleavedModel,
  InterleaveJobResult,
  JobMessage,
  ListedBackend,
  OutputTensor,
  ProfileJobResult,
  WorkerMessage,
} from './protocol.js';
import { planNotes, SHAPE_ADVICE } from './session-options.js';
import { removeOrtLitter } from './temp-files.js';
import { LOAD_TIMEOUT_MS } from './watchdog.js';
import { ownedTempDir, ownTempPath } from '../temp-owner.js';

/**
 * The little of a worker process the client uses. Node's ChildProcess fits as is; Electron's
 * utilityProcess needs a thin adapter (postMessage for send, its exit code only).
 */
export interface WorkerProcess {
  readonly pid?: number | undefined;
  readonly stderr?: NodeJS.ReadableStream | null;
  send(message: JobMessage): unknown;
  kill(signal?: NodeJS.Signals): unknown;
  on(event: 'message', listener: (message: WorkerMessage) => void): unknown;
  on(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  /** After 'exit', once its stderr and IPC channel are drained: every message it sent has arrived. */
  on(event: 'close', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'spawn', listener: () => void): unknown;
}

/** Starts a worker process running `script`; Electron's main process may pass a utilityProcess adapter. */
export type ForkWorker = (script: string, execArgv: string[], env: NodeJS.ProcessEnv) => WorkerProcess;

const defaultFork: ForkWorker = (script, execArgv, env) =>
  forkChild(script, [], { execArgv, env, serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });

let forkWorker: ForkWorker = defaultFork;

/** Replaces how workers are started for every later job (for Electron's utilityProcess). */
export function setWorkerForker(fork: ForkWorker): void {
  forkWorker = fork;
}

// The worker is this module's sibling: worker.js when built, worker.ts under tsx or vitest, where
// it needs tsx's loader.
function workerScript(): { script: string; execArgv: string[] } {
  const js = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (existsSync(js)) return { script: js, execArgv: [] };
  return { script: fileURLToPath(new URL('./worker.ts', import.meta.url)), execArgv: ['--import', 'tsx'] };
}

/** Follow and stop a job. */
export interface JobOptions {
  readonly onProgress?: (progress: ProfileProgress) => void;
  readonly signal?: AbortSignal;
  /** Called with the worker's pid once it runs (system sampling, hardware counters). */
  readonly onWorkerStart?: (pid: number) => void;
  /** Starts this job's worker instead of the process-wide forker. */
  readonly fork?: ForkWorker;
}

/**
 * Runs one job in a fresh worker and resolves with the message `accept` picks out. Rejects with
 * RUN_CANCELLED, RUN_TIMEOUT (no word from the worker for `runTimeoutMs` while running), or
 * WORKER_CRASHED; the worker is always gone when this settles.
 */
export function runJob<T>(
  job: JobMessage,
  runTimeoutMs: number,
  accept: (message: WorkerMessage) => T | undefined,
  options: JobOptions & { onMessage?: (message: WorkerMessage) => void } = {},
): Promise<T> {
  const { script, execArgv } = workerScript();
  const env = { ...process.env };
  // Dawn (the WebGPU EP) wants a runtime dir; a headless box or a CI job often has none.
  env.XDG_RUNTIME_DIR ??= tmpdir();
  return new Promise<T>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new StrataError('RUN_CANCELLED', 'The profile was cancelled.'));
      return;
    }
    const child = (options.fork ?? forkWorker)(script, execArgv, env);
    let exited = false;
    let settled = false;
    let stderr = '';
    let watchdog: NodeJS.Timeout | undefined;
    let phase: ProfilePhase | 'starting' = 'starting';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });

    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      options.signal?.removeEventListener('abort', onAbort);
      if (!exited) child.kill('SIGKILL');
      fn();
    };
    const armWatchdog = () => {
      clearTimeout(watchdog);
      const loading = phase === 'starting' || phase === 'loading';
      watchdog = setTimeout(
        () => {
          finish(() =>
            reject(
              loading
                ? new StrataError(
                    'RUN_TIMEOUT',
                    `Loading the model took longer than ${LOAD_TIMEOUT_MS / 60_000} minutes; the worker was stopped.`,
                  )
                : new StrataError(
                    'RUN_TIMEOUT',
                    `A single run took longer than ${formatSeconds(runTimeoutMs)}; the worker was stopped. Raise --timeout or use smaller shapes.`,
                  ),
            ),
          );
        },
        loading ? LOAD_TIMEOUT_MS : runTimeoutMs,
      );
    };
    const onAbort = () =>
      finish(() => reject(new StrataError('RUN_CANCELLED', 'The profile was cancelled; the worker was stopped.')));
    options.signal?.addEventListener('abort', onAbort);

    child.on('message', (message: WorkerMessage) => {
      if (settled) return;
      if (message.type === 'progress') {
        phase = message.phase;
        armWatchdog();
      }
      options.onMessage?.(message);
      if (message.type === 'error') {
        finish(() => reject(new StrataError(message.error.code, message.error.message, message.error.detail)));
        return;
      }
      const value = accept(message);
      if (value !== undefined) finish(() => resolve(value));
    });
    child.on('error', (err) =>
      finish(() => reject(new StrataError('WORKER_CRASHED', `The inference worker could not start: ${err.message}.`))),
    );
    child.on('exit', () => {
      exited = true;
      if (child.pid !== undefined) removeOrtLitter(child.pid); // a killed worker cannot
    });
    // A crash is judged on 'close', not 'exit': a worker that sends its answer and exits can be
    // reaped before the parent has read that answer from the IPC pipe, and 'exit' would then call
    // a finished job a crash ("exited with code 0 before it finished"). 'close' comes once the pipe
    // and stderr are drained, so the answer, if any, has been handled by then.
    child.on('close', (code, signal) => {
      exited = true;
      finish(() => reject(new StrataError('WORKER_CRASHED', describeExit(code, signal, stderr))));
    });
    child.on('spawn', () => {
      if (child.pid !== undefined) options.onWorkerStart?.(child.pid);
    });
    armWatchdog();
    // Sending can fail at once: inputs too large to copy ("Data cannot be cloned, out of memory").
    // The worker then waits for a job that never comes, so it is stopped here, not left to hold
    // the caller's process open.
    try {
      child.send(job);
    } catch (err) {
      const raw = err instanceof Error ? err.message : String(err);
      finish(() =>
        reject(
          /out of memory|Array buffer allocation failed|Invalid (typed )?array length/i.test(raw)
            ? new StrataError(
                'BAD_INPUT',
                "The model's inputs are too large to hand to the inference worker on this machine. Use smaller shapes (Run settings, or --shape/--dim).",
                raw,
              )
            : new StrataError('INTERNAL', 'The job could not be sent to the inference worker.', raw),
        ),
      );
    }
  });
}

// As the user gave it: 60 s, 0.05 s, 2.5 s (three significant digits, no trailing zeros), never
// rounded to a limit they did not set.
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toPrecision(3))} s`;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  // The last line that says something: Node ends an uncaught error with its version ("Node.js v20.20.2").
  const last = stderr
    .trim()
    .split('\n')
    .filter((line) => line.trim() && !/^Node\.js v\d/.test(line.trim()))
    .pop();
  const why =
    signal === 'SIGKILL'
      ? 'was killed (SIGKILL: out of memory, or stopped from outside)'
      : signal === 'SIGSEGV' || signal === 'SIGBUS'
        ? `crashed inside onnxruntime (${signal})`
        : signal
          ? `was stopped by ${signal}`
          : `exited with code ${code}`;
  return `The inference worker ${why} before it finished${last ? ` ("${last.slice(0, 200)}")` : ''}. Strata is fine; the next run starts a fresh worker.`;
}

/** A profile job: the model, its inputs as the summary describes them, and the plan. */
export interface ProfileJob {
  readonly modelPath: string;
  readonly modelInputs: readonly TensorInfo[];
  readonly plan: ProfilePlan;
  readonly nodeCount?: number;
}

/** What a profile job returns: the worker's measurements plus the inputs and notes. */
export interface ProfileJobOutcome extends ProfileJobResult {
  readonly resolvedInputs: ResolvedInput[];
  readonly notes: string[];
}

/** Runs the timing and profiled passes of `job` in a fresh worker. */
export async function runProfileJob(job: ProfileJob, options: JobOptions = {}): Promise<ProfileJobOutcome> {
  const { resolved, shapes, notes, defaulted } = resolveInputs(job.modelInputs, job.plan);
  const inputs = makeInputData(resolved, job.plan.inputs, job.plan.seed);
  const trace = await ownedTempDir('strata-trace-');
  const traceDir = trace.path;
  const tracker = progressTracker(job.plan, options.onProgress);
  try {
    const result = await runJob(
      { type: 'profile', modelPath: job.modelPath, shapes, inputs, plan: job.plan, traceDir, nodeCount: job.nodeCount },
      job.plan.runTimeoutMs,
      (m) => (m.type === 'profile-result' ? m.result : undefined),
      { ...options, onMessage: tracker },
    );
    // The trace moves out of the temp folder's life: the caller reads and deletes it.
    const tracePath = join(tmpdir(), `strata-trace-${process.pid}-${Date.now()}.json`);
    ownTempPath(tracePath); // until the caller has read it (removeOwned)
    await rename(result.tracePath, tracePath);
    return {
      ...result,
      tracePath,
      resolvedInputs: resolved,
      notes: [...planNotes(job.plan), ...notes, ...result.notes],
    };
  } catch (err) {
    throw withDefaultedDims(err, describeDefaultedDims(defaulted, job.modelInputs));
  } finally {
    await trace.remove();
  }
}

// A failure that may come from a dim Strata set to 1 says which dims those were and how to set
// them: the notes saying so appear only with a result, and this run has none. (Pad reflect needs 2
// samples, Silero VAD got [1, 1].)
function withDefaultedDims(err: unknown, sentence: string): unknown {
  if (!sentence || !(err instanceof StrataError)) return err;
  const shapeRelated =
    err.code === 'RUN_FAILED' ||
    err.code === 'BAD_SHAPE' ||
    err.code === 'BAD_INPUT' ||
    (err.code === 'WORKER_CRASHED' && /crashed inside onnxruntime/.test(err.message));
  if (!shapeRelated) return err;
  const base = err.message.endsWith(SHAPE_ADVICE) ? err.message.slice(0, -SHAPE_ADVICE.length).trimEnd() : err.message;
  return new StrataError(err.code, `${base} ${sentence}`);
}

// Turns per-run worker messages into one progress bar over the whole profile (two session loads
// and every run), with an ETA from the run and load times measured so far.
function progressTracker(plan: ProfilePlan, onProgress?: (p: ProfileProgress) => void): (m: WorkerMessage) => void {
  const LOAD_UNITS = 3; // a session load weighs about as much as a few runs in the bar
  const LOADS = 2; // the timing session and the profiled session
  // The worker may time more runs (precision) or profile more (a fast model): its totals win.
  let timedRuns = plan.timedRuns;
  let profiledRuns = plan.profiledRuns;
  const totalRuns = (): number => 1 + plan.warmupRuns + timedRuns + profiledRuns + 1;
  const totalUnits = (): number => totalRuns() + LOADS * LOAD_UNITS;
  let runsDone = 0;
  let runMsSum = 0;
  let loadsDone = 0;
  let loadStarted: number | null = null; // performance.now() when the current load began
  let firstLoadMs: number | null = null;
  return (m) => {
    if (m.type !== 'progress') return;
    if (m.phase === 'timing') timedRuns = Math.max(timedRuns, m.total);
    if (m.phase === 'profiling') profiledRuns = Math.max(profiledRuns, m.total);
    if (m.phase === 'loading') loadStarted = performance.now();
    else if (loadStarted !== null) {
      firstLoadMs ??= performance.now() - loadStarted;
      loadStarted = null;
      loadsDone++;
    }
    if (m.runMs !== null) {
      const runs = m.runs ?? 1;
      runsDone += runs;
      runMsSum += m.runMs * runs;
    }
    if (!onProgress) return;
    const meanRun = runsDone ? runMsSum / runsDone : null;
    const loadsLeft = LOADS - loadsDone - (loadStarted === null ? 0 : 1);
    onProgress({
      phase: m.phase,
      done: m.done,
      total: m.total,
      message: progressMessage(m.phase, m.done, m.total, loadsDone),
      fraction: Math.min(0.98, (runsDone + loadsDone * LOAD_UNITS) / totalUnits()),
      etaMs:
        meanRun === null
          ? null
          : meanRun * Math.max(0, totalRuns() - runsDone) + loadsLeft * (firstLoadMs ?? meanRun * LOAD_UNITS),
    });
  };
}

function progressMessage(phase: ProfilePhase, done: number, total: number, loadsDone: number): string {
  switch (phase) {
    case 'loading':
      return loadsDone === 0 ? 'Loading the model' : 'Loading the model with the profiler on';
    case 'cold':
      return 'Cold run';
    case 'warmup':
      return `Warm-up run ${done} of ${total}`;
    case 'timing':
      return `Timed run ${done} of ${total}`;
    case 'profiling':
      // The profiled session's first run is a warm-up kept out of the statistics: not one of the N.
      return done === 0 ? 'Profiled warm-up run' : `Profiled run ${done} of ${total}`;
    default:
      return phase;
  }
}

/** Runs `inputSets` through a model and returns the named outputs of each run. */
export async function runTensorsJob(
  job: {
    modelPath: string;
    modelBytes?: Uint8Array;
    shapes: Record<string, number[]>;
    inputSets: readonly (readonly InputData[])[];
    outputs: readonly string[];
    plan: ProfilePlan;
  },
  options: JobOptions = {},
): Promise<OutputTensor[][]> {
  return runJob(
    { type: 'tensors', ...job },
    job.plan.runTimeoutMs,
    (m) => (m.type === 'tensors-result' ? m.outputs : undefined),
    options,
  );
}

/** Saves or compares a model's tensors in the worker (see FidelityJobMessage); `onStep` gets steps done of all. */
export async function runFidelityJob(
  job: Omit<FidelityJobMessage, 'type'>,
  options: JobOptions & { onStep?: (done: number, total: number) => void } = {},
): Promise<FidelityJobResult> {
  const onMessage = (m: WorkerMessage) => {
    if (m.type === 'progress' && m.phase === 'analysing') options.onStep?.(m.done, m.total);
  };
  return runJob(
    { type: 'fidelity', ...job },
    job.plan.runTimeoutMs,
    (m) => (m.type === 'fidelity-result' ? m.result : undefined),
    { ...options, onMessage },
  );
}

/**
 * Times `models` in one worker in interleaved, shuffled rounds (see InterleaveJobMessage). Progress
 * reports rounds done of the (possibly growing) target.
 */
export async function runInterleaveJob(
  job: { models: readonly InterleavedModel[]; plan: ProfilePlan; minTimedMs: number; maxRounds: number; seed: number },
  options: JobOptions = {},
): Promise<InterleaveJobResult> {
  let timingStarted: number | null = null;
  return runJob(
    { type: 'interleave', ...job },
    job.plan.runTimeoutMs,
    (m) => (m.type === 'interleave-result' ? m.result : undefined),
    {
      ...options,
      onMessage: (m) => {
        if (m.type !== 'progress' || !options.onProgress) return;
        const n = job.models.length;
        if (m.phase === 'timing' && timingStarted === null) timingStarted = performance.now();
        const fraction =
          m.phase === 'timing'
            ? 0.1 + 0.9 * (m.done / Math.max(1, m.total))
            : m.phase === 'loading'
              ? (0.05 * m.done) / n
              : 0.08;
        const elapsed = timingStarted === null ? 0 : performance.now() - timingStarted;
        options.onProgress({
          phase: m.phase,
          done: m.done,
          total: m.total,
          message:
            m.phase === 'loading'
              ? `Loading model ${m.done + 1} of ${n} for interleaved timing`
              : m.phase === 'timing'
                ? `Interleaved round ${m.done} of ${m.total}`
                : m.phase === 'warmup'
                  ? `Warm-up round ${m.done} of ${m.total}`
                  : 'Cold runs',
          fraction,
          etaMs: m.phase === 'timing' && m.done > 0 ? (elapsed / m.done) * (m.total - m.done) : null,
        });
      },
    },
  );
}

/**
 * Tries a tiny session on each EP in a worker (a driver crash costs only that worker): the ones
 * named, or every EP the binary lists when `eps` is null. Also returns that list and the version.
 */
export async function probeEps(eps: readonly string[] | null): Promise<{
  results: { ep: string; ok: boolean; error: string | null }[];
  backends: ListedBackend[];
  ortVersion: string;
}> {
  return runJob({ type: 'probe', eps }, 120_000, (m) =>
    m.type === 'probe-result' ? { results: m.results, backends: m.backends, ortVersion: m.ortVersion } : undefined,
  );
}

/** Measures latency and copy bandwidth against working-set size in a worker (a few seconds). */
export async function runMemoryProbeJob(
  maxBytes: number,
  options: JobOptions = {},
): Promise<{ latencyNs: MemoryCurvePoint[]; bandwidthGBs: MemoryCurvePoint[] }> {
  return runJob(
    { type: 'memory-probe', maxBytes },
    120_000,
    (m) => (m.type === 'memory-probe-result' ? { latencyNs: m.latencyNs, bandwidthGBs: m.bandwidthGBs } : undefined),
    {
      ...options,
      onMessage: (m) => {
        if (m.type === 'progress')
          options.onProgress?.({
            phase: 'measuring',
            done: m.done,
            total: m.total,
            message: 'Measuring cache latency and bandwidth',
            fraction: m.total ? m.done / m.total : 0,
            etaMs: null,
          });
      },
    },
  );
}
