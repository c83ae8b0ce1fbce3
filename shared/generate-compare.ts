/**
 * Two decoders' generation profiles side by side (say a model and its int8 variant): TTFT by
 * prompt length, decode speed, per-token p50/p90, KV bytes and peak memory, with verdicts that
 * carry their statistics. Produced by `strata generate A --vs B`, the Generation view's "Compare
 * with another decoder" and the Compare view's two decoders; read by the HTML report. Pure types:
 * no Node, no UI.
 */
import type { GenerateReport } from './generate.js';

/** Faster, slower, or no difference the samples can tell from noise (as a model comparison says it). */
export type GenerateVerdict = 'faster' | 'slower' | 'same';

/**
 * Speed of B against A on one measure: A's time / B's time (> 1 = B faster), the interval at the
 * comparison's level from the two sets of samples, and the verdict beyond the noise threshold.
 */
export interface GenerateSpeed {
  readonly what: string; // "per-token decode latency", "TTFT at 64 tokens"
  readonly ratio: number; // NaN when either side has fewer than 2 samples
  readonly low: number;
  readonly high: number;
  readonly verdict: GenerateVerdict;
  /** False when the samples are too few for any interval at the level: then no verdict ('same'). */
  readonly enough: boolean;
  readonly samples: readonly [number, number]; // samples of A, of B
  /**
   * True when the samples are pairs (A and B back to back in each alternating round), compared as
   * such: one estimate per block of fresh sessions (`blocks` of them), the interval Student's t over those.
   */
  readonly paired?: boolean;
  readonly blocks?: number;
  readonly aMs: number; // median
  readonly bMs: number;
}

/** One measured quantity of both decoders, with B / A. */
export interface GenerateMetricPair {
  readonly metric: string;
  readonly unit: 'ms' | 'tokens/s' | 'bytes';
  readonly a: number;
  readonly b: number;
  readonly ratio: number; // b / a (NaN when a is 0)
}

/** Everything `strata generate A --vs B` compares. */
export interface GenerateComparison {
  readonly schema: 'strata.generate-compare';
  readonly version: 1;
  readonly createdAt: string;
  readonly a: GenerateReport; // the baseline
  readonly b: GenerateReport;
  /** What to call A and B: their file names, or folder/file when the names are the same. */
  readonly names: readonly [string, string];
  /** Confidence of each interval: 95% Bonferroni-widened over the speeds compared. */
  readonly level: number;
  readonly noiseThreshold: number; // changes within ± this fraction are never called
  /** Per-token decode latency (one sample per generation: each repetition's median step), then TTFT at each prompt length both ran. */
  readonly speeds: readonly GenerateSpeed[];
  readonly metrics: readonly GenerateMetricPair[];
  /** The verdict in a sentence, with its interval and samples. */
  readonly verdict: string;
  readonly notes: readonly string[];
}

/** What a speed rests on, for a table cell: "9 pairs in 3 blocks", or "4, 4" samples of A and B. */
export function speedSamplesText(s: GenerateSpeed): string {
  return s.paired ? `${s.samples[0]} pairs in ${s.blocks ?? 1} blocks` : s.samples.join(', ');
}

/**
 * A speed's verdict for a table cell. "same" only where the interval shows it, inside the noise
 * threshold both ways; an interval that still reaches past it (1.0x, 0.4-2.6x) cannot tell, and
 * says so rather than "same". No verdict: too few samples, or too few blocks of sessions.
 */
export function speedVerdictText(s: GenerateSpeed, noiseThreshold: number): string {
  if (!s.enough) return s.paired ? 'too few blocks' : 'too few samples';
  if (s.verdict !== 'same') return `B ${s.verdict}`;
  return s.low >= 1 / (1 + noiseThreshold) && s.high <= 1 + noiseThreshold ? 'same' : "can't tell";
}
