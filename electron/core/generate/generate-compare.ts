/**
 * Compares two generation profiles with the statistics of a model comparison (profile/confidence.ts):
 * each speed is A's time / B's time with a distribution-free interval, the intervals
 * Bonferroni-widened over the speeds compared, and "faster" or "slower" only when the whole interval
 * lies beyond the noise threshold. With `strata generate A --vs B` (and the app's two-decoder
 * comparisons, generate-vs.ts), A's profile ends with both decoders generating in alternating
 * rounds: each round's A and B ran the same prompt back to back, a pair, each repetition in its own
 * block of fresh sessions, and the speeds are one estimate per block (Student's t over them), which
 * drift between rounds does not move. Two profiles made apart (the Generation view's run before and
 * run after) ran one after the other: their samples are unpaired (Hodges-Lehmann shift, Mann-Whitney
 * interval, as in a devices comparison), and the note says so.
 *
 * Either test needs independent samples (or pairs), so every sample is one generation. Per-token latency:
 * the median decode step of each repetition at each prompt length both ran (consecutive steps of
 * one generation are not independent: a burst of load slows many in a row, and treating 16 such
 * steps as 16 samples called a decoder slower than its own copy half the time under load). TTFT:
 * each prompt length's repetitions (with 3 repetitions the interval is [min, max]-wide: more
 * repetitions narrow it). Memory (KV bytes, peak RSS) is one measurement per decoder, shown as a
 * ratio without a verdict.
 */
import {
  speedVerdictText,
  type GenerateComparison,
  type GenerateMetricPair,
  type GenerateSpeed,
} from '../../../shared/generate-compare.js';
import type { GenerateReport, PromptPoint } from '../../../shared/generate.js';
import { formatMs } from '../../../shared/format.js';
import { canReach, unpairedSpeedup } from '../profile/unpaired-speedup.js';
import {
  blockedSpeedup,
  DEFAULT_NOISE_THRESHOLD,
  familyLevel,
  verdictOf,
  type PairedBlock,
  type SpeedupEstimate,
} from '../profile/confidence.js';
import { percentile } from '../profile/stats.js';

// The fewest blocks of fresh sessions (repetitions of --vs's rounds) a verdict rests on.
const MIN_BLOCKS = 3;

