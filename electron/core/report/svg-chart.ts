/**
 * Small static SVG charts for reports that must open without scripts: line (and step) series on
 * linear axes with ticks, a legend and labelled axes. Text is escaped; numbers are rounded.
 */
import { escapeHtml } from '../../../shared/html-escape.js';

/** One series of a line chart. */
export interface ChartSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  readonly color: string;
  readonly dashed?: boolean;
  readonly markers?: boolean;
}

/** A line chart's content and labels. */
export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  readonly width?: number;
  readonly height?: number;
  readonly yFormat?: (v: number) => string;
  readonly yFromZero?: boolean;
}

const M = { left: 64, right: 16, top: 34, bottom: 44 };

/** The chart as an <svg> element. */
export function lineChartSvg(chart: LineChart): string {
  const width = chart.width ?? 560;
  const height = chart.height ?? 260;
  const all = chart.series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [x0, x1] = range(xs, false);
  const [y0, y1] = range(ys, chart.yFromZero ?? true);
  const px = (x: number) => M.left + ((x - x0) / (x1 - x0 || 1)) * (width - M.left - M.right);
  const py = (y: number) => height - M.bottom - ((y - y0) / (y1 - y0 || 1)) * (height - M.top - M.bottom);
  const fmt = chart.yFormat ?? ((v: number) => tickText(v));
  const parts: string[] = [];
  parts.push(`<text x="${M.left}" y="18" class="chart-title">${escapeHtml(chart.title)}</text>`);
  for (const t of ticks(y0, y1, 5)) {
    parts.push(`<line x1="${M.left}" x2="${width - M.right}" y1="${r(py(t))}" y2="${r(py(t))}" class="grid"/>`);
    parts.push(
      `<text x="${M.left - 6}" y="${r(py(t)) + 4}" text-anchor="end" class="tick">${escapeHtml(fmt(t))}</text>`,
    );
  }
  // Whole-number x values (gamma, a position) get whole-number ticks.
  const xWhole = xs.every((x) => Number.isInteger(x));
  for (const t of ticks(x0, x1, 6).filter((t) => !xWhole || Number.isInteger(t))) {
    parts.push(
      `<text x="${r(px(t))}" y="${height - M.bottom + 16}" text-anchor="middle" class="tick">${escapeHtml(tickText(t))}</text>`,
    );
  }
  parts.push(
    `<text x="${(M.left + width - M.right) / 2}" y="${height - 8}" text-anchor="middle" class="axis">${escapeHtml(chart.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(14 ${(M.top + height - M.bottom) / 2}) rotate(-90)" text-anchor="middle" class="axis">${escapeHtml(chart.yLabel)}</text>`,
  );
  chart.series.forEach((s, i) => {
    if (s.points.length === 0) return;
    const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${r(px(p[0]))},${r(py(p[1]))}`).join('');
    parts.push(
      `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
    );
    if (s.markers ?? s.points.length <= 24)
      for (const p of s.points) parts.push(`<circle cx="${r(px(p[0]))}" cy="${r(py(p[1]))}" r="3" fill="${s.color}"/>`);
    const lx = width - M.right - 170;
    const ly = M.top + 4 + i * 16;
    parts.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
    );
    parts.push(`<text x="${lx + 24}" y="${ly + 4}" class="legend">${escapeHtml(s.name)}</text>`);
  });
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(chart.title)}">${parts.join('')}</svg>`;
}

function range(values: readonly number[], fromZero: boolean): [number, number] {
  if (values.length === 0) return [0, 1];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (fromZero) lo = Math.min(0, lo);
  if (hi === lo) hi = lo + 1;
  return [lo, hi + (fromZero ? (hi - lo) * 0.05 : 0)];
}

function ticks(lo: number, hi: number, count: number): number[] {
  const step = niceStep((hi - lo) / count);
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw || 1));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

function tickText(v: number): string {
  if (Math.abs(v) >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (Math.abs(v) >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  return Number(v.toPrecision(3)).toString();
}

function r(v: number): number {
  return Math.round(v * 10) / 10;
}
