/**
 * The speculative pair's prediction and how far to trust it: acceptance alpha, cost ratio c, the
 * verification pass's measured cost v(gamma), the costed S(gamma) and its best gamma, each with an
 * interval from resampling what was measured; and the measured speedup of the real loops with its
 * paired interval. Pure: unit-tested on made-up numbers.
 */
import { expectedAcceptedLength } from '../../../shared/generate.js';
import { pairedCanReach, pairedSpeedup, type SpeedupEstimate } from '../profile/confidence.js';
import { mean, percentile } from '../profile/stats.js';
import { createRng } from '../random.js';
import type { SpeculativeLoopResult } from '../runner/protocol.js';

/** What the prediction is made of, as the job measured it. */
export interface PredictionSamples {
  /** Per prompt, whether the draft's greedy token equaled the target's at each generated position. */
  readonly agreement: readonly (readonly boolean[])[];
  readonly targetStepMs: readonly number[];
  /**
   * Draft steps in a run of them; the first of a round (right after a verification pass); and the
   * first of a round after one that kept all its drafts (two tokens: the last draft and the bonus).
   */
  readonly draftStepMs: readonly number[];
  readonly draftFirstStepMs: readonly number[];
  readonly draftCatchUpStepMs?: readonly number[];
  /** Target passes over gamma + 1 tokens, by gamma. */
  readonly verifyPassMs: Readonly<Record<number, readonly number[]>>;
}

/** The prediction from one set of samples. */
export interface CostedPrediction {
  readonly alpha: number;
  readonly c: number;
  readonly targetStepMs: number;
  readonly draftStepMs: number;
  readonly draftFirstStepMs: number;
  readonly draftCatchUpStepMs: number;
  /** v(gamma) for each of the gammas asked for. */
  readonly verifyCost: readonly number[];
  /**
   * E[tokens per pass] / (c1 + (gamma - 1) c + v(gamma)) for each gamma; c1 the first draft step of
   * a round over the target step, a catch-up step's cost in the share alpha^gamma of rounds that
   * follow one that kept all its drafts.
   */
  readonly speedup: readonly number[];
  readonly bestGamma: number;
}

/**
 * alpha: the share of agreeing positions. The first generated token comes from the target's prefill
 * in every loop, so agreement counts from the second, the first token a draft ever proposes.
 */
export function agreementRate(agreement: readonly (readonly boolean[])[]): number {
  let agree = 0;
  let total = 0;
  for (const flags of agreement)
    for (let i = 1; i < flags.length; i++) {
      total++;
      if (flags[i]) agree++;
    }
  return total ? agree / total : 0;
}

/**
 * The mean times (and alpha) a prediction is made from. Means, not medians: the measured speedup is
 * a ratio of total times, and a prediction of it from medians missed what the skew of the step times
 * adds to the totals on either side.
 */
interface PredictionMeans {
  readonly alpha: number;
  readonly targetStepMs: number;
  readonly draftStepMs: number;
  readonly draftFirstStepMs: number;
  readonly draftCatchUpStepMs: number;
  /** [gamma, mean verification pass] for each gamma that has passes. */
  readonly verifyPassMs: readonly (readonly [number, number])[];
}

/**
 * v(gamma): the verification pass's time over the target's mean decode step, from a straight
 * line fitted to every gamma's mean pass (a pass over gamma + 1 tokens costs a fixed part plus a
 * part per token). Each gamma's own mean would be noisier, and the best gamma, picked as the
 * largest of noisy predictions, would be picked for its noise.
 */
function lineThrough(points: readonly (readonly [number, number])[], targetStepMs: number): (gamma: number) => number {
  if (points.length === 0 || targetStepMs <= 0) return () => 1;
  if (points.length === 1) return () => points[0]![1] / targetStepMs;
  const mx = mean(points.map((p) => p[0]));
  const my = mean(points.map((p) => p[1]));
  const sxx = points.reduce((sum, p) => sum + (p[0] - mx) ** 2, 0);
  const slope = sxx > 0 ? points.reduce((sum, p) => sum + (p[0] - mx) * (p[1] - my), 0) / sxx : 0;
  return (gamma) => Math.max(0, my + slope * (gamma - mx)) / targetStepMs;
}

