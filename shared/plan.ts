/**
 * What the user asks a profile to do: the settings of one run, shared by the CLI, the app and the
 * reports (a report carries the plan it was made with).
 */

/** Execution providers Strata knows how to ask onnxruntime-node for. */
export const EP_NAMES = ['cpu', 'webgpu', 'cuda', 'tensorrt', 'dml', 'coreml', 'qnn', 'openvino'] as const;

/** One of EP_NAMES. */
export type EpName = (typeof EP_NAMES)[number];

/** ORT graph optimization levels, named as onnxruntime-node names them. */
export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

/** How the values of one input are made. */
export type InputSource =
  | { readonly kind: 'random'; readonly seed: number }
  | { readonly kind: 'zeros' }
  | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'file'; readonly path: string }; // .npy or .json

/** Every setting of one profile. Defaults are in `defaultPlan()`. */
export interface ProfilePlan {
  /** EPs in priority order; ORT places each node on the first that supports it. */
  readonly eps: readonly EpName[];
  /** CoreML compute units flag word (see PLATFORM.md); ignored by other EPs. */
  readonly coreMlFlags?: number;
  readonly intraOpThreads: number; // 0 = ORT's default (one per core)
  readonly interOpThreads: number; // 0 = ORT's default
  readonly graphOptimizationLevel: GraphOptimizationLevel;
  readonly executionMode: 'sequential' | 'parallel';
  readonly warmupRuns: number; // after the cold run, not timed
  readonly timedRuns: number; // the latency distribution
  readonly profiledRuns: number; // runs of the profiling pass, after one unprofiled warm-up
  /** Fixed sizes for symbolic dims, by input: `{ x: [1, 3, 224, 224] }`. */
  readonly shapes: Readonly<Record<string, readonly number[]>>;
  /** Fixed sizes for named symbolic dims wherever they appear: `{ batch: 1 }`. */
  readonly dims: Readonly<Record<string, number>>;
  /** Input values by input name; inputs not listed use `defaultInput`. */
  readonly inputs: Readonly<Record<string, InputSource>>;
  readonly seed: number;
  /** Wall-clock limit for one inference run, in milliseconds; the worker is killed past it. */
  readonly runTimeoutMs: number;
  /**
   * Keep timing until the p50's 95% interval (a comparison: every speedup's interval) is narrower
   * than ± this fraction (0.02 = 2%), up to 20x the runs asked for or a minute. Absent: `timedRuns`.
   */
  readonly precision?: number;
}

/** The plan a profile uses when the user says nothing. */
export function defaultPlan(): ProfilePlan {
  return {
    eps: ['cpu'],
    intraOpThreads: 0,
    interOpThreads: 0,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    warmupRuns: 5,
    timedRuns: 50,
    profiledRuns: 10,
    shapes: {},
    dims: {},
    inputs: {},
    seed: 42,
    runTimeoutMs: 60_000,
  };
}
