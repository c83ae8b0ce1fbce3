/**
 * Per-layer time of a generation, split into prefill and decode, from onnxruntime's trace of the
 * profiled pass. The pass made 1 + G generations (prefill + S decode steps each); the first warms
 * the session and is skipped. Each kernel call belongs to the model_run it falls in; each measured
 * generation's first run is its prefill, the rest are decode steps.
 *
 * A module's time is its median over the G prefill passes and over the G x S decode steps, not a
 * mean or one pass: one preempted kernel made an RMSNorm 79% of a prefill when a single pass was
 * read. These times carry the profiler's own overhead, so they are for proportions; the timed step
 * times (the cards) are the latency.
 */
import type { LayerPhaseTime } from '../../../shared/generate.js';
import { modulePathOf } from '../model/module-paths.js';
import { kernelEvents, modelRunEvents, type OrtTraceEvent } from '../profile/trace.js';
import { percentile } from '../profile/stats.js';

/** Module paths kept to this depth: model/layers.0/attn, model/layers.0/mlp, lm_head. */
const DEPTH = 3;

/** What the profiled generations gave: per-module medians, the runs' own median times, and how many runs. */
export interface PhaseLayerTimes {
  readonly layers: LayerPhaseTime[];
  readonly prefillUs: number; // median prefill run
  readonly decodeStepUs: number; // median decode run
  readonly prefills: number; // prefill passes the medians rest on
  readonly decodeRuns: number; // decode steps the medians rest on
}

/** Per-module median time per prefill pass and per decode step (in execution order), and the runs' own times. */
export function phaseLayerTimes(events: readonly OrtTraceEvent[], decodeSteps: number): PhaseLayerTimes {
  const per = decodeSteps + 1;
  const runs = modelRunEvents(events).slice(per); // the warm-up generation is skipped
  const generations = Math.floor(runs.length / per);
  const measured = runs.slice(0, Math.max(generations * per, Math.min(runs.length, per)));
  const isPrefill = measured.map((_, i) => i % per === 0);
  const prefills = isPrefill.filter(Boolean).length;
  const decodeRuns = measured.length - prefills;
  if (prefills < 1 || decodeRuns < 1) return { layers: [], prefillUs: 0, decodeStepUs: 0, prefills: 0, decodeRuns: 0 };
  // Each module's time in each run (index into `measured`), zero where it ran no kernel.
  const perRun = new Map<string, Float64Array>();
  let r = 0;
  const kernels = [...kernelEvents(events)].sort((x, y) => x.ts - y.ts);
  for (const k of kernels) {
    while (r < measured.length && k.ts > measured[r]!.ts + measured[r]!.dur) r++;
    if (r >= measured.length) break;
    if (k.ts < measured[r]!.ts) continue; // between runs, or in the warm-up
    const module = modulePathOf(k.node).split('/').slice(0, DEPTH).join('/') || '(no module)';
    let times = perRun.get(module);
    if (!times) perRun.set(module, (times = new Float64Array(measured.length)));
    times[r] += k.dur;
  }
  const median = (xs: readonly number[]) => percentile(xs, 50);
  const split = (times: ArrayLike<number>) => {
    const pre: number[] = [];
    const dec: number[] = [];
    for (let i = 0; i < measured.length; i++) (isPrefill[i] ? pre : dec).push(times[i]!);
    return { pre, dec };
  };
  const durs = split(measured.map((m) => m.dur));
  return {
    layers: [...perRun].map(([module, times]) => {
      const { pre, dec } = split(times);
      return { module, prefillUs: median(pre), decodeUs: median(dec) };
    }),
    prefillUs: median(durs.pre),
    decodeStepUs: median(durs.dec),
    prefills,
    decodeRuns,
  };
}
