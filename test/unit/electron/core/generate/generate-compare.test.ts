import { describe, expect, it } from 'vitest';
import { compareGenerateReports } from '../../../../../electron/core/generate/generate-compare.js';
import { canReach } from '../../../../../electron/core/profile/unpaired-speedup.js';
import { renderGenerateCompareHtml } from '../../../../../electron/core/report/generate-compare-html.js';
import { formatGenerateCompareSummary } from '../../../../../electron/cli/generate-compare-summary.js';
import type { GenerateReport } from '../../../../../shared/generate.js';

// A report with `steps` as the per-generation median decode steps, shared out evenly over the
// prompt lengths, and `ttft` (ms) as each prompt length's repetitions; the timeline's decode steps
// are `timeline` (by default `steps`); everything else fixed. Made-up numbers: no model runs.
function report(
  name: string,
  steps: number[],
  ttft: Record<number, number[]>,
  kvBytes: number,
  path = `/m/${name}`,
  timeline = steps,
): GenerateReport {
  const lengths = Object.keys(ttft);
  const share = Math.floor(steps.length / lengths.length);
  return {
    model: { name, path },
    decoder: { layers: 4, kvElementType: kvBytes === 4 ? 'float32' : 'float16' },
    settings: { promptLengths: Object.keys(ttft).map(Number), newTokens: steps.length, reps: 3, clock: 'wall' },
    ortVersion: '1.22.0',
    prompts: Object.entries(ttft).map(([n, samples], i) => ({
      promptTokens: Number(n),
      ttftMs: [...samples].sort((x, y) => x - y)[1]!,
      ttftSamplesMs: samples,
      decodeTokensPerSec: 1000 / steps[0]!,
      decodeP50Ms: steps[0]! + i,
      decodeStepSamplesMs: steps.slice(i * share, (i + 1) * share),
    })),
    depth: [{ depth: 100, stepMs: steps[0]!, tokensPerSec: 1000 / steps[0]! }],
    timeline: [
      { index: 0, phase: 'prefill', startMs: 0, ms: 10, depth: 0, tokens: 64 },
      ...timeline.map((ms, i) => ({ index: i + 1, phase: 'decode', startMs: 10 + i, ms, depth: 64 + i, tokens: 1 })),
    ],
    kvMemory: {
      points: [{ context: 128, computedBytes: 1024 * kvBytes, measuredBytes: 1000 * kvBytes, rssBytes: 0 }],
      computedBytes: 1024 * kvBytes,
      measuredBytes: 1000 * kvBytes,
    },
    peakRssBytes: 50e6,
    layers: [],
  } as unknown as GenerateReport;
}

// 40 steps around `ms`, spread ±5% in a fixed pattern.
const around = (ms: number) => Array.from({ length: 40 }, (_, i) => ms * (0.95 + ((i * 7) % 11) / 100));

