/**
 * `strata report REPORT.json [--html F] [--csv F] [--trace F] [--json F]`: export a saved report.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { StrataError } from '../../shared/errors.js';
import { parseReport } from '../core/report/report-json.js';
import { writeReportExports } from '../core/report/write-exports.js';
import { parseStrict } from './args.js';
import { formatReportSummary } from './summary-text.js';
import { terminalSafe, withoutLineBreaks } from './terminal.js';

/** Runs `strata report`; with no output flag it prints the summary. */
export async function runReportCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseStrict(argv, {
    html: { type: 'string' },
    csv: { type: 'string' },
    trace: { type: 'string' },
    json: { type: 'string' },
  });
  if (positionals.length !== 1)
    throw new StrataError(
      'BAD_ARGUMENT',
      'Give one report. Usage: strata report REPORT.json [--html F] [--csv F] [--trace F].',
    );
  const path = resolve(positionals[0]!);
  const text = await readFile(path, 'utf8').catch(() => {
    throw new StrataError('IO_ERROR', `There is no report file at "${path}".`);
  });
  const report = parseReport(text, `"${positionals[0]}"`);
  const outputs = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v && resolve(v)]));
  const written = await writeReportExports(report, outputs);
  if (written.length === 0) process.stdout.write(terminalSafe(formatReportSummary(withoutLineBreaks(report))) + '\n');
  for (const file of written) process.stderr.write(`strata: wrote ${file}\n`);
  return 0;
}
