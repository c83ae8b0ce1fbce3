/**
 * `strata generate MODEL [--draft D] ...`: a generation profile of a decoder (prefill, decode over
 * the KV cache, speculative pair), printed and written as JSON (with llama-bench's rows) and HTML.
 */
import { generateProfile } from '../core/generate/run-generate.js';
import { renderGenerateHtml } from '../core/report/generate-html.js';
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
  const outcome = await withStopSignals(async (signal) => {
    try {
      return await generateProfile(args.modelPath, args.settings, args.plan, {
        draftPath: args.draftPath,
        promptFiles: args.promptFiles,
        onProgress: (p) => progress.update(p),
        signal,
      });
    } finally {
      progress.done();
    }
  });
  if ('stoppedBy' in outcome) return stoppedBy(outcome.stoppedBy);
  const report = outcome.value;
  const written: string[] = [];
  if (args.outputs.json) {
    await writeOutputFile(args.outputs.json, JSON.stringify(report, null, 2) + '\n');
    written.push(args.outputs.json);
  }
  if (args.outputs.html) {
    await writeOutputFile(args.outputs.html, renderGenerateHtml(report));
    written.push(args.outputs.html);
  }
  if (!args.quiet) process.stdout.write(terminalSafe(formatGenerateSummary(report)) + '\n');
  for (const path of written) process.stderr.write(`strata: wrote ${path}\n`);
  return 0;
}
