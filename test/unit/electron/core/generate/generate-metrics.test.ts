import { describe, expect, it } from 'vitest';
import {
  depthPoints,
  kvMemory,
  llamaBenchRows,
  promptPoints,
  speculativeResult,
  speculativeVerdict,
} from '../../../../../electron/core/generate/generate-metrics.js';
import type { DecoderInfo, SpeculativeResult } from '../../../../../shared/generate.js';

const decoder = { layers: 2, kvHeads: 2, headDim: 4, kvBytesPerElement: 4 } as DecoderInfo; // 128 bytes a token

describe('generation metrics', () => {
  it('takes TTFT as the median repetition and prompt tokens/s from it', () => {
    const [p] = promptPoints([
      {
        promptTokens: 100,
        ttftMs: [30, 10, 20],
        stepMs: [
          [1, 2],
          [3, 4],
        ],
      },
    ]);
    expect(p!.ttftMs).toBe(20);
    expect(p!.promptTokensPerSec).toBe(5000);
    expect(p!.decodeP50Ms).toBe(2.5);
    expect(p!.decodeTokensPerSec).toBe(400);
    // One independent sample per generation for a comparison: each repetition's median step.
    expect(p!.decodeStepSamplesMs).toEqual([1.5, 3.5]);
  });

  it("keeps the median step rate and llama-bench's throughput apart: one slow step moves only the throughput", () => {
    const sweep = [{ promptTokens: 8, ttftMs: [1], stepMs: [[1, 1, 1, 1, 1, 1, 1, 13]] }];
    expect(promptPoints(sweep)[0]!.decodeTokensPerSec).toBe(1000); // 1000 / median step of 1 ms
    expect(llamaBenchRows(sweep, 'm.onnx', 1, 'T')[1]!.avg_ts).toBe(400); // 8 tokens in 20 ms
  });

  it('buckets the depth run by median step at each window middle', () => {
    const steps = [1, 1, 100, 1, 2, 2, 2, 50];
    const points = depthPoints(10, steps, 2);
    expect(points).toEqual([
      { depth: 12, stepMs: 1, tokensPerSec: 1000 },
      { depth: 16, stepMs: 2, tokensPerSec: 500 },
    ]);
  });

  it('measures the KV growth rate as the median interval growth, so one late-freed buffer does not bend it', () => {
    const memory = [0, 1, 2, 3, 4].map((i) => ({
      context: 16 + i * 16,
      arrayBuffersBytes: i * 16 * 128 + (i >= 3 ? 50_000 : 0), // a 50 kB buffer freed late, from the 4th sample on
      rssBytes: 0,
      heldBytes: 0,
    }));
    const kv = kvMemory(decoder, memory);
    expect(kv.computedBytes).toBe(80 * 128);
    expect(kv.measuredBytes).toBe(80 * 128);
    expect(kv.ratio).toBe(1);
    expect(kv.points[3]!.measuredBytes).toBe(3 * 16 * 128 + 50_000);
  });

  it('writes llama-bench rows: pp per prompt, tg at the prompt depth, with per-sample tokens/s', () => {
    const rows = llamaBenchRows(
      [
        {
          promptTokens: 64,
          ttftMs: [10, 20],
          stepMs: [
            [5, 5],
            [10, 10],
          ],
        },
      ],
      'm.onnx',
      1,
      'T',
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ n_prompt: 64, n_gen: 0, n_depth: 0, samples_ts: [6400, 3200], avg_ts: 4800 });
    expect(rows[1]).toMatchObject({ n_prompt: 0, n_gen: 2, n_depth: 64, samples_ts: [200, 100], avg_ts: 150 });
    expect(rows[1]!.stddev_ts).toBeCloseTo(Math.SQRT2 * 50, 10);
  });

  it('counts alpha from the second generated token, and the loop tokens per pass as accepted + 1', () => {
    const s = speculativeResult(
      {
        targetStepMs: [10, 10],
        draftStepMs: [2, 2],
        draftFirstStepMs: [2],
        draftCatchUpStepMs: [],
        agreement: [
          [false, true, true, false],
          [true, true, false, true],
        ],
        verifyPassMs: { 2: [12, 12], 4: [14, 16] },
        loops: [
          {
            gamma: 2,
            targetOnlyMs: 200,
            targetOnlyTokens: 20,
            speculativeMs: 100,
            speculativeTokens: 20,
            rounds: 4,
            acceptedTokens: 6,
            positionTrials: [4, 3],
            positionAccepts: [3, 3],
            verifyMs: 80,
            draftMs: 16,
            mismatches: 0,
            // Two repetitions: the times cover both, the acceptances the first.
            timedRounds: 8,
            pairs: [
              { targetOnlyMsPerToken: 10, speculativeMsPerToken: 5 },
              { targetOnlyMsPerToken: 10, speculativeMsPerToken: 5 },
            ],
          },
        ],
      },
      '/d.onnx',
      1,
      [2],
    );
    expect(s.alpha).toBeCloseTo(4 / 6, 12);
    expect(s.costRatio).toBe(0.2);
    const run = s.runs[0]!;
    expect(run.measuredSpeedup).toBe(2);
    // Two pairs cannot give a 95% interval (the widest covers 1 - 2 / 4).
    expect(run.measuredInterval.low).toBeNaN();
    expect(run.pairs).toBe(2);
    expect(run.meanAcceptedLength).toBe(2.5);
    expect(run.acceptanceByPosition).toEqual([0.75, 1]);
    expect(run.verifyCost).toBeCloseTo(1.2, 12);
    expect(run.costedSpeedup).toBeCloseTo(run.predictedAcceptedLength / (2 * 0.2 + 1.2), 12);
    // Per round over both repetitions' 8 rounds; the loop time is what the two pairs' tokens took.
    expect(run.roundMs).toEqual({ draft: 2, verify: 10, other: 0.5 });
  });

  it('fits the verification cost to a line over gamma, so one noisy gamma does not win the best-gamma pick', () => {
    const s = speculativeResult(
      {
        targetStepMs: [10],
        draftStepMs: [1],
        draftFirstStepMs: [1],
        draftCatchUpStepMs: [],
        agreement: [[true, true, true, false, true]],
        verifyPassMs: { 1: [11], 2: [20], 3: [13] }, // the line through them: 14.67 at gamma 2, 1 ms a token
        loops: [],
      },
      '/d.onnx',
      1,
      [1, 2, 3],
    );
    const at = (g: number) => s.costedPredicted.find((p) => p.gamma === g)!.speedup;
    // alpha 0.75 (3 of 4 from the second token), c 0.1.
    expect(at(2)).toBeCloseTo((1 + 0.75 + 0.5625) / (0.2 + 1.4667), 3);
    expect(at(1)).toBeCloseTo(1.75 / (0.1 + 1.3667), 3);
  });
});

