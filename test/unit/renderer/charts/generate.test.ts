import { describe, expect, it } from 'vitest';
import {
  buildAcceptanceOption,
  buildDepthOption,
  buildKvMemoryOption,
  buildPhaseLayersOption,
  buildSpeculativeOption,
  buildTokenTimelineOption,
  buildTtftOption,
} from '../../../../renderer/charts/generate.js';
import type { GenerateReport } from '../../../../shared/generate.js';

type Series = { name: string; data: unknown[] };
const seriesOf = (option: unknown) => (option as { series: Series[] }).series;

function report(name: string, ttft: number[]): GenerateReport {
  return {
    model: { name, path: `/m/${name}` },
    prompts: ttft.map((t, i) => ({ promptTokens: 16 << i, ttftMs: t })),
    depth: [
      { depth: 20, stepMs: 1, tokensPerSec: 1000 },
      { depth: 80, stepMs: 2, tokensPerSec: 500 },
    ],
    timeline: [
      { index: 0, phase: 'prefill', startMs: 0, ms: 5, depth: 0, tokens: 64 },
      { index: 1, phase: 'decode', startMs: 5, ms: 1, depth: 64, tokens: 1 },
    ],
    kvMemory: { points: [{ context: 64, computedBytes: 1048576, measuredBytes: 2097152, rssBytes: 0 }] },
    layers: [
      { module: 'model/layers.0/attn', prefillUs: 100, decodeUs: 10 },
      { module: 'model/layers.0/mlp', prefillUs: 50, decodeUs: 30 },
    ],
    profiledPass: { prefillUs: 160, decodeStepUs: 45, decodeSteps: 8 },
    speculative: {
      alpha: 0.7,
      bestGamma: 2,
      costedBestGamma: 2,
      predicted: [
        { gamma: 1, speedup: 1.4 },
        { gamma: 2, speedup: 1.6 },
      ],
      costedPredicted: [
        { gamma: 1, speedup: 1.2 },
        { gamma: 2, speedup: 1.3 },
      ],
      runs: [
        { gamma: 1, measuredSpeedup: 1.1, measuredInterval: { low: NaN, high: NaN }, acceptanceByPosition: [0.7] },
        {
          gamma: 2,
          measuredSpeedup: 1.25,
          measuredInterval: { low: 1.2, high: 1.3 },
          acceptanceByPosition: [0.7, 0.6],
        },
      ],
    },
  } as unknown as GenerateReport;
}

describe('generation charts', () => {
  it('draw the earlier report beside the current one on the TTFT and depth curves', () => {
    const ttft = seriesOf(buildTtftOption(report('int8.onnx', [1, 2]), report('fp32.onnx', [2, 4])));
    expect(ttft.map((s) => s.name)).toEqual(['int8.onnx', 'fp32.onnx (before)']);
    expect(ttft[1]!.data).toEqual([
      [16, 2],
      [32, 4],
    ]);
    expect(seriesOf(buildDepthOption(report('a.onnx', [1]), null))[0]!.data).toEqual([
      [20, 1000],
      [80, 500],
    ]);
  });

  it('colour the prefill bar of the timeline apart from the decode steps', () => {
    const [bars] = seriesOf(buildTokenTimelineOption(report('a.onnx', [1])));
    const data = bars!.data as { value: number; itemStyle: { color: string } }[];
    expect(data.map((d) => d.value)).toEqual([5, 1]);
    expect(data[0]!.itemStyle.color).not.toBe(data[1]!.itemStyle.color);
  });

  it('plot KV memory in MiB, computed and measured', () => {
    const s = seriesOf(buildKvMemoryOption(report('a.onnx', [1])));
    expect(s[0]!.data).toEqual([[64, 1]]);
    expect(s[1]!.data).toEqual([[64, 2]]);
  });

  it('sort the layers by the phase chosen', () => {
    const prefill = buildPhaseLayersOption(report('a.onnx', [1]), 'prefill') as { yAxis: { data: string[] } };
    const decode = buildPhaseLayersOption(report('a.onnx', [1]), 'decode') as { yAxis: { data: string[] } };
    // Horizontal bars list bottom-up: the largest is last.
    expect(prefill.yAxis.data.at(-1)).toBe('model/layers.0/attn');
    expect(decode.yAxis.data.at(-1)).toBe('model/layers.0/mlp');
  });

  it('stack one generation by phase under "both": the prefill and every decode step', () => {
    // attn: 100 + 8 x 10 = 180 µs; mlp: 50 + 8 x 30 = 290 µs, the largest over a generation.
    const both = buildPhaseLayersOption(report('a.onnx', [1]), 'both') as {
      yAxis: { data: string[] };
      series: Series[];
    };
    expect(both.yAxis.data).toEqual(['model/layers.0/attn', 'model/layers.0/mlp']);
    expect(both.series.map((x) => x.name)).toEqual(['prefill', 'decode × 8']);
    expect(both.series[1]!.data).toEqual([80, 240]);
  });

  it('draw S(gamma) predicted with the measured round cost, the paper S, and measured with its intervals', () => {
    const s = seriesOf(buildSpeculativeOption(report('a.onnx', [1])));
    expect(s.map((x) => x.name)).toEqual([
      'predicted (measured round cost)',
      "paper's S (verify = 1 step)",
      'measured loop',
      'measured loop',
    ]);
    expect(s[0]!.data).toEqual([
      [1, 1.2],
      [2, 1.3],
    ]);
    expect(s[2]!.data).toEqual([
      [1, 1.1],
      [2, 1.25],
    ]);
    // Error bars only where the pairs gave an interval.
    expect(s[3]!.data).toEqual([[2, 1.2, 1.3]]);
    const a = seriesOf(buildAcceptanceOption(report('a.onnx', [1])));
    expect(a[0]!.data).toEqual([0.7, 0.6]);
    expect(a[1]!.data).toEqual([0.7, 0.7]);
  });
});
