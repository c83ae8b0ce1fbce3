import { describe, expect, it } from 'vitest';
import { pairProgress } from '../../../../../electron/core/generate/generate-vs.js';
import type { ProfileProgress } from '../../../../../shared/progress.js';

const progress = (fraction: number, etaMs: number | null = 1200): ProfileProgress => ({
  phase: 'timing',
  done: 3,
  total: 10,
  message: 'Generating: step 3 of 10',
  fraction,
  etaMs,
});

describe('the progress of two decoders profiled the --vs way', () => {
  it("runs one bar over both: A's profile its first half, B's the second, each named", () => {
    expect(pairProgress(progress(0), 'A')).toMatchObject({ fraction: 0, message: 'A: Generating: step 3 of 10' });
    expect(pairProgress(progress(0.5), 'A').fraction).toBe(0.25);
    expect(pairProgress(progress(0), 'B')).toMatchObject({ fraction: 0.5, message: 'B: Generating: step 3 of 10' });
    expect(pairProgress(progress(0.98), 'B').fraction).toBeCloseTo(0.99, 9);
    expect(pairProgress(progress(0.5), 'B')).toMatchObject({ phase: 'timing', done: 3, total: 10 });
  });

  it("gives no time left while A runs (B's profile is still to come), and B's own once B runs", () => {
    expect(pairProgress(progress(0.5), 'A').etaMs).toBeNull();
    expect(pairProgress(progress(0.5), 'B').etaMs).toBe(1200);
  });
});
