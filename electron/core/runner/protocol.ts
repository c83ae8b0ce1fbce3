/**
 * Messages between the engine and the inference worker. One worker runs one job and exits, so a
 * crash, a leak or a wedged GPU driver never outlives the job that caused it. There is no cancel
 * message: cancel, timeout and crash all end with the parent killing the worker (SIGKILL), the
 * only stop that works while a native run is busy.
 */
import type { ErrorInfo } from '../../../shared/errors.js';
import type { DecoderInfo } from '../../../shared/generate.js';
import type { EpName, ProfilePlan } from '../../../shared/plan.js';
import type { ProfilePhase } from '../../../shared/progress.js';
import type { MemoryCurvePoint } from '../../../shared/report.js';
import type { InputData } from './inputs.js';

/** A profile: timing pass, then profiled pass. */
export interface ProfileJobMessage {
  readonly type: 'profile';
  readonly modelPath: string;
  readonly shapes: Record<string, number[]>; // inputs with open dims to pin in the model bytes; {} = load the file as it is
  readonly inputs: readonly InputData[];
  readonly plan: ProfilePlan;
  readonly traceDir: string; // where the profiler writes its trace file
  readonly nodeCount?: number; // the model's nodes, subgraphs included: bounds extra profiled runs (see profiledRunCount)
}

/** Runs a model once per input set and returns the named outputs (calibration, fidelity). */
export interface TensorsJobMessage {
  readonly type: 'tensors';
  readonly modelPath: string;
  readonly modelBytes?: Uint8Array; // a rewritten model (extra outputs); external data still next to modelPath
  readonly shapes: Record<string, number[]>;
  readonly inputSets: readonly (readonly InputData[])[];
  readonly outputs: readonly string[]; // [] = the model's own outputs
  readonly plan: ProfilePlan;
}

/** A tensor one model produced, saved as .npy for a later fidelity job to compare against. */
export interface SavedTensor {
  readonly name: string;
  readonly type: string;
  readonly dims: number[];
  readonly file: string;
  readonly bytes: number;
  /** Row length when it looks like class scores (top-k agreement then means something). */
  readonly rowLength?: number;
}

/** A tensor of the job's model to compare with a saved one. */
export interface FidelityPair {
  readonly name: string; // in this job's model
  readonly reference: SavedTensor;
  /** Intermediate tensors: compare only when both hold the same number of values of a float type. */
  readonly strict: boolean;
}

/**
 * Output comparison without moving tensors to the parent (a segmentation net's 300 intermediates
 * are gigabytes): the baseline's job saves each tensor to `saveDir`, a variant's job compares its
 * own tensors with them one at a time and returns only the metrics.
 */
export interface FidelityJobMessage {
  readonly type: 'fidelity';
  readonly modelPath: string;
  readonly modelBytes?: Uint8Array; // the model with the extra tensors made outputs
  /** Tensors the worker makes graph outputs of the file at modelPath (read there, not in the parent). */
  readonly extraOutputs?: readonly string[];
  readonly shapes: Record<string, number[]>;
  readonly inputs: readonly InputData[];
  readonly plan: ProfilePlan;
  readonly save?: { readonly names: readonly string[]; readonly dir: string };
  readonly compare?: readonly FidelityPair[];
}

/** What a fidelity job returns: `saved` in the order of `save.names`, `metrics` of `compare`'s (null: not comparable). */
export interface FidelityJobResult {
  readonly saved: (SavedTensor | null)[];
  readonly metrics: (TensorMetrics | null)[];
}

/** One comparison of a tensor with its reference (see fidelity.ts). */
export interface TensorMetrics {
  readonly cosine: number;
  readonly maxAbsErr: number;
  readonly meanAbsErr: number;
  readonly snrDb: number;
  readonly top1Agreement?: number;
  readonly top5Agreement?: number;
}

/** One model of an interleaved timing job. */
export interface InterleavedModel {
  readonly modelPath: string;
  readonly shapes: Record<string, number[]>;
  readonly inputs: readonly InputData[];
}

/**
 * Times several models in one worker, in rounds: each round runs every model once, in a new
 * shuffled order, on the same input bytes, so drift and background load hit them all alike.
 */
export interface InterleaveJobMessage {
  readonly type: 'interleave';
  readonly models: readonly InterleavedModel[];
  readonly plan: ProfilePlan; // warmupRuns, timedRuns (the fewest rounds), threads...
  readonly minTimedMs: number; // run at least this much of every model (fast models get more rounds)
  readonly maxRounds: number;
  readonly seed: number; // of the rounds' shuffled orders
}

