import { describe, expect, it } from 'vitest';
import {
  boxesOfLayer,
  timelineLayoutOf,
  timelineLookOf,
  timelineRowsOf,
} from '../../../../renderer/charts/timeline.js';
import { buildScene } from '../../../../renderer/charts/canvas/interval-rows.js';
import { LIGHT_THEME, opTypeColors } from '../../../../renderer/charts/theme.js';
import { makeReport } from '../../../fixtures/make-report.js';

const report = makeReport({ layers: 1200, threads: 2, runs: 3 });

describe('timeline rows', () => {
  it('has every call of the chosen run on its thread’s row', () => {
    for (let runIndex = 0; runIndex < report.runs.length; runIndex++) {
      const run = report.runs[runIndex]!;
      const layout = timelineLayoutOf(report, runIndex);
      const rows = timelineRowsOf(layout);
      expect(rows).toHaveLength(layout.rows);
      expect(rows.reduce((s, r) => s + r.ids.length, 0)).toBe(run.events.length);
      for (const [r, row] of rows.entries()) {
        for (const id of row.ids) {
          const box = layout.boxes[id]!;
          expect(box.row).toBe(r);
          expect(layout.lanes[box.lane]!.tid).toBe(run.events[box.event]!.tid);
        }
      }
    }
  });

  it('colours boxes by op type and finds every call of a layer (one on each thread)', () => {
    const layout = timelineLayoutOf(report, 1);
    const look = timelineLookOf(report, 1, LIGHT_THEME);
    const boxes = boxesOfLayer(layout, 10); // every 5th layer also runs on the pool thread
    expect(boxes.size).toBe(2);
    for (const i of boxes) expect(look.fills[i]).toBe(opTypeColors(report, LIGHT_THEME).get(report.layers[10]!.opType));
    expect(boxesOfLayer(layout, null).size).toBe(0);
  });

  it('culls to the view: a narrow window draws only the calls inside it', () => {
    const layout = timelineLayoutOf(report, 0);
    const rows = timelineRowsOf(layout);
    const view = { startUs: layout.endUs * 0.5, endUs: layout.endUs * 0.51 };
    const scene = buildScene(rows, { view, widthPx: 1000 });
    const inView = layout.boxes.filter((b) => b.endUs >= view.startUs && b.startUs <= view.endUs).length;
    expect(scene.reduce((s, r) => s + r.count, 0)).toBeLessThanOrEqual(inView);
    expect(scene.length).toBeGreaterThan(0);
    for (const r of scene) {
      const box = layout.boxes[r.id]!;
      expect(box.endUs).toBeGreaterThanOrEqual(view.startUs);
      expect(box.startUs).toBeLessThanOrEqual(view.endUs);
    }
  });

  it('tooltips a box with this call’s time and thread and the layer’s details, with units', () => {
    const layout = timelineLayoutOf(report, 0);
    const html = timelineLookOf(report, 0, LIGHT_THEME).tooltip(7);
    const event = report.runs[0]!.events[layout.boxes[7]!.event]!;
    expect(html).toContain(`${event.tid}`);
    expect(html).toMatch(/This call.*\d+(\.\d+)? (µs|ms) at/);
    expect(html).toContain(report.layers[event.layer]!.opType);
  });

  it('gives an empty layout for a run that does not exist', () => {
    const layout = timelineLayoutOf(report, 99);
    expect(layout.boxes).toEqual([]);
    expect(timelineRowsOf(layout)).toEqual([]);
  });
});
