/**
 * The timeline of one profiled run: one lane per thread, one box per kernel call. A call that runs
 * inside another on the same thread (the layers of an If's or Loop's subgraph run inside the If's
 * own event) goes one row further down its lane, so nested boxes never share a row. Pure, so the
 * app and the HTML report lay out the same lanes.
 *
 * Example: on one thread, If [0, 100) holding Conv [10, 40) and Gather [50, 60), then Add [100, 120):
 *   row 0: If [0, 100)          Add [100, 120)
 *   row 1:   Conv [10, 40)  Gather [50, 60)
 * and the thread was busy 120 µs (the If's time, not the If's plus its subgraph's).
 */
import type { ProfiledRun } from '../../shared/report.js';

/** One thread's lane. */
export interface TimelineLane {
  readonly index: number; // lane number, 0 = top
  readonly tid: number;
  readonly eventCount: number;
  readonly busyUs: number; // time with at least one call running on this thread (nested calls counted once)
  readonly depth: number; // rows the lane needs: 1 + the deepest nesting of its calls
  readonly firstRow: number; // index of the lane's top row among every lane's rows
}

/** One kernel call placed on its lane. */
export interface TimelineBox {
  readonly lane: number;
  readonly depth: number; // 0 = a top-level call of its thread; 1 = inside one other call; ...
  readonly row: number; // lane.firstRow + depth: the row it is drawn in
  readonly startUs: number; // from the start of the run
  readonly endUs: number;
  readonly layer: number; // index into report.layers
  readonly event: number; // index into run.events
}

/** A run laid out as lanes and boxes. */
export interface TimelineLayout {
  readonly lanes: readonly TimelineLane[];
  readonly boxes: readonly TimelineBox[];
  readonly rows: number; // rows of every lane together
  readonly endUs: number; // the run's wall time, or the last box's end if that is later
}

/**
 * Lays out a run: lanes ordered by how many calls they ran (the executor's thread first), ties by
 * thread id; boxes keep the order of `run.events`. Negative durations count as zero. A call is
 * nested in the calls of its thread that are still open when it starts (a parent ends at or after
 * its child's start; touching ends do not nest).
 */
export function buildTimelineLayout(run: ProfiledRun): TimelineLayout {
  const counts = new Map<number, number>();
  for (const event of run.events) counts.set(event.tid, (counts.get(event.tid) ?? 0) + 1);
  const tids = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || a - b);
  const laneOf = new Map(tids.map((tid, i) => [tid, i] as const));

  // Per thread: events by start, a parent (longer) before a child that starts with it.
  const order = run.events.map((_, i) => i);
  const endOf = (i: number) => run.events[i]!.startUs + Math.max(0, run.events[i]!.durUs);
  order.sort((a, b) => run.events[a]!.startUs - run.events[b]!.startUs || endOf(b) - endOf(a) || a - b);
  const depthOf = new Int32Array(run.events.length);
  const open = new Map<number, number[]>(); // tid -> ends of the calls still running, outermost first
  const busy = new Map<number, { us: number; coveredTo: number }>();
  const deepest = new Map<number, number>();
  for (const i of order) {
    const event = run.events[i]!;
    const end = endOf(i);
    let stack = open.get(event.tid);
    if (!stack) open.set(event.tid, (stack = []));
    while (stack.length > 0 && stack[stack.length - 1]! <= event.startUs) stack.pop();
    depthOf[i] = stack.length;
    stack.push(end);
    deepest.set(event.tid, Math.max(deepest.get(event.tid) ?? 0, stack.length - 1));
    // Busy time is the union of the thread's intervals: only the part past what is covered counts.
    const b = busy.get(event.tid) ?? { us: 0, coveredTo: -Infinity };
    const from = Math.max(event.startUs, b.coveredTo);
    if (end > from) b.us += end - from;
    b.coveredTo = Math.max(b.coveredTo, end);
    busy.set(event.tid, b);
  }

  let nextRow = 0;
  const lanes = tids.map((tid, index) => {
    const depth = (deepest.get(tid) ?? 0) + 1;
    const lane = { index, tid, eventCount: counts.get(tid)!, busyUs: busy.get(tid)?.us ?? 0, depth, firstRow: nextRow };
    nextRow += depth;
    return lane;
  });
  let endUs = Number.isFinite(run.durUs) ? run.durUs : 0;
  const boxes = run.events.map((event, i) => {
    const lane = laneOf.get(event.tid)!;
    const end = endOf(i);
    endUs = Math.max(endUs, end);
    return {
      lane,
      depth: depthOf[i]!,
      row: lanes[lane]!.firstRow + depthOf[i]!,
      startUs: event.startUs,
      endUs: end,
      layer: event.layer,
      event: i,
    };
  });
  return { lanes, boxes, rows: nextRow, endUs };
}