/**
 * The means a prediction is made from, each taken by `meanOf`: the samples' own mean for the
 * prediction, a resample's for its interval. Where a kind of draft step was never timed, its
 * neighbour stands in: with gamma 1 only there is no run of draft steps (each round's one step is a
 * first one), and a report from before catch-up steps were timed has none.
 */
function meansOf(
  samples: PredictionSamples,
  agreement: readonly (readonly boolean[])[],
  meanOf: (values: readonly number[]) => number,
): PredictionMeans {
  const draftStepMs = meanOf(samples.draftStepMs.length ? samples.draftStepMs : samples.draftFirstStepMs);
  const draftFirstStepMs = samples.draftFirstStepMs.length ? meanOf(samples.draftFirstStepMs) : draftStepMs;
  return {
    alpha: agreementRate(agreement),
    targetStepMs: meanOf(samples.targetStepMs),
    draftStepMs,
    draftFirstStepMs,
    draftCatchUpStepMs: samples.draftCatchUpStepMs?.length ? meanOf(samples.draftCatchUpStepMs) : draftFirstStepMs,
    verifyPassMs: Object.entries(samples.verifyPassMs)
      .filter(([, ms]) => ms.length > 0)
      .map(([g, ms]) => [Number(g), meanOf(ms)] as const),
  };
}

/**
 * The costed S(gamma) for each gamma, and the best (the smaller on a tie): E[tokens per pass] over
 * a round's cost in target steps, the first draft step (after the target's pass has evicted the
 * draft from the caches) plus gamma - 1 more plus the verification pass: c1 + (gamma - 1) c + v(gamma).
 */
export function costedPrediction(samples: PredictionSamples, gammas: readonly number[]): CostedPrediction {
  return predictionFrom(meansOf(samples, samples.agreement, mean), gammas);
}

function predictionFrom(m: PredictionMeans, gammas: readonly number[]): CostedPrediction {
  const { alpha, targetStepMs, draftStepMs, draftFirstStepMs, draftCatchUpStepMs } = m;
  const steps = (ms: number) => (targetStepMs > 0 ? ms / targetStepMs : 1);
  const c = steps(draftStepMs);
  const verifyCost = gammas.map(lineThrough(m.verifyPassMs, targetStepMs));
  const speedup = gammas.map((g, i) => {
    // A round follows one that kept all its drafts with probability alpha^gamma (i.i.d. acceptance).
    const c1 = steps(draftFirstStepMs + alpha ** g * (draftCatchUpStepMs - draftFirstStepMs));
    return expectedAcceptedLength(alpha, g) / (c1 + (g - 1) * c + verifyCost[i]!);
  });
  let best = 0;
  for (let i = 1; i < gammas.length; i++) if (speedup[i]! > speedup[best]! + 1e-12) best = i;
  return {
    alpha,
    c,
    targetStepMs,
    draftStepMs,
    draftFirstStepMs,
    draftCatchUpStepMs,
    verifyCost,
    speedup,
    bestGamma: gammas[best] ?? 1,
  };
}

/**
 * A resample's mean without drawing it: how many times each value is drawn, weighed. Linear per
 * resample (a large run has tens of thousands of steps, and 400 resamples of them must not hold the
 * engine for seconds).
 */
function resampledMean(values: readonly number[], counts: Uint32Array, rng: () => number): number {
  const n = values.length;
  if (n === 0) return 0;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[Math.floor(rng() * n)]!++;
  let sum = 0;
  for (let j = 0; j < n; j++) sum += counts[j]! * values[j]!;
  return sum / n;
}

