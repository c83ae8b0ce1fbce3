import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../../shared/compare.js';
import { driftStart, formatSnr, outputError, paretoFront, worstOutput } from '../../../shared/compare-summary.js';

// Recorded from the real engine: the sample model, two int8, fp16, 50% pruned and a distilled model.
const recorded: Comparison = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'comparisons', 'sample-variants.json'), 'utf8'),
);

/** `recorded` with the given p50s and worst-output cosines (index 0 is the baseline). */
function withPoints(points: readonly [number, number][]): Comparison {
  return {
    ...recorded,
    models: points.map(([p50Ms, cosine], i) => ({
      ...recorded.models[i]!,
      latency: { ...recorded.models[i]!.latency, p50Ms },
      fidelity:
        i === 0 ? undefined : { outputs: [{ ...recorded.models[i]!.fidelity!.outputs[0]!, cosine }], drift: [] },
    })),
  };
}

describe('reading a comparison', () => {
  it('names the worst output and its error; the baseline has none', () => {
    expect(worstOutput(recorded.models[0]!)).toBeNull();
    expect(outputError(recorded.models[0]!)).toBe(0);
    const pruned = recorded.models.find((m) => m.label.startsWith('prune'))!;
    expect(outputError(pruned)).toBeCloseTo(1 - worstOutput(pruned)!.cosine, 12);
    expect(outputError(pruned)).toBeGreaterThan(0.01);
  });

  it('ranks an output that could not be read (NaN) worst rather than passing it', () => {
    const m = recorded.models[1]!;
    const broken = {
      ...m,
      fidelity: {
        ...m.fidelity!,
        outputs: [
          { ...m.fidelity!.outputs[0]!, name: 'a' },
          { ...m.fidelity!.outputs[0]!, name: 'b', cosine: Number.NaN },
        ],
      },
    };
    expect(worstOutput(broken)!.name).toBe('b');
    expect(outputError(broken)).toBeNaN();
  });

  it('finds where drift starts: the first shared tensor under cosine 0.999, in execution order', () => {
    const pruned = recorded.models.find((m) => m.label.startsWith('prune'))!;
    const start = driftStart(pruned)!;
    expect(start.cosine).toBeLessThan(0.999);
    const before = pruned.fidelity!.drift.slice(0, pruned.fidelity!.drift.indexOf(start));
    expect(before.every((d) => d.cosine >= 0.999)).toBe(true);
    const fp16 = recorded.models.find((m) => m.label === 'fp16')!;
    expect(driftStart(fp16)).toBeNull();
  });

  it('keeps on the Pareto front only models no other beats on both latency and error', () => {
    // baseline 1.0 ms exact; A 0.5 ms err 1e-4; B 0.6 ms err 1e-3 (dominated by A); C 0.3 ms err 0.05; D 0.5 ms err 1e-2 (dominated by A).
    const c = withPoints([
      [1, 1],
      [0.5, 1 - 1e-4],
      [0.6, 1 - 1e-3],
      [0.3, 0.95],
      [0.5, 0.99],
    ]);
    expect(paretoFront(c)).toEqual([3, 1, 0]);
  });

  it('writes SNR with its unit, infinite for identical tensors (null once through JSON)', () => {
    expect(formatSnr(43.68)).toBe('43.7 dB');
    expect(formatSnr(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(formatSnr(null)).toBe('∞');
    expect(formatSnr(Number.NaN)).toBe('–');
  });
});