describe('the speculative verdict', () => {
  const run = (gamma: number, measuredSpeedup: number, low = measuredSpeedup - 0.05, high = measuredSpeedup + 0.05) =>
    ({
      gamma,
      measuredSpeedup,
      measuredInterval: { low, high },
      pairs: 12,
      verifyCost: 1.3,
    }) as SpeculativeResult['runs'][number];
  const pair = (runs: SpeculativeResult['runs']) =>
    ({ costRatio: 0.54, alpha: 0.68, level: 0.95, runs }) as SpeculativeResult;

  it('says a draft does not pay when every measured loop is slower than the target alone', () => {
    const verdict = speculativeVerdict(pair([run(1, 0.78), run(2, 0.71)]));
    expect(verdict).toMatch(/does not pay on this machine: the fastest speculative loop \(γ=1\) ran at 0\.78×/);
    expect(verdict).toMatch(/c = 0\.54/);
  });

  it('says nothing when one loop is faster beyond its interval', () => {
    expect(speculativeVerdict(pair([run(1, 0.9), run(3, 1.4)]))).toBeNull();
  });

  it('claims no gain, and no loss, that the interval does not support', () => {
    const unsure = speculativeVerdict(pair([run(1, 0.97, 0.9, 1.04), run(2, 1.03, 0.98, 1.09)]));
    expect(unsure).toMatch(
      /No speculative loop was measurably faster .* \(γ=2\) ran at 1\.03× \(95% interval 0\.98–1\.09\)/,
    );
    const slowerButUnsure = speculativeVerdict(pair([run(1, 0.95, 0.88, 1.02)]));
    expect(slowerButUnsure).not.toMatch(/does not pay/);
    expect(slowerButUnsure).toMatch(/No speculative loop was measurably faster/);
  });
});
