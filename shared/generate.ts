/**
 * Generative models: what a generation run measures (prefill, decode over a KV cache, speculative
 * pairs) and the arithmetic both sides share. Pure: no Node, no UI.
 *
 * Names follow the field: TTFT (time to first token: the prefill of the prompt and the choice of
 * the first new token), prompt tokens/s, decode tokens/s at a KV depth, per-token latency (p50,
 * p90); llama-bench's JSON rows (n_prompt, n_gen, n_depth, avg_ts, stddev_ts, samples_ts) are
 * carried as well so dashboards that read llama-bench read these.
 */

/** A decoder's cache layout, as read from its inputs and outputs (and config.json / genai_config.json). */
export interface DecoderInfo {
  readonly layers: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly vocab: number;
  /** Longest context the model allows (max_position_embeddings / context_length); null: not stated. */
  readonly maxContext: number | null;
  readonly kvElementType: 'float32' | 'float16';
  readonly kvBytesPerElement: number;
  readonly positionIds: boolean; // has a position_ids input
  readonly attentionMask: boolean; // has an attention_mask input
  readonly pastKey: string; // input name pattern, '%d' for the layer: past_key_values.%d.key
  readonly pastValue: string;
  readonly presentKey: string; // output name pattern: present.%d.key
  readonly presentValue: string;
  /** Where the dims came from. */
  readonly source: 'graph' | 'config.json' | 'genai_config.json';
}

/** What to measure. */
export interface GenerateSettings {
  readonly promptLengths: readonly number[]; // TTFT sweep, tokens
  readonly newTokens: number; // decode steps after each prompt
  /** The decode-depth run goes from the shortest prompt to this many tokens in the cache. */
  readonly context: number;
  readonly reps: number; // repetitions of each prompt length
  readonly gammas: readonly number[]; // speculative draft lengths to predict and run
  readonly speculativePrompts: number; // seeded random prompts for acceptance (when no token files are given)
  readonly seed: number;
  /**
   * What step times are measured with: 'wall' (the default: what a user waits), or 'cpu', the
   * worker's own CPU time, which other processes on a shared machine do not inflate (with one
   * intra-op thread it equals the wall time of a quiet machine; with more it counts every thread).
   */
  readonly clock: 'wall' | 'cpu';
}

/** The settings when the user says nothing. */
export function defaultGenerateSettings(): GenerateSettings {
  return {
    promptLengths: [16, 64, 256],
    newTokens: 64,
    context: 320,
    reps: 3,
    gammas: [1, 2, 3, 4, 5, 6, 7, 8],
    speculativePrompts: 4,
    seed: 42,
    clock: 'wall',
  };
}

/** One prompt length of the TTFT sweep. */
export interface PromptPoint {
  readonly promptTokens: number;
  readonly ttftMs: number; // median over repetitions
  readonly ttftSamplesMs: readonly number[];
  readonly promptTokensPerSec: number; // promptTokens / ttft
  /** Median step rate: 1000 / the median decode step over every repetition (not tokens over total time). */
  readonly decodeTokensPerSec: number;
  readonly decodeP50Ms: number; // per-token latency after the first token, median over every repetition's steps
  readonly decodeP90Ms: number;
  /**
   * The median decode step (ms) of each repetition: one value per generation. Steps of one
   * generation are correlated (a burst of load covers many in a row); these are the independent
   * samples a comparison of two decoders rests on. Absent in reports saved before they were kept.
   */
  readonly decodeStepSamplesMs?: readonly number[];
}

/** Decode speed at one KV depth (tokens already in the cache). */
export interface DepthPoint {
  readonly depth: number;
  readonly stepMs: number; // median step around this depth
  readonly tokensPerSec: number; // median step rate: 1000 / stepMs
}

/** One forward pass of a generation, for the per-token timeline. */
export interface TokenStep {
  readonly index: number; // 0 = the prefill
  readonly phase: 'prefill' | 'decode';
  readonly startMs: number; // from the prefill's start
  readonly ms: number;
  readonly depth: number; // tokens in the cache before the step
  readonly tokens: number; // tokens the step processed
}

