// Helpers to exercise chart options without a DOM: render them to SVG with ECharts' server-side
// renderer (runs every renderItem and axis formatter for real) and call tooltip formatters directly.
import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';

/** Renders an option to an SVG string at the given size. */
export function renderSvg(option: EChartsOption, width = 1200, height = 400): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The option's first series (builders here put the main one first). */
export function firstSeries(option: EChartsOption): Record<string, unknown> {
  const series = option.series as Record<string, unknown>[] | Record<string, unknown>;
  return Array.isArray(series) ? series[0]! : series;
}

/** Calls the option's tooltip formatter with the given params. */
export function tooltipFor(option: EChartsOption, params: unknown): string {
  const tooltip = option.tooltip as { formatter: (p: unknown) => string };
  return tooltip.formatter(params);
}

/** Runs a custom series' renderItem over every data item with a linear fake coordinate system. */
export function renderItems(
  option: EChartsOption,
  coord: (value: number[]) => number[],
  rowPx: number,
  grid = { x: 0, y: 0, width: 1000, height: 300 },
): ({
  shape: { x: number; y: number; width: number; height: number };
  style: Record<string, unknown>;
  textContent?: { style: { text: string } };
} | null)[] {
  const series = firstSeries(option) as { data: number[][]; renderItem: (p: unknown, api: unknown) => never };
  return series.data.map((item, dataIndex) =>
    series.renderItem(
      { coordSys: grid, dataIndex },
      {
        value: (i: number) => item[i],
        coord,
        size: () => [0, rowPx],
      },
    ),
  );
}