/** What an interleaved timing job measured: `samplesMs[m][r]` is model m's run in round r. */
export interface InterleaveJobResult {
  readonly coldMs: number[];
  readonly samplesMs: number[][];
  readonly cpu: TimingCpu | null;
}

/** CPU time over a timing pass, read from /proc (Linux); null elsewhere. */
export interface TimingCpu {
  readonly wallMs: number;
  readonly ownCpuMs: number; // the worker's user + system time
  readonly machineBusyMs: number; // every core's busy time (steal included), from /proc/stat
  readonly cores: number;
}

/**
 * Tries a tiny session on each EP: the ones named, or (null) every EP this onnxruntime-node binary
 * lists. Only the worker loads onnxruntime's native binding, so it also says what the binary lists.
 */
export interface ProbeJobMessage {
  readonly type: 'probe';
  readonly eps: readonly string[] | null;
}

/** An EP as onnxruntime-node's listSupportedBackends() gives it: bundled, or loadable after a download. */
export interface ListedBackend {
  readonly name: string;
  readonly bundled: boolean;
}

/** Measures the memory hierarchy (latency and bandwidth against working-set size); no onnxruntime. */
export interface MemoryProbeJobMessage {
  readonly type: 'memory-probe';
  readonly maxBytes: number; // largest working set of the sweep
}

/**
 * A generation job on a decoder with a KV cache (see generate-job.ts): prompt-length sweep, depth
 * run with memory samples, profiled pass, and speculative loops when a draft is given.
 */
export interface GenerateJobMessage {
  readonly type: 'generate';
  readonly modelPath: string;
  readonly decoder: DecoderInfo;
  readonly draftPath: string | null;
  readonly draft: DecoderInfo | null;
  readonly plan: ProfilePlan; // EPs, threads, optimization level, runTimeoutMs
  readonly promptLengths: readonly number[];
  readonly newTokens: number;
  readonly context: number; // the depth run ends with this many tokens in the cache
  readonly reps: number;
  readonly gammas: readonly number[];
  readonly prompts: readonly (readonly number[])[]; // token ids of the speculative prompts
  readonly seed: number; // of the random prompts of the sweep and the depth run
  readonly traceDir: string;
  readonly profilePrompt: number; // prompt tokens of the profiled generation
  readonly profileSteps: number; // its decode steps
  readonly profileGenerations: number; // profiled generations after the warm-up one (medians are taken over them)
  /** A second decoder (--vs): at the end, both generate in alternating rounds for the comparison's speeds. */
  readonly vs?: { readonly modelPath: string; readonly decoder: DecoderInfo } | null;
  readonly clock: 'wall' | 'cpu'; // what every step time is measured with (see GenerateSettings.clock)
}

/** One gamma's speculative loops, summed over the prompts. */
export interface SpeculativeLoopResult {
  readonly gamma: number;
  targetOnlyMs: number; // decode steps of the target alone
  targetOnlyTokens: number;
  speculativeMs: number; // the loop after both prefills
  speculativeTokens: number; // tokens it produced after the prefill's first one
  rounds: number;
  acceptedTokens: number; // draft tokens kept
  readonly positionTrials: number[]; // rounds that reached draft position i
  readonly positionAccepts: number[]; // and kept its token
  verifyMs: number; // the target's passes over [last token, drafts], every repetition
  draftMs: number; // the draft's steps, every repetition
  timedRounds: number; // rounds of every repetition (rounds counts the first's, whose acceptances are kept)
  /** Each run of the target alone and the speculative loop right after it: one pair per prompt and repetition. */
  readonly pairs: { readonly targetOnlyMsPerToken: number; readonly speculativeMsPerToken: number }[];
  mismatches: number; // tokens that differ from the target's own greedy output (numerics of a wider pass)
}

/** Generations at each prompt length: TTFT and every decode step, per repetition. */
export type GenerateSweep = readonly {
  readonly promptTokens: number;
  readonly ttftMs: readonly number[]; // per repetition
  readonly stepMs: readonly (readonly number[])[]; // per repetition, each decode step
}[];

