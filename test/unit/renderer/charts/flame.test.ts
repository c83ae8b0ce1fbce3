import { describe, expect, it } from 'vitest';
import {
  flameLookOf,
  flameRange,
  flameRowsOf,
  flameTooltipHtml,
  flameTreeOf,
  FLAME_ROW_PX,
} from '../../../../renderer/charts/flame.js';
import { buildScene } from '../../../../renderer/charts/canvas/interval-rows.js';
import { paintScene, textColorOn, type PaintStyle } from '../../../../renderer/charts/canvas/paint.js';
import { zoomRange } from '../../../../renderer/charts/canvas/view-range.js';
import { DARK_THEME, LIGHT_THEME, opTypeColors, type ChartTheme } from '../../../../renderer/charts/theme.js';
import type { Report } from '../../../../shared/report.js';
import { makeReport } from '../../../fixtures/make-report.js';
import { fakeContext } from './fake-canvas.js';

const report = makeReport({ layers: 1200, threads: 2, runs: 3 });

/** Paints the flame graph at `view` on a recording context; returns it and the scene. */
function paint(
  r: Report,
  view: { startUs: number; endUs: number },
  theme: ChartTheme = LIGHT_THEME,
  selected: number | null = null,
) {
  const look = flameLookOf(r, theme);
  const sel = selected === null ? undefined : look.frameOfLayer.get(selected);
  const scene = buildScene(flameRowsOf(r), { view, widthPx: 1200, keep: (id) => id === sel || look.fellBack.has(id) });
  const ctx = fakeContext();
  const style: PaintStyle = {
    theme,
    plotLeft: 0,
    rowTop: (row) => row * FLAME_ROW_PX,
    boxHeight: FLAME_ROW_PX,
    fillOf: (id) => look.fills[id]!,
    labelOf: (id) => look.labels[id]!,
    isSelected: (id) => id === sel,
    isOutlined: (id) => look.fellBack.has(id),
  };
  const labels = paintScene(ctx, scene, style);
  return { ctx, scene, labels };
}

/** Labels of one row must not overlap (6 px per character in the fake context). */
function expectNoOverlappingLabels(labels: { text: string; row: number; x: number }[]) {
  const byRow = new Map<number, { text: string; x: number }[]>();
  for (const l of labels) byRow.set(l.row, [...(byRow.get(l.row) ?? []), l]);
  for (const list of byRow.values()) {
    list.sort((a, b) => a.x - b.x);
    for (let i = 1; i < list.length; i++)
      expect(list[i]!.x).toBeGreaterThanOrEqual(list[i - 1]!.x + list[i - 1]!.text.length * 6);
  }
}

