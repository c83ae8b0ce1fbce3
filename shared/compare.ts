/**
 * A comparison of models run with the same plan and the same input data: the baseline first, then
 * its variants (quantized, fp16, pruned, or a distilled model the user brings). Produced by
 * `strata compare` and the app's Compare view; read by the HTML report.
 */
import type { ProfilePlan } from './plan.js';
import type { Diagnostic, LatencyStats, ResolvedInput } from './report.js';

export type { Diagnostic } from './report.js';

/** Version of the comparison shape. */
export const COMPARISON_SCHEMA_VERSION = 1;

/**
 * The stages of a comparison job: make the variant files (when the job was given specs), profile
 * every model (per-layer times, memory), time them all in interleaved rounds, then read and compare
 * their output tensors.
 */
export type CompareStage = 'generating' | 'profile' | 'timing' | 'outputs';

/** Faster, slower, or no difference this run can tell from noise. */
export type SpeedVerdict = 'faster' | 'slower' | 'same';

/** Speed against the baseline: baseline time / this model's time (> 1 = faster), with its interval. */
export interface Speedup {
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
}

/** Latency of a compared model, from the interleaved timing pass; `p50CiMs` is the p50's 95% interval. */
export type ComparedLatency = LatencyStats;

/** How a comparison timed its models, and how noisy the machine was meanwhile. */
export interface ComparisonTiming {
  readonly method: 'interleaved';
  readonly rounds: number; // rounds of the pass (each round runs every model once, in a shuffled order)
  readonly blocks: number; // fresh workers the rounds were split over, each loading the models in a new order
  readonly groups: readonly (readonly number[])[]; // model indices loaded together in one worker; baseline in each
  readonly level: number; // confidence of each speedup interval (Bonferroni over the variants: 0.95 for one)
  readonly noiseThreshold: number; // changes within ± this fraction are never called faster or slower
  /** CPU of other processes during the pass, in cores (0.5 = half a core busy on average); null off Linux. */
  readonly otherCpuCores: number | null;
  /** Why the verdicts may be less sure than usual, in a sentence; null on a quiet machine. */
  readonly warning: string | null;
}

/** How far one output of a variant drifts from the baseline's. */
export interface OutputFidelity {
  readonly name: string; // the variant's output name
  readonly baselineName: string;
  readonly cosine: number; // 1 = same direction; 1 when both are all zeros
  readonly maxAbsErr: number;
  readonly meanAbsErr: number;
  readonly snrDb: number; // 10·log10(Σ ref² / Σ (ref - out)²); Infinity when identical (null in JSON files)
  readonly top1Agreement?: number; // 0..1 over rows, where the output looks like class scores
  readonly top5Agreement?: number;
}

/** Error at an intermediate tensor both models compute (same name), in execution order. */
export interface TensorDrift {
  readonly tensor: string;
  readonly producer: string; // the baseline node that writes it
  readonly cosine: number;
  readonly maxAbsErr: number;
  readonly snrDb: number;
}

/** One model of a comparison. */
export interface ComparedModel {
  readonly path: string;
  readonly fileName: string;
  readonly label: string; // "baseline", "int8 dynamic per-channel", the file name...
  /** The device it ran on, in a devices comparison ("pi", "local"); absent in a variant comparison. */
  readonly device?: string;
  readonly bytes: number;
  readonly parameterCount: number;
  readonly latency: ComparedLatency;
  /** Against the baseline (1, 1, 1 for the baseline itself), from paired interleaved rounds. */
  readonly speedup?: Speedup;
  readonly verdict?: SpeedVerdict;
  /** Smallest change (0.04 = 4%) this run could have told from noise for this model. */
  readonly detectableChange?: number;
  readonly memory: { readonly peakRssBytes: number; readonly arenaPeakBytes: number | null };
  /** How its inputs were matched to the baseline's, and any mismatch explained. */
  readonly inputMatch: readonly {
    readonly input: string;
    readonly baselineInput: string;
    readonly how: 'name' | 'position';
  }[];
  readonly fidelity?: { readonly outputs: readonly OutputFidelity[]; readonly drift: readonly TensorDrift[] };
  /** What changed in its compute against the baseline (variants only; absent in older comparisons). */
  readonly compute?: ComputeChange;
  /** Why it is slower, or not faster, than it could be (absent in older comparisons). */
  readonly diagnostics?: readonly Diagnostic[];
}

/**
 * A layer matched across models. `timesUs[i]` is model i's median (p50) time per profiled run, null
 * where unmatched: the median, so one preempted run on a busy machine does not pass for a regression.
 */
export interface MatchedLayer {
  readonly name: string; // the baseline's layer name (or the variant's, for unmatched extras)
  readonly opTypes: readonly (string | null)[];
  readonly timesUs: readonly (number | null)[];
  readonly deltasUs: readonly (number | null)[]; // variant minus baseline
  /**
   * origin: the node name inside a fused name; lineage: the variant's layers that a transform wrote
   * for this node (its ConvInteger, DynamicQuantizeLinear and rescale Mul), summed.
   */
  readonly how: 'name' | 'origin' | 'lineage' | 'op-position' | 'unmatched';
  /** Per model, the layers summed into `timesUs[i]` when there are several (lineage groups); absent in older comparisons. */
  readonly groups?: readonly (readonly string[] | null)[];
}

/** How many of the baseline's layers found a counterpart in one model. */
export interface MatchRate {
  readonly model: number;
  readonly matched: number;
  readonly total: number; // the baseline's layers, less `inserted`
  readonly byLineage: number; // of `matched`, through recorded lineage
  /** Unmatched baseline layers onnxruntime inserted (no node of the model file), left out of `total`. */
  readonly inserted?: number;
}

/**
 * What changed in a variant's compute, as onnxruntime ran it: per op type of the baseline's
 * Conv/MatMul/Gemm layers, how many run an integer kernel, how many still run in float behind
 * Q/DQ ops onnxruntime did not fuse, how many are plain float, and how many found no counterpart.
 */
export interface ComputeChange {
  readonly summary: string; // "20 of 20 Conv run int8; 1 of 1 Gemm stays float"
  readonly ops: readonly {
    readonly opType: string;
    readonly total: number;
    readonly int8: number;
    readonly unfusedQdq: number;
    readonly float: number;
    readonly unmatched: number;
  }[];
  /** Layers (baseline names) onnxruntime fused into integer kernels, and those left Q->DQ->float op. */
  readonly fused: readonly string[];
  readonly unfused: readonly string[];
}

/** The product of `strata compare`. */
export interface Comparison {
  readonly schemaVersion: number;
  readonly createdAt: string;
  readonly plan: ProfilePlan;
  readonly inputs: readonly ResolvedInput[];
  readonly models: readonly ComparedModel[];
  readonly layers: readonly MatchedLayer[];
  readonly unmatched: readonly { readonly model: number; readonly layers: readonly string[] }[];
  /** Per variant, how many baseline layers it matched (absent in older comparisons). */
  readonly matchRates?: readonly MatchRate[];
  readonly notes: readonly string[];
  /**
   * 'devices': the same model(s) on several devices, each timed there on its own (no interleaving
   * across devices, and speed intervals from unpaired samples); absent or 'variants' otherwise.
   */
  readonly kind?: 'variants' | 'devices';
  /** The interleaved timing pass; absent in comparisons made before it existed, and across devices. */
  readonly timing?: ComparisonTiming;
}
