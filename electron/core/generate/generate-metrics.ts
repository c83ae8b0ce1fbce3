/**
 * Turns a generation job's raw times and memory samples into the field's metrics: TTFT and
 * prompt tokens/s per prompt length, decode tokens/s per KV depth, per-token p50/p90, KV bytes
 * computed against measured, llama-bench rows, and the speculative pair's prediction beside its
 * measurement. Pure: unit-tested on made-up numbers.
 */
import {
  bestGamma,
  expectedAcceptedLength,
  expectedSpeedup,
  kvCacheBytes,
  type DecoderInfo,
  type DepthPoint,
  type GenerateReport,
  type LlamaBenchRow,
  type PromptPoint,
  type SpeculativeResult,
  type TokenStep,
} from '../../../shared/generate.js';
import { formatRange } from '../../../shared/format.js';
import { mean, percentile } from '../profile/stats.js';
import { costedPrediction, measuredLoopSpeedup, predictionIntervals } from './speculative-stats.js';
import type { GenerateJobResult } from '../runner/protocol.js';

/** TTFT, prompt tokens/s and decode latency per prompt length. */
export function promptPoints(sweep: GenerateJobResult['sweep']): PromptPoint[] {
  return sweep.map((p) => {
    const ttft = percentile(p.ttftMs, 50);
    const steps = p.stepMs.flat();
    const p50 = percentile(steps, 50);
    return {
      promptTokens: p.promptTokens,
      ttftMs: ttft,
      ttftSamplesMs: [...p.ttftMs],
      promptTokensPerSec: ttft > 0 ? (p.promptTokens * 1000) / ttft : 0,
      decodeTokensPerSec: p50 > 0 ? 1000 / p50 : 0,
      decodeP50Ms: p50,
      decodeP90Ms: percentile(steps, 90),
      decodeStepSamplesMs: p.stepMs.filter((rep) => rep.length > 0).map((rep) => percentile(rep, 50)),
    };
  });
}

/**
 * Decode speed against KV depth from one long run: the steps cut into `buckets` windows of equal
 * length, each window's median step at its middle depth (a median, so one preempted step does not
 * bend the curve).
 */
export function depthPoints(promptTokens: number, stepMs: readonly number[], buckets = 16): DepthPoint[] {
  const size = Math.max(1, Math.floor(stepMs.length / buckets));
  const points: DepthPoint[] = [];
  for (let start = 0; start + size <= stepMs.length; start += size) {
    const ms = percentile(stepMs.slice(start, start + size), 50);
    points.push({
      depth: promptTokens + start + Math.floor(size / 2),
      stepMs: ms,
      tokensPerSec: ms > 0 ? 1000 / ms : 0,
    });
  }
  return points;
}

/** One generation as a timeline: the prefill block, then each decode step. */
export function tokenTimeline(promptTokens: number, ttftMs: number, stepMs: readonly number[]): TokenStep[] {
  const steps: TokenStep[] = [{ index: 0, phase: 'prefill', startMs: 0, ms: ttftMs, depth: 0, tokens: promptTokens }];
  let t = ttftMs;
  stepMs.forEach((ms, i) => {
    steps.push({ index: i + 1, phase: 'decode', startMs: t, ms, depth: promptTokens + i, tokens: 1 });
    t += ms;
  });
  return steps;
}

/**
 * KV memory: computed from the layout at each sampled context, against what the worker's
 * ArrayBuffer memory grew by (onnxruntime-node hands outputs back as ArrayBuffers, and the next
 * step reads them from there, so that is where the cache lives between steps). The growth per
 * token is the median of the growth over each sampling interval: one late-freed buffer (V8 frees
 * external memory lazily) shows in the raw curve but does not bend the rate.
 */
