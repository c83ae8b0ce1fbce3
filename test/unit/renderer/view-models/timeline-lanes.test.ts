import { describe, expect, it } from 'vitest';
import { buildTimelineLayout } from '../../../../renderer/view-models/timeline-lanes.js';
import { makeReport } from '../../../fixtures/make-report.js';

describe('buildTimelineLayout', () => {
  for (const threads of [1, 2, 4]) {
    it(`gives one lane per distinct thread and one box per event (${threads} threads)`, () => {
      const report = makeReport({ layers: 1200, threads, runs: 2 });
      for (const run of report.runs) {
        const layout = buildTimelineLayout(run);
        expect(layout.boxes).toHaveLength(run.events.length);
        expect(layout.lanes).toHaveLength(new Set(run.events.map((e) => e.tid)).size);
        expect(layout.lanes).toHaveLength(threads);
        for (const box of layout.boxes) {
          const event = run.events[box.event]!;
          expect(layout.lanes[box.lane]!.tid).toBe(event.tid);
          expect(box.layer).toBe(event.layer);
          expect(box.endUs - box.startUs).toBeCloseTo(event.durUs, 9);
          expect(box.endUs).toBeLessThanOrEqual(layout.endUs);
        }
        const counted = layout.lanes.reduce((s, l) => s + l.eventCount, 0);
        expect(counted).toBe(run.events.length);
      }
    });
  }

  it('puts the busiest thread on top', () => {
    const layout = buildTimelineLayout(makeReport({ layers: 300, threads: 3, runs: 1 }).runs[0]!);
    const counts = layout.lanes.map((l) => l.eventCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('lays out an empty run', () => {
    expect(buildTimelineLayout({ durUs: 12, events: [] })).toEqual({ lanes: [], boxes: [], rows: 0, endUs: 12 });
  });
});

// Issue 13 item 5: an If's subgraph layers ran inside the If's own event on the same thread.
describe('nested calls (If subgraphs)', () => {
  const events = [
    { layer: 0, tid: 7, startUs: 0, durUs: 100 }, // If
    { layer: 1, tid: 7, startUs: 10, durUs: 30 }, // Conv inside it
    { layer: 2, tid: 7, startUs: 50, durUs: 10 }, // If_1 inside it
    { layer: 3, tid: 7, startUs: 52, durUs: 5 }, // Gather_2 inside If_1
    { layer: 4, tid: 7, startUs: 100, durUs: 20 }, // Add after it, touching its end
    { layer: 5, tid: 9, startUs: 20, durUs: 10 }, // another thread
  ];
  const layout = buildTimelineLayout({ durUs: 120, events });

  it('puts each nesting level on its own row, so no two boxes of a row overlap', () => {
    expect(layout.boxes.map((b) => b.depth)).toEqual([0, 1, 1, 2, 0, 0]);
    expect(layout.lanes.map((l) => [l.tid, l.depth, l.firstRow])).toEqual([
      [7, 3, 0],
      [9, 1, 3],
    ]);
    expect(layout.rows).toBe(4);
    expect(layout.boxes.map((b) => b.row)).toEqual([0, 1, 1, 2, 0, 3]);
    for (const a of layout.boxes) {
      for (const b of layout.boxes) {
        if (a !== b && a.row === b.row) expect(a.endUs <= b.startUs || b.endUs <= a.startUs).toBe(true);
      }
    }
  });

  it('counts a thread busy once while nested calls run (not the If plus its subgraph)', () => {
    expect(layout.lanes[0]!.busyUs).toBe(120);
    expect(layout.lanes[1]!.busyUs).toBe(10);
    for (const lane of layout.lanes) expect(lane.busyUs).toBeLessThanOrEqual(layout.endUs);
  });

  it('keeps the boxes of a run without nesting on one row per thread', () => {
    const flat = buildTimelineLayout(makeReport({ layers: 300, threads: 2, runs: 1 }).runs[0]!);
    expect(flat.boxes.every((b) => b.depth === 0)).toBe(true);
    expect(flat.rows).toBe(2);
  });
});
