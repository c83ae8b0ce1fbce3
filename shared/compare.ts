/**
 * A comparison of models run with the same plan and the same input data: the baseline first, then
 * its variants (quantized, fp16, pruned, or a distilled model the user brings). Produced by
 * `strata compare` and the app's Compare view; read by the HTML report.
 */
import type { ProfilePlan } from './plan.js';
import type { LatencyStats, ResolvedInput } from './report.js';

/** Version of the comparison shape. */
export const COMPARISON_SCHEMA_VERSION = 1;

/** The two stages of a comparison: profile every model, then read every model's output tensors. */
export type CompareStage = 'profile' | 'outputs';

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
  readonly bytes: number;
  readonly parameterCount: number;
  readonly latency: LatencyStats;
  readonly memory: { readonly peakRssBytes: number; readonly arenaPeakBytes: number | null };
  /** How its inputs were matched to the baseline's, and any mismatch explained. */
  readonly inputMatch: readonly { readonly input: string; readonly baselineInput: string; readonly how: 'name' | 'position' }[];
  readonly fidelity?: { readonly outputs: readonly OutputFidelity[]; readonly drift: readonly TensorDrift[] };
  readonly reportIndex: number; // which full Report of `reports` belongs to it, if kept
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
  readonly how: 'name' | 'origin' | 'op-position' | 'unmatched'; // origin: the node name inside a fused name
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
  readonly notes: readonly string[];
}
