/**
 * A generation profile, the parent's side: recognise the decoder (and the draft), check the pair
 * and the context against what the models allow, run the generation job in a fresh worker, and
 * turn what it measured into a GenerateReport.
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { StrataError } from '../../../shared/errors.js';
import type { DecoderInfo, GenerateReport, GenerateSettings } from '../../../shared/generate.js';
import type { ProfilePlan } from '../../../shared/plan.js';
import type { ProfileProgress } from '../../../shared/progress.js';
import { createRng } from '../random.js';
import { defaultModelCache, type ModelCache } from '../model/open-model.js';
import { assertExternalDataPresent } from '../model/summary.js';
import { readOrtTrace } from '../profile/trace.js';
import { runJob } from '../runner/worker-client.js';
import { ownedTempDir } from '../temp-owner.js';
import { readDecoderInfo } from './decoder-io.js';
import {
  depthPoints,
  kvMemory,
  llamaBenchRows,
  promptPoints,
  speculativeResult,
  speculativeVerdict,
  tokenTimeline,
} from './generate-metrics.js';
import { phaseLayerTimes } from './phase-layers.js';

/** How a caller follows and stops a generation profile, and what it adds to the settings. */
export interface GenerateOptions {
  readonly draftPath?: string;
  /** A second decoder: after the profile, both generate in alternating rounds for a comparison. */
  readonly vsPath?: string;
  /** How an error names it, as a phrase: '--vs "int8.onnx"' in the CLI. Default 'the decoder compared "int8.onnx"'. */
  readonly vsLabel?: string;
  /** Token-id files (JSON arrays or whitespace-separated ids): the prompts of the speculative measurements. */
  readonly promptFiles?: readonly string[];
  readonly onProgress?: (progress: ProfileProgress) => void;
  readonly signal?: AbortSignal;
  readonly models?: ModelCache;
}

/** Decode steps of each profiled generation. */
const PROFILE_STEPS = 16;
/** Profiled generations after the warm-up: per-layer times are medians over their prefills and steps. */
const PROFILE_GENERATIONS = 3;

/** Reads a decoder's layout from the file at `path` (throws a one-line StrataError when it is not one). */
export async function openDecoder(path: string, models: ModelCache = defaultModelCache): Promise<DecoderInfo> {
  const opened = await models.open(resolve(path));
  assertExternalDataPresent(opened.structure);
  return readDecoderInfo(opened.structure);
}

/** Checks a draft against its target: same vocabulary, same cache element type. */
export function checkPair(target: DecoderInfo, draft: DecoderInfo, draftPath: string): void {
  if (draft.vocab !== target.vocab) {
    throw new StrataError(
      'BAD_ARGUMENT',
      `The draft "${basename(draftPath)}" has a vocabulary of ${draft.vocab} tokens and the target ${target.vocab}: speculative decoding needs both to use the same tokenizer.`,
    );
  }
}

/**
 * Checks the decoder compared with `a` (--vs): both are fed the same prompts (token ids), so both
 * must read them with one tokenizer; a smaller vocabulary fails inside its embedding otherwise.
 */
export function checkVsVocabulary(a: DecoderInfo, b: DecoderInfo, bLabel: string): void {
  if (a.vocab !== b.vocab)
    throw new StrataError(
      'BAD_ARGUMENT',
      `${bLabel} has a vocabulary of ${b.vocab} tokens and the decoder it is compared with ${a.vocab}: the two are fed the same prompts (token ids), so they must use the same tokenizer.`,
    );
}

/**
 * The context a run needs; throws when it is longer than a model allows. `label` names the model as
 * a phrase: '"model.onnx"', or 'the draft "model.onnx"' (Optimum exports are all model.onnx).
 */
export function checkContext(decoder: DecoderInfo, settings: GenerateSettings, label: string): number {
  const needed = Math.max(settings.context, Math.max(...settings.promptLengths) + settings.newTokens);
  if (decoder.maxContext !== null && needed > decoder.maxContext) {
    throw new StrataError(
      'BAD_ARGUMENT',
      `${label.charAt(0).toUpperCase()}${label.slice(1)} allows a context of ${decoder.maxContext} tokens, but this run needs ${needed} (the longest prompt plus --new-tokens, or --context): shorten them.`,
    );
  }
  return needed;
}

