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
import {
  DEFAULT_NOISE_THRESHOLD,
  detectableChange,
  familyLevel,
  normalQuantile,
  verdictOf,
  type SpeedupEstimate,
} from '../profile/confidence.js';
import { matchLayers } from '../variants/matching.js';

/** The most samples per side the unpaired interval looks at (evenly thinned beyond): n·m stays ≤ 1 million. */
const MAX_SAMPLES = 1000;

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
      verdict: i === 0 ? 'same' : verdictOf(speedup, noiseThreshold),
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
      ...new Set(reports.flatMap((r) => r.notes.map((n) => `${r.device.name ?? 'local'}: ${n}`))),
    ],
  };
}

/**
 * Speed of `variantMs` against `baselineMs` (baseline / variant, > 1 = faster) from two independent
 * samples: exp of the median of all pairwise log differences, with the distribution-free interval
 * of that shift (Mann-Whitney, normal approximation).
 */
export function unpairedSpeedup(
  baselineMs: readonly number[],
  variantMs: readonly number[],
  level: number,
): SpeedupEstimate {
  const b = thin(baselineMs.filter((x) => x > 0 && Number.isFinite(x)).map(Math.log));
  const v = thin(variantMs.filter((x) => x > 0 && Number.isFinite(x)).map(Math.log));
  if (b.length < 2 || v.length < 2) return { ratio: NaN, low: NaN, high: NaN };
  const diffs = new Float64Array(b.length * v.length);
  let k = 0;
  for (const x of b) for (const y of v) diffs[k++] = x - y;
  diffs.sort();
  const n = b.length;
  const m = v.length;
  const z = normalQuantile(1 - (1 - level) / 2);
  const cut = Math.max(0, Math.floor((n * m) / 2 - z * Math.sqrt((n * m * (n + m + 1)) / 12)));
  const lowIndex = Math.min(cut, (diffs.length - 1) >> 1);
  const mid = diffs.length >> 1;
  const median = diffs.length % 2 ? diffs[mid]! : (diffs[mid - 1]! + diffs[mid]!) / 2;
  return {
    ratio: Math.exp(median),
    low: Math.exp(diffs[lowIndex]!),
    high: Math.exp(diffs[diffs.length - 1 - lowIndex]!),
  };
}

function thin(values: number[]): number[] {
  if (values.length <= MAX_SAMPLES) return values;
  const step = values.length / MAX_SAMPLES;
  return Array.from({ length: MAX_SAMPLES }, (_, i) => values[Math.floor(i * step)]!);
}
