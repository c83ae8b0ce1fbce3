import { describe, expect, it } from 'vitest';
import {
  boundColor,
  buildRooflineOption,
  decadeRange,
  formatIntensity,
  roofPolyline,
  roofWithLabels,
  ROOFLINE_DIM,
} from '../../../../renderer/charts/roofline.js';
import { LIGHT_THEME } from '../../../../renderer/charts/theme.js';
import { makeReport } from '../../../fixtures/make-report.js';
import { renderSvg, tooltipFor } from './render-helpers.js';

const report = makeReport({ layers: 120 });
const roof = report.roofline!;

type Series = { name: string; type: string; data: ({ value: number[] } | number[])[] };
const seriesOf = (option: ReturnType<typeof buildRooflineOption>) => option!.series as Series[];

describe('roofline chart', () => {
  it('puts every point in the series of its bound, at [intensity, achieved, layer]', () => {
    const series = seriesOf(buildRooflineOption(report));
    const memory = series.find((s) => s.name === 'Memory-bound')!;
    const compute = series.find((s) => s.name === 'Compute-bound')!;
    expect(memory.data.length + compute.data.length).toBe(roof.points.length);
    expect(memory.data.length).toBe(roof.points.filter((p) => p.boundBy === 'memory').length);
    for (const d of [...memory.data, ...compute.data] as { value: number[] }[]) {
      const p = roof.points.find((q) => q.layer === d.value[ROOFLINE_DIM.layer])!;
      expect(d.value[ROOFLINE_DIM.intensity]).toBe(p.intensity);
      expect(d.value[ROOFLINE_DIM.gflops]).toBe(p.achievedGflops);
    }
  });

  it('draws the memory slope up to the ridge and the flat peak after it on log-log axes', () => {
    const option = buildRooflineOption(report)!;
    const line = seriesOf(option).find((s) => s.name === 'Roof')!;
    const pts = (line.data as { value: number[] }[]).map((d) => d.value);
    const x = option.xAxis as { type: string; min: number; max: number };
    expect(x.type).toBe('log');
    expect((option.yAxis as { type: string }).type).toBe('log');
    expect(pts[0]).toEqual([x.min, roof.memBandwidthGBs * x.min]);
    expect(pts).toContainEqual([roof.ridgeIntensity, roof.peakGflops]);
    expect(pts[pts.length - 1]).toEqual([x.max, roof.peakGflops]);
    // Every point of the line (the labelled ones too) lies on min(peak, bandwidth × intensity).
    for (const [ix, gf] of pts) expect(gf!).toBeCloseTo(Math.min(roof.peakGflops, roof.memBandwidthGBs * ix!), 6);
    expect(x.min).toBeLessThanOrEqual(Math.min(...roof.points.map((p) => p.intensity)));
    expect(x.max).toBeGreaterThanOrEqual(Math.max(...roof.points.map((p) => p.intensity)));
  });

  it('computes the roof polyline and decade ranges', () => {
    expect(roofPolyline(100, 20, 0.1, 100)).toEqual([
      [0.1, 2],
      [5, 100],
      [100, 100],
    ]);
    expect(roofPolyline(100, 20, 10, 100)).toEqual([
      [5, 100],
      [100, 100],
    ]);
    expect(decadeRange([0.3, 42])).toEqual([0.1, 100]);
    expect(
      roofWithLabels(
        [
          [0.1, 2],
          [5, 100],
          [100, 100],
        ],
        5,
        0.1,
      ).map((p) => p[2]),
    ).toEqual(['slope', 'bandwidth', 'ridge', 'peak']);
    expect(
      roofWithLabels(
        [
          [0.1, 2],
          [5, 100],
          [100, 100],
        ],
        5,
        0.1,
      )[1]![1],
    ).toBeCloseTo(20 * Math.sqrt(0.5), 9);
    expect(decadeRange([])).toEqual([0.1, 10]);
    expect(formatIntensity(8.2758)).toBe('8.28');
    expect(formatIntensity(0.01234)).toBe('0.012');
  });

  it('rings the selected layer and colours the two bounds apart', () => {
    const layer = roof.points[3]!.layer;
    const series = seriesOf(buildRooflineOption(report, { selectedLayer: layer }));
    const ring = series.find((s) => s.name === 'Selected')!;
    expect((ring.data[0] as number[])[ROOFLINE_DIM.layer]).toBe(layer);
    expect(seriesOf(buildRooflineOption(report)).some((s) => s.name === 'Selected')).toBe(false);
    expect(boundColor('memory', LIGHT_THEME)).not.toBe(boundColor('compute', LIGHT_THEME));
  });

  it('tooltips layer, op, intensity, achieved against the roof and efficiency', () => {
    const p = roof.points.find((q) => q.boundBy === 'memory')!;
    const layer = report.layers[p.layer]!;
    const html = tooltipFor(buildRooflineOption(report)!, { value: [p.intensity, p.achievedGflops, p.layer] });
    expect(html).toContain(layer.opType);
    expect(html).toContain('FLOP/byte');
    expect(html).toMatch(/Achieved.*GFLOP\/s/);
    expect(html).toMatch(/Roof here.*GFLOP\/s/);
    expect(html).toMatch(/\d+(\.\d+)?% of the roof/);
    expect(html).toContain('memory bandwidth');
  });

  it('is null without a roofline and renders with the peak, bandwidth and ridge labelled', () => {
    const { roofline: _, ...without } = report;
    expect(buildRooflineOption(without)).toBeNull();
    const svg = renderSvg(buildRooflineOption(report)!, 900, 380);
    expect(svg).toContain('peak 120 GFLOP/s');
    expect(svg).toContain('14.5 GB/s');
    expect(svg).toContain('ridge 8.28 FLOP/B');
  });
});