/** Profiles the decoder at `modelPath`: prefill, decode, KV memory, per-layer phases, and a draft if given. */
export async function generateProfile(
  modelPath: string,
  settings: GenerateSettings,
  plan: ProfilePlan,
  options: GenerateOptions = {},
): Promise<GenerateReport> {
  const models = options.models ?? defaultModelCache;
  const path = resolve(modelPath);
  const name = basename(path);
  const decoder = await openDecoder(path, models);
  checkContext(decoder, settings, `"${name}"`);
  const draftPath = options.draftPath ? resolve(options.draftPath) : null;
  const draft = draftPath ? await openDecoder(draftPath, models) : null;
  if (draft && draftPath) {
    checkPair(decoder, draft, draftPath);
    checkContext(draft, settings, `the draft "${basename(draftPath)}"`);
  }
  const vsPath = options.vsPath ? resolve(options.vsPath) : null;
  const vs = vsPath ? await openDecoder(vsPath, models) : null;
  // Checked before anything runs: a B that is not a decoder, or does not fit the run, must not cost A's profile.
  if (vs && vsPath) {
    const label = options.vsLabel ?? `the decoder compared "${basename(vsPath)}"`;
    checkVsVocabulary(decoder, vs, label);
    checkContext(vs, settings, label);
  }
  const prompts = options.promptFiles?.length
    ? await Promise.all(options.promptFiles.map((f) => readTokenFile(f, decoder.vocab)))
    : randomPrompts(settings, decoder.vocab);
  // Random prompts are as long as the shortest prompt length (checked above); a file may be longer.
  for (const [i, prompt] of options.promptFiles?.length ? prompts.entries() : []) {
    const limit = Math.min(decoder.maxContext ?? Infinity, draft?.maxContext ?? Infinity);
    if (prompt.length + settings.newTokens > limit)
      throw new StrataError(
        'BAD_ARGUMENT',
        `The prompt file "${basename(options.promptFiles![i]!)}" holds ${prompt.length} tokens; with --new-tokens ${settings.newTokens} that is longer than the ${limit} tokens the model allows.`,
      );
  }
  const profilePrompt = Math.min(...settings.promptLengths);

  const trace = await ownedTempDir('strata-gen-trace-');
  try {
    const result = await runJob(
      {
        type: 'generate',
        modelPath: path,
        decoder,
        draftPath,
        draft,
        plan,
        promptLengths: settings.promptLengths,
        newTokens: settings.newTokens,
        context: settings.context,
        reps: settings.reps,
        gammas: settings.gammas,
        prompts,
        seed: settings.seed,
        traceDir: trace.path,
        profilePrompt,
        profileSteps: PROFILE_STEPS,
        profileGenerations: PROFILE_GENERATIONS,
        vs: vsPath && vs ? { modelPath: vsPath, decoder: vs } : null,
        clock: settings.clock,
      },
      plan.runTimeoutMs,
      (m) => (m.type === 'generate-result' ? m.result : undefined),
      {
        signal: options.signal,
        onMessage: (m) => {
          if (m.type !== 'progress' || !options.onProgress) return;
          options.onProgress({
            phase: m.phase,
            done: m.done,
            total: m.total,
            message:
              m.phase === 'loading'
                ? 'Loading the decoder'
                : m.phase === 'profiling'
                  ? 'Profiled generation'
                  : `Generating: step ${m.done} of ${m.total}`,
            fraction: m.total ? Math.min(0.98, m.done / m.total) : 0,
            etaMs: null,
          });
        },
      },
    );
    const phases = phaseLayerTimes(await readOrtTrace(result.tracePath), PROFILE_STEPS);
    const createdAt = new Date().toISOString();
    const longest = result.sweep.reduce((a, b) => (b.promptTokens > a.promptTokens ? b : a));
    const notes: string[] = [];
    if (result.peakRssSource !== 'hwm-reset')
      notes.push(`Peak memory is read from ${result.peakRssSource === 'rusage' ? 'getrusage' : 'samples'}.`);
    const speculative =
      result.speculative && draftPath && draft
        ? speculativeResult(result.speculative, draftPath, draft.layers, settings.gammas)
        : null;
    const mismatches = result.speculative?.loops.reduce((s, l) => s + l.mismatches, 0) ?? 0;
    if (mismatches > 0)
      notes.push(
        `${mismatches} speculative tokens differed from the target's own greedy output: a pass over several tokens rounds differently from single-token steps, and near-ties flip.`,
      );
    if (speculative) {
      notes.push(
        "Speculative times start after both models have read the prompt; the target's prefill is the same with or without a draft, and the draft's is not counted.",
      );
      const verdict = speculativeVerdict(speculative);
      if (verdict) notes.push(verdict);
    }
    return {
      schema: 'strata.generate',
      version: 1,
      createdAt,
      model: { path, name },
      decoder,
      settings,
      threads: plan.intraOpThreads,
      ortVersion: result.ortVersion,
      createMs: result.createMs,
      prompts: promptPoints(result.sweep),
      depth: depthPoints(result.depthRun.promptTokens, result.depthRun.stepMs),
      timeline: tokenTimeline(longest.promptTokens, longest.ttftMs[0] ?? 0, longest.stepMs[0] ?? []),
      kvMemory: kvMemory(decoder, result.depthRun.memory),
      peakRssBytes: result.peakRssBytes,
      layers: phases.layers,
      profiledPass: {
        prefillUs: phases.prefillUs,
        decodeStepUs: phases.decodeStepUs,
        decodeSteps: PROFILE_STEPS,
        prefills: phases.prefills,
        decodeRuns: phases.decodeRuns,
      },
      llamaBench: llamaBenchRows(result.sweep, name, plan.intraOpThreads, createdAt),
      speculative,
      ...(result.rounds && vsPath
        ? {
            alternatingRounds: {
              vsPath,
              a: promptPoints(result.rounds.a),
              b: promptPoints(result.rounds.b),
            },
          }
        : {}),
      notes,
    };
  } finally {
    await trace.remove();
  }
}

