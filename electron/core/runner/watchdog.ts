/**
 * The inference worker's own watchdog: a thread of the worker process that ends it when its parent
 * is gone (the CLI was SIGKILLed, the app crashed) or when it has been silent far longer than the
 * job allows. Its own thread, because a native onnxruntime call can hold the worker's main thread
 * for minutes, and neither the IPC 'disconnect' event nor a timer gets a turn until it returns;
 * the parent's deadline is of no use once the parent is dead.
 *
 * Before ending the process it removes what the worker would have left in the temp folder: the
 * job's trace folder and onnxruntime's empty log file.
 */
import { Worker } from 'node:worker_threads';

/** Longest a silent worker may take to load a model before it is called hung (parent and watchdog). */
export const LOAD_TIMEOUT_MS = 10 * 60_000;

/** What the watchdog needs to know about the job. */
export interface WatchdogOptions {
  readonly traceDir?: string; // removed if the worker is ended
  readonly loadTimeoutMs: number; // longest silence while loading a model
  readonly runTimeoutMs: number; // longest silence while running
  /** Added to both: the parent's deadline, a clearer message, should normally come first. */
  readonly graceMs?: number;
}

// Plain JavaScript run by the thread: it needs no loader (tsx) and no module of ours.
const THREAD = `
const { workerData } = require('node:worker_threads');
const { rmSync } = require('node:fs');
const { join } = require('node:path');
const { beat, parentPid, traceDir, tmp, loadMs, runMs } = workerData;
let lastCount = -1;
let lastChange = Date.now();
function end() {
  try { if (traceDir) rmSync(traceDir, { recursive: true, force: true }); } catch {}
  try { rmSync(join(tmp, 'mat-debug-' + process.pid + '.log'), { force: true }); } catch {}
  process.kill(process.pid, 'SIGKILL');
}
setInterval(() => {
  // Orphaned: re-parented to init or a subreaper.
  if (process.ppid !== parentPid) return end();
  const count = Atomics.load(beat, 0);
  const now = Date.now();
  if (count !== lastCount) { lastCount = count; lastChange = now; return; }
  const limit = Atomics.load(beat, 1) === 1 ? runMs : loadMs;
  if (now - lastChange > limit) end();
}, 200);
`;

// [0] counts messages sent to the parent; [1] is 1 while running, 0 while loading.
const beat = new Int32Array(new SharedArrayBuffer(8));

/** Starts the watchdog thread; resolves once it runs (it must be up before any native call). */
export async function startWatchdog(options: WatchdogOptions): Promise<void> {
  const { tmpdir } = await import('node:os');
  const grace = options.graceMs ?? 30_000;
  const thread = new Worker(THREAD, {
    eval: true,
    workerData: {
      beat,
      parentPid: process.ppid,
      traceDir: options.traceDir ?? null,
      tmp: tmpdir(),
      loadMs: options.loadTimeoutMs + grace,
      runMs: options.runTimeoutMs + grace,
    },
  });
  await new Promise<void>((resolve) => {
    thread.once('online', resolve);
    thread.once('error', () => resolve()); // no watchdog is no reason to refuse the job
  });
  thread.unref();
}

/** Tells the watchdog the worker is alive: call with each message to the parent. */
export function heartbeat(running: boolean): void {
  Atomics.store(beat, 1, running ? 1 : 0);
  Atomics.add(beat, 0, 1);
}
