import { describe, expect, it } from 'vitest';
import { buildTimelineLayout } from '../../../shared/timeline-lanes.js';
import { makeReport } from '../../fixtures/make-report.js';

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
    expect(buildTimelineLayout({ durUs: 12, events: [] })).toEqual({ lanes: [], boxes: [], endUs: 12 });
  });
});