/** The KV cache's size at one context length: computed from the layout, and measured in the worker. */
export interface KvMemoryPoint {
  readonly context: number;
  readonly computedBytes: number;
  /** ArrayBuffer memory the worker holds after a forced GC, above its level before the prefill. */
  readonly measuredBytes: number;
  readonly rssBytes: number; // resident set growth over the same baseline
}

/** Which phase a per-layer view shows: per prefill pass, per decode step, or one whole generation. */
export type GeneratePhase = 'prefill' | 'decode' | 'both';

/** Per-layer time of the profiled pass, split by phase. */
export interface LayerPhaseTime {
  readonly module: string; // model/layers.0/attn, lm_head...
  readonly prefillUs: number; // per prefill pass
  readonly decodeUs: number; // per decode step
}

/** Time of `m` in `phase`: per prefill pass, per decode step, or over one generation (prefill + steps). */
export function phaseUs(m: LayerPhaseTime, phase: GeneratePhase, decodeSteps: number): number {
  if (phase === 'prefill') return m.prefillUs;
  if (phase === 'decode') return m.decodeUs;
  return m.prefillUs + m.decodeUs * decodeSteps;
}

/** What one unit of `phase` time is. */
export function phaseUnit(phase: GeneratePhase, decodeSteps: number): string {
  if (phase === 'prefill') return 'per prefill pass';
  if (phase === 'decode') return 'per decode step';
  return `per generation (prefill + ${decodeSteps} decode steps)`;
}

/**
 * What the per-layer times rest on and what they are good for, in a sentence (the view and the
 * HTML report both say it).
 */
export function profiledPassNote(p: GenerateReport['profiledPass']): string {
  const basis =
    p.prefills !== undefined && p.decodeRuns !== undefined
      ? `Each module's median over ${p.prefills} profiled prefill pass${p.prefills === 1 ? '' : 'es'} and ${p.decodeRuns} profiled decode steps`
      : `From one profiled generation (a prefill and ${p.decodeSteps} decode steps)`;
  return `${basis}. These times include onnxruntime's profiler overhead: read them as proportions, not latency; the timed numbers (TTFT, per-token p50) are the latency.`;
}

/** One row in llama-bench's JSON output format (the fields dashboards read). */
export interface LlamaBenchRow {
  readonly model_filename: string;
  readonly model_type: string;
  readonly n_threads: number;
  readonly n_prompt: number;
  readonly n_gen: number;
  readonly n_depth: number;
  readonly test_time: string; // ISO time
  readonly avg_ns: number;
  readonly stddev_ns: number;
  /**
   * llama-bench's throughput: tokens over each run's total time (prefill rows: TTFT; generation
   * rows: the sum of every decode step, slow ones included), averaged over runs. Not the report's
   * median step rate (1000 / per-token p50), which one slow step does not move.
   */
  readonly avg_ts: number;
  readonly stddev_ts: number;
  readonly samples_ns: readonly number[];
  readonly samples_ts: readonly number[];
}

/** The speculative loop at one draft length. */
export interface SpeculativeRun {
  readonly gamma: number;
  readonly predictedSpeedup: number;
  /**
   * The same formula with a round costed as measured (mean times): the first draft step of a round
   * (right after a target pass, c1; two tokens after a round that kept all its drafts, a share
   * alpha^gamma), gamma - 1 more (c each), and the verification pass v (target pass over gamma + 1
   * tokens / target step) in place of the paper's gamma c + 1: E[tokens] / (c1 + (gamma - 1) c + v).
   */
  readonly costedSpeedup: number;
  readonly verifyCost: number; // v
  /**
   * Target-only time per token / speculative time per token: the centre of the pairs (each run of
   * the target alone and the loop right after it, per prompt and repetition) with their interval at
   * SpeculativeResult.level; NaN bounds when the pairs are too few for one.
   */
  readonly measuredSpeedup: number;
  readonly measuredInterval: { readonly low: number; readonly high: number };
  readonly pairs: number;
  readonly predictedAcceptedLength: number; // tokens per target pass, i.i.d. formula
  readonly meanAcceptedLength: number; // tokens per target pass, measured (accepted drafts + the target's own)
  /** P(draft token i accepted | tokens before it accepted), i = 1..gamma, measured over the loop's rounds. */
  readonly acceptanceByPosition: readonly number[];
  readonly rounds: number;
  /** Where a round's time went, measured in the loops (ms, mean over every repetition's rounds): drafting, verifying, the rest (cache cuts, bookkeeping). */
  readonly roundMs: { readonly draft: number; readonly verify: number; readonly other: number };
}

