/**
 * How sure a latency is, in words the CLI, the app and the HTML report share: the p50's interval,
 * the spread of the runs and the CPU other processes took meanwhile.
 */
import { formatMs } from './format.js';
import type { LatencyStats } from './report.js';

/** "p50 95% CI 0.541–0.566 ms · CV 4.1% · 2 outliers · other processes 0.1 cores", or '' for reports without it. */
export function formatLatencyNoise(latency: LatencyStats): string {
  const parts: string[] = [];
  if (latency.p50CiMs) parts.push(`p50 95% CI ${formatMs(latency.p50CiMs[0])}–${formatMs(latency.p50CiMs[1])}`);
  const noise = latency.noise;
  if (noise) {
    if (Number.isFinite(noise.cv)) parts.push(`CV ${(noise.cv * 100).toFixed(1)}%`);
    parts.push(`${noise.outliers} outlier${noise.outliers === 1 ? '' : 's'}`);
    if (noise.otherCpuCores !== null) parts.push(`other processes ${noise.otherCpuCores.toFixed(1)} cores`);
  }
  return parts.join(' · ');
}