describe('flame graph rows', () => {
  it('has one row per depth holding every frame, one leaf per layer', () => {
    const tree = flameTreeOf(report);
    const rows = flameRowsOf(report);
    expect(rows).toHaveLength(tree.maxDepth + 1);
    expect(rows.reduce((s, r) => s + r.ids.length, 0)).toBe(tree.frames.length);
    for (const [depth, row] of rows.entries()) {
      for (let i = 0; i < row.ids.length; i++) {
        expect(tree.frames[row.ids[i]!]!.depth).toBe(depth);
        if (i > 0) expect(row.starts[i]).toBeGreaterThanOrEqual(row.ends[i - 1]! - 1e-6);
      }
    }
    expect(tree.frames.filter((f) => f.layer !== null)).toHaveLength(report.layers.length);
  });

  it('zooms onto a module: only what lies inside it is drawn, and it spans the plot', () => {
    const tree = flameTreeOf(report);
    const frame = tree.frames[tree.byKey.get('encoder/layer.10')!]!;
    const range = flameRange(report, 'encoder/layer.10');
    expect(range).toEqual({ startUs: frame.startUs, endUs: frame.startUs + frame.widthUs });
    const { scene } = paint(report, range);
    const inside = scene.filter((r) => r.w > 0.5);
    const module = inside.find((r) => r.id === frame.id)!;
    expect(module).toMatchObject({ x: 0, w: 1200 });
    for (const r of inside) {
      const f = tree.frames[r.id]!;
      const isAncestorOrSelf = f.depth <= frame.depth;
      if (!isAncestorOrSelf)
        expect(f.key.startsWith('encoder/layer.10/') || f.key.startsWith('encoder/layer.10#')).toBe(true);
    }
  });

  // Issue 13 item 4: after zooming into a module and Reset zoom, labels were drawn twice.
  it('draws the same picture after zooming into a module, wheel-zooming and resetting, with no label twice', () => {
    const full = flameRange(report);
    const before = paint(report, full);
    let view = flameRange(report, 'encoder/layer.3/attn');
    const zoomed = paint(report, view);
    expectNoOverlappingLabels(zoomed.labels);
    for (let i = 0; i < 10; i++) view = zoomRange(view, full, 0.3, 0.8);
    expectNoOverlappingLabels(paint(report, view).labels);
    const after = paint(report, full);
    expect(after.labels).toEqual(before.labels);
    expect(after.scene).toEqual(before.scene);
    expectNoOverlappingLabels(after.labels);
    const keys = after.scene.filter((r) => r.count === 1).map((r) => r.id);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('colours layers by op type and modules by the theme, outlines the selection, in both themes', () => {
    const tree = flameTreeOf(report);
    for (const theme of [LIGHT_THEME, DARK_THEME]) {
      const leaf = tree.frames.find((f) => f.layer !== null && f.key.startsWith('encoder/layer.0/'))!;
      const { ctx, labels } = paint(report, flameRange(report, 'encoder/layer.0'), theme, leaf.layer);
      const fills = new Set(ctx.fills.map((f) => f.fill));
      expect(fills.has(theme.moduleFill)).toBe(true);
      expect(fills.has(opTypeColors(report, theme).get(report.layers[leaf.layer!]!.opType)!)).toBe(true);
      expect(ctx.strokes.filter((s) => s.style === theme.accent)).toHaveLength(1);
      expect(labels.some((l) => l.text === 'layer.0')).toBe(true);
      // Module labels are readable on the module fill (light text on a dark theme's dark fill).
      const moduleText = ctx.texts.find((t) => t.text === 'layer.0')!;
      expect(moduleText.color).toBe(textColorOn(theme.moduleFill));
      expect(moduleText.color).toBe(theme.dark ? '#eef1f4' : '#111418');
    }
  });

  it('labels the widest top frame at full view and leaves sub-pixel frames unlabelled', () => {
    const big = makeReport({ layers: 50_000, threads: 2, runs: 1 });
    const { scene, labels } = paint(big, flameRange(big));
    expect(labels.some((l) => l.text === 'encoder')).toBe(true);
    // 50,000 leaves on 1,200 px: merged into at most a few rectangles per pixel column per row.
    expect(scene.length).toBeLessThan(1200 * (flameRowsOf(big).length + 1) * 2);
  });

  it('tooltips a leaf with op type, shapes, FLOPs, bytes and provider, and a module with its share', () => {
    const tree = flameTreeOf(report);
    const leaf = tree.frames.find((f) => f.layer !== null && report.layers[f.layer]!.opType === 'MatMul')!;
    const html = flameTooltipHtml(report, leaf.id);
    const layer = report.layers[leaf.layer!]!;
    expect(html).toContain(layer.provider);
    expect(html).toContain('MatMul');
    expect(html).toContain('1×128×256');
    expect(html).toMatch(/\d MFLOP/);
    expect(html).toMatch(/\d+(\.\d+)? (µs|ms)/);
    const module = tree.frames[tree.byKey.get('encoder/layer.1/attn')!]!;
    const moduleHtml = flameTooltipHtml(report, module.id);
    expect(moduleHtml).toContain('encoder/layer.1/attn');
    expect(moduleHtml).toMatch(/\d layers/);
    expect(moduleHtml).toMatch(/%/);
  });

  it('escapes node names in tooltips', () => {
    const evil = makeReport({ layers: 5 });
    const bad = { ...evil, layers: evil.layers.map((l) => ({ ...l, name: '<img src=x onerror=alert(1)>' })) };
    const leaf = flameTreeOf(bad).frames.find((f) => f.layer !== null)!;
    const html = flameTooltipHtml(bad, leaf.id);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img');
  });
});
