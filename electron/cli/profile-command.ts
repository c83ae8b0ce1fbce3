/**
 * `strata profile MODEL [options]`: profile one model, print a summary, write the requested exports.
 */
import { constants as osConstants } from 'node:os';
import type { Report } from '../../shared/report.js';
import { profileModel } from '../core/profile/profiler.js';
import { primeSystemSampler } from '../core/profile/system-sampler.js';
import { writeReportExports } from '../core/report/write-exports.js';
import { parseProfileArgs } from './args.js';
import { assertWritableOutputs } from './output-paths.js';
import { createProgressReporter } from './progress-bar.js';
import { formatReportSummary } from './summary-text.js';
import { terminalSafe, withoutLineBreaks } from './terminal.js';

export const PROFILE_HELP = `Usage: strata profile MODEL.onnx [options]

Runs the model the way it will run on the device and reports where the time and memory go.

Execution:
  --ep EP[,EP...]        execution providers in priority order (default cpu); see \`strata eps\`
  --threads N            intra-op threads (default: ORT's, one per core)
  --inter-threads N      inter-op threads (with --parallel)
  --parallel             parallel execution mode (default sequential)
  --opt-level LEVEL      graph optimization: disabled | basic | extended | all (default all)
  --warmup N             warm-up runs after the cold run (default 5)
  --runs N               timed runs, profiler off (default 50)
  --profiled-runs N      runs with the profiler on, for per-layer times (default 10)
  --timeout SECONDS      limit for a single run (default 60)
Inputs:
  --shape NAME=1x3x224x224   fix every dim of an input (repeatable)
  --dim SYMBOL=N             fix a named symbolic dim wherever it appears (repeatable)
  --input NAME=VALUE         a number (e.g. sr=16000), zeros, random, FILE.npy or FILE.json (repeatable)
  --seed N                   seed of the random inputs (default 42)
Output:
  --json FILE     the full report (open it in the app, or script it)
  --csv FILE      one row per layer
  --trace FILE    Chrome trace for Perfetto / chrome://tracing, one track per thread
  --html FILE     a self-contained HTML report
  --top N         rows in the summary tables (default 10)
  -q, --quiet     no summary on stdout
`;

/** Runs `strata profile`; returns the exit code. */
export async function runProfileCommand(argv: readonly string[]): Promise<number> {
  const args = parseProfileArgs(argv);
  if (args.help) {
    process.stdout.write(PROFILE_HELP);
    return 0;
  }
  // Before the run, not after: a bad path must not cost the user the profile.
  assertWritableOutputs({ '--json': args.outputs.json, '--csv': args.outputs.csv, '--trace': args.outputs.trace, '--html': args.outputs.html });
  primeSystemSampler(); // its first CPU-load reading takes 500 ms: start it while the model loads
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
