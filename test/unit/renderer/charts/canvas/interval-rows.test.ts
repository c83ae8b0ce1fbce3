import { describe, expect, it } from 'vitest';
import { buildIntervalRows, buildScene, hitTest } from '../../../../../renderer/charts/canvas/interval-rows.js';

/** `count` adjacent intervals of `widthUs` each in row 0. */
function strip(count: number, widthUs: number) {
  return buildIntervalRows(
    Array.from({ length: count }, (_, i) => ({ row: 0, startUs: i * widthUs, endUs: (i + 1) * widthUs, id: i })),
    1,
  );
}

describe('buildScene', () => {
  it('draws one rectangle per interval wider than a pixel, clipped to the plot', () => {
    const rows = strip(10, 100);
    const scene = buildScene(rows, { view: { startUs: 150, endUs: 450 }, widthPx: 300 });
    expect(scene.map((r) => r.id)).toEqual([1, 2, 3, 4]);
    expect(scene[0]).toMatchObject({ x: 0, w: 50, count: 1 });
    expect(scene[3]).toMatchObject({ x: 250, w: 50, count: 1 });
  });

  it('merges sub-pixel intervals: 50,000 of them on 1,000 px make at most a rectangle per pixel column', () => {
    const rows = strip(50_000, 1);
    const scene = buildScene(rows, { view: { startUs: 0, endUs: 50_000 }, widthPx: 1000 });
    expect(scene.length).toBeLessThanOrEqual(1001);
    expect(scene.reduce((s, r) => s + r.count, 0)).toBe(50_000);
    // Zoomed in on 500 of them, they are wide enough to stand alone again.
    const zoomed = buildScene(rows, { view: { startUs: 1000, endUs: 1500 }, widthPx: 1000 });
    expect(zoomed.every((r) => r.count === 1)).toBe(true);
    expect(zoomed.length).toBeGreaterThanOrEqual(500);
    expect(zoomed.length).toBeLessThanOrEqual(502);
  });

  it('never merges an interval the caller keeps (the fallback alarm, the selection)', () => {
    const rows = strip(10_000, 1);
    const scene = buildScene(rows, { view: { startUs: 0, endUs: 10_000 }, widthPx: 100, keep: (id) => id === 4321 });
    const kept = scene.filter((r) => r.id === 4321);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.count).toBe(1);
    expect(scene.reduce((s, r) => s + r.count, 0)).toBe(10_000);
  });

  it('colours a merged column by its widest member', () => {
    const rows = buildIntervalRows(
      [
        { row: 0, startUs: 0, endUs: 0.1, id: 1 },
        { row: 0, startUs: 0.1, endUs: 0.6, id: 2 },
        { row: 0, startUs: 0.6, endUs: 0.7, id: 3 },
      ],
      1,
    );
    const scene = buildScene(rows, { view: { startUs: 0, endUs: 100 }, widthPx: 100 });
    expect(scene).toEqual([{ row: 0, x: 0, w: 1, id: 2, count: 3 }]);
  });

  it('draws nothing for an empty view or plot', () => {
    expect(buildScene(strip(5, 1), { view: { startUs: 0, endUs: 0 }, widthPx: 100 })).toEqual([]);
    expect(buildScene(strip(5, 1), { view: { startUs: 0, endUs: 5 }, widthPx: 0 })).toEqual([]);
  });
});

describe('hitTest', () => {
  it('finds the interval under the pointer, and a tiny one within the slop', () => {
    const rows = strip(10, 100);
    const view = { startUs: 0, endUs: 1000 };
    expect(hitTest(rows[0], view, 1000, 250)).toBe(2);
    expect(hitTest(rows[0], view, 1000, 1200)).toBeNull();
    const tiny = buildIntervalRows([{ row: 0, startUs: 500, endUs: 500.01, id: 7 }], 1);
    expect(hitTest(tiny[0], view, 1000, 501, 2)).toBe(7);
    expect(hitTest(tiny[0], view, 1000, 520, 2)).toBeNull();
  });
});
