import { describe, expect, it } from 'vitest';
import { buildFlameOption, FLAME_DIM, flameChartHeight, flameTreeOf } from '../../../../renderer/charts/flame.js';
import { DARK_THEME, LIGHT_THEME, opTypeColors } from '../../../../renderer/charts/theme.js';
import { makeReport } from '../../../fixtures/make-report.js';
import { firstSeries, renderItems, renderSvg, tooltipFor } from './render-helpers.js';

const report = makeReport({ layers: 1200, threads: 2, runs: 3 });

describe('buildFlameOption', () => {
  it('has one data item per frame, with one leaf per layer, when not zoomed', () => {
    const option = buildFlameOption(report);
    const data = firstSeries(option).data as number[][];
    const tree = flameTreeOf(report);
    expect(data).toHaveLength(tree.frames.length);
    const leaves = data.filter((d) => tree.frames[d[FLAME_DIM.frame]!]!.layer !== null);
    expect(leaves).toHaveLength(report.layers.length);
    expect(option.xAxis).toMatchObject({ min: 0, max: tree.totalUs });
  });

  it('zooms the x axis onto a module frame and keeps only what lies inside it', () => {
    const tree = flameTreeOf(report);
    const frame = tree.frames[tree.byKey.get('encoder/layer.10')!]!;
    const option = buildFlameOption(report, 'encoder/layer.10');
    const axis = option.xAxis as { min: number; max: number };
    expect(axis.min).toBe(0);
    expect(axis.max).toBeCloseTo(frame.widthUs, 6);
    const data = firstSeries(option).data as number[][];
    const leaves = data.filter((d) => tree.frames[d[FLAME_DIM.frame]!]!.layer !== null);
    expect(leaves).toHaveLength(frame.layerCount);
    for (const d of data) {
      expect(d[FLAME_DIM.start]).toBeGreaterThanOrEqual(0);
      expect(d[FLAME_DIM.end]).toBeLessThanOrEqual(frame.widthUs + 1e-9);
      const f = tree.frames[d[FLAME_DIM.frame]!]!;
      if (f.depth > frame.depth) expect(d[FLAME_DIM.start]).toBeCloseTo(f.startUs - frame.startUs, 6);
    }
  });

  it('draws every frame inside the grid, coloured by op type, with the selected layer outlined', () => {
    const tree = flameTreeOf(report);
    const selected = 42;
    const option = buildFlameOption(report, null, { selectedLayer: selected, theme: DARK_THEME });
    const scale = 1000 / tree.totalUs;
    const rects = renderItems(option, ([x, y]) => [x! * scale, y! * 20], 20);
    const data = firstSeries(option).data as number[][];
    expect(rects.every((r) => r !== null)).toBe(true);
    rects.forEach((r, i) => {
      const frame = tree.frames[data[i]![FLAME_DIM.frame]!]!;
      expect(r!.shape.x).toBeGreaterThanOrEqual(0);
      expect(r!.shape.x + r!.shape.width).toBeLessThanOrEqual(1000 + 0.5);
      expect(r!.shape.y).toBeCloseTo(frame.depth * 20 + 1, 6);
      if (frame.layer !== null) {
        expect(r!.style.fill).toBe(opTypeColors(report, DARK_THEME).get(report.layers[frame.layer]!.opType));
        expect(r!.style.stroke).toBe(frame.layer === selected ? DARK_THEME.accent : undefined);
      } else {
        expect(r!.style.fill).toBe(DARK_THEME.moduleFill);
      }
    });
    // Wide frames are labelled; the widest top frame is "encoder".
    expect(rects.some((r) => r!.textContent?.style.text === 'encoder')).toBe(true);
  });

  it('tooltips a leaf with op type, shapes, FLOPs, bytes and provider, all with units', () => {
    const tree = flameTreeOf(report);
    const leaf = tree.frames.find((f) => f.layer !== null && report.layers[f.layer]!.opType === 'MatMul')!;
    const html = tooltipFor(buildFlameOption(report), { value: [0, 0, 0, leaf.id] });
    const layer = report.layers[leaf.layer!]!;
    expect(html).toContain(layer.provider);
    expect(html).toContain('MatMul');
    expect(html).toContain('1×128×256');
    expect(html).toMatch(/\d MFLOP/);
    expect(html).toMatch(/\d+(\.\d+)? (µs|ms)/);
    expect(html).toMatch(/\d+(\.\d+)? KiB/);
    const module = tree.frames[tree.byKey.get('encoder/layer.1/attn')!]!;
    const moduleHtml = tooltipFor(buildFlameOption(report), { value: [0, 0, 0, module.id] });
    expect(moduleHtml).toContain('encoder/layer.1/attn');
    expect(moduleHtml).toMatch(/\d layers/);
    expect(moduleHtml).toMatch(/%/);
  });

  it('escapes node names in tooltips', () => {
    const evil = makeReport({ layers: 5 });
    const layers = evil.layers.map((l) => ({ ...l, name: '<img src=x onerror=alert(1)>' }));
    const bad = { ...evil, layers };
    const leaf = flameTreeOf(bad).frames.find((f) => f.layer !== null)!;
    const html = tooltipFor(buildFlameOption(bad), { value: [0, 0, 0, leaf.id] });
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img');
  });

  it('renders with ECharts to SVG with frame labels and time labels in units', () => {
    const option = buildFlameOption(report, 'encoder/layer.2', { theme: LIGHT_THEME });
    const svg = renderSvg(option, 1200, flameChartHeight(report));
    expect(svg).toContain('layer.2');
    expect(svg).toContain('attn');
    expect(svg).toMatch(/\d+(\.\d+)? (µs|ms)/);
    expect(flameChartHeight(report)).toBeGreaterThan((flameTreeOf(report).maxDepth + 1) * 20);
  });

  it('turns animation off and renders progressively for large graphs', () => {
    const option = buildFlameOption(report);
    expect(option.animation).toBe(false);
    expect(firstSeries(option).progressive).toBeGreaterThan(0);
  });
});
