/**
 * The profiled runs as a Chrome trace (JSON Object Format) that Perfetto and chrome://tracing
 * open: one process, one track per thread, each run an enclosing slice with its kernel calls inside,
 * runs laid end to end with a small gap. Timestamps are microseconds.
 */
import type { Report } from '../../../shared/report.js';

/** A Chrome trace event. */
export interface ChromeTraceEvent {
  name: string;
  ph: 'X' | 'M';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  args?: Record<string, unknown>;
}

const PID = 1;
const GAP_US = 50;

/** The report's profiled runs as a trace object. */
export function toChromeTrace(report: Report): {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ms';
  metadata: Record<string, unknown>;
} {
  const tids = [...new Set(report.runs.flatMap((r) => r.events.map((e) => e.tid)))].sort((a, b) => a - b);
  const mainTid = tids[0] ?? 1;
  const events: ChromeTraceEvent[] = [
    { name: 'process_name', ph: 'M', pid: PID, tid: mainTid, args: { name: `Strata: ${report.model.fileName}` } },
    ...tids.map((tid, i): ChromeTraceEvent => ({
      name: 'thread_name',
      ph: 'M',
      pid: PID,
      tid,
      args: { name: i === 0 ? `executor (tid ${tid})` : `thread ${tid}` },
    })),
  ];
  let offset = 0;
  report.runs.forEach((run, r) => {
    // A run's slice must enclose its kernels even if the profiler's clocks disagree by a microsecond.
    const end = Math.max(run.durUs, ...run.events.map((e) => e.startUs + e.durUs));
    for (const tid of tids.length ? tids : [mainTid]) {
      events.push({
        name: `run ${r + 1}`,
        cat: 'run',
        ph: 'X',
        pid: PID,
        tid,
        ts: offset,
        dur: end,
        args: { wallUs: run.durUs },
      });
    }
    for (const e of run.events) {
      const layer = report.layers[e.layer]!;
      events.push({
        name: layer.name,
        cat: layer.opType,
        ph: 'X',
        pid: PID,
        tid: e.tid,
        ts: offset + e.startUs,
        dur: e.durUs,
        args: {
          op_type: layer.opType,
          provider: layer.provider,
          module: layer.modulePath,
          input_shapes: layer.inputShapes.map((s) => s.join('x')),
          output_shapes: layer.outputShapes.map((s) => s.join('x')),
          flops: layer.flops,
        },
      });
    }
    offset += end + GAP_US;
  });
  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    metadata: { model: report.model.fileName, strataVersion: report.strataVersion, createdAt: report.createdAt },
  };
}
