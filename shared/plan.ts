/**
 * What the user asks a profile to do: the settings of one run, shared by the CLI, the app and the
 * reports (a report carries the plan it was made with), and the one check every plan passes.
 */
import { StrataError } from './errors.js';

/** Execution providers Strata knows how to ask onnxruntime-node for. */
export const EP_NAMES = ['cpu', 'webgpu', 'cuda', 'tensorrt', 'dml', 'coreml', 'qnn', 'openvino'] as const;

/** One of EP_NAMES. */
export type EpName = (typeof EP_NAMES)[number];

/** ORT graph optimization levels, named as onnxruntime-node names them, weakest first. */
export const OPT_LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;

/** One of OPT_LEVELS. */
export type GraphOptimizationLevel = (typeof OPT_LEVELS)[number];

/** How onnxruntime runs independent nodes. */
export const EXECUTION_MODES = ['sequential', 'parallel'] as const;

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
  readonly executionMode: (typeof EXECUTION_MODES)[number];
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

/**
 * The ranges of the plan's whole-number fields, with the name each has where a user meets it: the
 * one rule the CLI's flags, the API's requests and the app's fields are all checked against.
 */
export const PLAN_LIMITS = {
  intraOpThreads: { label: 'Threads', min: 0, max: 1024 },
  interOpThreads: { label: 'Inter-op threads', min: 0, max: 1024 },
  warmupRuns: { label: 'Warm-up runs', min: 0, max: 10_000 },
  timedRuns: { label: 'Timed runs', min: 1, max: 10_000_000 }, // a soak test on a CI box may ask for millions
  profiledRuns: { label: 'Profiled runs', min: 1, max: 10_000 },
  seed: { label: 'Seed', min: 0, max: 2 ** 31 },
  runTimeoutMs: { label: 'The run timeout (ms)', min: 100, max: 24 * 3_600_000 },
} as const satisfies Partial<Record<keyof ProfilePlan, { label: string; min: number; max: number }>>;

/** The p50 precision a plan may ask for, as a fraction (0.1% to 50%). */
export const PRECISION_LIMITS = { min: 0.001, max: 0.5 } as const;

/** The largest dim and shape entry a plan may ask for. */
export const MAX_DIM = 1 << 30;

/** Why a whole-number field is out of range, or null when it is fine. */
export function limitProblem(field: keyof typeof PLAN_LIMITS, value: unknown): string | null {
  const { label, min, max } = PLAN_LIMITS[field];
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return null;
  return `${label} must be a whole number from ${min} to ${max}; got ${JSON.stringify(value)}.`;
}

/**
 * A plan from anywhere (a request over IPC or a WebSocket, the CLI's flags), with defaults for
 * missing fields; throws a StrataError naming the first field that is not valid.
 */
export function checkPlan(raw: unknown): ProfilePlan {
  if (!raw || typeof raw !== 'object') throw new StrataError('BAD_ARGUMENT', 'The profile settings are missing.');
  const plan = { ...defaultPlan(), ...(raw as Partial<ProfilePlan>) };
  if (
    !Array.isArray(plan.eps) ||
    plan.eps.length === 0 ||
    !plan.eps.every((ep) => (EP_NAMES as readonly string[]).includes(ep))
  ) {
    throw new StrataError('BAD_ARGUMENT', `Execution providers must be a non-empty list of ${EP_NAMES.join(', ')}.`);
  }
  for (const field of Object.keys(PLAN_LIMITS) as (keyof typeof PLAN_LIMITS)[]) {
    const problem = limitProblem(field, plan[field]);
    if (problem) throw new StrataError('BAD_ARGUMENT', problem);
  }
  const { min, max } = PRECISION_LIMITS;
  if (
    plan.precision !== undefined &&
    !(typeof plan.precision === 'number' && plan.precision >= min && plan.precision <= max)
  ) {
    throw new StrataError(
      'BAD_ARGUMENT',
      `The precision must be a fraction from ${min} to ${max} (${min * 100}% to ${max * 100}%); got ${JSON.stringify(plan.precision)}.`,
    );
  }
  if (!(OPT_LEVELS as readonly string[]).includes(plan.graphOptimizationLevel)) {
    throw new StrataError('BAD_ARGUMENT', `The optimization level must be ${OPT_LEVELS.join(', ')}.`);
  }
  if (!(EXECUTION_MODES as readonly string[]).includes(plan.executionMode))
    throw new StrataError('BAD_ARGUMENT', `The execution mode must be ${EXECUTION_MODES.join(' or ')}.`);
  for (const [name, shape] of Object.entries(plan.shapes ?? {})) {
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 1 && d <= MAX_DIM)) {
      throw new StrataError('BAD_SHAPE', `The shape of "${name}" must be a list of positive whole numbers.`);
    }
  }
  for (const [name, dim] of Object.entries(plan.dims ?? {})) {
    if (!(Number.isInteger(dim) && dim >= 1 && dim <= MAX_DIM))
      throw new StrataError(
        'BAD_ARGUMENT',
        `Dim "${name}" must be a whole number from 1 to ${MAX_DIM}; got ${JSON.stringify(dim)}.`,
      );
  }
  for (const [name, source] of Object.entries(plan.inputs ?? {})) checkSource(name, source);
  return plan;
}

function checkSource(name: string, source: InputSource): void {
  const kind = (source as { kind?: unknown })?.kind;
  if (kind === 'zeros') return;
  if (kind === 'random' && Number.isInteger((source as { seed?: unknown }).seed)) return;
  if (kind === 'scalar' && Number.isFinite((source as { value?: unknown }).value)) return;
  if (kind === 'file' && typeof (source as { path?: unknown }).path === 'string') return;
  throw new StrataError('BAD_INPUT', `The value of input "${name}" must be random, zeros, a number or a file.`);
}
