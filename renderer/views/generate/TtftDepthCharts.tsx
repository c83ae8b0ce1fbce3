/**
 * The two curves of a generation side by side: TTFT against prompt length and the median decode step
 * rate against KV depth (one decoder's, or two decoders' on one chart each).
 */
import type { EChartsOption } from 'echarts';
import { EChart } from '../../components/echart.js';

export function TtftDepthCharts(props: {
  readonly ttft: EChartsOption;
  readonly depth: EChartsOption;
  readonly labels: { readonly ttft: string; readonly depth: string };
  readonly dark: boolean;
}) {
  return (
    <div className="chart-row">
      <figure className="chart-card">
        <figcaption>Time to first token against prompt length</figcaption>
        <EChart option={props.ttft} height={260} label={props.labels.ttft} dark={props.dark} />
      </figure>
      <figure className="chart-card">
        <figcaption>Median decode step rate (1000 / median step) against KV depth</figcaption>
        <EChart option={props.depth} height={260} label={props.labels.depth} dark={props.dark} />
      </figure>
    </div>
  );
}
