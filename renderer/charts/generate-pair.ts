/**
 * The TTFT and depth charts of two compared decoders: the Generation view's builders (B solid, A
 * dashed), the lines named as the comparison names the decoders ("A model.onnx (4 layers, float32
 * cache)"), since two exports of one model are often both model.onnx. Pure: tested without a DOM.
 */
import type { EChartsOption } from 'echarts';
import type { GenerateComparison } from '../../shared/generate-compare.js';
import { buildDepthOption, buildTtftOption } from './generate.js';
import { LIGHT_THEME, type ChartTheme } from './theme.js';

/** TTFT against prompt length, both decoders. */
export function buildPairTtftOption(c: GenerateComparison, theme: ChartTheme = LIGHT_THEME): EChartsOption {
  return named(buildTtftOption(c.b, c.a, theme), c);
}

/** Median decode step rate against KV depth, both decoders. */
export function buildPairDepthOption(c: GenerateComparison, theme: ChartTheme = LIGHT_THEME): EChartsOption {
  return named(buildDepthOption(c.b, c.a, theme), c);
}

// The builders put the report first and the one before it second.
function named(option: EChartsOption, c: GenerateComparison): EChartsOption {
  const [an, bn] = c.names;
  const series = (option.series as { name?: string }[]).map((s, i) => ({
    ...s,
    name: i === 0 ? `B ${bn}` : `A ${an}`,
  }));
  return { ...option, series } as EChartsOption;
}
