/**
 * Confidence intervals and verdicts for latencies, chosen so that "faster" is said only when the
 * data says so.
 *
 * - A model's p50 gets a distribution-free interval from order statistics: the number of samples
 *   below the true median is Binomial(n, 1/2), so [x(l), x(u)] with l, u cut from that
 *   distribution covers the median with the stated confidence, whatever the shape of the latency
 *   distribution (long tails, two modes on a busy machine). Example: n = 50 at 95% gives
 *   [x(18), x(33)] (1-based).
 * - Two models measured in interleaved rounds are paired: round i's runs of both met the same
 *   background load. Rounds come in blocks, one fresh worker each (see `blockedSpeedup`). Per round d = ln(baseline / variant); the speedup is exp of the Hodges-Lehmann
 *   estimate of d (the median of all pairwise means (d_i + d_j) / 2) and its interval comes from the
 *   Wilcoxon signed-rank test inverted (as R's wilcox.test(conf.int = TRUE)): robust to outlier
 *   rounds, far more efficient than a sign test, and exact for small n. Working on logs makes
 *   "1.25x faster" and "1.25x slower" symmetric.
 * - The verdict follows criterion.rs: a change is reported only when the whole interval lies beyond
 *   a noise threshold (default 2%): what one process does differently from an identical one
 *   (memory placement, a different core) is not a change in the model. With several variants the
 *   intervals are Bonferroni-widened (level 1 − α/m), so three identical copies are not given three
 *   chances to look different.
 */

/** z for a two-sided level: normalQuantile(0.975) ≈ 1.96. Acklam's rational approximation (|error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

function sorted(values: readonly number[]): number[] {
  return Float64Array.from(values).sort() as unknown as number[];
}

function median(sortedValues: ArrayLike<number>): number {
  const n = sortedValues.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  return n % 2 ? sortedValues[mid]! : (sortedValues[mid - 1]! + sortedValues[mid]!) / 2;
}

/**
 * 0-based ranks [l, u] of the order statistics that bound the median of n samples with confidence
 * at least `level`: the largest l with P(Binomial(n, 1/2) ≤ l) ≤ (1 − level) / 2, and u = n − 1 − l.
 * Null when n is too small for any such interval (n < 6 at 95%).
 */
export function medianRankBounds(n: number, level: number): [number, number] | null {
  const tail = (1 - level) / 2;
  // Cumulative binomial(n, 1/2) in log space: pmf(k) = C(n, k) / 2^n.
  let logPmf = -n * Math.LN2; // k = 0
  let cdf = 0;
  let l = -1;
  for (let k = 0; k <= n / 2; k++) {
    if (k > 0) logPmf += Math.log((n - k + 1) / k);
    cdf += Math.exp(logPmf);
    if (cdf <= tail) l = k;
    else break;
  }
  if (l < 0) return null;
  return [l, n - 1 - l];
}

/** The median of `samples` with its distribution-free interval; the interval is [min, max] when n is too small for `level`. */
export function medianWithCi(samples: readonly number[], level = 0.95): { median: number; low: number; high: number } {
  const s = sorted(samples);
  if (s.length === 0) return { median: NaN, low: NaN, high: NaN };
  const bounds = medianRankBounds(s.length, level);
  const [l, u] = bounds ?? [0, s.length - 1];
  return { median: median(s), low: s[l]!, high: s[u]! };
}

// Exact null distribution of the Wilcoxon signed-rank statistic W+ for n pairs (counts of each sum
// 0..n(n+1)/2), as cumulative probabilities. n ≤ 200 keeps this under a few million steps.
function signedRankCdf(n: number): Float64Array {
  const max = (n * (n + 1)) / 2;
  let counts = new Float64Array(max + 1);
  counts[0] = 1;
  for (let k = 1; k <= n; k++) {
    const next = new Float64Array(max + 1);
    const top = (k * (k + 1)) / 2;
    for (let s = 0; s <= top; s++) next[s] = counts[s]! + (s >= k ? counts[s - k]! : 0);
    counts = next;
  }
  const total = 2 ** n;
  const cdf = new Float64Array(max + 1);
  let acc = 0;
  for (let s = 0; s <= max; s++) {
    acc += counts[s]! / total;
    cdf[s] = acc;
  }
  return cdf;
}

/**
 * How many of the n(n+1)/2 sorted Walsh averages to cut from each end for a signed-rank interval at
 * `level`: the largest k with P(W+ ≤ k) ≤ (1 − level) / 2, so the interval [w(k), w(N − 1 − k)]
 * (0-based) covers with probability 1 − 2·P(W+ ≤ k); 0 when even that is not reached (n < 6 at
 * 95%). Exact up to n = 200, normal approximation beyond.
 */
