/**
 * `strata profile MODEL [options]`: profile one model, print a summary, write the requested exports.
 */
import { createEngine } from '../core/engine.js';
import { writeReportExports } from '../core/report/write-exports.js';
import { parseProfileArgs } from './args.js';
import { assertWritableOutputs } from './output-paths.js';
import { createProgressReporter } from './progress-bar.js';
import { stoppedBy, withStopSignals } from './stop-signals.js';
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
  if (args.progressJsonl) return (await import('./profile-jsonl.js')).runProfileJsonl(args);
  if (args.on) return (await import('./profile-on-devices.js')).runProfileOnDevices(args);
  // Before the run, not after: a bad path must not cost the user the profile.
  assertWritableOutputs({
    '--json': args.outputs.json,
    '--csv': args.outputs.csv,
    '--trace': args.outputs.trace,
    '--html': args.outputs.html,
  });
  const progress = createProgressReporter();
  // Ctrl-C, `kill`, a closed terminal or SSH session: stop the worker and clean up, then exit as a
  // process stopped by that signal would; a signal after the runs still means no output.
  const outcome = await withStopSignals(async (signal) => {
    try {
      return await createEngine().profile(args.modelPath, args.plan, { onProgress: (p) => progress.update(p), signal });
    } finally {
      progress.done();
    }
  });
  if ('stoppedBy' in outcome) return stoppedBy(outcome.stoppedBy);
  const report = outcome.value;
  // Exports first: a summary that fails to print must not cost the user the files.
  const written = await writeReportExports(report, args.outputs);
  if (!args.quiet) process.stdout.write(terminalSafe(formatReportSummary(withoutLineBreaks(report), args.top)) + '\n');
  for (const path of written) process.stderr.write(`strata: wrote ${path}\n`);
  return 0;
}
