/**
 * `strata profile MODEL --on pi,gateway,local`: the profile on each device, in parallel. One report
 * per device: with one device the outputs go where asked, with several each file name gets the
 * device's name before its extension (`r.json` -> `r.pi.json`, `r.local.json`).
 */
import { extname } from 'node:path';
import { writeReportExports } from '../core/report/write-exports.js';
import { profileOnDevices, resolveDevices } from '../core/devices/run-on-devices.js';
import type { ProfileArgs } from './args.js';
import { assertWritableOutputs } from './output-paths.js';
import { createProgressReporter } from './progress-bar.js';
import { stoppedBy, withStopSignals } from './stop-signals.js';
import { formatReportSummary } from './summary-text.js';
import { terminalLine, terminalSafe, withoutLineBreaks } from './terminal.js';

/** `path` for device `device`: as is for a single device, else with `.device` before the extension. */
export function outputFor(path: string | undefined, device: string, many: boolean): string | undefined {
  if (!path || !many) return path;
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}.${device}${ext}`;
}

/** Runs `strata profile ... --on LIST`; returns the exit code. */
export async function runProfileOnDevices(args: ProfileArgs): Promise<number> {
  const names = args.on ?? [];
  const devices = await resolveDevices(names);
  const many = names.length > 1;
  const outputsFor = (device: string) => ({
    json: outputFor(args.outputs.json, device, many),
    csv: outputFor(args.outputs.csv, device, many),
    trace: outputFor(args.outputs.trace, device, many),
    html: outputFor(args.outputs.html, device, many),
  });
  for (const name of names) {
    const o = outputsFor(name);
    assertWritableOutputs({ '--json': o.json, '--csv': o.csv, '--trace': o.trace, '--html': o.html });
  }
  const progress = createProgressReporter();
  const outcome = await withStopSignals(async (signal) => {
    try {
      return await profileOnDevices(devices, [args.modelPath], args.plan, {
        signal,
        onProgress: (device, p) => progress.update(many ? { ...p, message: `${device}: ${p.message}` } : p),
      });
    } finally {
      progress.done();
    }
  });
  if ('stoppedBy' in outcome) return stoppedBy(outcome.stoppedBy);
  let failed = 0;
  for (const result of outcome.value) {
    if ('error' in result) {
      failed++;
      process.stderr.write(`strata: error on ${result.device}: ${terminalLine(result.error.message)}\n`);
      continue;
    }
    const report = result.reports[0]!;
    const written = await writeReportExports(report, outputsFor(result.device));
    if (!args.quiet) {
      const head = `== ${result.device}: ${report.device.cpu}, ${report.device.os} ${report.device.arch} ==\n`;
      process.stdout.write(terminalSafe(head + formatReportSummary(withoutLineBreaks(report), args.top)) + '\n');
    }
    for (const path of written) process.stderr.write(`strata: wrote ${path}\n`);
  }
  return failed ? 1 : 0;
}