/** Seeded random prompts, as long as the shortest prompt length, for the acceptance measurement. */
function randomPrompts(settings: GenerateSettings, vocab: number): number[][] {
  const rng = createRng(settings.seed + 1);
  const length = Math.min(...settings.promptLengths);
  return Array.from({ length: settings.speculativePrompts }, () =>
    Array.from({ length }, () => Math.floor(rng() * vocab)),
  );
}

/** A token-id file: a JSON array of ids, or ids separated by whitespace or commas. */
export async function readTokenFile(path: string, vocab: number): Promise<number[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new StrataError('IO_ERROR', `Cannot read the prompt file "${path}".`);
  }
  const trimmed = text.trim();
  const parts: unknown[] = trimmed.startsWith('[') ? jsonArray(trimmed, path) : trimmed.split(/[\s,]+/).filter(Boolean);
  const ids = parts.map(Number);
  const bad = ids.findIndex((id) => !Number.isInteger(id) || id < 0 || id >= vocab);
  if (ids.length === 0 || bad >= 0) {
    throw new StrataError(
      'BAD_ARGUMENT',
      ids.length === 0
        ? `The prompt file "${path}" holds no token ids.`
        : `The prompt file "${path}" has "${String(parts[bad])}" at position ${bad + 1}: token ids must be whole numbers from 0 to ${vocab - 1}.`,
    );
  }
  return ids;
}

// A file that starts with "[" is meant as JSON: when it does not parse, that is what the user hears
// (not that "{oops" is not a token id).
function jsonArray(text: string, path: string): unknown[] {
  let v: unknown;
  try {
    v = JSON.parse(text) as unknown;
  } catch (err) {
    throw new StrataError(
      'BAD_ARGUMENT',
      `The prompt file "${path}" starts with "[" but does not parse as JSON (${err instanceof Error ? err.message : String(err)}): write a JSON array of token ids, or ids separated by spaces or commas.`,
    );
  }
  return Array.isArray(v) ? v : [];
}
