import { describe, expect, it } from 'vitest';
import {
  clampRange,
  isFullRange,
  panRange,
  wheelZoomFactor,
  zoomRange,
} from '../../../../../renderer/charts/canvas/view-range.js';

const full = { startUs: 0, endUs: 1000 };

describe('view range', () => {
  it('zooms around the pointer: the time under it stays where it is', () => {
    const next = zoomRange(full, full, 0.25, 0.5);
    expect(next.endUs - next.startUs).toBeCloseTo(500, 9);
    expect(next.startUs + 0.25 * 500).toBeCloseTo(250, 9);
    expect(isFullRange(next, full)).toBe(false);
  });

  it('never zooms out past everything, and zooming back out returns exactly to the full range', () => {
    let view = full;
    for (let i = 0; i < 25; i++) view = zoomRange(view, full, 0.4, wheelZoomFactor(-150));
    expect(view.endUs - view.startUs).toBeLessThan(10);
    for (let i = 0; i < 40; i++) view = zoomRange(view, full, 0.4, wheelZoomFactor(150));
    expect(isFullRange(view, full)).toBe(true);
    expect(view).toEqual(full);
  });

  it('pans within the range, keeping the span', () => {
    const zoomed = { startUs: 100, endUs: 200 };
    expect(panRange(zoomed, full, 50)).toEqual({ startUs: 150, endUs: 250 });
    expect(panRange(zoomed, full, -500)).toEqual({ startUs: 0, endUs: 100 });
    expect(panRange(zoomed, full, 5000)).toEqual({ startUs: 900, endUs: 1000 });
  });

  it('repairs ranges that are empty, reversed or not numbers', () => {
    expect(clampRange({ startUs: NaN, endUs: NaN }, full)).toEqual(full);
    const tiny = clampRange({ startUs: 5, endUs: 5 }, full);
    expect(tiny.endUs).toBeGreaterThan(tiny.startUs);
  });
});
