import { describe, expect, it } from 'vitest';
import { speedSamplesText, speedVerdictText, type GenerateSpeed } from '../../../shared/generate-compare.js';

const speed = (change: Partial<GenerateSpeed>): GenerateSpeed => ({
  what: 'per-token decode latency',
  ratio: 1,
  low: 0.99,
  high: 1.01,
  verdict: 'same',
  enough: true,
  samples: [9, 9],
  aMs: 1,
  bMs: 1,
  ...change,
});

describe('a two-decoder speed in a table cell', () => {
  it('is "same" only when the interval lies inside the noise threshold, and cannot tell when it reaches past it', () => {
    expect(speedVerdictText(speed({}), 0.02)).toBe('same');
    expect(speedVerdictText(speed({ low: 0.4, high: 2.6 }), 0.02)).toBe("can't tell");
    expect(speedVerdictText(speed({ low: 0.99, high: 1.03 }), 0.02)).toBe("can't tell");
    expect(speedVerdictText(speed({ ratio: 1.5, low: 1.3, high: 1.7, verdict: 'faster' }), 0.02)).toBe('B faster');
  });

  it('says why there is no verdict, and what the speed rests on', () => {
    expect(speedVerdictText(speed({ enough: false }), 0.02)).toBe('too few samples');
    expect(speedVerdictText(speed({ enough: false, paired: true, blocks: 2 }), 0.02)).toBe('too few blocks');
    expect(speedSamplesText(speed({ paired: true, blocks: 3 }))).toBe('9 pairs in 3 blocks');
    expect(speedSamplesText(speed({ samples: [4, 6] }))).toBe('4, 6');
  });
});