/** Intervals on the prediction, from resampling. */
export interface PredictionIntervals {
  readonly level: number;
  readonly resamples: number;
  readonly alpha: { readonly low: number; readonly high: number };
  /** The gammas that came out best in the middle `level` of the resamples (smallest to largest). */
  readonly bestGamma: { readonly low: number; readonly high: number };
  /** The costed S at the best gamma of the full samples. */
  readonly speedupAtBest: { readonly low: number; readonly high: number };
}

const RESAMPLES = 400;

/**
 * Bootstrap intervals: prompts are resampled whole (positions of one prompt share its context and
 * are not independent draws), step and pass times one by one. Seeded, so a report is reproducible.
 */
export function predictionIntervals(
  samples: PredictionSamples,
  gammas: readonly number[],
  level = 0.95,
  seed = 1,
): PredictionIntervals {
  const full = costedPrediction(samples, gammas);
  const at = Math.max(0, gammas.indexOf(full.bestGamma));
  const rng = createRng(seed);
  const longest = Math.max(
    samples.targetStepMs.length,
    samples.draftStepMs.length,
    samples.draftFirstStepMs.length,
    samples.draftCatchUpStepMs?.length ?? 0,
    ...Object.values(samples.verifyPassMs).map((ms) => ms.length),
  );
  const counts = new Uint32Array(longest);
  const resampled = (values: readonly number[]) => resampledMean(values, counts.subarray(0, values.length), rng);
  const alphas: number[] = [];
  const bests: number[] = [];
  const atBest: number[] = [];
  for (let r = 0; r < RESAMPLES; r++) {
    const prompts = Array.from(
      { length: samples.agreement.length },
      () => samples.agreement[Math.floor(rng() * samples.agreement.length)]!,
    );
    const prediction = predictionFrom(meansOf(samples, prompts, resampled), gammas);
    alphas.push(prediction.alpha);
    bests.push(prediction.bestGamma);
    atBest.push(prediction.speedup[at]!);
  }
  const tail = ((1 - level) / 2) * 100;
  const range = (values: number[]) => ({ low: percentile(values, tail), high: percentile(values, 100 - tail) });
  const bestRange = range(bests);
  return {
    level,
    resamples: RESAMPLES,
    alpha: range(alphas),
    // A gamma is a whole number: the range is of gammas that were really best in some resample.
    bestGamma: { low: nearestAtOrAbove(bests, bestRange.low), high: nearestAtOrBelow(bests, bestRange.high) },
    speedupAtBest: range(atBest),
  };
}

function nearestAtOrAbove(values: readonly number[], x: number): number {
  return Math.min(...values.filter((v) => v >= x - 1e-9));
}

function nearestAtOrBelow(values: readonly number[], x: number): number {
  return Math.max(...values.filter((v) => v <= x + 1e-9));
}

/**
 * The measured speedup of one gamma's loops over the target alone, from their pairs (each run of
 * the target alone and the loop right after it on the same prompt): the Hodges-Lehmann centre of the
 * log ratios with its signed-rank interval, NaN bounds when there are too few pairs for one.
 */
export function measuredLoopSpeedup(loop: SpeculativeLoopResult, level = 0.95): SpeedupEstimate {
  const paired = pairedSpeedup(
    loop.pairs.map((p) => p.targetOnlyMsPerToken),
    loop.pairs.map((p) => p.speculativeMsPerToken),
    level,
  );
  if (Number.isFinite(paired.ratio))
    // Too few pairs for any interval at the level: none, rather than one that claims too much.
    return pairedCanReach(loop.pairs.length, level) ? paired : { ratio: paired.ratio, low: NaN, high: NaN };
  // One pair: its ratio, without an interval.
  const ratio =
    loop.speculativeMs > 0 && loop.targetOnlyTokens > 0
      ? loop.targetOnlyMs / loop.targetOnlyTokens / (loop.speculativeMs / Math.max(1, loop.speculativeTokens))
      : 0;
  return { ratio, low: NaN, high: NaN };
}
