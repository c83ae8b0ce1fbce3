/**
 * `strata generate MODEL [--draft D] ...`: a generation profile of a decoder (prefill, decode over
 * the KV cache, speculative pair), printed and written as JSON (with llama-bench's rows) and HTML.
 * With `--vs OTHER`, both decoders are profiled with the same settings, one after the other, and
 * the comparison is printed and written instead.
 */
import { compareGenerateReports } from '../core/generate/generate-compare.js';
import { basename } from 'node:path';
import { checkContext, generateProfile, openDecoder } from '../core/generate/run-generate.js';
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
  // B is read before A is profiled: a B that is not a decoder, or too short for the run, should
  // not cost A's whole profile first.
  if (args.vsPath) checkContext(await openDecoder(args.vsPath), args.settings, `--vs "${basename(args.vsPath)}"`);
  const progress = createProgressReporter();
  const models = args.vsPath ? [args.modelPath, args.vsPath] : [args.modelPath];
  const outcome = await withStopSignals(async (signal) => {
    try {
      const reports = [];
      for (const [i, modelPath] of models.entries()) {
        reports.push(
          await generateProfile(modelPath, args.settings, args.plan, {
            draftPath: args.draftPath,
            promptFiles: args.promptFiles,
            // A's profile ends with A and B in alternating rounds: the comparison's speeds.
            vsPath: i === 0 ? args.vsPath : undefined,
            // With --vs the bar runs over both decoders: the first fills its first half.
            onProgress: (p) =>
              progress.update(
                models.length === 1
                  ? p
                  : {
                      ...p,
                      fraction: (i + p.fraction) / models.length,
                      message: `${i === 0 ? 'A' : 'B'}: ${p.message}`,
                    },
              ),
            signal,
          }),
        );
      }
      return reports;
    } finally {
      progress.done();
    }
  });
  if ('stoppedBy' in outcome) return stoppedBy(outcome.stoppedBy);
  const [report, other] = outcome.value;
  const comparison = other ? compareGenerateReports(report!, other) : null;
  const written: string[] = [];
  if (args.outputs.json) {
    await writeOutputFile(args.outputs.json, JSON.stringify(comparison ?? report, null, 2) + '\n');
    written.push(args.outputs.json);
  }
  if (args.outputs.html) {
    await writeOutputFile(
      args.outputs.html,
      comparison ? renderGenerateCompareHtml(comparison) : renderGenerateHtml(report!),
    );
    written.push(args.outputs.html);
  }
  if (!args.quiet)
    process.stdout.write(
      terminalSafe(comparison ? formatGenerateCompareSummary(comparison) : formatGenerateSummary(report!)) + '\n',
    );
  for (const path of written) process.stderr.write(`strata: wrote ${path}\n`);
  return 0;
}
