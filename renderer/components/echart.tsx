/**
 * One component owns a chart's life: init, setOption when the option changes, resize with its box,
 * event handlers, dispose. Options come from the pure builders in renderer/charts/. Only the ECharts
 * modules the app draws with are registered, so the bundle carries nothing else.
 */
import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties } from 'react';
import {
  init,
  use as registerEchartsModules,
  type ECElementEvent,
  type EChartsCoreOption,
  type EChartsType,
} from 'echarts/core';
// Namespace imports read member by member: the bundler keeps only the modules named here, once.
import * as charts from 'echarts/charts';
import * as components from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

registerEchartsModules([
  charts.BarChart,
  charts.CustomChart,
  charts.LineChart,
  charts.ScatterChart,
  components.AriaComponent,
  components.DataZoomInsideComponent,
  components.DataZoomSliderComponent,
  components.GridComponent,
  components.LegendComponent,
  components.MarkAreaComponent,
  components.MarkLineComponent,
  components.MarkPointComponent,
  components.TooltipComponent,
  CanvasRenderer,
]);

const FRESH = Symbol('fresh');
const DARK_QUERY = '(prefers-color-scheme: dark)';

/** True while the OS asks for a dark colour scheme; follows changes live. */
export function usePrefersDark(): boolean {
  const [dark, setDark] = useState(() => typeof matchMedia === 'function' && matchMedia(DARK_QUERY).matches);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return undefined;
    const query = matchMedia(DARK_QUERY);
    const onChange = () => setDark(query.matches);
    query.addEventListener('change', onChange);
    onChange();
    return () => query.removeEventListener('change', onChange);
  }, []);
  return dark;
}

/**
 * Disposes a chart, first cancelling a paint still spread over animation frames. zrender paints a
 * large layer (a 50,000-layer report's roofline or memory series) a slice per frame, and ECharts'
 * 'finished' event can come before the last slice; disposing in between left the next frame reading
 * freed layers ("Cannot read properties of null (reading 'layerStack')"). Each pending slice checks
 * that the painter's redraw id is still its own and stops otherwise, so changing it cancels them.
 * zrender offers no public call for this; when the field is gone the dispose is plain.
 */
function disposeChart(chart: EChartsType): void {
  const painter = (chart.getZr() as unknown as { painter?: { _redrawId?: unknown } }).painter;
  if (painter && '_redrawId' in painter) painter._redrawId = Symbol('disposed');
  chart.dispose();
}

/** A point clicked anywhere in the plot, in data coordinates of the first grid. */
export interface PlotPoint {
  readonly x: number;
  readonly y: number;
}

/** Props of EChart. */
export interface EChartProps {
  readonly option: EChartsCoreOption;
  readonly height: number | string;
  /** Accessible name of the chart (role=img). */
  readonly label: string;
  /** Called when a data item (bar, box, frame, point) is clicked. */
  readonly onItemClick?: (event: ECElementEvent) => void;
  /** Called for a click anywhere in the plot area, with the data coordinates under the pointer. */
  readonly onPlotClick?: (point: PlotPoint) => void;
  /** Called after the user zooms or pans (wheel, drag or slider). */
  readonly onDataZoom?: (event: unknown) => void;
  /**
   * When this value changes the chart drops its zoom state and takes the option whole; otherwise a
   * new option is merged so a selection change keeps the user's zoom and pan.
   */
  readonly resetKey?: string | number;
  readonly className?: string;
  readonly style?: CSSProperties;
  readonly dark?: boolean;
}

/** An ECharts chart in a div that fills its parent's width. */
export function EChart(props: EChartProps) {
  const { option, height, label, resetKey, className, style } = props;
  const dark = props.dark ?? false;
  const boxRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<EChartsType | null>(null);
  // Reset key of the option last set; `fresh` until the chart has had its first option.
  const lastResetKey = useRef<string | number | undefined | typeof FRESH>(FRESH);
  // Handlers live in a ref: new closures each render must not re-bind ECharts listeners.
  const handlers = useRef(props);
  useLayoutEffect(() => {
    handlers.current = props;
  });

  // Init and dispose; re-created when the colour scheme flips so canvas colours follow the OS.
  useEffect(() => {
    const box = boxRef.current;
    if (!box) return undefined;
    // Each chart instance gets its own element, removed with it, so a successor (after a colour
    // scheme flip) never finds a disposed instance's canvas in its box.
    const holder = document.createElement('div');
    holder.style.width = '100%';
    holder.style.height = '100%';
    box.appendChild(holder);
    const chart = init(holder, dark ? 'dark' : undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    lastResetKey.current = FRESH;
    chart.on('click', (event) => handlers.current.onItemClick?.(event as ECElementEvent));
    chart.on('datazoom', (event) => handlers.current.onDataZoom?.(event));
    chart.getZr().on('click', (event) => {
      const onPlotClick = handlers.current.onPlotClick;
      if (!onPlotClick) return;
      const pixel = [event.offsetX, event.offsetY];
      if (!chart.containPixel({ gridIndex: 0 }, pixel)) return;
      const [x, y] = chart.convertFromPixel({ gridIndex: 0 }, pixel) as number[];
      onPlotClick({ x: x!, y: y! });
    });
    // Resize with the box, at most once per frame.
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => chart.resize());
    });
    observer.observe(box);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      holder.remove();
      disposeChart(chart);
      chartRef.current = null;
    };
  }, [dark]);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const reset = lastResetKey.current === FRESH || lastResetKey.current !== resetKey;
    lastResetKey.current = resetKey;
    chart.setOption(option, reset ? { notMerge: true } : { replaceMerge: ['series'] });
  }, [option, resetKey, dark]);

  // ECharts' aria module writes its own generated description over the aria-label of the div it
  // draws in; the outer div keeps the chart's accessible name.
  return (
    <div role="img" aria-label={label} className={className} style={{ width: '100%', height, ...style }}>
      <div ref={boxRef} style={{ width: '100%', height: '100%' }} />
    </div>
  );
}
