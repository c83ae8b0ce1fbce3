/**
 * Per-layer time of a generation, split into prefill and decode, from onnxruntime's trace of the
 * profiled pass. The pass made two generations (prefill + S decode steps each); the first warms
 * the session and is skipped. Each kernel call belongs to the model_run it falls in; the measured
 * generation's first run is its prefill, the rest are decode steps.
 */
import type { LayerPhaseTime } from '../../../shared/generate.js';
import { modulePathOf } from '../model/module-paths.js';
import { kernelEvents, modelRunEvents, type OrtTraceEvent } from '../profile/trace.js';

/** Module paths kept to this depth: model/layers.0/attn, model/layers.0/mlp, lm_head. */
const DEPTH = 3;

/** Per-module time per prefill pass and per decode step (in execution order), and the runs' own times. */
export function phaseLayerTimes(
  events: readonly OrtTraceEvent[],
  decodeSteps: number,
): { layers: LayerPhaseTime[]; prefillUs: number; decodeStepUs: number } {
  const runs = modelRunEvents(events);
  const measured = runs.slice(decodeSteps + 1);
  if (measured.length < 2) return { layers: [], prefillUs: 0, decodeStepUs: 0 };
  const prefill = measured[0]!;
  const decodes = measured.slice(1);
  const phaseOf = (ts: number): 'prefill' | 'decode' | null => {
    if (ts >= prefill.ts && ts <= prefill.ts + prefill.dur) return 'prefill';
    for (const r of decodes) if (ts >= r.ts && ts <= r.ts + r.dur) return 'decode';
    return null;
  };
  const totals = new Map<string, { prefill: number; decode: number }>();
  for (const k of kernelEvents(events)) {
    if (k.ts < prefill.ts) continue;
    const phase = phaseOf(k.ts);
    if (!phase) continue;
    const module = modulePathOf(k.node).split('/').slice(0, DEPTH).join('/') || '(no module)';
    const t = totals.get(module) ?? { prefill: 0, decode: 0 };
    t[phase] += k.dur;
    totals.set(module, t);
  }
  return {
    layers: [...totals].map(([module, t]) => ({ module, prefillUs: t.prefill, decodeUs: t.decode / decodes.length })),
    prefillUs: prefill.dur,
    decodeStepUs: decodes.reduce((sum, r) => sum + r.dur, 0) / decodes.length,
  };
}
