/**
 * The latency half of a comparison: every model timed in interleaved rounds (each round runs every
 * model once, in a new shuffled order, on the same input bytes), so drift and background load hit
 * them all alike, then each model's p50 with its interval and its speed against the baseline from
 * the paired rounds, with a verdict (see profile/confidence.ts for the statistics).
 */
import { freemem } from 'node:os';
import type { ComparedLatency, ComparisonTiming, Speedup, SpeedVerdict } from '../../../shared/compare.js';
import type { ProfilePlan } from '../../../shared/plan.js';
import type { ProfileProgress } from '../../../shared/progress.js';
import { createRng } from '../random.js';
import {
  blockedSpeedup,
  DEFAULT_NOISE_THRESHOLD,
  detectableChange,
  familyLevel,
  verdictOf,
} from '../profile/confidence.js';
import { otherCpuCores, summarizeLatency } from '../profile/stats.js';
import type { InterleavedModel, InterleaveJobResult, TimingCpu } from '../runner/protocol.js';
import { runInterleaveJob } from '../runner/worker-client.js';

/** Every model runs at least this long in the interleaved pass, over all blocks (fast models get more rounds). */
const MIN_INTERLEAVED_MS = 1500;
const MAX_INTERLEAVED_ROUNDS = 1500;
/**
 * Blocks (fresh workers) per group at the default plan: Student's t over their estimates has
 * BLOCKS - 1 degrees of freedom, and with Bonferroni over several variants few blocks make very
 * wide intervals (4 blocks and 7 variants: t ≈ 7.5).
 */
const BLOCKS = 8;
/** A plan with this many timed runs (the default) gets the full pass; fewer runs, a shorter one. */
const FULL_PASS_RUNS = 50;
/** With a precision goal, blocks are added two at a time up to this many, or this long. */
const MAX_BLOCKS = 40;
const PRECISION_TIME_LIMIT_MS = 60_000;
/** Confidence of the whole family of speedup intervals. */
const FAMILY_LEVEL = 0.95;

/** Options of `timeInterleaved`. */
export interface InterleavedTimingOptions {
  /** Each model's peak memory when profiled alone: decides which models share a worker. */
  readonly peakRssBytes?: readonly number[];
  readonly noiseThreshold?: number;
  readonly signal?: AbortSignal;
  /** `model` is the variant being timed with the baseline when models go in pairs, else 0. */
  readonly onProgress?: (model: number, progress: ProfileProgress) => void;
}

/** One compared model's timing. */
export interface ModelTiming {
  readonly latency: ComparedLatency;
  readonly speedup: Speedup;
  readonly verdict: SpeedVerdict;
  readonly detectableChange?: number;
}

/** One block: a worker's rounds, with the order it loaded the group's models in. */
interface Block {
  readonly order: readonly number[]; // model indices, as the worker loaded them
  readonly result: InterleaveJobResult;
}

/**
 * Times `models` (the baseline first) and judges each against the baseline. Each group of models
 * is timed in blocks: a fresh worker each, loading the models in a new order (forward, reversed,
 * then shuffled), so neither a session's place in its worker nor where its threads happened to run
 * counts for or against a model (see `blockedSpeedup`).
 */
export async function timeInterleaved(
  models: readonly InterleavedModel[],
  plan: ProfilePlan,
  options: InterleavedTimingOptions = {},
): Promise<{ perModel: ModelTiming[]; summary: ComparisonTiming }> {
  const threshold = options.noiseThreshold ?? DEFAULT_NOISE_THRESHOLD;
  const groups = timingGroups(options.peakRssBytes ?? models.map(() => 0));
  const rng = createRng(plan.seed ^ 0x9e3779b9);
  const started = performance.now();
  const byGroup: Block[][] = groups.map(() => []);
  // A quick plan (a test, a smoke run: 5 timed runs) asks for a quick answer: fewer blocks, less time.
  const scale = Math.min(1, plan.timedRuns / FULL_PASS_RUNS);
  const blocks = Math.max(2, Math.min(BLOCKS, Math.ceil(plan.timedRuns / 6)));
  let blocksWanted = blocks;
  let lastBlockMs: number | null = null;
  for (;;) {
    for (const [g, group] of groups.entries()) {
      while (byGroup[g]!.length < blocksWanted) {
        const k = byGroup[g]!.length;
        const order = k === 0 ? [...group] : k === 1 ? [...group].reverse() : shuffle(group, rng);
        const blockStarted = performance.now();
        const blocksLeft = groups.length * blocksWanted - (g * blocksWanted + k) - 1;
        const result = await runInterleaveJob(
          {
            models: order.map((i) => models[i]!),
            plan: { ...plan, timedRuns: Math.max(2, Math.ceil(plan.timedRuns / blocks)) },
            minTimedMs: (MIN_INTERLEAVED_MS * scale) / blocks,
            maxRounds: Math.ceil(MAX_INTERLEAVED_ROUNDS / blocks),
            seed: Math.floor(rng() * 2 ** 31),
          },
          {
            signal: options.signal,
            onProgress: (p) =>
              options.onProgress?.(groups.length === 1 ? 0 : group[1]!, {
                ...p,
                fraction: Math.min(0.99, (g * blocksWanted + k + p.fraction) / (groups.length * blocksWanted)),
                message: `${p.message}, worker ${k + 1} of ${blocksWanted}${groups.length > 1 ? ` (pair ${g + 1} of ${groups.length})` : ''}`,
                // This block's time left, plus the blocks to come at the length of the last one.
                etaMs:
                  p.etaMs === null
                    ? null
                    : p.etaMs + blocksLeft * (lastBlockMs ?? p.etaMs / Math.max(0.05, 1 - p.fraction)),
              }),
          },
        );
        lastBlockMs = performance.now() - blockStarted;
        byGroup[g]!.push({ order, result });
      }
    }
    const stats = timingStatistics(groups, byGroup, models.length, threshold);
    const precise =
      plan.precision === undefined ||
      stats.perModel.every((m, i) => i === 0 || halfWidth(m.speedup) <= Math.log(1 + plan.precision!));
    if (precise || blocksWanted >= MAX_BLOCKS || performance.now() - started > PRECISION_TIME_LIMIT_MS) return stats;
    blocksWanted += 2;
  }
}

