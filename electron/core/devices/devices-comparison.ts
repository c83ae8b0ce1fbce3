/**
 * A devices comparison: the same model (or several variants) profiled on several devices, side by
 * side with the statistics of a variant comparison: each p50 with its 95% interval, the speed
 * against the baseline (the first row) with an interval, Bonferroni-widened over the rows, and a
 * verdict only beyond the noise threshold. Runs cannot be interleaved across devices, so the speed
 * interval is the unpaired one (the Hodges-Lehmann shift of log times between two independent
 * samples, with its Mann-Whitney interval), and the comparison says so.
 */
import { COMPARISON_SCHEMA_VERSION, type ComparedModel, type Comparison } from '../../../shared/compare.js';
import type { Report } from '../../../shared/report.js';
import { DEFAULT_NOISE_THRESHOLD, detectableChange, familyLevel, verdictOf } from '../profile/confidence.js';
import { canReach, unpairedSpeedup } from '../profile/unpaired-speedup.js';
import { matchLayers } from '../variants/matching.js';

/** Builds a devices comparison from reports (each `device.name` set); `reports[0]` is the baseline. */
export function compareDeviceReports(reports: readonly Report[], noiseThreshold = DEFAULT_NOISE_THRESHOLD): Comparison {
  const level = familyLevel(0.95, Math.max(1, reports.length - 1));
  const baseline = reports[0]!;
  const models: ComparedModel[] = reports.map((r, i) => {
    const device = r.device.name ?? 'local';
    const speedup =
      i === 0 ? { ratio: 1, low: 1, high: 1 } : unpairedSpeedup(baseline.latency.samplesMs, r.latency.samplesMs, level);
    return {
      path: r.model.path,
      fileName: r.model.fileName,
      label: `${r.model.fileName} on ${device}`,
      device,
      bytes: r.model.bytes,
      parameterCount: r.model.parameterCount,
      latency: r.latency,
      speedup,
      // Too few runs for any interval at this level: shown, never called faster or slower.
      verdict:
        i === 0 || !canReach(baseline.latency.samplesMs.length, r.latency.samplesMs.length, level)
          ? 'same'
          : verdictOf(speedup, noiseThreshold),
      detectableChange: i === 0 ? 0 : detectableChange(speedup, noiseThreshold),
      memory: { peakRssBytes: r.memory.peakRssBytes, arenaPeakBytes: r.memory.arenaPeakBytes },
      inputMatch: r.settings.inputs.map((input) => ({
        input: input.name,
        baselineInput: input.name,
        how: 'name' as const,
      })),
      ...(r.diagnostics ? { diagnostics: r.diagnostics } : {}),
    };
  });
  const { layers, unmatched, matchRates } = matchLayers(reports.map((r) => r.layers));
  const devices = [...new Set(models.map((m) => m.device))];
  return {
    schemaVersion: COMPARISON_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    kind: 'devices',
    plan: baseline.settings.plan,
    inputs: baseline.settings.inputs,
    models,
    layers,
    unmatched,
    matchRates,
    notes: [
      `Devices comparison across ${devices.join(', ')}: each device timed its own runs (${models.map((m) => `${m.latency.samplesMs.length} on ${m.device}`).join(', ')}). Runs are not interleaved across devices (they cannot be), so drift on one device is not shared by the others; speed intervals are from unpaired samples (Hodges-Lehmann shift, Mann-Whitney interval) at ${(level * 100).toFixed(1)}% confidence, and changes under ${(noiseThreshold * 100).toFixed(0)}% are never called.`,
      ...tooFewRuns(reports, level),
      ...new Set(reports.flatMap((r) => r.notes.map((n) => `${r.device.name ?? 'local'}: ${n}`))),
    ],
  };
}

// A device whose runs (with the baseline's) are too few for an interval at `level` gets no verdict.
function tooFewRuns(reports: readonly Report[], level: number): string[] {
  const baseline = reports[0]!;
  const few = reports
    .slice(1)
    .filter((r) => !canReach(baseline.latency.samplesMs.length, r.latency.samplesMs.length, level));
  if (!few.length) return [];
  return [
    `Too few timed runs to call ${few.map((r) => r.device.name ?? 'local').join(', ')} faster or slower at ${(level * 100).toFixed(1)}% confidence (${baseline.latency.samplesMs.length} and ${few.map((r) => r.latency.samplesMs.length).join(', ')} runs); their speed is shown without a verdict. Run more (--runs 10 or more).`,
  ];
}
