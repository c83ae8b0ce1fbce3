/** A chart in a card under its caption: the figure the results and compare views are made of. */
import type { ReactNode } from 'react';
import { EChart, type EChartProps } from './echart.js';

/** A `chart-card` figure: `caption` above, then the chart (every EChart prop passes through). */
export function ChartCard({ caption, ...chart }: EChartProps & { readonly caption: ReactNode }) {
  return (
    <figure className="chart-card">
      <figcaption>{caption}</figcaption>
      <EChart {...chart} />
    </figure>
  );
}