describe('comparing two decoders', () => {
  const a = report('fp32.onnx', around(2), { 16: [5, 5.2, 5.1], 64: [9, 9.3, 9.1] }, 4);

  it('calls B faster per token only when the whole interval is beyond the noise threshold', () => {
    const c = compareGenerateReports(a, report('int8.onnx', around(1), { 16: [3, 3.1, 3.2], 64: [6, 6.1, 6.2] }, 2));
    const token = c.speeds[0]!;
    expect(token.what).toBe('per-token decode latency');
    expect(token.verdict).toBe('faster');
    expect(token.ratio).toBeCloseTo(2, 1);
    expect(token.low).toBeGreaterThan(1.02);
    expect(token.samples).toEqual([40, 40]);
    // Bonferroni over 3 speeds: each interval at 1 - 0.05/3.
    expect(c.level).toBeCloseTo(1 - 0.05 / 3, 10);
    expect(c.verdict).toMatch(
      /^int8\.onnx decodes 2\.\d\d× faster per token than fp32\.onnx \(98\.3% interval \d\.\d\d–\d\.\d\d×/,
    );
    // The table's per-token p50 is the card's: the shortest prompt over every repetition, not the timeline.
    expect(c.metrics.find((m) => m.metric === 'per-token p50, shortest prompt')).toMatchObject({
      a: a.prompts[0]!.decodeP50Ms,
    });
    const kv = c.metrics.find((m) => m.metric.startsWith('KV cache computed'))!;
    expect(kv.ratio).toBe(0.5);
  });

  it('says "same" for two samples of one distribution, and slower with the inverse ratio', () => {
    expect(compareGenerateReports(a, report('copy.onnx', around(2), { 16: [5, 5.2, 5.1] }, 4)).speeds[0]!.verdict).toBe(
      'same',
    );
    const slow = compareGenerateReports(a, report('slow.onnx', around(3), { 16: [5, 5.2, 5.1] }, 4));
    expect(slow.speeds[0]!.verdict).toBe('slower');
    expect(slow.verdict).toMatch(/^slow\.onnx decodes 1\.\d\d× slower per token than fp32\.onnx/);
  });

  it('gives no verdict for a decoder against itself when load came in bursts over consecutive steps', () => {
    // One decoder profiled twice, 3 prompt lengths x 5 repetitions: each generation's median step
    // is drawn from the same spread. A's timeline generation ran through a burst of load (16 steps
    // in a row 30% slow), B's did not: 16 correlated steps are one sample, not 16.
    const medians = (shift: number) => Array.from({ length: 15 }, (_, i) => 1 + (((i + shift) * 7) % 15) / 100);
    const ttft = { 16: [5, 5.1, 5.2, 5.3, 5.4], 64: [9, 9.1, 9.2, 9.3, 9.4], 256: [30, 31, 32, 33, 34] };
    const burst = Array.from({ length: 16 }, (_, i) => 1.3 + (i % 3) / 100);
    const quiet = Array.from({ length: 16 }, (_, i) => 1.0 + (i % 3) / 100);
    const self = compareGenerateReports(
      report('model.onnx', medians(0), ttft, 4, '/a/model.onnx', burst),
      report('model.onnx', medians(4), ttft, 4, '/b/model.onnx', quiet),
    );
    const token = self.speeds[0]!;
    expect(token.verdict).toBe('same');
    expect(token.samples).toEqual([15, 15]);
    expect(token.enough).toBe(true);
    // Its interval reaches past 2% either way: not called "the same" either.
    expect(self.verdict).toMatch(
      /^These samples cannot tell .* apart per token: .* from 15 and 15 independent generations/,
    );
    // Two repetitions of one prompt length are too few for any interval: said, and no verdict.
    const two = compareGenerateReports(
      report('x.onnx', [1, 1.01], { 16: [5, 5.1] }, 4),
      report('y.onnx', [2, 2.02], { 16: [5, 5.1] }, 4),
    );
    expect(two.speeds[0]).toMatchObject({ enough: false, verdict: 'same', samples: [2, 2] });
    expect(two.verdict).toMatch(/^No per-token verdict: 2 and 2 independent generations/);
  });

  it('takes its speeds from the alternating rounds A ran with B, when there are some', () => {
    const b = report('int8.onnx', around(1), { 16: [3, 3.1, 3.2], 64: [6, 6.1, 6.2] }, 2);
    // In the rounds both decoders were the same speed: the profiles' own sweeps (2x apart) are not used.
    const same = compareGenerateReports(a, b).speeds[0]!.ratio;
    const rounds = (ms: number) =>
      [16, 64].map((n) => ({
        ...a.prompts[0]!,
        promptTokens: n,
        ttftSamplesMs: [5, 5.1, 5.2, 5.3, 5.4],
        decodeStepSamplesMs: around(ms).slice(0, 10),
      }));
    const c = compareGenerateReports(
      { ...a, alternatingRounds: { vsPath: b.model.path, a: rounds(2), b: rounds(2) } },
      b,
    );
    expect(same).toBeGreaterThan(1.5);
    expect(c.speeds[0]).toMatchObject({ verdict: 'same', ratio: 1, samples: [20, 20] });
    // Identical rounds: an interval inside the noise threshold, so "the same", said so.
    expect(c.verdict).toMatch(/decode at the same speed per token, within 2%/);
    expect(c.speeds[1]).toMatchObject({ samples: [5, 5], ratio: 1 });
    expect(c.speeds[0]!.paired).toBe(true);
    expect(c.verdict).toMatch(
      /from 20 alternating rounds \(fp32\.onnx and int8\.onnx back to back on one prompt\) in 10 blocks of fresh sessions/,
    );
    expect(c.notes.at(-1)).toMatch(/^Speeds are from alternating rounds/);
    // Rounds run with another B are not this comparison's.
    const other = compareGenerateReports(
      { ...a, alternatingRounds: { vsPath: '/m/x.onnx', a: rounds(2), b: rounds(2) } },
      b,
    );
    expect(other.speeds[0]!.ratio).toBe(same);
    expect(other.verdict).toMatch(/run one after the other/);
  });

  it('pairs each round of the alternating rounds, so drift between rounds hides no difference and makes none', () => {
    const b = report('int8.onnx', around(2), { 16: [5, 5.2, 5.1], 64: [9, 9.3, 9.1] }, 2);
    // Load drifts 3x over the rounds; B is 4% faster than A in every round.
    const drift = Array.from({ length: 12 }, (_, r) => 1 + (2 * r) / 11);
    const rounds = (scale: number) =>
      [16, 64].map((n) => ({
        ...a.prompts[0]!,
        promptTokens: n,
        ttftSamplesMs: drift.map((d) => 5 * d * scale),
        decodeStepSamplesMs: drift.map((d) => 2 * d * scale),
      }));
    const faster = compareGenerateReports(
      { ...a, alternatingRounds: { vsPath: b.model.path, a: rounds(1), b: rounds(0.96) } },
      b,
    );
    expect(faster.speeds[0]).toMatchObject({ verdict: 'faster', paired: true, enough: true });
    expect(faster.speeds[0]!.ratio).toBeCloseTo(1 / 0.96, 6);
    // The same samples taken as unpaired (two profiles made apart) cannot see it through the drift.
    expect(
      compareGenerateReports({ ...a, prompts: rounds(1) }, { ...b, prompts: rounds(0.96) }).speeds[0],
    ).toMatchObject({ verdict: 'same', paired: false });
    // A decoder against its copy under the same drift: the same.
    const copy = compareGenerateReports(
      { ...a, alternatingRounds: { vsPath: b.model.path, a: rounds(1), b: rounds(1) } },
      b,
    );
    expect(copy.speeds.map((x) => x.verdict)).toEqual(['same', 'same', 'same']);
    // The session loaded first runs 4% slower, and the blocks load A first and B first in turn: the
    // copy is still the same, where pooling the rounds' pairs would have called it from the odd block out.
    const loadedFirst = (side: 'a' | 'b') =>
      [16, 64].map((n) => ({
        ...a.prompts[0]!,
        promptTokens: n,
        ttftSamplesMs: drift.map((d, r) => 5 * d * ((r % 2 === 0) === (side === 'a') ? 1.04 : 1)),
        decodeStepSamplesMs: drift.map((d, r) => 2 * d * ((r % 2 === 0) === (side === 'a') ? 1.04 : 1)),
      }));
    const twins = compareGenerateReports(
      { ...a, alternatingRounds: { vsPath: b.model.path, a: loadedFirst('a'), b: loadedFirst('b') } },
      b,
    );
    expect(twins.speeds.map((x) => x.verdict)).toEqual(['same', 'same', 'same']);
    expect(twins.speeds[0]!.ratio).toBeCloseTo(1, 6);
    expect(twins.speeds[0]!.blocks).toBe(12);
  });

  it('gives no verdict where the samples are too few for any interval at the level', () => {
    // 3 and 3 TTFT repetitions, every B below every A: the widest interval covers only 90%.
    const c = compareGenerateReports(a, report('int8.onnx', around(1), { 16: [3, 3.1, 3.2], 64: [6, 6.1, 6.2] }, 2));
    expect(c.speeds[1]).toMatchObject({ what: 'TTFT at 16 tokens', verdict: 'same', enough: false });
    expect(c.speeds[0]!.enough).toBe(true);
    expect(formatGenerateCompareSummary(c)).toMatch(/TTFT at 16 tokens .* too few samples/);
    expect(c.speeds[1]!.ratio).toBeGreaterThan(1.5);
    expect(c.notes[0]).toMatch(/^TTFT at 16 tokens, TTFT at 64 tokens: too few samples for a 98\.3% interval/);
    expect(canReach(2, 2, 0.95)).toBe(false); // 2 / 6 misses
    expect(canReach(3, 3, 0.9)).toBe(true); // 2 / 20 = 0.1
    expect(canReach(3, 3, 0.95)).toBe(false);
    expect(canReach(5, 5, 1 - 0.05 / 3)).toBe(true); // 2 / 252
  });

  it('compares TTFT only at the prompt lengths both ran, and says which were left out', () => {
    const c = compareGenerateReports(a, report('b.onnx', around(2), { 16: [5, 5.2, 5.1], 256: [20, 21, 22] }, 4));
    expect(c.speeds.map((s) => s.what)).toEqual(['per-token decode latency', 'TTFT at 16 tokens']);
    expect(c.notes.find((n) => n.startsWith('Prompt lengths'))).toMatch(
      /^Prompt lengths 64, 256 were profiled for one decoder only/,
    );
  });

  it('names two files called alike by what differs, else by their folders', () => {
    const x = report('model.onnx', around(2), { 16: [5] }, 4, '/exports/fp32/model.onnx');
    expect(compareGenerateReports(x, report('model.onnx', around(2), { 16: [5] }, 2)).names).toEqual([
      'model.onnx (4 layers, float32 cache)',
      'model.onnx (4 layers, float16 cache)',
    ]);
    const y = report('model.onnx', around(2), { 16: [5] }, 4, '/exports/int8/model.onnx');
    expect(compareGenerateReports(x, y).names).toEqual(['fp32/model.onnx', 'int8/model.onnx']);
  });

  it('prints and renders every section, self-contained', () => {
    const c = compareGenerateReports(a, report('int8.onnx', around(1), { 16: [3, 3.1, 3.2], 64: [6, 6.1, 6.2] }, 2));
    const text = formatGenerateCompareSummary(c);
    expect(text).toContain('A: fp32.onnx   B: int8.onnx');
    expect(text).toMatch(/per-token decode latency .* B faster/);
    const html = renderGenerateCompareHtml(c);
    for (const id of ['verdict', 'metrics', 'ttft', 'decode-depth', 'timeline', 'kv-memory', 'layers', 'notes'])
      expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script(?! type="application\/json")/);
  });
});
