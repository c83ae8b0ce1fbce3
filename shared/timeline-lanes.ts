/**
 * The timeline of one profiled run: one lane per thread, one box per kernel call. Pure, so the app
 * and the HTML report lay out the same lanes.
 */
import type { ProfiledRun } from './report.js';

/** One thread's lane. */
export interface TimelineLane {
  readonly index: number; // row, 0 = top
  readonly tid: number;
  readonly eventCount: number;
  readonly busyUs: number; // sum of its boxes' durations
}

/** One kernel call placed on its lane. */
export interface TimelineBox {
  readonly lane: number;
  readonly startUs: number; // from the start of the run
  readonly endUs: number;
  readonly layer: number; // index into report.layers
  readonly event: number; // index into run.events
}

/** A run laid out as lanes and boxes. */
export interface TimelineLayout {
  readonly lanes: readonly TimelineLane[];
  readonly boxes: readonly TimelineBox[];
  readonly endUs: number; // the run's wall time, or the last box's end if that is later
}

/**
 * Lays out a run: lanes ordered by how many calls they ran (the executor's thread first), ties by
 * thread id; boxes keep the order of `run.events`. Negative durations count as zero.
 */
export function buildTimelineLayout(run: ProfiledRun): TimelineLayout {
  const stats = new Map<number, { count: number; busy: number }>();
  for (const event of run.events) {
    const s = stats.get(event.tid) ?? { count: 0, busy: 0 };
    s.count++;
    s.busy += Math.max(0, event.durUs);
    stats.set(event.tid, s);
  }
  const tids = [...stats.keys()].sort((a, b) => stats.get(b)!.count - stats.get(a)!.count || a - b);
  const laneOf = new Map(tids.map((tid, i) => [tid, i] as const));
  const lanes = tids.map((tid, index) => ({
    index,
    tid,
    eventCount: stats.get(tid)!.count,
    busyUs: stats.get(tid)!.busy,
  }));
  let endUs = Number.isFinite(run.durUs) ? run.durUs : 0;
  const boxes = run.events.map((event, i) => {
    const endOf = event.startUs + Math.max(0, event.durUs);
    endUs = Math.max(endUs, endOf);
    return { lane: laneOf.get(event.tid)!, startUs: event.startUs, endUs: endOf, layer: event.layer, event: i };
  });
  return { lanes, boxes, endUs };
}
