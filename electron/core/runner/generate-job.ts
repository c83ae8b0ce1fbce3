/**
 * The worker's generation job: greedy decoding with prefill and every decode step timed apart, a
 * sweep over prompt lengths, one long run over growing KV depths with the worker's memory sampled,
 * a profiled pass (prefill then decode steps) for per-layer time by phase, and, with a draft, the
 * speculative measurements: cost ratio, greedy agreement and real speculative loops.
 *
 * Every time is wall clock around a whole step (feeds, run, argmax), as a user waits for it.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import ort from 'onnxruntime-node';
import { StrataError } from '../../../shared/errors.js';
import { createRng } from '../random.js';
import { DecoderState } from './decoder-state.js';
import type { PeakRssTracker } from './process-stats.js';
import type { GenerateJobMessage, GenerateJobResult, SpeculativeLoopResult, WorkerMessage } from './protocol.js';
import { explainGenerateRunError } from './generate-errors.js';
import { explainOrtError, sessionOptions } from './session-options.js';

/** What the worker lends the job. */
export interface GenerateJobContext {
  readonly send: (message: WorkerMessage) => Promise<void>;
  readonly peakRss: PeakRssTracker;
  readonly ortVersion: string;
}

// A full collection before each memory sample, so what is counted is what the cache holds, not
// yesterday's garbage. Node exposes gc() only behind a flag; it can be turned on from inside.
function fullGc(): () => Promise<void> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  return async () => {
    gc();
    // External buffers are freed by finalizers that run after the collection: a turn of the loop.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  };
}