/** A draft/target pair. */
export interface SpeculativeResult {
  readonly draftPath: string;
  readonly draftLayers: number;
  readonly draftStepMs: number; // mean decode step in a run of draft steps
  readonly draftFirstStepMs: number; // mean first draft step of a round, right after a target pass
  /** Mean first draft step of a round after one that kept all its drafts (two tokens); absent in older reports. */
  readonly draftCatchUpStepMs?: number;
  readonly targetStepMs: number;
  readonly costRatio: number; // c = draft step / target step
  /**
   * alpha: how often the draft's greedy token equals the target's, on the target's own greedy
   * continuation (teacher-forced: both models see the same prefix). That is the prefix a greedy
   * speculative loop walks, so prediction and measurement describe the same tokens.
   */
  readonly alpha: number;
  /** Agreement at each generated position (1-based after the prompt), averaged over prompts. */
  readonly agreementByPosition: readonly number[];
  readonly predicted: readonly { readonly gamma: number; readonly speedup: number }[];
  readonly bestGamma: number;
  /** S with the measured verification cost v(gamma) (see SpeculativeRun.costedSpeedup), and its best gamma. */
  readonly costedPredicted: readonly { readonly gamma: number; readonly speedup: number }[];
  readonly costedBestGamma: number;
  /**
   * How far the prediction can be trusted, at `level`, from resampling what it was made of (prompts
   * whole, step and pass times one by one): alpha, the gammas that come out best, and the costed S at
   * costedBestGamma.
   */
  readonly level: number;
  readonly alphaInterval: { readonly low: number; readonly high: number };
  readonly costedBestGammaRange: { readonly low: number; readonly high: number };
  readonly costedAtBestInterval: { readonly low: number; readonly high: number };
  readonly runs: readonly SpeculativeRun[];
  readonly prompts: number;
  readonly tokensPerPrompt: number;
}

/** Everything one `strata generate` measured. */
export interface GenerateReport {
  readonly schema: 'strata.generate';
  readonly version: 1;
  readonly createdAt: string;
  readonly model: { readonly path: string; readonly name: string };
  readonly decoder: DecoderInfo;
  readonly settings: GenerateSettings;
  readonly threads: number; // 0 = onnxruntime's default
  readonly ortVersion: string;
  readonly createMs: number; // session load
  readonly prompts: readonly PromptPoint[];
  readonly depth: readonly DepthPoint[];
  readonly timeline: readonly TokenStep[]; // one generation: the longest prompt and its decode steps
  readonly kvMemory: {
    readonly points: readonly KvMemoryPoint[];
    /** What "measured" is, in a sentence. */
    readonly measure: string;
    readonly computedBytes: number; // at the last point
    /** Growth per token, measured (median of the per-interval growth) times the context. */
    readonly measuredBytes: number;
    readonly ratio: number; // measured / computed
  };
  readonly peakRssBytes: number;
  readonly layers: readonly LayerPhaseTime[];
  /**
   * The profiled generations' own run times (µs, profiler on): the median prefill and the median
   * decode step; decodeSteps per generation. `layers` are per-module medians over `prefills` prefill
   * passes and `decodeRuns` decode steps (absent in reports from before the medians: one generation).
   */
  readonly profiledPass: {
    readonly prefillUs: number;
    readonly decodeStepUs: number;
    readonly decodeSteps: number;
    readonly prefills?: number;
    readonly decodeRuns?: number;
  };
  readonly llamaBench: readonly LlamaBenchRow[];
  readonly speculative: SpeculativeResult | null;
  /**
   * With --vs: this decoder and the one at `vsPath` generating in alternating rounds (each
   * repetition and prompt length, both back to back, the order flipping), the samples a comparison
   * of the two rests on. Absent when the profile had no --vs.
   */
  readonly alternatingRounds?: {
    readonly vsPath: string;
    readonly a: readonly PromptPoint[];
    readonly b: readonly PromptPoint[];
  };
  readonly notes: readonly string[];
}

