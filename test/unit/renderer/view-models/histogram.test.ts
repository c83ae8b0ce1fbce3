import { describe, expect, it } from 'vitest';
import { binSamples } from '../../../../renderer/view-models/histogram.js';
import { makeReport } from '../../../fixtures/make-report.js';

describe('binSamples', () => {
  it('counts every sample exactly once, in the bin whose range holds it', () => {
    const samples = makeReport({ layers: 50, samples: 137 }).latency.samplesMs;
    const { edges, counts } = binSamples(samples);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(samples.length);
    expect(edges).toHaveLength(counts.length + 1);
    expect(edges[0]).toBe(Math.min(...samples));
    expect(edges[edges.length - 1]).toBe(Math.max(...samples));
    for (let i = 0; i < counts.length; i++) {
      const inBin = samples.filter(
        (v) => v >= edges[i]! && (i === counts.length - 1 ? v <= edges[i + 1]! : v < edges[i + 1]!),
      );
      expect(inBin).toHaveLength(counts[i]!);
    }
  });

  it('picks about √n bins within 5..30 and never more bins than samples', () => {
    expect(binSamples(Array.from({ length: 100 }, (_, i) => i)).counts).toHaveLength(10);
    expect(binSamples(Array.from({ length: 10_000 }, (_, i) => i)).counts).toHaveLength(30);
    expect(binSamples([1, 2, 3]).counts).toHaveLength(3);
  });

  it('gives one bin of width for equal samples, nothing for none, and skips NaN', () => {
    const same = binSamples([4, 4, 4]);
    expect(same.counts).toEqual([3]);
    expect(same.edges[1]! - same.edges[0]!).toBeGreaterThan(0);
    expect(binSamples([])).toEqual({ edges: [], counts: [] });
    expect(binSamples([1, NaN, 2]).counts.reduce((s, c) => s + c, 0)).toBe(2);
  });
});
