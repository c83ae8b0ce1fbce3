/**
 * Descriptive statistics of run times.
 *
 * Percentiles interpolate linearly between the closest ranks (numpy's default, "linear"): for
 * sorted x[0..n-1], the p-th percentile sits at rank r = p/100 · (n - 1), between x[floor(r)] and
 * x[ceil(r)]. Example: [1, 2, 3, 4], p50 → rank 1.5 → 2.5.
 */
import type { LatencyStats } from '../../../shared/report.js';

/** The mean, or 0 for no values. */
export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/** The p-th percentile (0..100) by linear interpolation; 0 for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/** The smallest value, or 0 for no values. A loop, not Math.min(...values): spreading 300,000 runs overflows the stack. */
export function minOf(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let min = Infinity;
  for (const v of values) if (v < min) min = v;
  return min;
}

/** The largest value, or 0 for no values (a loop, like `minOf`). */
export function maxOf(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** Sample standard deviation (n - 1); 0 for fewer than two values. */
export function stddev(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1));
}

/** The latency section of a report from the cold run and the timed samples. */
export function summarizeLatency(coldMs: number, samplesMs: readonly number[]): LatencyStats {
  const meanMs = mean(samplesMs);
  return {
    coldMs,
    samplesMs: [...samplesMs],
    meanMs,
    p50Ms: percentile(samplesMs, 50),
    p90Ms: percentile(samplesMs, 90),
    p99Ms: percentile(samplesMs, 99),
    minMs: minOf(samplesMs),
    maxMs: maxOf(samplesMs),
    stddevMs: stddev(samplesMs),
    throughputPerSec: meanMs > 0 ? 1000 / meanMs : 0,
  };
}
