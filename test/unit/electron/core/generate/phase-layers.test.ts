import { describe, expect, it } from 'vitest';
import { phaseLayerTimes } from '../../../../../electron/core/generate/phase-layers.js';
import type { OrtTraceEvent } from '../../../../../electron/core/profile/trace.js';
import { profiledPassNote } from '../../../../../shared/generate.js';

// A trace of `generations` generations (the first a warm-up) of a prefill and `steps` decode steps:
// each run 1000 µs long holding an attention kernel and a norm kernel. Made-up events: no model runs.
function trace(generations: number, steps: number, normUs: (run: number) => number): OrtTraceEvent[] {
  const events: OrtTraceEvent[] = [];
  const ev = (cat: string, name: string, ts: number, dur: number): OrtTraceEvent => ({
    cat,
    name,
    pid: 1,
    tid: 1,
    ts,
    dur,
    args: cat === 'Node' ? { op_name: 'X', provider: 'CPUExecutionProvider' } : {},
  });
  const runs = generations * (steps + 1);
  for (let r = 0; r < runs; r++) {
    const ts = r * 10_000;
    const prefill = r % (steps + 1) === 0;
    events.push(ev('Session', 'model_run', ts, 8000));
    events.push(ev('Node', '/model/layers.0/attn/MatMul_kernel_time', ts + 10, prefill ? 400 : 100));
    events.push(ev('Node', '/model/layers.0/norm/Mul_kernel_time', ts + 500, normUs(r)));
  }
  return events;
}

describe('per-layer time by phase', () => {
  it("takes each module's median over the profiled prefills and decode steps, so one spike is not a finding", () => {
    // 1 warm-up + 3 measured generations of a prefill and 4 steps; the norm is 30 µs except a
    // 6 ms preemption in the first measured prefill (run 5) and in one decode step (run 7).
    const spike = (r: number) => (r === 5 || r === 7 ? 6000 : 30);
    const t = phaseLayerTimes(trace(4, 4, spike), 4);
    expect(t.prefills).toBe(3);
    expect(t.decodeRuns).toBe(12);
    const norm = t.layers.find((l) => l.module === 'model/layers.0/norm')!;
    expect(norm.prefillUs).toBe(30);
    expect(norm.decodeUs).toBe(30);
    const attn = t.layers.find((l) => l.module === 'model/layers.0/attn')!;
    expect(attn).toMatchObject({ prefillUs: 400, decodeUs: 100 });
    expect(t.layers.map((l) => l.module)).toEqual(['model/layers.0/attn', 'model/layers.0/norm']);
    expect(t.prefillUs).toBe(8000);
    expect(t.decodeStepUs).toBe(8000);
  });

  it('says what the times rest on, and that they carry the profiler overhead', () => {
    const note = profiledPassNote({ prefillUs: 1, decodeStepUs: 1, decodeSteps: 16, prefills: 3, decodeRuns: 48 });
    expect(note).toMatch(/^Each module's median over 3 profiled prefill passes and 48 profiled decode steps\./);
    expect(note).toMatch(/profiler overhead: read them as proportions, not latency/);
    expect(profiledPassNote({ prefillUs: 1, decodeStepUs: 1, decodeSteps: 16 })).toMatch(
      /^From one profiled generation/,
    );
  });
});
