import { describe, expect, it } from 'vitest';
import { describeSampling, cutMiddle, formatMs } from '../../../shared/format.js';

const at = (...ms: number[]) => ({ intervalMs: 100, samples: ms.map((epochMs) => ({ epochMs })) });

describe('describeSampling', () => {
  it('says how many samples over how long, and how often', () => {
    expect(describeSampling(at(0, 20, 40, 60, 80))).toBe(`5 samples over ${formatMs(80)}, one every ~20 ms`);
  });

  it('names the slower rate once the profile outlasts the fast first second', () => {
    const fast = Array.from({ length: 50 }, (_, i) => i * 20);
    const slow = Array.from({ length: 10 }, (_, i) => 1000 + i * 100);
    expect(describeSampling(at(...fast, ...slow))).toBe(
      `60 samples over ${formatMs(1900)}, one every ~20 ms (100 ms after the first second)`,
    );
  });

  it('says when a profile was too short to draw', () => {
    expect(describeSampling(at(0, 20))).toBe(
      'only 2 samples: the profile was shorter than the sampling can follow (the peak memory card is exact)',
    );
    expect(describeSampling(at())).toBe('no samples');
  });
});

describe('cutMiddle', () => {
  it('keeps the start and more of the end, where names of one module differ', () => {
    expect(cutMiddle('If_0_then_branch__Inline_0__/decoder/rnn/LSTM', 32)).toBe('If_0_then_br…__/decoder/rnn/LSTM');
    expect(cutMiddle('If_0_then_branch__Inline_0__/decoder/rnn/LSTM', 32)).toHaveLength(32);
    expect(cutMiddle('short', 32)).toBe('short');
  });
});
