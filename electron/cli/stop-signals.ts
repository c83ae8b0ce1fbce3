/**
 * Ctrl-C, `kill`, a closed terminal or SSH session while a command works: stop its workers, let
 * its `finally` blocks remove its temporary files, then exit as a process stopped by that signal
 * would (130, 143, 129).
 */
import { constants as osConstants } from 'node:os';

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `work` with an AbortSignal that fires on SIGINT, SIGTERM or SIGHUP. Resolves with its value,
 * or with `{ stoppedBy }` when a signal stopped it (whatever `work` threw then).
 */
export async function withStopSignals<T>(
  work: (signal: AbortSignal) => Promise<T>,
): Promise<{ value: T } | { stoppedBy: NodeJS.Signals }> {
  const abort = new AbortController();
  let stoppedBy: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    stoppedBy ??= signal;
    abort.abort();
  };
  for (const signal of STOP_SIGNALS) process.once(signal, onSignal);
  try {
    const value = await work(abort.signal);
    return stoppedBy ? { stoppedBy } : { value };
  } catch (err) {
    if (stoppedBy) return { stoppedBy };
    throw err;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  }
}

/** Says the command was stopped, and returns the shell's exit code for `signal`. */
export function stoppedBy(signal: NodeJS.Signals): number {
  process.stderr.write(
    `strata: stopped by ${signal}; the inference worker was stopped and its temporary files removed.\n`,
  );
  return 128 + osConstants.signals[signal];
}
