/**
 * Speed from two independent samples (runs that could not be interleaved: two devices, two
 * decoders profiled one after the other): the Hodges-Lehmann shift of log times with its
 * distribution-free Mann-Whitney interval, and whether the samples are enough for an interval at all.
 */
import { normalQuantile, type SpeedupEstimate } from './confidence.js';

/** The most samples per side the unpaired interval looks at (evenly thinned beyond): n·m stays ≤ 1 million. */
const MAX_SAMPLES = 1000;

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

/**
 * Whether two samples of n and m values can give an interval at `level` at all: the widest
 * distribution-free one, from the smallest to the largest pairwise difference, misses the true
 * shift with probability 2 / C(n + m, n) (every value of one sample above every value of the
 * other). Example: 2 and 2 samples, 2 / 6: at most 67%; 5 and 5, 2 / 252: 99.2%.
 */
export function canReach(n: number, m: number, level: number): boolean {
  if (n < 2 || m < 2) return false;
  let logC = 0; // ln C(n + m, n)
  for (let i = 1; i <= n; i++) logC += Math.log(m + i) - Math.log(i);
  return Math.log(2) - logC <= Math.log(1 - level) + 1e-9; // 1 - 0.9 is 0.09999999999999998
}
