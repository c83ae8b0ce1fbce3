/**
 * Descriptive statistics of run times.
 *
 * Percentiles interpolate linearly between the closest ranks (numpy's default, "linear"): for
 * sorted x[0..n-1], the p-th percentile sits at rank r = p/100 · (n - 1), between x[floor(r)] and
 * x[ceil(r)]. Example: [1, 2, 3, 4], p50 → rank 1.5 → 2.5.
 */
import type { LatencyNoise, LatencyStats } from '../../../shared/report.js';
import type { TimingCpu } from '../runner/protocol.js';
import { medianWithCi, sampleNoise } from './confidence.js';

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

/** A coefficient of variation above this makes a timing pass noisy (ORT on a quiet CPU: 1-5%). */
const NOISY_CV = 0.1;
/** Other processes using this much of a core during the pass are worth a warning. */
const BUSY_OTHER_CORES = 0.2;

/** CPU of other processes during a pass, in cores; null when unknown or too short to tell (/proc/stat ticks are 10 ms). */
export function otherCpuCores(cpu: TimingCpu | null | undefined): number | null {
  if (!cpu || cpu.wallMs < 250) return null;
  return Math.max(0, (cpu.machineBusyMs - cpu.ownCpuMs) / cpu.wallMs);
}

/** How noisy `samplesMs` were, with a warning naming the likely cause. */
export function latencyNoise(samplesMs: readonly number[], cpu?: TimingCpu | null): LatencyNoise {
  const { cv, outliers, p50RelativeHalfWidth } = sampleNoise(samplesMs);
  const others = otherCpuCores(cpu);
  const causes: string[] = [];
  if (others !== null && others >= BUSY_OTHER_CORES) {
    causes.push(
      `other processes kept ${others.toFixed(1)} of ${cpu!.cores} cores busy during the timing pass: close them, or expect slower and noisier numbers`,
    );
  }
  const noisy = cv > NOISY_CV || outliers > Math.max(2, samplesMs.length * 0.05);
  if (noisy && causes.length === 0) {
    // A pass under 250 ms is too short for /proc/stat's 10 ms ticks to say whether others were busy.
    const load =
      others === null
        ? 'in a pass too short for Strata to tell whether other processes were busy'
        : 'with no other process busy';
    const suspects = `${others === null ? 'other programs, ' : ''}frequency scaling, thermal throttling, a GPU driver or the model's own data-dependent work`;
    causes.push(
      `the runs varied (CV ${(cv * 100).toFixed(0)}%, ${outliers} of ${samplesMs.length} outliers) ${load}: ${suspects}`,
    );
  } else if (noisy) {
    causes.push(`CV ${(cv * 100).toFixed(0)}%, ${outliers} of ${samplesMs.length} runs outliers`);
  }
  if (p50RelativeHalfWidth > 0.05)
    causes.push(
      `the p50 is known only to ±${(p50RelativeHalfWidth * 100).toFixed(0)}%: use more runs or --precision 2%`,
    );
  const warning = causes.length ? `Noisy timing: ${causes.join('; ')}.` : null;
  return {
    cv,
    outliers,
    otherCpuCores: others,
    warning: warning && warning.charAt(0).toUpperCase() + warning.slice(1),
  };
}

/** The latency section of a report from the cold run and the timed samples (and the pass's CPU use, for its noise). */
export function summarizeLatency(coldMs: number, samplesMs: readonly number[], cpu?: TimingCpu | null): LatencyStats {
  const meanMs = mean(samplesMs);
  const ci = medianWithCi(samplesMs, 0.95);
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
    ...(samplesMs.length ? { p50CiMs: [ci.low, ci.high] as const, noise: latencyNoise(samplesMs, cpu) } : {}),
  };
}
