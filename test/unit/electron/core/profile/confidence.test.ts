import { describe, expect, it } from 'vitest';
import {
  detectableChange,
  familyLevel,
  hodgesLehmann,
  medianRankBounds,
  medianWithCi,
  normalQuantile,
  pairedSpeedup,
  sampleNoise,
  signedRankCut,
  verdictOf,
} from '../../../../../electron/core/profile/confidence.js';
import { createRng } from '../../../../../electron/core/random.js';

// Normal samples from a seeded RNG (Box-Muller), so every machine draws the same numbers.
function normals(seed: number, n: number, mean = 0, sd = 1): number[] {
  const rng = createRng(seed);
  return Array.from(
    { length: n },
    () => mean + sd * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()),
  );
}

describe('confidence intervals', () => {
  it('gives the textbook normal quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 5);
  });

  it('bounds the median by the order statistics a binomial table gives', () => {
    // n = 50 at 95%: x(18) and x(33), 1-based (P(B ≤ 17) = 0.016, P(B ≤ 18) = 0.032).
    expect(medianRankBounds(50, 0.95)).toEqual([17, 32]);
    // n = 5 cannot reach 95% (P(B ≤ 0) = 0.031 > 0.025): no interval.
    expect(medianRankBounds(5, 0.95)).toBeNull();
    expect(medianRankBounds(6, 0.95)).toEqual([0, 5]);
    const ci = medianWithCi([5, 1, 4, 2, 3, 9, 8, 7, 6, 10], 0.9);
    expect(ci.median).toBe(5.5);
    expect(ci.low).toBeLessThanOrEqual(5.5);
    expect(ci.high).toBeGreaterThanOrEqual(5.5);
  });

  it('cuts the signed-rank interval where R does (qsignrank(0.025, n) - 1)', () => {
    expect(signedRankCut(10, 0.95)).toBe(8);
    expect(signedRankCut(20, 0.95)).toBe(52); // tables: critical value 52 at n = 20
    // Beyond the exact table, the normal approximation lands within one rank of it.
    expect(
      Math.abs(signedRankCut(201, 0.95) - Math.floor((201 * 202) / 4 - 1.96 * Math.sqrt((201 * 202 * 403) / 24))),
    ).toBeLessThanOrEqual(1);
  });

  it('covers the true centre about as often as it claims', () => {
    let covered = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const hl = hodgesLehmann(normals(t + 1, 30, 0.3), 0.95)!;
      if (hl.low <= 0.3 && hl.high >= 0.3) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.92);
    expect(covered / trials).toBeLessThan(0.99);
  });

  it('reads paired rounds as a speedup: baseline time over variant time', () => {
    const base = normals(7, 60, 1, 0.05).map((v) => Math.max(0.5, v));
    const slower = base.map((v, i) => v * 1.3 * (1 + 0.02 * Math.sin(i)));
    const s = pairedSpeedup(base, slower, 0.95);
    expect(s.ratio).toBeCloseTo(1 / 1.3, 2);
    expect(s.high).toBeLessThan(1);
    expect(verdictOf(s)).toBe('slower');
    expect(verdictOf(pairedSpeedup(slower, base, 0.95))).toBe('faster');
  });

  it('calls a shared round-to-round drift no difference: pairing removes it', () => {
    // Both models slow down together (background load in half the rounds): unpaired, the spread is
    // 2x; paired, each round's ratio is ~1.
    const load = Array.from({ length: 80 }, (_, i) => (i % 2 ? 2 : 1));
    const noise = normals(3, 160, 0, 0.03);
    const a = load.map((l, i) => l * (1 + noise[i]!));
    const b = load.map((l, i) => l * (1 + noise[80 + i]!));
    const s = pairedSpeedup(a, b, familyLevel(0.95, 3));
    expect(s.low).toBeLessThan(1);
    expect(s.high).toBeGreaterThan(1);
    expect(verdictOf(s)).toBe('same');
    expect(detectableChange(s)).toBeGreaterThan(0.02);
    expect(detectableChange(s)).toBeLessThan(0.1);
  });

  it('does not call a change inside the noise threshold, however sure it is', () => {
    expect(verdictOf({ ratio: 1.01, low: 1.005, high: 1.015 })).toBe('same');
    expect(verdictOf({ ratio: 1.1, low: 1.05, high: 1.15 })).toBe('faster');
    expect(verdictOf({ ratio: 1.2, low: 0.99, high: 1.4 })).toBe('same');
    expect(verdictOf({ ratio: NaN, low: NaN, high: NaN })).toBe('same');
  });

  it('widens each interval of a family (Bonferroni)', () => {
    expect(familyLevel(0.95, 1)).toBeCloseTo(0.95, 12);
    expect(familyLevel(0.95, 5)).toBeCloseTo(0.99, 12);
  });

  it('counts outliers by Tukey fences and gives the CV', () => {
    const samples = [...Array.from({ length: 40 }, (_, i) => 1 + (i % 5) * 0.01), 3, 4];
    const noise = sampleNoise(samples);
    expect(noise.outliers).toBe(2);
    expect(noise.cv).toBeGreaterThan(0.3);
    expect(noise.p50RelativeHalfWidth).toBeLessThan(0.02);
  });
});

describe('blocks of rounds', () => {
  it("gives Student's t quantiles", async () => {
    const { studentQuantile } = await import('../../../../../electron/core/profile/confidence.js');
    expect(studentQuantile(0.975, 5)).toBeCloseTo(2.5706, 3);
    expect(studentQuantile(0.975, 1)).toBeCloseTo(12.706, 2);
    expect(studentQuantile(0.995, 30)).toBeCloseTo(2.75, 2);
  });

  it('counts a per-session offset as uncertainty, not as a difference', async () => {
    const { blockedSpeedup } = await import('../../../../../electron/core/profile/confidence.js');
    // Six workers; in each, the "variant" session sits at a random offset of a few percent (where its
    // threads landed), and the rounds are precise: pooled rounds would call that offset a change.
    const offsets = [1.04, 0.97, 1.02, 0.99, 1.05, 0.96];
    const blocks = offsets.map((o, b) => {
      const noise = normals(100 + b, 400, 0, 0.02);
      return { baselineMs: noise.slice(0, 200).map((e) => 1 + e), variantMs: noise.slice(200).map((e) => o * (1 + e)) };
    });
    const pooled = pairedSpeedup(
      blocks.flatMap((b) => b.baselineMs),
      blocks.flatMap((b) => b.variantMs),
      0.95,
    );
    const blocked = blockedSpeedup(blocks, 0.95);
    expect(blocked.high - blocked.low).toBeGreaterThan(pooled.high - pooled.low);
    expect(blocked.low).toBeLessThan(1);
    expect(blocked.high).toBeGreaterThan(1);
    // A real 1.3x slowdown still stands out.
    const slower = blocks.map((b) => ({ baselineMs: b.baselineMs, variantMs: b.variantMs.map((v) => v * 1.3) }));
    expect(verdictOf(blockedSpeedup(slower, 0.95))).toBe('slower');
  });
});
