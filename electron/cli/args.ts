/**
 * Parsing of the command line's profile flags into a ProfilePlan. Pure, so every flag and every
 * mistake a user can make is unit-tested without running anything.
 */
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
import { StrataError } from '../../shared/errors.js';
import {
  checkPlan,
  defaultPlan,
  EP_NAMES,
  OPT_LEVELS,
  PLAN_LIMITS,
  PRECISION_LIMITS,
  type EpName,
  type GraphOptimizationLevel,
  type InputSource,
  type ProfilePlan,
} from '../../shared/plan.js';

/** The flags shared by every command that runs a model (profile, compare). */
export const PLAN_OPTIONS = {
  ep: { type: 'string', multiple: true },
  runs: { type: 'string' },
  warmup: { type: 'string' },
  'profiled-runs': { type: 'string' },
  threads: { type: 'string' },
  'inter-threads': { type: 'string' },
  'opt-level': { type: 'string' },
  parallel: { type: 'boolean' },
  shape: { type: 'string', multiple: true },
  dim: { type: 'string', multiple: true },
  input: { type: 'string', multiple: true },
  seed: { type: 'string' },
  timeout: { type: 'string' },
  precision: { type: 'string' },
} as const;

/** Output flags of `strata profile`. */
const PROFILE_OPTIONS = {
  ...PLAN_OPTIONS,
  json: { type: 'string' },
  csv: { type: 'string' },
  trace: { type: 'string' },
  html: { type: 'string' },
  top: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  on: { type: 'string' },
  // Hidden: how a device's engine is driven over SSH (see electron/core/devices/remote-profile.ts).
  'progress-jsonl': { type: 'boolean' },
  'plan-b64': { type: 'string' },
} as const;

/** What `strata profile` was asked to do. */
export interface ProfileArgs {
  readonly modelPath: string;
  readonly plan: ProfilePlan;
  readonly outputs: { readonly json?: string; readonly csv?: string; readonly trace?: string; readonly html?: string };
  readonly top: number;
  readonly quiet: boolean;
  readonly help: boolean;
  /** `--on pi,local`: the devices to run on (absent: this machine only). */
  readonly on?: readonly string[];
  /** Hidden `--progress-jsonl`: progress and the report as JSON lines on stdout; stdin closing cancels. */
  readonly progressJsonl?: boolean;
}

/** Parses `strata profile` arguments (without the command word). Throws StrataError('BAD_ARGUMENT'). */
export function parseProfileArgs(argv: readonly string[]): ProfileArgs {
  const { values, positionals } = parseStrict(argv, PROFILE_OPTIONS);
  if (values.help) {
    return { modelPath: '', plan: defaultPlan(), outputs: {}, top: 10, quiet: false, help: true };
  }
  if (positionals.length !== 1) {
    throw usage(
      positionals.length === 0
        ? 'No model given. Usage: strata profile MODEL.onnx [options]; see strata profile --help.'
        : `Expected one model, got ${positionals.length}: ${positionals.map((p) => `"${p}"`).join(', ')}.`,
    );
  }
  return {
    modelPath: resolve(positionals[0]!),
    plan: values['plan-b64'] === undefined ? planFromValues(values) : planFromBase64(values['plan-b64']),
    outputs: {
      json: values.json && resolve(values.json),
      csv: values.csv && resolve(values.csv),
      trace: values.trace && resolve(values.trace),
      html: values.html && resolve(values.html),
    },
    top: values.top === undefined ? 10 : parseCount('--top', values.top, 1),
    quiet: values.quiet ?? false,
    help: false,
    ...(values.on === undefined ? {} : { on: parseDeviceList(values.on) }),
    ...(values['progress-jsonl'] ? { progressJsonl: true } : {}),
  };
}