// The job's clock: wall time (what a user waits), or the worker's own CPU time (user + system),
// which other processes on a shared machine do not inflate; with one intra-op thread the two agree
// on a quiet machine.
let clock: 'wall' | 'cpu' = 'wall';
function now(): number {
  if (clock === 'cpu') {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
  return performance.now();
}

/** Runs a generation job and sends its result. */
export async function generateJob(job: GenerateJobMessage, ctx: GenerateJobContext): Promise<void> {
  clock = job.clock;
  const rng = createRng(job.seed);
  const randomPrompt = (length: number) => Array.from({ length }, () => Math.floor(rng() * job.decoder.vocab));
  const totalSteps =
    job.reps * job.promptLengths.length * (job.newTokens + 1) +
    job.context +
    (1 + job.profileGenerations) * (job.profileSteps + 1) +
    (job.vs ? 4 * job.reps * job.promptLengths.length * (job.newTokens + 1) : 0) +
    (job.draftPath ? job.prompts.length * job.newTokens * (2 + 3 * job.gammas.length * job.reps) : 0);
  let done = 0;
  let lastSent = 0;
  const tick = async (phase: 'loading' | 'warmup' | 'timing' | 'profiling', steps = 1) => {
    done += steps;
    if (performance.now() - lastSent < 250 && phase !== 'loading') return;
    lastSent = performance.now();
    await ctx.send({ type: 'progress', phase, done: Math.min(done, totalSteps), total: totalSteps, runMs: null });
  };
  const load = async (path: string, prefix?: string) => {
    try {
      return await ort.InferenceSession.create(path, sessionOptions(job.plan, prefix));
    } catch (err) {
      throw explainOrtError(err, 'load', ctx.ortVersion);
    }
  };
  const step = async (state: DecoderState, tokens: readonly number[]) => {
    const start = now();
    const context = state.length + tokens.length;
    try {
      const next = await state.forward(tokens);
      return { next, ms: now() - start };
    } catch (err) {
      // Which model failed: optimum exports are all model.onnx, so the draft is named as the draft.
      const isDraft = job.draft !== null && state.info === job.draft;
      const isVs = !!job.vs && state.info === job.vs.decoder;
      const file = basename(isDraft ? job.draftPath! : isVs ? job.vs!.modelPath : job.modelPath);
      throw explainGenerateRunError(
        err,
        context,
        state.info.maxContext,
        isDraft ? `the draft "${file}"` : `"${file}"`,
        ctx.ortVersion,
      );
    }
  };

  await tick('loading', 0);
  const createStart = now();
  const target = new DecoderState(await load(job.modelPath), job.decoder);
  const createMs = now() - createStart;
  ctx.peakRss.checkpoint();

  // Warm-up: the arena grows and kernels settle on the first passes of each shape.
  const shortest = Math.min(...job.promptLengths);
  {
    let next = (await step(target, randomPrompt(shortest))).next.at(-1)!;
    for (let i = 0; i < 8; i++) next = (await step(target, [next])).next.at(-1)!;
    target.reset();
    await tick('warmup', 0);
  }

  // The TTFT sweep: each repetition goes through every length, so drift spreads over all of them.
  const sweep = job.promptLengths.map((promptTokens) => ({
    promptTokens,
    ttftMs: [] as number[],
    stepMs: [] as number[][],
  }));
  for (let r = 0; r < job.reps; r++) {
    for (const point of sweep) {
      target.reset();
      const prefill = await step(target, randomPrompt(point.promptTokens));
      point.ttftMs.push(prefill.ms);
      let next = prefill.next.at(-1)!;
      const steps: number[] = [];
      for (let i = 0; i < job.newTokens; i++) {
        const s = await step(target, [next]);
        steps.push(s.ms);
        next = s.next.at(-1)!;
        await tick('timing');
      }
      point.stepMs.push(steps);
      await tick('timing');
    }
  }
  ctx.peakRss.checkpoint();

  // The depth run: from the shortest prompt to `context` tokens, memory sampled as the cache grows.
  const gc = fullGc();
  target.reset();
  await gc();
  const base = process.memoryUsage();
  const memory: GenerateJobResult['depthRun']['memory'][number][] = [];
  const sampleEvery = Math.max(1, Math.round(job.context / 64));
  const prefill = await step(target, randomPrompt(shortest));
  let next = prefill.next.at(-1)!;
  const depthSteps: number[] = [];
  const sample = async () => {
    await gc();
    const m = process.memoryUsage();
    memory.push({
      context: target.length,
      arrayBuffersBytes: m.arrayBuffers - base.arrayBuffers,
      rssBytes: m.rss - base.rss,
      heldBytes: target.cacheBytes(),
    });
  };
  await sample();
  while (target.length < job.context) {
    const s = await step(target, [next]);
    depthSteps.push(s.ms);
    next = s.next.at(-1)!;
    if ((target.length - shortest) % sampleEvery === 0 || target.length === job.context) {
      ctx.peakRss.checkpoint();
      await sample();
    }
    await tick('timing');
  }
  target.reset();

  // Profiled pass: a second session with onnxruntime's profiler; one generation to warm it, then
  // the measured ones (prefill + decode steps each): the parent skips the first generation's runs
  // and takes each module's median over the rest, so one preempted kernel is not a finding.
  await tick('loading', 0);
  const prefix = join(job.traceDir, `strata-gen-${process.pid}-${Date.now()}`);
  const profiled = new DecoderState(await load(job.modelPath, prefix), job.decoder);
  for (let pass = 0; pass < 1 + job.profileGenerations; pass++) {
    profiled.reset();
    let tok = (await step(profiled, randomPrompt(job.profilePrompt))).next.at(-1)!;
    await tick('profiling');
    for (let i = 0; i < job.profileSteps; i++) {
      tok = (await step(profiled, [tok])).next.at(-1)!;
      await tick('profiling');
    }
  }
  profiled.session.endProfiling();
  await profiled.session.release();
  const traceName = readdirSync(job.traceDir)
    .filter((f) => f.startsWith(basename(prefix)) && f.endsWith('.json'))
    .sort((a, b) => statSync(join(job.traceDir, b)).size - statSync(join(job.traceDir, a)).size)[0];
  if (!traceName) throw new StrataError('INTERNAL', `onnxruntime wrote no profile trace with the prefix "${prefix}".`);

  const speculative = job.draftPath
    ? await speculativeJob(job, target, new DecoderState(await load(job.draftPath), job.draft!), step, tick)
    : null;
  // Read before the other decoder's session is loaded: this decoder's peak is its own.
  const peak = ctx.peakRss.read();
  await target.session.release();
  const vs = job.vs;
  const rounds = vs
    ? await alternatingRounds(
        job,
        async (side) =>
          side === 'a'
            ? new DecoderState(await load(job.modelPath), job.decoder)
            : new DecoderState(await load(vs.modelPath), vs.decoder),
        step,
        tick,
        randomPrompt,
      )
    : null;

  await ctx.send({
    type: 'generate-result',
    result: {
      createMs,
      ortVersion: ctx.ortVersion,
      sweep,
      depthRun: { promptTokens: shortest, prefillMs: prefill.ms, stepMs: depthSteps, memory },
      tracePath: join(job.traceDir, traceName),
      speculative,
      rounds,
      peakRssBytes: peak.bytes,
      peakRssSource: peak.source,
    },
  });
}

type Step = (state: DecoderState, tokens: readonly number[]) => Promise<{ next: number[]; ms: number }>;

/**
 * Two decoders generating in alternating rounds (--vs): at each repetition and prompt length both
 * run the same prompt back to back, so load that comes and goes (another process, a thermal step)
 * hits both instead of whichever ran during it. Each repetition is a block with two fresh sessions:
 * a session loaded first in a worker ran 2-7% slower than its twin loaded after it here (the same
 * file both times), an effect no number of rounds in one pair of sessions averages away. Which
 * decoder is loaded first and which runs first at a length are crossed over every 4 blocks (load
 * order flips every block, run order every 2), so neither position is tied to one decoder: with run
 * order flipping with load order, the session loaded second always ran first at the second length,
 * and a copy of A came out 0.62-0.77x at its TTFT. The comparison takes one estimate per block.
 */
export async function alternatingRounds(
  job: GenerateJobMessage,
  open: (side: 'a' | 'b') => Promise<DecoderState>,
  step: Step,
  tick: (phase: 'timing', steps?: number) => Promise<void>,
  randomPrompt: (length: number) => number[],
): Promise<{ a: GenerateJobResult['sweep']; b: GenerateJobResult['sweep'] }> {
  const empty = () =>
    job.promptLengths.map((promptTokens) => ({ promptTokens, ttftMs: [] as number[], stepMs: [] as number[][] }));
  const sweeps = { a: empty(), b: empty() };
  const generate = async (state: DecoderState, prompt: readonly number[]) => {
    state.reset();
    const prefill = await step(state, prompt);
    let next = prefill.next.at(-1)!;
    const steps: number[] = [];
    for (let i = 0; i < job.newTokens; i++) {
      const s = await step(state, [next]);
      steps.push(s.ms);
      next = s.next.at(-1)!;
      await tick('timing');
    }
    await tick('timing');
    return { ttft: prefill.ms, steps };
  };
  for (let r = 0; r < job.reps; r++) {
    const loadOrder = r % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
    const sessions: Partial<Record<'a' | 'b', DecoderState>> = {};
    try {
      for (const side of loadOrder) sessions[side] = await open(side);
      const { a, b } = sessions as Record<'a' | 'b', DecoderState>;
      for (const [i, length] of job.promptLengths.entries()) {
        const prompt = randomPrompt(length);
        const order = (Math.floor(r / 2) + i) % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
        // Each session's first pass at a length grows its arena: one warm-up generation each, in the
        // measured order, right before. So each measured generation follows the other decoder at
        // this length, whichever goes first (warming both ahead of all lengths left the one measured
        // first in odd blocks right after its own warm-up: a copy of A came out 1.3x faster at TTFT).
        for (const side of order) await generate(side === 'a' ? a : b, randomPrompt(length));
        for (const side of order) {
          const g = await generate(side === 'a' ? a : b, prompt);
          sweeps[side][i]!.ttftMs.push(g.ttft);
          sweeps[side][i]!.stepMs.push(g.steps);
        }
      }
    } finally {
      await sessions.a?.session.release();
      await sessions.b?.session.release();
    }
  }
  return sweeps;
}

// Greedy generation of `count` tokens after `prompt`: the tokens, and the decode steps' times (the
// prefill, which gives the first token, is not among them).
async function greedy(
  state: DecoderState,
  prompt: readonly number[],
  count: number,
  step: Step,
): Promise<{ tokens: number[]; stepMs: number[] }> {
  state.reset();
  const tokens = [(await step(state, prompt)).next.at(-1)!];
  const stepMs: number[] = [];
  while (tokens.length < count) {
    const s = await step(state, [tokens.at(-1)!]);
    stepMs.push(s.ms);
    tokens.push(s.next.at(-1)!);
  }
  return { tokens, stepMs };
}

async function speculativeJob(
  job: GenerateJobMessage,
  target: DecoderState,
  draft: DecoderState,
  step: Step,
  tick: (phase: 'timing', steps?: number) => Promise<void>,
): Promise<NonNullable<GenerateJobResult['speculative']>> {
  const n = job.newTokens;
  // Warm the draft as the target was.
  await greedy(draft, job.prompts[0]!, 8, step);
  const targetStepMs: number[] = [];
  const draftStepMs: number[] = [];
  const draftFirstStepMs: number[] = [];
  const draftCatchUpStepMs: number[] = [];
  const agreement: boolean[][] = [];
  const verifyPassMs: Record<number, number[]> = {};
  const loops: SpeculativeLoopResult[] = job.gammas.map((gamma) => ({
    gamma,
    targetOnlyMs: 0,
    targetOnlyTokens: 0,
    speculativeMs: 0,
    speculativeTokens: 0,
    rounds: 0,
    acceptedTokens: 0,
    positionTrials: new Array<number>(gamma).fill(0),
    positionAccepts: new Array<number>(gamma).fill(0),
    mismatches: 0,
    verifyMs: 0,
    draftMs: 0,
    timedRounds: 0,
    pairs: [],
  }));
  for (const prompt of job.prompts) {
    // The target's greedy continuation: the tokens every speculative loop must reproduce.
    const reference = await greedy(target, prompt, n, step);
    await tick('timing', n);
    // Teacher-forced agreement: the draft reads prompt + continuation in one pass; its greedy token
    // at each position is what it would draft there once the loop has accepted the prefix.
    draft.reset();
    const drafted = await draft.forward([...prompt, ...reference.tokens.slice(0, -1)]);
    agreement.push(reference.tokens.map((t, i) => drafted[prompt.length - 1 + i] === t));
    // Each gamma gets a window: the costs the prediction uses (target steps, draft steps, the
    // verification pass alone), then the target alone and the speculative loop, back to back, so
    // the load of the moment weighs on prediction and measurement alike.
    for (const loop of loops) {
      const alone = await greedy(target, prompt, n, step);
      targetStepMs.push(...alone.stepMs);
      // The loop's pattern without its decisions: a verification pass (the target over gamma + 1
      // tokens at mid-generation depth, cut back after), then gamma draft steps. The paper takes a
      // verification to cost one target step, and a wider pass costs more on a CPU; a draft step
      // right after a target pass finds its weights evicted from the caches, and costs more than
      // one in a run of draft steps (timed apart: a round has one first step and gamma - 1 more).
      // Both are timed as the loop will meet them, the draft too at the middle of the generation,
      // the loop's mean depth (it was timed from the prompt's end, shallower than the loop).
      const depth = prompt.length + Math.floor(n / 2);
      target.truncate(depth);
      const draftDepth = Math.max(prompt.length + 1, Math.min(depth, prompt.length + n - loop.gamma - 1));
      draft.reset();
      const fed = [...prompt, ...alone.tokens.slice(0, draftDepth - prompt.length)];
      const firstDrafted = (await step(draft, fed)).next.at(-1)!;
      for (let r = 0; r < 6 && draftDepth + loop.gamma < prompt.length + n; r++) {
        const pass = await step(target, alone.tokens.slice(0, loop.gamma + 1));
        (verifyPassMs[loop.gamma] ??= []).push(pass.ms);
        target.truncate(depth);
        // Every other round starts as one after a round that kept all its drafts: the draft first
        // reads its last draft and the target's bonus token, two tokens in one step.
        const catchUp = r % 2 === 1;
        if (catchUp) draft.truncate(draftDepth - 1);
        const first = await step(draft, catchUp ? [fed[draftDepth - 1]!, firstDrafted] : [firstDrafted]);
        (catchUp ? draftCatchUpStepMs : draftFirstStepMs).push(first.ms);
        let drafted = first.next.at(-1)!;
        for (let i = 1; i < loop.gamma; i++) {
          const d = await step(draft, [drafted]);
          draftStepMs.push(d.ms);
          drafted = d.next.at(-1)!;
        }
        draft.truncate(draftDepth);
      }
      await tick('timing', n);
      const spec = await speculativeLoop(target, draft, prompt, n, loop.gamma, step);
      addTimes(loop, alone.stepMs, spec);
      loop.rounds += spec.rounds;
      loop.acceptedTokens += spec.accepted;
      spec.positionTrials.forEach((v, i) => (loop.positionTrials[i]! += v));
      spec.positionAccepts.forEach((v, i) => (loop.positionAccepts[i]! += v));
      loop.mismatches += spec.tokens.filter((t, i) => i < n && t !== reference.tokens[i]).length;
      await tick('timing', n);
      // More pairs of the two timings, back to back: the tokens and acceptances are the same each
      // time (greedy), only the times vary.
      for (let rep = 1; rep < job.reps; rep++) {
        const again = await greedy(target, prompt, n, step);
        addTimes(loop, again.stepMs, await speculativeLoop(target, draft, prompt, n, loop.gamma, step));
        await tick('timing', 2 * n);
      }
    }
  }
  await draft.session.release();
  return { targetStepMs, draftStepMs, draftFirstStepMs, draftCatchUpStepMs, agreement, loops, verifyPassMs };
}

/**
 * Greedy speculative decoding: the draft proposes `gamma` tokens one step at a time, the target
 * checks them all in one pass over [last token, d1..dgamma], the agreeing prefix is kept plus the
 * target's own token after it, and both caches are cut back to what was kept. Returns the tokens
 * (the prefill's first one included) and the time after both prefills.
 */
export async function speculativeLoop(
  target: DecoderState,
  draft: DecoderState,
  prompt: readonly number[],
  count: number,
  gamma: number,
  step: Step,
): Promise<{
  tokens: number[];
  ms: number;
  rounds: number;
  accepted: number;
  positionTrials: number[];
  positionAccepts: number[];
  verifyMs: number;
  draftMs: number;
}> {
  target.reset();
  draft.reset();
  const tokens = [(await step(target, prompt)).next.at(-1)!];
  await step(draft, prompt);
  const positionTrials = new Array<number>(gamma).fill(0);
  const positionAccepts = new Array<number>(gamma).fill(0);
  let rounds = 0;
  let accepted = 0;
  // Tokens the draft has not yet read: the last kept token (and the last draft token, when all were kept).
  let pending = [tokens[0]!];
  let verifyMs = 0;
  let draftMs = 0;
  const start = now();
  while (tokens.length < count) {
    const draftBase = draft.length;
    const proposal: number[] = [];
    let input = pending;
    const draftStart = now();
    for (let i = 0; i < gamma; i++) {
      const d = (await draft.forward(input)).at(-1)!;
      proposal.push(d);
      input = [d];
    }
    const targetBase = target.length;
    const verifyStart = now();
    draftMs += verifyStart - draftStart;
    const checked = await target.forward([tokens.at(-1)!, ...proposal]);
    verifyMs += now() - verifyStart;
    let k = 0;
    while (k < gamma && proposal[k] === checked[k]) k++;
    for (let i = 0; i < gamma && i <= k; i++) {
      positionTrials[i]!++;
      if (i < k) positionAccepts[i]!++;
    }
    rounds++;
    accepted += k;
    tokens.push(...proposal.slice(0, k), checked[k]!);
    target.truncate(targetBase + 1 + k);
    if (k === gamma) pending = [proposal[gamma - 1]!, checked[k]!];
    else {
      draft.truncate(draftBase + pending.length + k);
      pending = [checked[k]!];
    }
  }
  return { tokens, ms: now() - start, rounds, accepted, positionTrials, positionAccepts, verifyMs, draftMs };
}

// One run of the target alone and the speculative loop after it: their times, and the pair.
function addTimes(
  loop: SpeculativeLoopResult,
  targetStepMs: readonly number[],
  spec: Awaited<ReturnType<typeof speculativeLoop>>,
): void {
  const targetMs = sum(targetStepMs);
  const specTokens = spec.tokens.length - 1;
  loop.targetOnlyMs += targetMs;
  loop.targetOnlyTokens += targetStepMs.length;
  loop.speculativeMs += spec.ms;
  loop.speculativeTokens += specTokens;
  loop.verifyMs += spec.verifyMs;
  loop.draftMs += spec.draftMs;
  loop.timedRounds += spec.rounds;
  if (targetStepMs.length > 0 && specTokens > 0)
    loop.pairs.push({
      targetOnlyMsPerToken: targetMs / targetStepMs.length,
      speculativeMsPerToken: spec.ms / specTokens,
    });
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