/** Compares decoder `b` against the baseline `a`. */
export function compareGenerateReports(
  a: GenerateReport,
  b: GenerateReport,
  noiseThreshold = DEFAULT_NOISE_THRESHOLD,
): GenerateComparison {
  const shared = a.prompts.filter((p) => b.prompts.some((q) => q.promptTokens === p.promptTokens));
  const level = familyLevel(0.95, 1 + shared.length);
  const tooFew: string[] = [];
  // Alternating rounds (A's profile ran them with B, --vs) are the better samples: load that came
  // and went hit both decoders, and each round's A and B form a pair whose ratio drift between rounds
  // does not move. Each repetition ran in its own block of fresh sessions (load order and run order
  // crossed over the blocks): one estimate per block, Student's t over them, as a model comparison's
  // blocks of workers.
  // Without rounds, each profile's own sweep, unpaired.
  const rounds = a.alternatingRounds?.vsPath === b.model.path ? a.alternatingRounds : undefined;
  const unpaired = (what: string, aMs: readonly number[], bMs: readonly number[]): GenerateSpeed => {
    const s = unpairedSpeedup(aMs, bMs, level);
    // With few samples even the widest interval (the smallest to the largest difference) covers
    // less than the level: such a speed is shown, never called faster or slower.
    const enough = canReach(aMs.length, bMs.length, level);
    return speed(what, s, enough, aMs, bMs, { paired: false });
  };
  const blocked = (what: string, blocks: readonly PairedBlock[]): GenerateSpeed => {
    const s = blockedSpeedup(blocks, level);
    const aMs = blocks.flatMap((x) => x.baselineMs);
    const bMs = blocks.flatMap((x) => x.variantMs);
    // Student's t over 2 block estimates is too fragile to call a verdict on: 3 blocks at least.
    return speed(what, s, blocks.length >= MIN_BLOCKS && Number.isFinite(s.low), aMs, bMs, {
      paired: true,
      blocks: blocks.length,
    });
  };
  const speed = (
    what: string,
    s: SpeedupEstimate,
    enough: boolean,
    aMs: readonly number[],
    bMs: readonly number[],
    pairing: { paired: boolean; blocks?: number },
  ): GenerateSpeed => {
    if (!enough) tooFew.push(what);
    return {
      what,
      ratio: s.ratio,
      low: s.low,
      high: s.high,
      verdict: enough ? verdictOf(s, noiseThreshold) : 'same',
      enough,
      samples: [aMs.length, bMs.length],
      ...pairing,
      aMs: percentile(aMs, 50),
      bMs: percentile(bMs, 50),
    };
  };
  const find = (points: readonly PromptPoint[], p: PromptPoint) =>
    points.find((q) => q.promptTokens === p.promptTokens)!;
  const speeds = rounds
    ? [
        blocked(
          'per-token decode latency',
          repetitions(
            shared.map((p) => [
              find(rounds.a, p).decodeStepSamplesMs ?? [],
              find(rounds.b, p).decodeStepSamplesMs ?? [],
            ]),
          ),
        ),
        ...shared.map((p) =>
          blocked(
            `TTFT at ${p.promptTokens} tokens`,
            repetitions([[find(rounds.a, p).ttftSamplesMs, find(rounds.b, p).ttftSamplesMs]]),
          ),
        ),
      ]
    : [
        unpaired(
          'per-token decode latency',
          shared.flatMap((p) => p.decodeStepSamplesMs ?? []),
          shared.flatMap((p) => find(b.prompts, p).decodeStepSamplesMs ?? []),
        ),
        ...shared.map((p) =>
          unpaired(`TTFT at ${p.promptTokens} tokens`, p.ttftSamplesMs, find(b.prompts, p).ttftSamplesMs),
        ),
      ];
  const pair = (metric: string, unit: GenerateMetricPair['unit'], x: number, y: number): GenerateMetricPair => ({
    metric,
    unit,
    a: x,
    b: y,
    ratio: x > 0 ? y / x : NaN,
  });
  const firstA = a.prompts[0];
  const firstB = b.prompts[0];
  const metrics = [
    ...shared.map((p) =>
      pair(
        `TTFT, ${p.promptTokens}-token prompt`,
        'ms',
        p.ttftMs,
        b.prompts.find((q) => q.promptTokens === p.promptTokens)!.ttftMs,
      ),
    ),
    // The same definitions as the report's cards: every step of every repetition of the shortest prompt.
    pair('per-token p50, shortest prompt', 'ms', firstA?.decodeP50Ms ?? 0, firstB?.decodeP50Ms ?? 0),
    pair('per-token p90, shortest prompt', 'ms', firstA?.decodeP90Ms ?? 0, firstB?.decodeP90Ms ?? 0),
    pair(
      'median step rate (1000 / p50), shortest prompt',
      'tokens/s',
      firstA?.decodeTokensPerSec ?? 0,
      firstB?.decodeTokensPerSec ?? 0,
    ),
    pair(
      'median step rate (1000 / p50), deepest cache',
      'tokens/s',
      a.depth.at(-1)?.tokensPerSec ?? 0,
      b.depth.at(-1)?.tokensPerSec ?? 0,
    ),
    pair('KV cache computed, at the deepest context', 'bytes', a.kvMemory.computedBytes, b.kvMemory.computedBytes),
    pair('KV cache measured', 'bytes', a.kvMemory.measuredBytes, b.kvMemory.measuredBytes),
    pair('peak memory (worker RSS)', 'bytes', a.peakRssBytes, b.peakRssBytes),
  ];
  const notes: string[] = [];
  if (tooFew.length)
    notes.push(
      rounds
        ? `${tooFew.join(', ')}: ${MIN_BLOCKS} repetitions (blocks of fresh sessions) at least are needed for a verdict, so none is given; profile with more repetitions to compare them.`
        : `${tooFew.join(', ')}: too few samples for a ${(level * 100).toFixed(1)}% interval (even the widest one covers less), so no verdict is given; profile with more repetitions (5 or more) to compare them.`,
    );
  const missing = [
    ...a.prompts.filter((p) => !shared.includes(p)).map((p) => p.promptTokens),
    ...b.prompts.filter((q) => !a.prompts.some((p) => p.promptTokens === q.promptTokens)).map((p) => p.promptTokens),
  ];
  if (missing.length)
    notes.push(
      `Prompt lengths ${[...new Set(missing)].join(', ')} were profiled for one decoder only and are left out of the comparison: profile both with the same --prompt-lengths.`,
    );
  if (a.settings.newTokens !== b.settings.newTokens || a.settings.reps !== b.settings.reps)
    notes.push(
      `The two profiles differ in new tokens (${a.settings.newTokens}, ${b.settings.newTokens}) or repetitions (${a.settings.reps}, ${b.settings.reps}): their samples differ in number and depth.`,
    );
  if (a.settings.clock !== b.settings.clock)
    notes.push(
      `The two profiles used different clocks (${a.settings.clock}, ${b.settings.clock}): their times do not compare.`,
    );
  if (a.kvMemory.points.at(-1)?.context !== b.kvMemory.points.at(-1)?.context)
    notes.push(
      'The two KV cache measurements end at different contexts: compare the KV bytes per token, not the totals.',
    );
  notes.push(
    rounds
      ? `Speeds are from alternating rounds: at each repetition and prompt length the two decoders generated the same prompt back to back, so load that came and went hit both. Each round's two generations are a pair (per token: the median decode step of each; TTFT: each prefill). Each repetition ran in its own pair of fresh sessions, loaded A first and B first in turn, and which one ran first at a length flipped every two repetitions, so neither position belongs to one decoder (a session loaded first can run a few percent slower than its twin for as long as it lives); each such block gives one estimate (the Hodges-Lehmann centre of its pairs' log ratios), and the intervals are Student's t over the blocks at ${(level * 100).toFixed(1)}% confidence each, and changes under ${(noiseThreshold * 100).toFixed(0)}% are never called. The other figures (depth curves, memory, layers) are each decoder's own profile; memory is one measurement per decoder.`
      : `The two decoders ran one after the other, not in interleaved rounds, so load that changed between the two runs shows as a difference: intervals are from unpaired samples, one per generation (per token: the median decode step of each repetition; TTFT: each repetition), by Hodges-Lehmann shift and Mann-Whitney interval at ${(level * 100).toFixed(1)}% confidence each, and changes under ${(noiseThreshold * 100).toFixed(0)}% are never called. Memory is one measurement per decoder.`,
  );
  const names = namesOf(a, b);
  return {
    schema: 'strata.generate-compare',
    version: 1,
    createdAt: new Date().toISOString(),
    a,
    b,
    names,
    level,
    noiseThreshold,
    speeds,
    metrics,
    verdict: verdictSentence(
      names,
      speeds[0]!,
      level,
      noiseThreshold,
      rounds ? 'in alternating rounds' : 'one after the other',
    ),
    notes,
  };
}

