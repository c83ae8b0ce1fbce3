// Chart labels that must not sit on data, on each other, or off the chart: the run line's
// percentiles, the memory chart's selected layer against its axis name, the roofline's bandwidth
// among the points, the flame graph's axis ends, and card values that keep their unit.
import { describe, expect, it } from 'vitest';
import { paintTimeAxis, tickLabels, timeTicks } from '../../../../renderer/charts/canvas/paint.js';
import { LIGHT_THEME } from '../../../../renderer/charts/theme.js';
import { fakeContext } from './fake-canvas.js';
import { buildMemoryOption } from '../../../../renderer/charts/memory.js';
import { bandwidthLabelIntensity, buildRooflineOption } from '../../../../renderer/charts/roofline.js';
import { buildRunLineOption } from '../../../../renderer/charts/run-line.js';
import { unitRuns } from '../../../../renderer/views/results/view-format.js';
import { makeReport } from '../../../fixtures/make-report.js';
import { renderSvg } from './render-helpers.js';

const report = makeReport({ layers: 120, samples: 30 });

/** Each SVG text's content and its translate(x y). */
function texts(svg: string): { text: string; x: number; y: number; transform: string }[] {
  return [...svg.matchAll(/<text[^>]*transform="([^"]*)"[^>]*>([^<]*)<\/text>/g)].map((m) => {
    const translate = /translate\(([-\d.]+) ([-\d.]+)\)/.exec(m[1]!);
    const matrix = /matrix\((?:[-\d.]+,){4}([-\d.]+),([-\d.]+)\)/.exec(m[1]!);
    const [x, y] = (translate ?? matrix)!.slice(1).map(Number);
    return { text: m[2]!, x: x!, y: y!, transform: m[1]! };
  });
}

describe('run line percentile labels', () => {
  it('sit right of the plot, past every run, and apart from each other even when p50 and p90 nearly meet', () => {
    const median = [...report.latency.samplesMs].sort((a, b) => a - b)[15]!;
    const close = { ...report, latency: { ...report.latency, p50Ms: median, p90Ms: median * 1.01 } };
    const width = 520;
    const svg = renderSvg(buildRunLineOption(close), width, 260);
    const all = texts(svg);
    const p50 = all.find((t) => t.text.startsWith('p50 '))!;
    const p90 = all.find((t) => t.text.startsWith('p90 '))!;
    const gridRight = width - 84;
    expect(p50.x).toBeGreaterThanOrEqual(gridRight);
    expect(p90.x).toBeGreaterThanOrEqual(gridRight);
    expect(p50.y - p90.y).toBeGreaterThanOrEqual(11); // 10 px text: p90 above, p50 below
    // No box behind them to cut the dashed lines.
    const label = (buildRunLineOption(close).series as { markLine?: { label: Record<string, unknown> } }[])[0]!
      .markLine!.label;
    expect(label.backgroundColor).toBeUndefined();
    // The last run's number stays inside the plot.
    const last = all.find((t) => t.text === '30')!;
    expect(last.x).toBeLessThanOrEqual(gridRight);
  });
});

describe('memory chart labels', () => {
  it('writes the axis name along the axis, so the selected layer label at the top does not cover it', () => {
    const option = buildMemoryOption(report, { selectedLayer: report.layers[1]!.index });
    expect((option.yAxis as { nameLocation: string }).nameLocation).toBe('middle');
    const all = texts(renderSvg(option, 1000, 400));
    const name = all.find((t) => t.text === 'arena in use')!;
    const selected = all.find((t) => t.text === 'selected')!;
    expect(name.transform).toMatch(/rotate|matrix/); // vertical, beside the axis labels
    expect(name.x).toBeLessThan(40);
    expect(Math.abs(selected.y - name.y)).toBeGreaterThan(50);
  });
});

