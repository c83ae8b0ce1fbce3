import { describe, expect, it } from 'vitest';
import {
  agreementRate,
  costedPrediction,
  measuredLoopSpeedup,
  predictionIntervals,
  type PredictionSamples,
} from '../../../../../electron/core/generate/speculative-stats.js';
import type { SpeculativeLoopResult } from '../../../../../electron/core/runner/protocol.js';
import { expectedAcceptedLength } from '../../../../../shared/generate.js';

const loop = (pairs: [number, number][]): SpeculativeLoopResult => ({
  gamma: 3,
  targetOnlyMs: 0,
  targetOnlyTokens: 0,
  speculativeMs: 0,
  speculativeTokens: 0,
  rounds: 0,
  acceptedTokens: 0,
  positionTrials: [0, 0, 0],
  positionAccepts: [0, 0, 0],
  verifyMs: 0,
  draftMs: 0,
  timedRounds: 0,
  mismatches: 0,
  pairs: pairs.map(([t, s]) => ({ targetOnlyMsPerToken: t, speculativeMsPerToken: s })),
});

// Agreement flags with a given share of trues after the first position, spread evenly.
function flags(length: number, agreeEvery: number): boolean[] {
  return Array.from({ length }, (_, i) => i > 0 && i % agreeEvery !== 0);
}

describe('speculative statistics', () => {
  it('counts alpha from the second position of each prompt', () => {
    expect(
      agreementRate([
        [false, true, false],
        [true, true, true],
      ]),
    ).toBe(3 / 4);
    expect(agreementRate([])).toBe(0);
  });

  it('costs each gamma with its first draft step, the others and the verification line, and picks the best', () => {
    const samples: PredictionSamples = {
      agreement: [flags(65, 4)], // 48 of 64 agree: alpha 0.75
      targetStepMs: [10, 10, 10],
      draftStepMs: [1, 1, 1],
      draftFirstStepMs: [3, 3], // the first of a round finds the draft evicted
      verifyPassMs: { 1: [11], 2: [12], 3: [13], 4: [14] }, // 10 ms + 1 ms a drafted token
    };
    const p = costedPrediction(samples, [1, 2, 3, 4]);
    expect(p.alpha).toBe(0.75);
    expect(p.c).toBe(0.1);
    expect(p.verifyCost).toEqual([1.1, 1.2, 1.3, 1.4].map((v) => expect.closeTo(v, 12)));
    expect(p.draftFirstStepMs).toBe(3);
    const s = [1, 2, 3, 4].map((g) => expectedAcceptedLength(0.75, g) / (0.3 + (g - 1) * 0.1 + 1 + g * 0.1));
    p.speedup.forEach((x, i) => expect(x).toBeCloseTo(s[i]!, 12));
    expect(p.bestGamma).toBe(s.indexOf(Math.max(...s)) + 1);
  });

  it('costs a round after one that kept all its drafts with the two-token catch-up step, in the share alpha^gamma', () => {
    const samples: PredictionSamples = {
      agreement: [flags(65, 4)], // alpha 0.75
      targetStepMs: [10, 10],
      draftStepMs: [1, 1],
      draftFirstStepMs: [3],
      draftCatchUpStepMs: [5, 5],
      verifyPassMs: { 1: [11], 2: [12] },
    };
    const p = costedPrediction(samples, [1, 2]);
    expect(p.draftCatchUpStepMs).toBe(5);
    const c1 = (g: number) => (3 + 0.75 ** g * (5 - 3)) / 10;
    expect(p.speedup[0]).toBeCloseTo(expectedAcceptedLength(0.75, 1) / (c1(1) + 1.1), 12);
    expect(p.speedup[1]).toBeCloseTo(expectedAcceptedLength(0.75, 2) / (c1(2) + 0.1 + 1.2), 12);
  });

  it('gives alpha an interval that narrows with more prompts and holds the point estimate', () => {
    // Prompts that disagree with each other: some agree at 90%, some at 50%.
    const mixed = (n: number) => Array.from({ length: n }, (_, i) => flags(41, i % 2 ? 10 : 2));
    const base = {
      targetStepMs: [10, 11, 9],
      draftStepMs: [1, 1.1],
      draftFirstStepMs: [1.5],
      verifyPassMs: { 1: [12], 2: [14] },
    };
    const few = predictionIntervals({ ...base, agreement: mixed(4) }, [1, 2]);
    const many = predictionIntervals({ ...base, agreement: mixed(40) }, [1, 2]);
    const alpha = agreementRate(mixed(40));
    for (const i of [few, many]) {
      expect(i.alpha.low).toBeLessThanOrEqual(alpha);
      expect(i.alpha.high).toBeGreaterThanOrEqual(alpha);
    }
    expect(many.alpha.high - many.alpha.low).toBeLessThan(few.alpha.high - few.alpha.low);
    expect(few.alpha.high - few.alpha.low).toBeGreaterThan(0.1);
    // Seeded: the same samples give the same intervals.
    expect(predictionIntervals({ ...base, agreement: mixed(4) }, [1, 2])).toEqual(few);
  });

  it('gives the best gamma a range of gammas that won in resamples', () => {
    // Two gammas whose predictions sit within noise of each other, and one clearly worse.
    const samples: PredictionSamples = {
      agreement: Array.from({ length: 6 }, (_, i) => flags(33, i % 2 ? 3 : 5)),
      targetStepMs: Array.from({ length: 50 }, (_, i) => 10 + (i % 5)),
      draftStepMs: Array.from({ length: 50 }, (_, i) => 0.5 + (i % 7) * 0.2),
      draftFirstStepMs: Array.from({ length: 20 }, (_, i) => 1 + (i % 3) * 0.2),
      verifyPassMs: { 1: [11, 12, 13, 18], 2: [12, 13, 15, 19], 8: [30, 31, 33, 40] },
    };
    const p = costedPrediction(samples, [1, 2, 8]);
    const i = predictionIntervals(samples, [1, 2, 8]);
    expect([1, 2, 8]).toContain(i.bestGamma.low);
    expect(i.bestGamma.low).toBeLessThanOrEqual(p.bestGamma);
    expect(i.bestGamma.high).toBeGreaterThanOrEqual(p.bestGamma);
    expect(i.bestGamma.high).toBeLessThan(8);
    expect(i.speedupAtBest.low).toBeLessThanOrEqual(p.speedup[[1, 2, 8].indexOf(p.bestGamma)]!);
  });

  it('measures the loops from their pairs, and gives no interval from too few', () => {
    const steady = measuredLoopSpeedup(loop(Array.from({ length: 12 }, (_, i) => [10 + (i % 3), 5 + (i % 3) / 2])));
    expect(steady.ratio).toBeCloseTo(2, 12);
    expect(steady.low).toBeLessThanOrEqual(2);
    expect(steady.high).toBeGreaterThanOrEqual(2);
    const noisy = measuredLoopSpeedup(loop(Array.from({ length: 12 }, (_, i) => [10, i % 2 ? 4 : 6])));
    expect(noisy.high - noisy.low).toBeGreaterThan(0.5);
    const five = measuredLoopSpeedup(loop(Array.from({ length: 5 }, () => [10, 5])));
    expect(five.ratio).toBe(2);
    expect(five.low).toBeNaN();
  });
});
