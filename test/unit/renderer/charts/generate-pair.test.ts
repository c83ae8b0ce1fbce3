import { describe, expect, it } from 'vitest';
import { buildPairDepthOption, buildPairTtftOption } from '../../../../renderer/charts/generate-pair.js';
import type { GenerateComparison } from '../../../../shared/generate-compare.js';
import type { GenerateReport } from '../../../../shared/generate.js';

type Series = { name: string; data: number[][]; lineStyle: { type: string } };
const seriesOf = (option: unknown) => (option as { series: Series[] }).series;

// Two exports both called model.onnx: the comparison's names tell them apart; made-up numbers.
function report(ttft: number[], rate: number[]): GenerateReport {
  return {
    model: { name: 'model.onnx', path: '/m/model.onnx' },
    prompts: ttft.map((t, i) => ({ promptTokens: 8 << i, ttftMs: t })),
    depth: rate.map((r, i) => ({ depth: 16 * (i + 1), stepMs: 1000 / r, tokensPerSec: r })),
  } as unknown as GenerateReport;
}
const comparison = {
  a: report([2, 4], [500, 400]),
  b: report([1, 3], [900, 700]),
  names: ['model.onnx (4 layers, float32 cache)', 'model.onnx (4 layers, float16 cache)'],
} as unknown as GenerateComparison;

describe('the charts of two compared decoders', () => {
  it('name the lines as the comparison names the decoders, B solid and A dashed', () => {
    const ttft = seriesOf(buildPairTtftOption(comparison));
    expect(ttft.map((s) => s.name)).toEqual([
      'B model.onnx (4 layers, float16 cache)',
      'A model.onnx (4 layers, float32 cache)',
    ]);
    expect(ttft.map((s) => s.lineStyle.type)).toEqual(['solid', 'dashed']);
    expect(ttft[1]!.data).toEqual([
      [8, 2],
      [16, 4],
    ]);
  });

  it("draw each decoder's own depth curve", () => {
    const depth = seriesOf(buildPairDepthOption(comparison));
    expect(depth.map((s) => s.name)).toEqual([
      'B model.onnx (4 layers, float16 cache)',
      'A model.onnx (4 layers, float32 cache)',
    ]);
    expect(depth[0]!.data).toEqual([
      [16, 900],
      [32, 700],
    ]);
  });
});