export function kvMemory(
  decoder: DecoderInfo,
  memory: GenerateJobResult['depthRun']['memory'],
): GenerateReport['kvMemory'] {
  const points = memory.map((m) => ({
    context: m.context,
    computedBytes: kvCacheBytes(decoder, m.context),
    measuredBytes: m.arrayBuffersBytes,
    rssBytes: m.rssBytes,
  }));
  const rates: number[] = [];
  for (let i = 1; i < memory.length; i++) {
    const tokens = memory[i]!.context - memory[i - 1]!.context;
    if (tokens > 0) rates.push((memory[i]!.arrayBuffersBytes - memory[i - 1]!.arrayBuffersBytes) / tokens);
  }
  const last = memory.at(-1);
  const context = last?.context ?? 0;
  const computedBytes = kvCacheBytes(decoder, context);
  const measuredBytes = rates.length ? percentile(rates, 50) * context : 0;
  return {
    points,
    measure:
      "Growth of the worker's ArrayBuffer memory (process.memoryUsage().arrayBuffers, where onnxruntime-node returns the present tensors that the next step reads as past) after a full garbage collection, sampled as the context grows; the rate is the median growth per token over the sampling intervals. RSS growth is shown beside it: it also holds onnxruntime's arena, sized for each step's largest tensors.",
    computedBytes,
    measuredBytes,
    ratio: computedBytes > 0 ? measuredBytes / computedBytes : 0,
  };
}

/** llama-bench rows: pp (n_prompt, n_gen 0) per prompt length and tg (n_gen, n_depth = the prompt) per prompt length. */
export function llamaBenchRows(
  sweep: GenerateJobResult['sweep'],
  modelFile: string,
  threads: number,
  createdAt: string,
): LlamaBenchRow[] {
  const row = (nPrompt: number, nGen: number, nDepth: number, samplesMs: readonly number[], tokens: number) => {
    const ns = samplesMs.map((ms) => Math.round(ms * 1e6));
    const ts = samplesMs.map((ms) => (ms > 0 ? (tokens * 1000) / ms : 0));
    return {
      model_filename: modelFile,
      model_type: 'onnx',
      n_threads: threads,
      n_prompt: nPrompt,
      n_gen: nGen,
      n_depth: nDepth,
      test_time: createdAt,
      avg_ns: Math.round(mean(ns)),
      stddev_ns: Math.round(stddev(ns)),
      avg_ts: mean(ts),
      stddev_ts: stddev(ts),
      samples_ns: ns,
      samples_ts: ts,
    };
  };
  const rows: LlamaBenchRow[] = [];
  for (const p of sweep) rows.push(row(p.promptTokens, 0, 0, p.ttftMs, p.promptTokens));
  for (const p of sweep) {
    const genMs = p.stepMs.map((steps) => steps.reduce((a, b) => a + b, 0));
    const n = p.stepMs[0]?.length ?? 0;
    rows.push(row(0, n, p.promptTokens, genMs, n));
  }
  return rows;
}