/** What a generation job measured (times in ms, sizes in bytes). */
export interface GenerateJobResult {
  readonly createMs: number;
  readonly ortVersion: string;
  readonly sweep: GenerateSweep;
  /** With `vs`: the job's decoder (a) and the other (b) generating in alternating rounds. */
  readonly rounds?: { readonly a: GenerateSweep; readonly b: GenerateSweep } | null;
  readonly depthRun: {
    readonly promptTokens: number;
    readonly prefillMs: number;
    readonly stepMs: readonly number[]; // step i ran with promptTokens + i tokens in the cache
    readonly memory: readonly {
      readonly context: number;
      readonly arrayBuffersBytes: number; // growth over the level before the prefill, after a full GC
      readonly rssBytes: number;
      readonly heldBytes: number; // bytes of the cache tensors themselves
    }[];
  };
  readonly tracePath: string; // the profiled session's trace: runs 0..S are a warm-up generation, then the measured one
  readonly speculative: {
    readonly targetStepMs: readonly number[];
    /** Draft steps in a run of them, and (apart) the first after a verification pass, whose caches the target evicted. */
    readonly draftStepMs: readonly number[];
    readonly draftFirstStepMs: readonly number[];
    /** The first draft step of a round after one that kept all its drafts: two tokens (the last draft, the bonus token). */
    readonly draftCatchUpStepMs: readonly number[];
    readonly agreement: readonly (readonly boolean[])[]; // per prompt, per generated token
    readonly loops: readonly SpeculativeLoopResult[];
    /** Target passes over gamma + 1 tokens at mid-generation depth, by gamma, timed alone. */
    readonly verifyPassMs: Readonly<Record<number, readonly number[]>>;
  } | null;
  readonly peakRssBytes: number;
  readonly peakRssSource: 'hwm-reset' | 'rusage' | 'sampled';
}

/** Parent → worker. */
export type JobMessage =
  | GenerateJobMessage
  | ProfileJobMessage
  | TensorsJobMessage
  | FidelityJobMessage
  | ProbeJobMessage
  | MemoryProbeJobMessage
  | InterleaveJobMessage;

/**
 * What the timing and profiled passes measured. Times are wall clock in milliseconds
 * (process.hrtime.bigint around each call); sizes in bytes.
 */
export interface ProfileJobResult {
  readonly createMs: number; // InferenceSession.create of the timing session (pinned bytes, if any, already made)
  readonly coldMs: number; // the timing session's first run, kept out of samplesMs
  readonly samplesMs: number[]; // every timed run after the warm-ups, in order
  readonly profiledRunsMs: number[]; // wall time of every run of the profiled session, warm-ups included
  readonly profiledWarmupRuns: number; // leading profiled runs to leave out of the statistics (indices 0..n-1)
  readonly profiledStartEpochMs: number; // when the profiled session started (its trace's time 0, roughly)
  readonly tracePath: string; // ORT's Chrome-trace JSON; the caller reads and deletes it
  readonly peakRssBytes: number; // the worker's own peak RSS over the whole job (see peakRssSource)
  /**
   * How the peak was read: 'hwm-reset' = the kernel's high-water mark (VmHWM) reset at worker start
   * (Linux, /proc/self/clear_refs); 'rusage' = getrusage's maxrss; 'sampled' = the largest RSS the
   * worker saw at its own checkpoints (a floor), where the others could include the parent's memory.
   */
  readonly peakRssSource: 'hwm-reset' | 'rusage' | 'sampled';
  readonly timingCpu: TimingCpu | null; // over the timing pass
  readonly rssAfterLoadBytes: number; // RSS once the timing session was created
  readonly ortVersion: string;
  readonly providersRequested: EpName[]; // plan.eps as given to onnxruntime, in priority order
  readonly outputNames: string[];
  readonly notes: string[]; // what the worker decided on the user's behalf
}

/** One output tensor of a tensors job. */
export interface OutputTensor {
  readonly name: string;
  readonly type: string;
  readonly dims: number[];
  readonly data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Uint16Array;
}

/** Worker → parent. */
export type WorkerMessage =
  | {
      readonly type: 'progress';
      readonly phase: ProfilePhase;
      readonly done: number;
      readonly total: number;
      readonly runMs: number | null; // mean of the runs this message reports
      readonly runs?: number; // runs completed since the previous message (default 1 when runMs is set)
    }
  | { readonly type: 'profile-result'; readonly result: ProfileJobResult }
  | { readonly type: 'tensors-result'; readonly outputs: OutputTensor[][]; readonly ortVersion: string }
  | { readonly type: 'fidelity-result'; readonly result: FidelityJobResult }
  | { readonly type: 'interleave-result'; readonly result: InterleaveJobResult }
  | { readonly type: 'generate-result'; readonly result: GenerateJobResult }
  | {
      readonly type: 'probe-result';
      readonly results: { ep: string; ok: boolean; error: string | null }[];
      readonly backends: ListedBackend[];
      readonly ortVersion: string;
    }
  | {
      readonly type: 'memory-probe-result';
      readonly latencyNs: MemoryCurvePoint[];
      readonly bandwidthGBs: MemoryCurvePoint[];
    }
  | { readonly type: 'error'; readonly error: ErrorInfo };