/** Bytes of a KV cache: 2 (key and value) x layers x kv_heads x head_dim x context x bytes per element. */
export function kvCacheBytes(
  d: Pick<DecoderInfo, 'layers' | 'kvHeads' | 'headDim' | 'kvBytesPerElement'>,
  context: number,
): number {
  return 2 * d.layers * d.kvHeads * d.headDim * context * d.kvBytesPerElement;
}

/**
 * Expected tokens per target pass when each draft token is accepted independently with probability
 * alpha and at most gamma are drafted: (1 - alpha^(gamma+1)) / (1 - alpha) (Leviathan et al., 2023).
 */
export function expectedAcceptedLength(alpha: number, gamma: number): number {
  if (alpha >= 1) return gamma + 1;
  return (1 - alpha ** (gamma + 1)) / (1 - alpha);
}

/**
 * Expected walltime speedup of speculative decoding over the target alone:
 * S = (1 - alpha^(gamma+1)) / ((1 - alpha)(gamma c + 1)), c = draft step / target step.
 */
export function expectedSpeedup(alpha: number, gamma: number, c: number): number {
  return expectedAcceptedLength(alpha, gamma) / (gamma * c + 1);
}

/** The gamma of `gammas` with the highest expected speedup (the smaller on a tie). */
export function bestGamma(alpha: number, c: number, gammas: readonly number[]): number {
  let best = gammas[0] ?? 1;
  for (const g of gammas) if (expectedSpeedup(alpha, g, c) > expectedSpeedup(alpha, best, c) + 1e-12) best = g;
  return best;
}

/** "1-8" or "1,2,4" as a sorted list of distinct gammas from 1 to 32; null when it does not parse. */
export function parseGammaRange(text: string): number[] | null {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) return null;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo < 1 || hi > 32 || hi < lo) return null;
    for (let g = lo; g <= hi; g++) out.add(g);
  }
  return out.size ? [...out].sort((a, b) => a - b) : null;
}

/** The ranges of a generation's settings, checked the same way for the CLI, the API and the app. */
export const GENERATE_LIMITS = {
  promptLength: 131_072,
  promptLengths: 16,
  newTokens: 65_536,
  context: 131_072,
  reps: 100,
  gammas: 32,
  speculativePrompts: 64,
} as const;

/** Checks settings from outside (the API, a saved file); throws a sentence naming the first bad field. */
export function checkGenerateSettings(raw: unknown): GenerateSettings {
  const s = (raw ?? {}) as Partial<Record<keyof GenerateSettings, unknown>>;
  const whole = (v: unknown, min: number, max: number, what: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      throw new Error(`${what} must be a whole number from ${min} to ${max}; got ${JSON.stringify(v) ?? 'nothing'}.`);
    return v;
  };
  const list = (v: unknown, maxItems: number, min: number, max: number, what: string): number[] => {
    if (!Array.isArray(v) || v.length === 0 || v.length > maxItems)
      throw new Error(`${what} must be a list of 1 to ${maxItems} numbers.`);
    return [...new Set(v.map((x) => whole(x, min, max, what)))].sort((a, b) => a - b);
  };
  const promptLengths = list(
    s.promptLengths,
    GENERATE_LIMITS.promptLengths,
    1,
    GENERATE_LIMITS.promptLength,
    'Prompt lengths',
  );
  const newTokens = whole(s.newTokens, 2, GENERATE_LIMITS.newTokens, 'New tokens');
  const context = whole(s.context, Math.min(...promptLengths) + 1, GENERATE_LIMITS.context, 'The context');
  if (s.clock !== 'wall' && s.clock !== 'cpu') throw new Error('The clock must be "wall" or "cpu".');
  return {
    promptLengths,
    newTokens,
    context,
    reps: whole(s.reps, 1, GENERATE_LIMITS.reps, 'Repetitions'),
    gammas: list(s.gammas, GENERATE_LIMITS.gammas, 1, 32, 'Draft lengths (gamma)'),
    speculativePrompts: whole(s.speculativePrompts, 1, GENERATE_LIMITS.speculativePrompts, 'Speculative prompts'),
    seed: whole(s.seed, 0, 2 ** 31 - 1, 'The seed'),
    clock: s.clock,
  };
}