export function signedRankCut(n: number, level: number): number {
  const tail = (1 - level) / 2;
  if (n <= 200) {
    const cdf = signedRankCdf(n);
    let k = 0;
    while (k < cdf.length && cdf[k]! <= tail) k++;
    return Math.max(0, k - 1);
  }
  const mean = (n * (n + 1)) / 4;
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
  return Math.max(0, Math.floor(mean - normalQuantile(1 - tail) * sd));
}

/** Hodges-Lehmann estimate of the centre of `d` with its signed-rank interval. Null for fewer than 2 values. */
export function hodgesLehmann(
  d: readonly number[],
  level: number,
): { estimate: number; low: number; high: number } | null {
  const n = d.length;
  if (n < 2) return null;
  const walsh = new Float64Array((n * (n + 1)) / 2);
  let w = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh[w++] = (d[i]! + d[j]!) / 2;
  walsh.sort();
  const cut = Math.min(signedRankCut(n, level), (walsh.length - 1) >> 1);
  return { estimate: median(walsh), low: walsh[cut]!, high: walsh[walsh.length - 1 - cut]! };
}

/** The most rounds the paired interval looks at (evenly thinned beyond): n(n+1)/2 Walsh averages stay under ~1.1 million. */
export const MAX_PAIRED_ROUNDS = 1500;

/** Speedup of a variant over the baseline: baseline time / variant time, > 1 when the variant is faster. */
export interface SpeedupEstimate {
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
}

/**
 * Speedup from paired rounds: `baselineMs[i]` and `variantMs[i]` were measured in the same round.
 * Rounds missing either value are skipped.
 */
export function pairedSpeedup(
  baselineMs: readonly number[],
  variantMs: readonly number[],
  level: number,
): SpeedupEstimate {
  let logs: number[] = [];
  for (let i = 0; i < Math.min(baselineMs.length, variantMs.length); i++) {
    const b = baselineMs[i]!;
    const v = variantMs[i]!;
    if (b > 0 && v > 0 && Number.isFinite(b) && Number.isFinite(v)) logs.push(Math.log(b / v));
  }
  if (logs.length > MAX_PAIRED_ROUNDS) {
    const step = logs.length / MAX_PAIRED_ROUNDS;
    logs = Array.from({ length: MAX_PAIRED_ROUNDS }, (_, i) => logs[Math.floor(i * step)]!);
  }
  const hl = hodgesLehmann(logs, level);
  if (!hl) return { ratio: NaN, low: NaN, high: NaN };
  return { ratio: Math.exp(hl.estimate), low: Math.exp(hl.low), high: Math.exp(hl.high) };
}

/**
 * Whether n pairs can give a signed-rank interval at `level` at all: the widest one, from the
 * smallest to the largest Walsh average, misses with probability 2 / 2^n (every difference of one
 * sign). At 95%: 6 pairs or more.
 */
export function pairedCanReach(n: number, level: number): boolean {
  return n >= 2 && 2 / 2 ** n <= 1 - level + 1e-9;
}

// ln Γ(x) (Lanczos, g = 7), for the incomplete beta function below.
function logGamma(x: number): number {
  const c = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.61503916999186,
    12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

// Regularized incomplete beta I_x(a, b) by its continued fraction (modified Lentz).
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const front = Math.exp(a * Math.log(x) + b * Math.log(1 - x) - logGamma(a) - logGamma(b) + logGamma(a + b)) / a;
  const tiny = 1e-300;
  let f = 1;
  let c = 1;
  let d = 0;
  for (let i = 0; i <= 300; i++) {
    const m = i >> 1;
    const num =
      i === 0
        ? 1
        : i % 2 === 0
          ? (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m))
          : -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    d = 1 / d;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    const cd = c * d;
    f *= cd;
    if (Math.abs(1 - cd) < 1e-12) break;
  }
  return front * (f - 1);
}

