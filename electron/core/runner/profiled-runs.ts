/**
 * How many runs the profiling pass makes. Per-layer times are medians over the profiled runs, and
 * five samples of a 6 µs layer are at the mercy of one scheduler hiccup; a fast model can afford
 * many more runs for the price of a blink. So the pass is stretched to about `PROFILED_PASS_MS`,
 * up to 4x the runs asked for, and never past `MAX_TRACED_NODE_RUNS` node events (each one a line
 * of onnxruntime's trace that must be parsed: a 50,000-node model gets only what was asked).
 *
 * Example: asked 5, p50 2 ms, 300 nodes → 300 ms / 2 ms = 150, capped at 4x → 20 runs.
 */
export const PROFILED_PASS_MS = 300;
export const MAX_TRACED_NODE_RUNS = 100_000;

/** The profiled-run count for a model whose warm run takes `p50Ms` and that has `nodeCount` nodes. */
export function profiledRunCount(asked: number, p50Ms: number, nodeCount: number | undefined): number {
  if (!(p50Ms > 0) || nodeCount === undefined || nodeCount <= 0) return asked;
  const byTime = Math.floor(PROFILED_PASS_MS / p50Ms);
  const byTrace = Math.floor(MAX_TRACED_NODE_RUNS / nodeCount);
  return Math.max(asked, Math.min(byTime, byTrace, asked * 4));
}
