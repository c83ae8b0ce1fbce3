/**
 * Parsing of `strata generate` arguments. Pure, so every mistake a user can make is unit-tested
 * without running a model.
 */
import { resolve } from 'node:path';
import { defaultGenerateSettings, parseGammaRange, type GenerateSettings } from '../../shared/generate.js';
import type { ProfilePlan } from '../../shared/plan.js';
import { parseStrict, planFromValues, usage } from './args.js';

const GENERATE_OPTIONS = {
  'prompt-lengths': { type: 'string' },
  'new-tokens': { type: 'string' },
  context: { type: 'string' },
  reps: { type: 'string' },
  draft: { type: 'string' },
  vs: { type: 'string' },
  gamma: { type: 'string' },
  prompt: { type: 'string', multiple: true },
  prompts: { type: 'string' },
  clock: { type: 'string' },
  json: { type: 'string' },
  html: { type: 'string' },
  ep: { type: 'string', multiple: true },
  threads: { type: 'string' },
  'opt-level': { type: 'string' },
  seed: { type: 'string' },
  timeout: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The largest context `strata generate` will walk to (a run's memory and time grow with it). */
export const MAX_GENERATE_CONTEXT = 131_072;

/** What `strata generate` was asked to do. */
export interface GenerateArgs {
  readonly modelPath: string;
  readonly draftPath?: string;
  /** A second decoder to profile with the same settings and compare against MODEL (the baseline). */
  readonly vsPath?: string;
  readonly promptFiles: readonly string[];
  readonly settings: GenerateSettings;
  readonly plan: ProfilePlan;
  readonly outputs: { readonly json?: string; readonly html?: string };
  readonly quiet: boolean;
  readonly help: boolean;
}

/** Parses `strata generate` arguments (without the command word). Throws StrataError('BAD_ARGUMENT'). */
export function parseGenerateArgs(argv: readonly string[]): GenerateArgs {
  const { values, positionals } = parseStrict(argv, GENERATE_OPTIONS);
  const base = defaultGenerateSettings();
  if (values.help) {
    return {
      modelPath: '',
      promptFiles: [],
      settings: base,
      plan: planFromValues({}),
      outputs: {},
      quiet: false,
      help: true,
    };
  }
  if (positionals.length !== 1) {
    throw usage(
      positionals.length === 0
        ? 'No model given. Usage: strata generate MODEL.onnx [--prompt-lengths 16,64,256] [--new-tokens 64] [--draft D.onnx]; see strata generate --help.'
        : `Expected one model, got ${positionals.length}: ${positionals.map((p) => `"${p}"`).join(', ')}. A draft goes after --draft, a second decoder to compare after --vs.`,
    );
  }
  const promptLengths =
    values['prompt-lengths'] === undefined ? base.promptLengths : parseLengths(values['prompt-lengths']);
  const newTokens =
    values['new-tokens'] === undefined ? base.newTokens : count('--new-tokens', values['new-tokens'], 2);
  const longest = Math.max(...promptLengths) + newTokens;
  const context = values.context === undefined ? longest : count('--context', values.context, 2);
  if (context <= Math.min(...promptLengths))
    throw usage(`--context ${context} must be longer than the shortest prompt (${Math.min(...promptLengths)} tokens).`);
  if (context > MAX_GENERATE_CONTEXT)
    throw usage(`--context ${context} is over the limit of ${MAX_GENERATE_CONTEXT} tokens.`);
  let gammas = base.gammas;
  if (values.gamma !== undefined) {
    const parsed = parseGammaRange(values.gamma);
    if (!parsed)
      throw usage(`--gamma "${values.gamma}" must be a draft length or range from 1 to 32, like 4, 1-8 or 2,4,8.`);
    gammas = parsed;
  }
  for (const flag of ['gamma', 'prompt', 'prompts'] as const) {
    if (values[flag] !== undefined && values.draft === undefined)
      throw usage(`--${flag} is for the speculative measurements and needs a draft model: add --draft DRAFT.onnx.`);
  }
  if (values.vs !== undefined && values.draft !== undefined)
    throw usage(
      '--vs and --draft are two different runs: compare two decoders with --vs, or measure a speculative pair with --draft, one at a time.',
    );
  const plan = planFromValues({
    ep: values.ep,
    threads: values.threads,
    'opt-level': values['opt-level'],
    seed: values.seed,
    timeout: values.timeout,
  });
  return {
    modelPath: resolve(positionals[0]!),
    ...(values.draft === undefined ? {} : { draftPath: resolve(values.draft) }),
    ...(values.vs === undefined ? {} : { vsPath: resolve(values.vs) }),
    promptFiles: (values.prompt ?? []).map((p) => resolve(p)),
    settings: {
      promptLengths,
      newTokens,
      context,
      reps: values.reps === undefined ? base.reps : count('--reps', values.reps, 1),
      gammas,
      speculativePrompts:
        values.prompts === undefined ? base.speculativePrompts : count('--prompts', values.prompts, 1),
      seed: plan.seed,
      clock: parseClock(values.clock),
    },
    plan,
    outputs: { json: values.json && resolve(values.json), html: values.html && resolve(values.html) },
    quiet: values.quiet ?? false,
    help: false,
  };
}

function parseClock(raw: string | undefined): GenerateSettings['clock'] {
  if (raw === undefined || raw === 'wall') return 'wall';
  if (raw === 'cpu') return 'cpu';
  throw usage(`--clock "${raw}" must be wall (what a user waits) or cpu (the worker's own CPU time).`);
}

function parseLengths(raw: string): number[] {
  const parts = raw.split(',').map((p) => p.trim());
  const lengths = parts.map((p) => Number(p));
  if (parts.some((p) => p === '') || lengths.some((n) => !Number.isInteger(n) || n < 1))
    throw usage(`--prompt-lengths "${raw}" must be token counts separated by commas, like 16,64,256.`);
  return [...new Set(lengths)].sort((a, b) => a - b);
}

function count(flag: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw usage(`${flag} "${raw}" must be a whole number of at least ${min}.`);
  return n;
}