function halfWidth(s: Speedup): number {
  return Number.isFinite(s.low) && s.low > 0 ? (Math.log(s.high) - Math.log(s.low)) / 2 : Infinity;
}

function shuffle(values: readonly number[], rng: () => number): number[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// Model indices timed together: all of them when their peak memory fits in half of what is free,
// else the baseline with each variant in turn (every pair fits: each model was just profiled).
function timingGroups(peakRssBytes: readonly number[]): number[][] {
  const all = peakRssBytes.map((_, i) => i);
  const total = peakRssBytes.reduce((a, b) => a + b, 0);
  if (total <= freemem() * 0.5 || all.length <= 2) return [all];
  return all.slice(1).map((i) => [0, i]);
}

// Per model: latency (every block's rounds pooled) with the p50's interval, and speed against the
// baseline from its group's blocks; and the pass's noise.
function timingStatistics(
  groups: readonly number[][],
  byGroup: readonly Block[][],
  count: number,
  noiseThreshold: number,
): { perModel: ModelTiming[]; summary: ComparisonTiming } {
  const level = familyLevel(FAMILY_LEVEL, count - 1);
  const perModel: ModelTiming[] = [];
  const samplesOf = (block: Block, model: number) => block.result.samplesMs[block.order.indexOf(model)]!;
  const cpus = byGroup
    .flat()
    .map((b) => b.result.cpu)
    .filter((c): c is TimingCpu => c !== null);
  const cpu: TimingCpu | null = cpus.length
    ? {
        ...cpus[0]!,
        wallMs: sum(cpus.map((c) => c.wallMs)),
        ownCpuMs: sum(cpus.map((c) => c.ownCpuMs)),
        machineBusyMs: sum(cpus.map((c) => c.machineBusyMs)),
      }
    : null;
  for (let i = 0; i < count; i++) {
    const blocks = byGroup[groups.findIndex((g) => g.includes(i))]!;
    const first = blocks[0]!;
    const latency: ComparedLatency = summarizeLatency(
      first.result.coldMs[first.order.indexOf(i)]!,
      blocks.flatMap((b) => samplesOf(b, i)),
      cpu,
    );
    if (i === 0) {
      perModel.push({ latency, speedup: { ratio: 1, low: 1, high: 1 }, verdict: 'same' });
      continue;
    }
    const speedup = blockedSpeedup(
      blocks.map((b) => ({ baselineMs: samplesOf(b, 0), variantMs: samplesOf(b, i) })),
      level,
    );
    perModel.push({
      latency,
      speedup,
      verdict: verdictOf(speedup, noiseThreshold),
      detectableChange: detectableChange(speedup, noiseThreshold),
    });
  }
  const others = otherCpuCores(cpu);
  const worstDetectable = Math.max(0, ...perModel.map((m) => m.detectableChange ?? 0).filter(Number.isFinite));
  const warnings: string[] = [];
  if (others !== null && others >= 0.2) {
    warnings.push(
      `Other processes kept ${others.toFixed(1)} of ${cpu!.cores} cores busy during the timing pass: latencies are inflated and intervals wider, though every model met the same load, so the verdicts stand.`,
    );
  }
  if (worstDetectable > 0.1) {
    warnings.push(
      `The run could only tell apart changes larger than ${(worstDetectable * 100).toFixed(0)}%: use --precision 2% or more --runs, on a quieter machine, to see smaller ones.`,
    );
  }
  return {
    perModel,
    summary: {
      method: 'interleaved',
      rounds: Math.min(...byGroup.map((blocks) => sum(blocks.map((b) => b.result.samplesMs[0]!.length)))),
      blocks: Math.min(...byGroup.map((blocks) => blocks.length)),
      groups,
      level,
      noiseThreshold,
      otherCpuCores: others,
      warning: warnings.length ? warnings.join(' ') : null,
    },
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