/** `pi,gateway,local` -> the device names, each once. */
export function parseDeviceList(raw: string): string[] {
  const names = [...new Set(raw.split(',').map((s) => s.trim()))].filter(Boolean);
  if (names.length === 0) throw usage('--on needs device names, e.g. --on pi,local (strata devices list).');
  return names;
}

// A plan sent whole by a Strata driving this one over SSH: checked by the same rule as any other.
function planFromBase64(raw: string): ProfilePlan {
  try {
    return checkPlan(JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as ProfilePlan);
  } catch (err) {
    if (err instanceof StrataError) throw err;
    throw usage('--plan-b64 is not a base64 JSON plan.');
  }
}

type PlanValues = {
  [K in keyof typeof PLAN_OPTIONS]?: (typeof PLAN_OPTIONS)[K] extends { multiple: true }
    ? string[]
    : (typeof PLAN_OPTIONS)[K]['type'] extends 'boolean'
      ? boolean
      : string;
};

/** Builds a plan from parsed plan flags, starting from the defaults. */
export function planFromValues(values: PlanValues): ProfilePlan {
  const base = defaultPlan();
  const seed = values.seed === undefined ? base.seed : parseCount('--seed', values.seed, 0);
  // The flags' text read here; their ranges are the plan's one rule (checkPlan), as for the app.
  return checkPlan({
    ...base,
    eps: values.ep ? parseEps(values.ep) : base.eps,
    timedRuns: values.runs === undefined ? base.timedRuns : parseCount('--runs', values.runs, 1),
    warmupRuns: values.warmup === undefined ? base.warmupRuns : parseCount('--warmup', values.warmup, 0),
    profiledRuns:
      values['profiled-runs'] === undefined
        ? base.profiledRuns
        : parseCount('--profiled-runs', values['profiled-runs'], 1),
    intraOpThreads: values.threads === undefined ? base.intraOpThreads : parseCount('--threads', values.threads, 0),
    interOpThreads:
      values['inter-threads'] === undefined
        ? base.interOpThreads
        : parseCount('--inter-threads', values['inter-threads'], 0),
    graphOptimizationLevel:
      values['opt-level'] === undefined ? base.graphOptimizationLevel : parseOptLevel(values['opt-level']),
    executionMode: values.parallel ? 'parallel' : 'sequential',
    shapes: parseShapes(values.shape ?? []),
    dims: parseDims(values.dim ?? []),
    inputs: parseInputs(values.input ?? [], seed),
    seed,
    runTimeoutMs: values.timeout === undefined ? base.runTimeoutMs : timeoutMs(values.timeout),
    ...(values.precision === undefined ? {} : { precision: parsePercent('--precision', values.precision) }),
  });
}

/** --timeout in seconds as the plan's milliseconds, refused in the flag's own unit when out of range. */
function timeoutMs(raw: string): number {
  const ms = Math.round(parseSeconds('--timeout', raw) * 1000);
  const { min, max } = PLAN_LIMITS.runTimeoutMs;
  if (ms < min || ms > max) throw usage(`--timeout must be from ${min / 1000} to ${max / 1000} seconds; got "${raw}".`);
  return ms;
}

/** "2%" or "0.02" as a fraction, 0.1% to 50%. */
export function parsePercent(flag: string, raw: string): number {
  const text = raw.trim();
  const value = text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
  const { min, max } = PRECISION_LIMITS;
  if (!Number.isFinite(value) || value < min || value > max) {
    throw usage(`${flag} must be a percentage from ${min * 100}% to ${max * 100}% (e.g. 2%); got "${raw}".`);
  }
  return value;
}

/** parseArgs with Strata's wording for unknown flags and missing values. */
export function parseStrict<const O extends ParseArgsOptionsConfig>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true as const });
  } catch (err) {
    const message = err instanceof Error ? err.message.replace(/\s+/g, ' ').trim() : String(err);
    throw usage(`${message.replace(/\.$/, '')}. See --help for the options.`);
  }
}