/** Student's t quantile: P(T ≤ t) = p for `df` degrees of freedom (bisection on the CDF). */
export function studentQuantile(p: number, df: number): number {
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentQuantile(1 - p, df);
  const cdf = (t: number) => 1 - 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  let lo = 0;
  let hi = 1;
  while (cdf(hi) < p && hi < 1e6) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The rounds of one block: a worker with its own fresh sessions; baselineMs[i] and variantMs[i] share round i. */
export interface PairedBlock {
  readonly baselineMs: readonly number[];
  readonly variantMs: readonly number[];
}

/**
 * Speedup from several blocks of paired rounds, each block timed in its own worker with fresh
 * sessions. Identical models can differ by a few percent within one worker for as long as it lives
 * (where the scheduler put each session's threads, where their memory landed): a per-session effect
 * no number of rounds averages away. So each block gives one estimate (Hodges-Lehmann of its rounds'
 * log ratios), and the interval is Student's t over the block estimates (batch means): it holds
 * the within-block noise and the between-session spread alike. One block falls back to the rounds.
 */
export function blockedSpeedup(blocks: readonly PairedBlock[], level: number): SpeedupEstimate {
  // A block of one round is its one ratio.
  const estimate = (b: PairedBlock) =>
    b.baselineMs.length === 1 && b.variantMs.length === 1
      ? b.baselineMs[0]! / b.variantMs[0]!
      : pairedSpeedup(b.baselineMs, b.variantMs, level).ratio;
  const estimates = blocks
    .map(estimate)
    .filter((r) => r > 0 && Number.isFinite(r))
    .map(Math.log);
  if (estimates.length < 2) {
    return pairedSpeedup(
      blocks.flatMap((b) => b.baselineMs),
      blocks.flatMap((b) => b.variantMs),
      level,
    );
  }
  const n = estimates.length;
  const m = estimates.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(estimates.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
  const half = studentQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { ratio: Math.exp(m), low: Math.exp(m - half), high: Math.exp(m + half) };
}

/** Faster, slower, or no difference this run can tell from noise. */
export type Verdict = 'faster' | 'slower' | 'same';

/** Default noise threshold: changes smaller than this are never reported (criterion.rs uses 1%, hyperfine none). */
export const DEFAULT_NOISE_THRESHOLD = 0.02;

/**
 * The verdict of a speedup interval: faster when all of it is above 1 + threshold, slower when all
 * of it is below 1 / (1 + threshold), else same.
 */
export function verdictOf(speedup: SpeedupEstimate, threshold = DEFAULT_NOISE_THRESHOLD): Verdict {
  if (!Number.isFinite(speedup.low) || !Number.isFinite(speedup.high)) return 'same';
  if (speedup.low > 1 + threshold) return 'faster';
  if (speedup.high < 1 / (1 + threshold)) return 'slower';
  return 'same';
}

/**
 * The smallest change (as a fraction: 0.04 = 4%) this run could have called faster or slower: the
 * interval's half-width on the log scale plus the noise threshold. A true change of that size is
 * reported about half the time; a change twice the interval's half-width beyond the threshold, nearly
 * always.
 */
export function detectableChange(speedup: SpeedupEstimate, threshold = DEFAULT_NOISE_THRESHOLD): number {
  if (!Number.isFinite(speedup.low) || !Number.isFinite(speedup.high) || speedup.low <= 0) return NaN;
  const halfWidth = (Math.log(speedup.high) - Math.log(speedup.low)) / 2;
  return Math.exp(Math.log(1 + threshold) + halfWidth) - 1;
}

/** Confidence level for each of `comparisons` intervals so the family keeps `level` (Bonferroni). */
export function familyLevel(level: number, comparisons: number): number {
  return 1 - (1 - level) / Math.max(1, comparisons);
}

/** Noise of one timing pass: how spread the runs were, and how many stood out. */
export interface SampleNoise {
  readonly cv: number; // standard deviation / mean, 0..
  readonly outliers: number; // runs beyond Tukey's fences (1.5 IQR outside the quartiles)
  readonly p50RelativeHalfWidth: number; // half the p50's 95% interval over the p50 (0.02 = ±2%)
}

/** CV, outliers and the p50's relative precision of `samples`. */
export function sampleNoise(samples: readonly number[]): SampleNoise {
  const s = sorted(samples);
  const n = s.length;
  if (n === 0) return { cv: NaN, outliers: 0, p50RelativeHalfWidth: NaN };
  let sum = 0;
  for (const v of s) sum += v;
  const mean = sum / n;
  let sq = 0;
  for (const v of s) sq += (v - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(sq / (n - 1)) : 0;
  const q = (p: number) => {
    const r = p * (n - 1);
    const lo = Math.floor(r);
    return s[lo]! + (s[Math.ceil(r)]! - s[lo]!) * (r - lo);
  };
  const q1 = q(0.25);
  const q3 = q(0.75);
  const iqr = q3 - q1;
  const outliers = s.filter((v) => v < q1 - 1.5 * iqr || v > q3 + 1.5 * iqr).length;
  const ci = medianWithCi(s, 0.95);
  return {
    cv: mean > 0 ? sd / mean : NaN,
    outliers,
    p50RelativeHalfWidth: ci.median > 0 ? (ci.high - ci.low) / 2 / ci.median : NaN,
  };
}
