import { describe, expect, it } from 'vitest';
import {
  bestGamma,
  checkGenerateSettings,
  defaultGenerateSettings,
  expectedAcceptedLength,
  expectedSpeedup,
  kvCacheBytes,
  parseGammaRange,
} from '../../../shared/generate.js';

describe('speculative arithmetic (Leviathan et al., 2023)', () => {
  it('expects (1 - a^(g+1)) / (1 - a) tokens per target pass', () => {
    // alpha 0.5, gamma 2: 1 + 0.5 + 0.25.
    expect(expectedAcceptedLength(0.5, 2)).toBeCloseTo(1.75, 12);
    expect(expectedAcceptedLength(0, 4)).toBe(1);
    expect(expectedAcceptedLength(1, 4)).toBe(5);
  });

  it('divides by gamma c + 1 for the speedup', () => {
    // alpha 0.8, gamma 3, c 0.1: (1 - 0.8^4) / 0.2 / 1.3 = 2.952 / 1.3.
    expect(expectedSpeedup(0.8, 3, 0.1)).toBeCloseTo(2.952 / 1.3, 10);
  });

  it('picks the gamma of highest expected speedup', () => {
    // alpha 0.8, c 0.1: S(5) = 3.689 / 1.5 = 2.459, S(6) = 3.951 / 1.6 = 2.470, S(7) = 4.161 / 1.7 = 2.448.
    expect(bestGamma(0.8, 0.1, [1, 2, 3, 4, 5, 6, 7, 8])).toBe(6);
    expect(bestGamma(0.8, 0.1, [1, 2, 3, 4, 5])).toBe(5);
    // A costly draft: one token at a time is best.
    expect(bestGamma(0.5, 0.6, [1, 2, 3, 4])).toBe(1);
  });
});

describe('KV cache bytes', () => {
  it('is 2 x layers x kv_heads x head_dim x context x bytes', () => {
    expect(kvCacheBytes({ layers: 4, kvHeads: 2, headDim: 64, kvBytesPerElement: 2 }, 1024)).toBe(
      2 * 4 * 2 * 64 * 1024 * 2,
    );
  });
});

describe('parseGammaRange', () => {
  it('reads single values, ranges and lists', () => {
    expect(parseGammaRange('1-8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseGammaRange('4')).toEqual([4]);
    expect(parseGammaRange('8,2, 4-5')).toEqual([2, 4, 5, 8]);
  });
  it('refuses zero, reversed ranges, over 32 and words', () => {
    for (const bad of ['0', '5-2', '1-40', 'all', '', '1,,2']) expect(parseGammaRange(bad)).toBeNull();
  });
});

describe('checkGenerateSettings', () => {
  const good = defaultGenerateSettings();

  it('keeps good settings, sorting and de-duplicating the lists', () => {
    const s = checkGenerateSettings({ ...good, promptLengths: [64, 16, 64], gammas: [4, 1] });
    expect(s.promptLengths).toEqual([16, 64]);
    expect(s.gammas).toEqual([1, 4]);
  });

  it.each([
    [{ promptLengths: [] }, /Prompt lengths must be a list of 1 to 16 numbers/],
    [{ promptLengths: [0] }, /Prompt lengths must be a whole number from 1/],
    [{ newTokens: 1 }, /New tokens must be a whole number from 2/],
    [{ context: 16, promptLengths: [16] }, /The context must be a whole number from 17/],
    [{ gammas: [33] }, /Draft lengths \(gamma\) must be a whole number from 1 to 32/],
    [{ clock: 'sundial' }, /The clock must be "wall" or "cpu"/],
    [{ reps: 1.5 }, /Repetitions must be a whole number/],
  ])('refuses %j', (change, message) => {
    expect(() => checkGenerateSettings({ ...good, ...change })).toThrow(message);
  });
});