/** The speculative pair's numbers: c, alpha, S(gamma) predicted with their intervals, the loops measured. */
export function speculativeResult(
  spec: NonNullable<GenerateJobResult['speculative']>,
  draftPath: string,
  draftLayers: number,
  gammas: readonly number[],
  level = 0.95,
): SpeculativeResult {
  const prediction = costedPrediction(spec, gammas);
  const intervals = predictionIntervals(spec, gammas, level);
  const { alpha, c } = prediction;
  const positions = Math.max(0, ...spec.agreement.map((a) => a.length - 1));
  const agreementByPosition = Array.from({ length: positions }, (_, i) => {
    const at = spec.agreement.filter((a) => a.length > i + 1).map((a) => a[i + 1]!);
    return at.length ? at.filter(Boolean).length / at.length : 0;
  });
  const predicted = gammas.map((gamma) => ({ gamma, speedup: expectedSpeedup(alpha, gamma, c) }));
  const runs = spec.loops.map((loop) => {
    // The loops are the job's gammas, the ones predicted.
    const at = gammas.indexOf(loop.gamma);
    const measured = measuredLoopSpeedup(loop, level);
    return {
      gamma: loop.gamma,
      predictedSpeedup: expectedSpeedup(alpha, loop.gamma, c),
      costedSpeedup: prediction.speedup[at] ?? NaN,
      verifyCost: prediction.verifyCost[at] ?? NaN,
      measuredSpeedup: measured.ratio,
      measuredInterval: { low: measured.low, high: measured.high },
      pairs: loop.pairs.length,
      predictedAcceptedLength: expectedAcceptedLength(alpha, loop.gamma),
      meanAcceptedLength: loop.rounds ? (loop.acceptedTokens + loop.rounds) / loop.rounds : 0,
      acceptanceByPosition: loop.positionTrials.map((t, i) => (t ? loop.positionAccepts[i]! / t : 0)),
      rounds: loop.rounds,
      roundMs: {
        draft: loop.timedRounds ? loop.draftMs / loop.timedRounds : 0,
        verify: loop.timedRounds ? loop.verifyMs / loop.timedRounds : 0,
        other: loop.timedRounds ? (loop.speculativeMs - loop.draftMs - loop.verifyMs) / loop.timedRounds : 0,
      },
    };
  });
  return {
    draftPath,
    draftLayers,
    draftStepMs: prediction.draftStepMs,
    draftFirstStepMs: prediction.draftFirstStepMs,
    draftCatchUpStepMs: prediction.draftCatchUpStepMs,
    targetStepMs: prediction.targetStepMs,
    costRatio: c,
    alpha,
    agreementByPosition,
    predicted,
    bestGamma: bestGamma(alpha, c, gammas),
    costedPredicted: gammas.map((gamma, i) => ({ gamma, speedup: prediction.speedup[i]! })),
    costedBestGamma: prediction.bestGamma,
    level,
    alphaInterval: intervals.alpha,
    costedBestGammaRange: intervals.bestGamma,
    costedAtBestInterval: intervals.speedupAtBest,
    runs,
    prompts: spec.agreement.length,
    tokensPerPrompt: spec.agreement[0]?.length ?? 0,
  };
}

function stddev(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
}

/**
 * Says plainly when the pair does not pay on this machine: every measured loop slower than the
 * target alone. The prediction alone would mislead here (the paper's S counts a verification pass
 * as one target step), so the sentence names the measured best and what it costs.
 */
export function speculativeVerdict(s: SpeculativeResult): string | null {
  if (s.runs.length === 0) return null;
  const best = s.runs.reduce((a, b) => (b.measuredSpeedup > a.measuredSpeedup ? b : a));
  const level = `${Math.round(s.level * 100)}%`;
  const cost =
    `A draft step costs c = ${s.costRatio.toFixed(2)} of a target step and a verification pass over ` +
    `${best.gamma + 1} tokens ${best.verifyCost.toFixed(2)} target steps; a cheaper draft (fewer layers) or one that agrees with the target more often ` +
    `(α = ${s.alpha.toFixed(2)}) is needed.`;
  if (best.measuredSpeedup < 1 && !(best.measuredInterval.high >= 1))
    return (
      `This draft does not pay on this machine: the fastest speculative loop (γ=${best.gamma}) ran at ` +
      `${best.measuredSpeedup.toFixed(2)}× the target alone. ${cost}`
    );
  // A gain is claimed only where the pairs' interval is above 1.
  if (s.runs.some((r) => r.measuredInterval.low > 1)) return null;
  const interval = formatRange(best.measuredInterval, { none: `${best.pairs} pairs, too few for an interval` });
  const stated = Number.isFinite(best.measuredInterval.low) ? `${level} interval ${interval}` : interval;
  return (
    `No speculative loop was measurably faster than the target alone: the fastest (γ=${best.gamma}) ran at ` +
    `${best.measuredSpeedup.toFixed(2)}× (${stated}). More prompts or repetitions narrow the interval. ${cost}`
  );
}
