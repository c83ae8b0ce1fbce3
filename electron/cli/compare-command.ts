/**
 * `strata compare BASE VARIANT... [plan options] [--labels A,B,...] [--json F] [--html F]`: run
 * every model the same way on the same data and show speed, size, memory and output drift.
 */
import { StrataError } from '../../shared/errors.js';
import { formatBytes, formatMs } from '../../shared/format.js';
import type { Comparison } from '../../shared/compare.js';
import { detectableText, DRIFT_COSINE, driftStart, speedText, worstOutput } from '../../shared/compare-summary.js';
import { renderComparisonHtml } from '../core/report/compare-html.js';
import { writeOutputFile } from '../core/report/write-exports.js';
import { compareModels } from '../core/variants/compare.js';
import { parseStrict, planFromValues, PLAN_OPTIONS } from './args.js';
import { assertWritableOutputs } from './output-paths.js';
import { createProgressReporter } from './progress-bar.js';
import { formatDiagnostics } from './summary-text.js';
import { stoppedBy, withStopSignals } from './stop-signals.js';
import { terminalSafe, withoutLineBreaks } from './terminal.js';

/** Runs `strata compare`. */
export async function runCompareCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseStrict(argv, {
    ...PLAN_OPTIONS,
    json: { type: 'string' },
    html: { type: 'string' },
    labels: { type: 'string' },
    'no-drift': { type: 'boolean' },
    on: { type: 'string' },
  });
  // Saved reports, or models on devices: a devices comparison (compare-devices.ts).
  if (values.on !== undefined || (positionals.length > 0 && positionals.every((p) => /\.json$/i.test(p)))) {
    const { runDevicesComparison } = await import('./compare-devices.js');
    return runDevicesComparison(positionals, values);
  }
  if (positionals.length < 2) {
    throw new StrataError(
      'BAD_ARGUMENT',
      'Give a baseline and at least one variant. Usage: strata compare BASE.onnx VARIANT.onnx... [--json F] [--html F].',
    );
  }
  // Before the runs, not after: a bad path must not cost the user every model's profile.
  assertWritableOutputs({ '--json': values.json, '--html': values.html });
  const progress = createProgressReporter();
  const outcome = await withStopSignals(async (signal) => {
    try {
      return await compareModels(positionals, planFromValues(values), {
        labels: values.labels?.split(','),
        drift: !values['no-drift'],
        signal,
        onProgress: (i, p, stage) =>
          progress.update({
            ...p,
            message:
              stage === 'profile'
                ? `model ${i + 1} of ${positionals.length}: ${p.message}`
                : `comparing outputs: ${p.message}`,
          }),
      });
    } finally {
      progress.done();
    }
  });
  if ('stoppedBy' in outcome) return stoppedBy(outcome.stoppedBy);
  const { comparison } = outcome.value;
  if (values.json) await writeOutputFile(values.json, JSON.stringify(comparison, null, 1) + '\n');
  if (values.html) await writeOutputFile(values.html, await renderComparisonHtml(comparison));
  process.stdout.write(terminalSafe(formatComparison(withoutLineBreaks(comparison))) + '\n');
  for (const file of [values.json, values.html].filter(Boolean)) process.stderr.write(`strata: wrote ${file}\n`);
  return 0;
}

/** The comparison as a text table. */
export function formatComparison(c: Comparison): string {
  const header = [
    'model',
    'size',
    'params',
    'p50',
    'p50 95% CI',
    'p90',
    'speed vs baseline',
    'detectable',
    'peak RSS',
    'output cosine',
    'max |err|',
  ];
  const rows = c.models.map((m, i) => {
    const worst = worstOutput(m);
    const ci = m.latency.p50CiMs;
    return [
      m.label,
      formatBytes(m.bytes),
      String(m.parameterCount),
      formatMs(m.latency.p50Ms),
      ci ? `${formatMs(ci[0])}–${formatMs(ci[1])}` : '',
      formatMs(m.latency.p90Ms),
      speedText(m, i),
      i === 0 ? '' : detectableText(m),
      formatBytes(m.memory.peakRssBytes),
      worst ? worst.cosine.toFixed(5) : c.kind === 'devices' ? '(same model)' : '(baseline)',
      worst ? worst.maxAbsErr.toPrecision(3) : '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const drift = c.models
    .filter((m) => m.fidelity?.drift.length)
    .map((m) => {
      const first = driftStart(m);
      return first
        ? `${m.label}: drift starts at ${first.producer} (cosine ${first.cosine.toFixed(4)})`
        : `${m.label}: no intermediate tensor drifts below cosine ${DRIFT_COSINE}`;
    });
  const timing = c.timing
    ? [
        '',
        `Latency from ${c.timing.rounds} interleaved rounds in ${c.timing.blocks ?? 1} fresh workers (every model once per round, shuffled, same input bytes); speed intervals at ${(c.timing.level * 100).toFixed(1)}% confidence, changes under ${(c.timing.noiseThreshold * 100).toFixed(0)}% never called.`,
        ...(c.timing.warning ? [`warning: ${c.timing.warning}`] : []),
      ]
    : [];
  const unmatched = c.unmatched.map(
    (u) => `${c.models[u.model]!.label}: ${u.layers.length} layers without a baseline match`,
  );
  const matched = (c.matchRates ?? []).map(
    (r) =>
      `${c.models[r.model]!.label}: ${r.matched} of ${r.total} baseline layers matched (${r.byLineage} through recorded lineage)` +
      (r.inserted ? `; ${r.inserted} layers onnxruntime inserted into the baseline have no counterpart` : ''),
  );
  const compute = c.models.filter((m) => m.compute).map((m) => `${m.label}: ${m.compute!.summary}`);
  const why = c.models
    .slice(1)
    .filter((m) => m.diagnostics?.length)
    .flatMap((m) => [`${m.label}:`, ...formatDiagnostics(m.diagnostics!)]);
  return [
    line(header),
    ...rows.map(line),
    ...timing,
    ...(compute.length ? ['', 'Compute:', ...compute] : []),
    ...(drift.length ? ['', ...drift] : []),
    ...(matched.length ? ['', ...matched] : []),
    ...(unmatched.length ? ['', ...unmatched] : []),
    ...(why.length ? ['', 'Why is it slower?', ...why] : []),
  ].join('\n');
}
