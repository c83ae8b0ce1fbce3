/**
 * `strata profile MODEL [options]`: profile one model, print a summary, write the requested exports.
 */
import { constants as osConstants } from 'node:os';
import type { Report } from '../../shared/report.js';
import { profileModel } from '../core/profile/profiler.js';
import { writeReportExports } from '../core/report/write-exports.js';
import { parseProfileArgs } from './args.js';
import { assertWritableOutputs } from './output-paths.js';
import { createProgressReporter } from './progress-bar.js';
import { formatReportSummary } from './summary-text.js';
import { PROFILE_HELP } from './help.js';
import { terminalSafe, withoutLineBreaks } from './terminal.js';


/** Runs `strata profile`; returns the exit code. */
export async function runProfileCommand(argv: readonly string[]): Promise<number> {
  const args = parseProfileArgs(argv);
  if (args.help) {
    process.stdout.write(PROFILE_HELP);
    return 0;
  }
  // Before the run, not after: a bad path must not cost the user the profile.
  assertWritableOutputs({ '--json': args.outputs.json, '--csv': args.outputs.csv, '--trace': args.outputs.trace, '--html': args.outputs.html });
  const progress = createProgressReporter();
  const abort = new AbortController();
  // Ctrl-C, `kill`, a closed terminal or SSH session: stop the worker and clean up, then exit as a
  // process stopped by that signal would. A second signal of the same kind ends Strata at once.
  let stoppedBy: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    stoppedBy ??= signal;
    abort.abort();
  };
  for (const signal of STOP_SIGNALS) process.once(signal, onSignal);
  let report: Report;
  try {
    report = await profileModel(args.modelPath, args.plan, { onProgress: (p) => progress.update(p), signal: abort.signal });
  } catch (err) {
    // Whichever way the job ended (cancelled, or its worker caught the same Ctrl-C), it was stopped.
    if (stoppedBy) return stopped(stoppedBy);
    throw err;
  } finally {
    progress.done();
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  }
  if (stoppedBy) return stopped(stoppedBy); // came after the runs: the user still asked for no output
  // Exports first: a summary that fails to print must not cost the user the files.
  const written = await writeReportExports(report, args.outputs);
  if (!args.quiet) process.stdout.write(terminalSafe(formatReportSummary(withoutLineBreaks(report), args.top)) + '\n');
  for (const path of written) process.stderr.write(`strata: wrote ${path}\n`);
  return 0;
}

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

// One line on stderr, and the shell's code for a process ended by `signal` (130, 143, 129).
function stopped(signal: NodeJS.Signals): number {
  process.stderr.write(`strata: stopped by ${signal}; the inference worker was stopped and its temporary files removed.\n`);
  return 128 + osConstants.signals[signal];
}