function parseEps(raw: readonly string[]): EpName[] {
  const names = raw
    .flatMap((r) => r.split(','))
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const name of names) {
    if (!EP_NAMES.includes(name as EpName)) {
      throw usage(
        `Unknown execution provider "${name}". Known: ${EP_NAMES.join(', ')}; run \`strata eps\` to see which work here.`,
      );
    }
  }
  return [...new Set(names)] as EpName[];
}

function parseOptLevel(raw: string): GraphOptimizationLevel {
  if (!OPT_LEVELS.includes(raw as GraphOptimizationLevel)) {
    throw usage(`Unknown optimization level "${raw}". Use one of: ${OPT_LEVELS.join(', ')}.`);
  }
  return raw as GraphOptimizationLevel;
}

/** `x=1x3x224x224` (also `1,3,224,224`) -> { x: [1, 3, 224, 224] }; `sr=` (rank 0) -> { sr: [] }. */
export function parseShapes(raw: readonly string[]): Record<string, number[]> {
  const shapes: Record<string, number[]> = {};
  for (const item of raw) {
    const [name, dimsText] = splitAssignment('--shape', item, 'NAME=1x3x224x224');
    const parts = dimsText === '' ? [] : dimsText.split(/[x×,]/);
    shapes[name] = parts.map((part) => {
      const n = Number(part);
      if (!Number.isInteger(n) || n < 1) {
        throw new StrataError(
          'BAD_SHAPE',
          `--shape "${item}" has the dimension "${part}", which is not a positive integer. Write it like ${name}=1x3x224x224.`,
        );
      }
      return n;
    });
  }
  return shapes;
}

/** `batch=1` -> { batch: 1 }. */
export function parseDims(raw: readonly string[]): Record<string, number> {
  const dims: Record<string, number> = {};
  for (const item of raw) {
    const [name, value] = splitAssignment('--dim', item, 'NAME=1');
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) {
      throw new StrataError(
        'BAD_SHAPE',
        `--dim "${item}" sets "${name}" to "${value}", which is not a positive integer.`,
      );
    }
    dims[name] = n;
  }
  return dims;
}

/**
 * `sr=16000`, `x=img.npy`, `x=data.json`, `x=zeros`, `x=random` -> input sources by name. `random`
 * takes `seed` (the plan's --seed), so `--input x=random --seed 7` is seeded with 7.
 */
export function parseInputs(raw: readonly string[], seed: number = defaultPlan().seed): Record<string, InputSource> {
  const inputs: Record<string, InputSource> = {};
  for (const item of raw) {
    const [name, value] = splitAssignment(
      '--input',
      item,
      'NAME=VALUE (a number, zeros, random, FILE.npy or FILE.json)',
    );
    if (value === 'zeros') inputs[name] = { kind: 'zeros' };
    else if (value === 'random') inputs[name] = { kind: 'random', seed };
    else if (/\.(npy|json)$/i.test(value)) inputs[name] = { kind: 'file', path: resolve(value) };
    else if (value.trim() !== '' && Number.isFinite(Number(value)))
      inputs[name] = { kind: 'scalar', value: Number(value) };
    else {
      throw new StrataError(
        'BAD_INPUT',
        `--input "${item}": "${value}" is not a number, "zeros", "random", nor a .npy or .json file.`,
      );
    }
  }
  return inputs;
}

function splitAssignment(flag: string, item: string, example: string): [string, string] {
  const eq = item.indexOf('=');
  if (eq <= 0) throw usage(`${flag} "${item}" is not of the form ${example}.`);
  return [item.slice(0, eq), item.slice(eq + 1)];
}

function parseCount(flag: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw usage(`${flag} "${raw}" must be a whole number of at least ${min}.`);
  return n;
}

function parseSeconds(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw usage(`${flag} "${raw}" must be a number of seconds greater than 0.`);
  return n;
}

export function usage(message: string): StrataError {
  return new StrataError('BAD_ARGUMENT', message);
}
