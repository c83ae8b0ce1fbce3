/**
 * Inference workers as Electron utility processes. A utility process is a Node child that Electron
 * starts itself, so the packaged app can ship with the RunAsNode fuse off (child_process.fork of the
 * Electron binary needs ELECTRON_RUN_AS_NODE) and Electron ends it with the app. The worker speaks
 * the same protocol over process.parentPort instead of process.send.
 */
import { constants } from 'node:os';
import { utilityProcess } from 'electron';
import type { ForkWorker, WorkerProcess } from './core/runner/worker-client.js';
import type { JobMessage, WorkerMessage } from './core/runner/protocol.js';

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

// Utility processes report only an exit code. A death by signal reads as 128 + n (POSIX shells) or
// -n (Chromium on some platforms): name it, so a SIGKILL or SIGSEGV is explained like under fork.
function signalOf(code: number): NodeJS.Signals | null {
  if (code > 128 && code < 128 + 65) return SIGNAL_NAMES.get(code - 128) ?? null;
  if (code < 0) return SIGNAL_NAMES.get(-code) ?? null;
  return null;
}

/** Starts `script` in a utility process behind the runner's WorkerProcess interface. */
export const forkUtilityWorker: ForkWorker = (script, execArgv, env) => {
  const child = utilityProcess.fork(script, [], {
    execArgv,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    serviceName: 'Strata inference worker',
  });
  const worker: WorkerProcess = {
    get pid() {
      return child.pid;
    },
    stderr: child.stderr,
    send: (message: JobMessage) => child.postMessage(message),
    kill: (signal?: NodeJS.Signals) => {
      // Signals reach the process directly (cancel is a SIGKILL); kill() alone only sends SIGTERM.
      if (child.pid === undefined) return child.kill();
      try {
        process.kill(child.pid, signal ?? 'SIGTERM');
        return true;
      } catch {
        return false;
      }
    },
    on(event: string, listener: (...args: never[]) => void) {
      const call = listener as (...args: unknown[]) => void;
      if (event === 'message') child.on('message', (message: WorkerMessage) => call(message));
      // A utility process has no pipe to drain: its messages arrive before 'exit', so 'close' follows it.
      else if (event === 'exit' || event === 'close')
        child.on('exit', (code) => call(signalOf(code) ? null : code, signalOf(code)));
      else if (event === 'error') child.on('error', (type, location) => call(new Error(`${type} at ${location}`)));
      else if (event === 'spawn') child.on('spawn', () => call());
      return worker;
    },
  } as WorkerProcess;
  return worker;
};
