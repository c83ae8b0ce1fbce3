/**
 * `strata compare MODEL... --on a,b` and `strata compare R1.json R2.json...`: a devices comparison,
 * the same model(s) on several devices side by side (electron/core/devices/devices-comparison.ts).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { StrataError } from '../../shared/errors.js';
import type { Report } from '../../shared/report.js';
import { compareDeviceReports } from '../core/devices/devices-comparison.js';
import { profileOnDevices, resolveDevices } from '../core/devices/run-on-devices.js';
import { renderComparisonHtml } from '../core/report/compare-html.js';
import { parseReport } from '../core/report/report-json.js';
import { writeOutputFile } from '../core/report/write-exports.js';
import { parseDeviceList, planFromValues } from './args.js';
import { formatComparison } from './compare-command.js';
import { assertWritableOutputs } from './output-paths.js';
import { createProgressReporter } from './progress-bar.js';
import { stoppedBy, withStopSignals } from './stop-signals.js';
import { terminalLine, terminalSafe, withoutLineBreaks } from './terminal.js';

type Values = Parameters<typeof planFromValues>[0] & { json?: string; html?: string; on?: string };

/** Runs the devices comparison; returns the exit code. */
export async function runDevicesComparison(positionals: readonly string[], values: Values): Promise<number> {
  if (positionals.length === 0) {
    throw new StrataError(
      'BAD_ARGUMENT',
      'Give a model: strata compare MODEL.onnx --on pi,local [--json F] [--html F].',
    );
  }
  assertWritableOutputs({ '--json': values.json, '--html': values.html });
  let reports: Report[];
  if (values.on === undefined) {
    if (positionals.length < 2)
      throw new StrataError(
        'BAD_ARGUMENT',
        'Give two or more saved reports to compare (strata compare A.json B.json), or a model with --on pi,local.',
      );
    reports = await Promise.all(
      positionals.map(async (p) => {
        const report = parseReport(await readFile(resolve(p), 'utf8'), `"${p}"`);
        return report.device.name ? report : { ...report, device: { ...report.device, name: p } };
      }),
    );
  } else {
    const names = parseDeviceList(values.on);
    if (names.length < 2)
      throw new StrataError('BAD_ARGUMENT', '--on needs at least two devices to compare, e.g. --on pi,local.');
    const devices = await resolveDevices(names);
    const plan = planFromValues(values);
    const progress = createProgressReporter();
    const outcome = await withStopSignals(async (signal) => {
      try {
        return await profileOnDevices(
          devices,
          positionals.map((p) => resolve(p)),
          plan,
          {
            signal,
            onProgress: (device, p) => progress.update({ ...p, message: `${device}: ${p.message}` }),
          },
        );
      } finally {
        progress.done();
      }
    });
    if ('stoppedBy' in outcome) return stoppedBy(outcome.stoppedBy);
    const failed = outcome.value.filter((o) => 'error' in o);
    for (const f of failed)
      if ('error' in f) process.stderr.write(`strata: error on ${f.device}: ${terminalLine(f.error.message)}\n`);
    if (failed.length) return 1;
    // Model by model, each across the devices: the baseline is the first model on the first device.
    reports = positionals.flatMap((_, m) => outcome.value.map((o) => ('reports' in o ? o.reports[m]! : null)!));
  }
  const comparison = compareDeviceReports(reports);
  if (values.json) await writeOutputFile(values.json, JSON.stringify(comparison, null, 1) + '\n');
  if (values.html) await writeOutputFile(values.html, await renderComparisonHtml(comparison));
  const notes = comparison.notes.slice(0, 1).join('\n');
  process.stdout.write(terminalSafe(formatComparison(withoutLineBreaks(comparison)) + '\n\n' + notes) + '\n');
  for (const file of [values.json, values.html].filter(Boolean)) process.stderr.write(`strata: wrote ${file}\n`);
  return 0;
}