// The rounds' samples by repetition: sample r of every series (A's and B's at each prompt length)
// ran in repetition r's block of sessions.
function repetitions(series: readonly (readonly [readonly number[], readonly number[]])[]): PairedBlock[] {
  const reps = Math.min(...series.flatMap(([x, y]) => [x.length, y.length]));
  return Array.from({ length: Number.isFinite(reps) ? reps : 0 }, (_, r) => ({
    baselineMs: series.map(([x]) => x[r]!),
    variantMs: series.map(([, y]) => y[r]!),
  }));
}

// Two exports of one model are often both model.onnx: then what differs names them (the cache type,
// the layer count), or failing that the folder each is in.
function namesOf(a: GenerateReport, b: GenerateReport): [string, string] {
  if (a.model.name !== b.model.name) return [a.model.name, b.model.name];
  const layout = (r: GenerateReport) =>
    `${r.model.name} (${r.decoder.layers} layers, ${r.decoder.kvElementType} cache)`;
  if (layout(a) !== layout(b)) return [layout(a), layout(b)];
  const folder = (r: GenerateReport) => r.model.path.split(/[\\/]/).slice(-2).join('/');
  return [folder(a), folder(b)];
}

// "int8.onnx decodes 1.42× faster per token than model.onnx (95% interval 1.35-1.50×; median step
// 0.41 ms against 0.58 ms, from 9 and 9 generations)."
function verdictSentence(
  [an, bn]: readonly [string, string],
  s: GenerateSpeed,
  level: number,
  noiseThreshold: number,
  order: string,
): string {
  if (!Number.isFinite(s.ratio))
    return `${bn} and ${an} cannot be compared per token: one of them has fewer than 2 generations (repetitions at the prompt lengths both ran) to compare.`;
  const interval = `${(level * 100).toFixed(1)}% interval ${s.low.toFixed(2)}–${s.high.toFixed(2)}×`;
  const from = s.paired
    ? `${s.samples[0]} alternating rounds (${an} and ${bn} back to back on one prompt) in ${s.blocks} blocks of fresh sessions`
    : `${s.samples[1]} and ${s.samples[0]} independent generations run ${order}, one sample each`;
  const detail = `median step ${formatMs(s.bMs)} against ${formatMs(s.aMs)}, from ${from}`;
  if (!s.enough)
    return `No per-token verdict: ${from} are too few for a ${(level * 100).toFixed(1)}% interval; ${bn} measured ${s.ratio.toFixed(2)}× ${an}'s speed (${detail}). Profile with more repetitions.`;
  if (s.verdict === 'faster')
    return `${bn} decodes ${s.ratio.toFixed(2)}× faster per token than ${an} (${interval}; ${detail}).`;
  if (s.verdict === 'slower')
    return `${bn} decodes ${(1 / s.ratio).toFixed(2)}× slower per token than ${an} (${interval} as ${an}'s time over ${bn}'s; ${detail}).`;
  // "The same" only where the interval shows it; a wide one cannot tell (as the tables say).
  if (speedVerdictText(s, noiseThreshold) === 'same')
    return `${bn} and ${an} decode at the same speed per token, within ${(noiseThreshold * 100).toFixed(0)}% (${s.ratio.toFixed(2)}×, ${interval}; ${detail}).`;
  return `These samples cannot tell ${bn} and ${an} apart per token: ${s.ratio.toFixed(2)}×, but the ${interval} reaches past ${(noiseThreshold * 100).toFixed(0)}% either way (${detail}). More repetitions narrow it.`;
}