describe('roofline bandwidth label', () => {
  const range = { x: [0.01, 100] as const, y: [0.1, 1000] as const };

  it('moves along the slope away from a cluster of layer points', () => {
    // 10 GB/s, ridge at 10 FLOP/byte: the middle of the slope (log) is at 0.316 FLOP/byte.
    const crowd = Array.from({ length: 30 }, (_, i) => ({
      intensity: 0.2 + i * 0.01,
      achievedGflops: 10 * (0.2 + i * 0.01) * 1.6,
    }));
    const at = bandwidthLabelIntensity(crowd, 10, 10, range.x, range.y);
    const clear = bandwidthLabelIntensity([], 10, 10, range.x, range.y);
    expect(clear).toBeCloseTo(Math.sqrt(0.01 * 10), 5); // nothing in the way: the middle
    expect(at).not.toBeCloseTo(clear, 2);
    // Where it went, no point lies in the label's box (left of it and just above the slope).
    const lx = Math.log10(at);
    const ly = Math.log10(10 * at);
    const inBox = crowd.filter((p) => {
      const px = Math.log10(p.intensity);
      const py = Math.log10(p.achievedGflops);
      return px >= lx - 0.16 * 4 && px <= lx && py >= ly && py <= ly + 0.1 * 4;
    });
    expect(inBox).toEqual([]);
    expect(at).toBeGreaterThan(0.01);
    expect(at).toBeLessThan(10);
  });

  it('is drawn over the points, on a box of the chart background', () => {
    const option = buildRooflineOption(report)!;
    const series = option.series as {
      name: string;
      z?: number;
      type: string;
      label?: { formatter?: unknown; backgroundColor?: string };
    }[];
    const label = series.find((s) => s.name === 'Bandwidth')!;
    const points = series.filter((s) => s.type === 'scatter' && s.name !== 'Bandwidth' && s.name !== 'Selected');
    expect(label.label?.formatter).toMatch(/GB\/s$/);
    expect(label.label?.backgroundColor).toBeTruthy();
    for (const s of points) expect(label.z!).toBeGreaterThan(s.z ?? 2);
    expect(renderSvg(option, 1000, 380)).toContain(' GB/s');
  });
});

describe('flame graph and timeline axis', () => {
  it('keeps its first and last labels inside the chart', () => {
    const ctx = fakeContext();
    paintTimeAxis(ctx, { startUs: 0, endUs: 1000 }, 8, 900, 100, LIGHT_THEME);
    const labels = ctx.texts;
    expect(labels[0]!.text).toBe('0');
    expect(labels[0]!.x).toBeGreaterThanOrEqual(8); // starts at the plot's left edge, not centred on it
    const last = labels[labels.length - 1]!;
    expect(last.x + last.text.length * 6).toBeLessThanOrEqual(8 + 900 + 0.5);
    expect(labels.every((l) => l.text === '0' || /^\d+(\.\d+)? (µs|ms)$/.test(l.text))).toBe(true);
  });
});

describe('time axis deep in a zoom', () => {
  it('labels ticks as offsets from the first when their times would read alike', () => {
    const ticks = timeTicks({ startUs: 1_370_000, endUs: 1_370_100 }, 900);
    const labels = tickLabels(ticks);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels[0]).toMatch(/^1\.37 s$/);
    expect(labels.slice(1).every((l) => /^\+\d+(\.\d+)? µs$/.test(l))).toBe(true);
    expect(tickLabels([0, 500, 1000])).toEqual(['0', '500 µs', '1.00 ms']);
  });
});

describe('card values', () => {
  it('keep each number with its unit and let the rest wrap', () => {
    expect(unitRuns('457 GFLOP/s')).toEqual([['457 GFLOP/s']]);
    expect(unitRuns('20 / 24')).toEqual([['20 /'], ' 24']);
    expect(unitRuns('not reported')).toEqual(['not reported']);
    expect(unitRuns('load 6.93 ms + init 23.9 ms')).toEqual(['load ', ['6.93 ms'], ' + init ', ['23.9 ms']]);
    expect(unitRuns('1,234 layers').flat().join('')).toBe('1,234 layers');
  });
});
