// A generation profile on synthetic decoders, end to end through the worker: every count and byte
// the report states is checked against what the models are known to be, and the speculative
// numbers against an independent run of the two models in onnxruntime here. No timing is asserted.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProfile } from '../../electron/core/generate/run-generate.js';
import { DecoderState } from '../../electron/core/runner/decoder-state.js';
import { alternatingRounds, speculativeLoop } from '../../electron/core/runner/generate-job.js';
import type { GenerateJobMessage } from '../../electron/core/runner/protocol.js';
import { openDecoder } from '../../electron/core/generate/run-generate.js';
import { defaultGenerateSettings, kvCacheBytes, type GenerateReport } from '../../shared/generate.js';
import { defaultPlan } from '../../shared/plan.js';
import { writeDraftTargetPair } from '../support/decoder-models.js';

let dir: string;
let pair: ReturnType<typeof writeDraftTargetPair>;
let report: GenerateReport;
const prompts = [
  [3, 141, 59, 26, 5, 35, 89, 79],
  [27, 182, 81, 28, 45, 90, 4, 52],
];

// The target's greedy continuation and the draft's teacher-forced agreement with it, computed
// here in onnxruntime with whole-sequence passes (no cache): what alpha must be.
async function independentAgreement(n: number): Promise<{ agree: number; total: number }> {
  const opts = { logSeverityLevel: 3 as const, intraOpNumThreads: 1 };
  const target = await ort.InferenceSession.create(pair.target, opts);
  const draft = await ort.InferenceSession.create(pair.draft, opts);
  const argmaxes = async (s: ort.InferenceSession, layers: number, tokens: number[]) => {
    const f: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(tokens, BigInt), [1, tokens.length]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(tokens.length).fill(1n), [1, tokens.length]),
      position_ids: new ort.Tensor(
        'int64',
        BigInt64Array.from(tokens, (_, i) => BigInt(i)),
        [1, tokens.length],
      ),
    };
    for (let l = 0; l < layers; l++)
      for (const k of ['key', 'value'])
        f[`past_key_values.${l}.${k}`] = new ort.Tensor('float32', new Float32Array(0), [1, 2, 0, 16]);
    const logits = (await s.run(f)).logits!.data as Float32Array;
    const v = pair.targetModel.vocab;
    return tokens.map((_, i) => {
      let best = 0;
      for (let j = 1; j < v; j++) if (logits[i * v + j]! > logits[i * v + best]!) best = j;
      return best;
    });
  };
  let agree = 0;
  let total = 0;
  for (const prompt of prompts) {
    const seq = [...prompt];
    while (seq.length < prompt.length + n) seq.push((await argmaxes(target, pair.targetModel.layers, seq)).at(-1)!);
    const d = await argmaxes(draft, pair.draftModel.layers, seq.slice(0, -1));
    // From the second generated token: the first comes from the target's prefill in every loop.
    for (let i = prompt.length; i < seq.length; i++) {
      if (i === prompt.length) continue;
      total++;
      if (d[i - 1] === seq[i]) agree++;
    }
  }
  await target.release();
  await draft.release();
  return { agree, total };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-generate-'));
  pair = writeDraftTargetPair(dir, { layers: 4, draftLayers: 1, kvHeads: 2, heads: 4, hidden: 64 });
  const files = prompts.map((p, i) => {
    const f = join(dir, `prompt${i}.json`);
    writeFileSync(f, JSON.stringify(p));
    return f;
  });
  report = await generateProfile(
    pair.target,
    { ...defaultGenerateSettings(), promptLengths: [8, 32], newTokens: 16, context: 128, reps: 2, gammas: [1, 2, 4] },
    { ...defaultPlan(), intraOpThreads: 1 },
    { draftPath: pair.draft, promptFiles: files },
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a generation profile', () => {
  it('recognises the decoder and reads its context from config.json', () => {
    expect(report.decoder).toMatchObject({ layers: 4, kvHeads: 2, headDim: 16, vocab: 256, maxContext: 2048 });
    expect(report.decoder.positionIds).toBe(true);
  });

  it('reports every prompt length with its repetitions, and a timeline of the prefill and each decode step', () => {
    expect(report.prompts.map((p) => p.promptTokens)).toEqual([8, 32]);
    for (const p of report.prompts) {
      expect(p.ttftSamplesMs).toHaveLength(2);
      expect(p.ttftMs).toBeGreaterThan(0);
      expect(p.decodeP90Ms).toBeGreaterThanOrEqual(p.decodeP50Ms);
    }
    expect(report.timeline).toHaveLength(17);
    expect(report.timeline[0]).toMatchObject({ phase: 'prefill', tokens: 32, depth: 0 });
    expect(report.timeline[1]).toMatchObject({ phase: 'decode', tokens: 1, depth: 32 });
    expect(report.timeline[2]!.startMs).toBeCloseTo(report.timeline[1]!.startMs + report.timeline[1]!.ms, 6);
  });

  it('walks the depth run to the context asked for', () => {
    expect(report.depth.length).toBeGreaterThan(8);
    expect(report.depth[0]!.depth).toBeGreaterThanOrEqual(8);
    expect(report.depth.at(-1)!.depth).toBeLessThan(128);
  });

  it('computes the KV bytes from the layout, and measures the same growth in the worker', () => {
    const kv = report.kvMemory;
    expect(kv.points.at(-1)!.context).toBe(128);
    expect(kv.computedBytes).toBe(2 * 4 * 2 * 16 * 128 * 4);
    expect(kv.computedBytes).toBe(kvCacheBytes(report.decoder, 128));
    // Memory, not time: the cache's bytes are what they are, whatever the machine's load.
    expect(kv.ratio).toBeGreaterThan(0.8);
    expect(kv.ratio).toBeLessThan(1.25);
    expect(report.peakRssBytes).toBeGreaterThan(kv.computedBytes);
  });

  it('splits per-layer time into prefill and decode for every layer', () => {
    const modules = report.layers.map((l) => l.module);
    for (let l = 0; l < 4; l++) {
      expect(modules).toContain(`model/layers.${l}/attn`);
      expect(modules).toContain(`model/layers.${l}/mlp`);
    }
    expect(modules).toContain('lm_head');
    const attn = report.layers.find((l) => l.module === 'model/layers.0/attn')!;
    expect(attn.prefillUs).toBeGreaterThan(0);
    expect(attn.decodeUs).toBeGreaterThan(0);
    const kernels = report.layers.reduce((s, l) => s + l.decodeUs, 0);
    expect(kernels).toBeLessThanOrEqual(report.profiledPass.decodeStepUs * 1.05);
  });

  it('carries llama-bench rows: pp per prompt length and tg at each depth', () => {
    const pp = report.llamaBench.filter((r) => r.n_gen === 0);
    const tg = report.llamaBench.filter((r) => r.n_prompt === 0);
    expect(pp.map((r) => r.n_prompt)).toEqual([8, 32]);
    expect(tg.map((r) => [r.n_gen, r.n_depth])).toEqual([
      [16, 8],
      [16, 32],
    ]);
    for (const r of report.llamaBench) {
      expect(r.samples_ts).toHaveLength(2);
      expect(r.avg_ts).toBeCloseTo(r.samples_ts.reduce((a, b) => a + b, 0) / 2, 6);
    }
  });

  it('measures alpha as the draft agreement on the target greedy continuation, as onnxruntime computes it here', async () => {
    const s = report.speculative!;
    const { agree, total } = await independentAgreement(16);
    expect(s.prompts).toBe(2);
    expect(s.alpha).toBeCloseTo(agree / total, 10);
    expect(s.alpha).toBeGreaterThan(0.2);
    expect(s.alpha).toBeLessThan(1);
    expect(s.predicted.map((p) => p.gamma)).toEqual([1, 2, 4]);
    expect(s.runs.map((r) => r.acceptanceByPosition.length)).toEqual([1, 2, 4]);
    for (const r of s.runs) {
      expect(r.meanAcceptedLength).toBeGreaterThanOrEqual(1);
      expect(r.meanAcceptedLength).toBeLessThanOrEqual(r.gamma + 1);
    }
  });

  it('states each estimate with its interval, and times every repetition of the loops', () => {
    const s = report.speculative!;
    expect(s.level).toBe(0.95);
    expect(s.alphaInterval.low).toBeLessThanOrEqual(s.alpha);
    expect(s.alphaInterval.high).toBeGreaterThanOrEqual(s.alpha);
    expect([1, 2, 4]).toContain(s.costedBestGammaRange.low);
    expect(s.costedBestGammaRange.low).toBeLessThanOrEqual(s.costedBestGamma);
    expect(s.costedBestGammaRange.high).toBeGreaterThanOrEqual(s.costedBestGamma);
    const predicted = s.costedPredicted.find((p) => p.gamma === s.costedBestGamma)!.speedup;
    expect(s.costedAtBestInterval.low).toBeLessThanOrEqual(predicted);
    expect(s.costedAtBestInterval.high).toBeGreaterThanOrEqual(predicted);
    expect(s.draftFirstStepMs).toBeGreaterThan(0);
    expect(s.draftCatchUpStepMs).toBeGreaterThan(0);
    for (const r of s.runs) {
      // One pair per prompt and repetition: 2 prompts x 2 repetitions, too few for a 95% interval.
      expect(r.pairs).toBe(4);
      expect(r.measuredInterval.low).toBeNaN();
      expect(r.measuredSpeedup).toBeGreaterThan(0);
      // The loops' time is split over every repetition's rounds, so the parts add up to no more than it.
      expect(r.roundMs.other).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('the speculative loop', () => {
  it('produces exactly the target greedy tokens, whatever gamma', async () => {
    const opts = { logSeverityLevel: 3 as const, intraOpNumThreads: 1 };
    const t = new DecoderState(await ort.InferenceSession.create(pair.target, opts), await openDecoder(pair.target));
    const d = new DecoderState(await ort.InferenceSession.create(pair.draft, opts), await openDecoder(pair.draft));
    const step = async (s: DecoderState, tokens: readonly number[]) => ({ next: await s.forward(tokens), ms: 0 });
    t.reset();
    const greedy = [(await t.forward(prompts[0]!)).at(-1)!];
    while (greedy.length < 24) greedy.push((await t.forward([greedy.at(-1)!])).at(-1)!);
    for (const gamma of [1, 3, 5]) {
      const out = await speculativeLoop(t, d, prompts[0]!, 24, gamma, step);
      expect(out.tokens.slice(0, 24)).toEqual(greedy);
      expect(out.accepted + out.rounds).toBe(out.tokens.length - 1);
      expect(t.length).toBe(prompts[0]!.length + out.tokens.length - 1);
    }
    await t.session.release();
    await d.session.release();
  });
});

describe('two decoders in alternating rounds', () => {
  it('crosses load order and run order over the blocks, and each measured generation follows the other decoder at its length', async () => {
    const opts = { logSeverityLevel: 3 as const, intraOpNumThreads: 1 };
    const info = await openDecoder(pair.target);
    const loads: ('a' | 'b')[] = [];
    const sideOf = new Map<DecoderState, 'a' | 'b'>();
    // Every generation's start (its prefill: more than one token), in order: which decoder, how long a prompt.
    const prefills: { side: 'a' | 'b'; tokens: number }[] = [];
    const step = async (s: DecoderState, tokens: readonly number[]) => {
      if (tokens.length > 1) prefills.push({ side: sideOf.get(s)!, tokens: tokens.length });
      return { next: await s.forward(tokens), ms: 1 };
    };
    const job = { promptLengths: [8, 24], reps: 4, newTokens: 3 } as unknown as GenerateJobMessage;
    const rounds = await alternatingRounds(
      job,
      async (side) => {
        loads.push(side);
        const state = new DecoderState(await ort.InferenceSession.create(pair.target, opts), info);
        sideOf.set(state, side);
        return state;
      },
      step,
      async () => {},
      (length) => Array.from({ length }, (_, i) => (i * 7) % info.vocab),
    );
    expect(loads).toEqual(['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a']);
    // Per block and length: two warm-ups, then the two measured, in the same order.
    expect(prefills).toHaveLength(4 * 2 * 4);
    for (let k = 0; k < prefills.length; k += 4) {
      const [w1, w2, m1, m2] = prefills.slice(k, k + 4);
      expect(new Set([w1!.tokens, w2!.tokens, m1!.tokens, m2!.tokens]).size).toBe(1);
      expect([w1!.side, w2!.side]).toEqual([m1!.side, m2!.side]);
      expect(m1!.side).not.toBe(m2!.side);
    }
    // Which decoder goes first at a length flips every 2 blocks, which is loaded first every block:
    // over 4 blocks each decoder is loaded first and second, and runs first and second, in every pairing.
    const firsts = (length: number) => prefills.filter((p, i) => i % 4 === 2 && p.tokens === length).map((p) => p.side);
    expect(firsts(8)).toEqual(['a', 'a', 'b', 'b']);
    expect(firsts(24)).toEqual(['b', 'b', 'a', 'a']);
    const loadedFirst = [0, 1, 2, 3].map((r) => loads[2 * r]);
    for (const length of [8, 24])
      expect(new Set(firsts(length).map((side, r) => `${side} first, ${loadedFirst[r]} loaded first`)).size).toBe(4);
    expect(rounds.a.map((p) => p.ttftMs.length)).toEqual([4, 4]);
    expect(rounds.b[1]!.stepMs[0]).toHaveLength(3);
  });
});
