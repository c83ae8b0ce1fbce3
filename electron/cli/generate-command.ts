/**
 * `strata generate MODEL [--draft D] ...`: a generation profile of a decoder (prefill, decode over
 * the KV cache, speculative pair), printed and written as JSON (with llama-bench's rows) and HTML.
 * With `--vs OTHER`, both decoders are profiled with the same settings (core/generate/generate-vs.ts:
 * A's profile ends with both in alternating rounds), and the comparison is printed and written instead.
 */
import { basename } from 'node:path';
import { generateProfile } from '../core/generate/run-generate.js';
import { generateVsProfile } from '../core/generate/generate-vs.js';
import { renderGenerateCompareHtml } from '../core/report/generate-compare-html.js';
import { renderGenerateHtml } from '../core/report/generate-html.js';
import { formatGenerateCompareSummary } from './generate-compare-summary.js';
import { writeOutputFile } from '../core/report/write-exports.js';
import { parseGenerateArgs } from './generate-args.js';
import { formatGenerateSummary } from './generate-summary.js';
import { GENERATE_HELP } from './help.js';
import { assertWritableOutputs } from './output-paths.js';
import { createProgressReporter } from './progress-bar.js';
import { stoppedBy, withStopSignals } from './stop-signals.js';
import { terminalSafe } from './terminal.js';

/** Runs `strata generate`; returns the exit code. */
export async function runGenerateCommand(argv: readonly string[]): Promise<number> {
  const args = parseGenerateArgs(argv);
  if (args.help) {
    process.stdout.write(GENERATE_HELP);
    return 0;
  }
  assertWritableOutputs({ '--json': args.outputs.json, '--html': args.outputs.html });
  const progress = createProgressReporter();
  const vsPath = args.vsPath;
  const outcome = await withStopSignals(async (signal) => {
    try {
      if (!vsPath)
        return {
          report: await generateProfile(args.modelPath, args.settings, args.plan, {
            draftPath: args.draftPath,
            promptFiles: args.promptFiles,
            onProgress: (p) => progress.update(p),
            signal,
          }),
          comparison: null,
        };
      // With --vs the bar runs over both decoders ("A: ..." then "B: ..."), as in the app.
      const comparison = await generateVsProfile(args.modelPath, vsPath, args.settings, args.plan, {
        promptFiles: args.promptFiles,
        vsLabel: `--vs "${basename(vsPath)}"`,
        onProgress: (p) => progress.update(p),
        signal,
      });
      return { report: comparison.a, comparison };
    } finally {
      progress.done();
    }
  });
  if ('stoppedBy' in outcome) return stoppedBy(outcome.stoppedBy);
  const { report, comparison } = outcome.value;
  const written: string[] = [];
  if (args.outputs.json) {
    await writeOutputFile(args.outputs.json, JSON.stringify(comparison ?? report, null, 2) + '\n');
    written.push(args.outputs.json);
  }
  if (args.outputs.html) {
    await writeOutputFile(
      args.outputs.html,
      comparison ? renderGenerateCompareHtml(comparison) : renderGenerateHtml(report),
    );
    written.push(args.outputs.html);
  }
  if (!args.quiet)
    process.stdout.write(
      terminalSafe(comparison ? formatGenerateCompareSummary(comparison) : formatGenerateSummary(report)) + '\n',
    );
  for (const path of written) process.stderr.write(`strata: wrote ${path}\n`);
  return 0;
}
