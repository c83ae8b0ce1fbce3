// Output comparison keeps tensors out of the comparing process: a chain whose 24 intermediates hold
// 8 MiB each (200 MiB per model with the output, 400 MiB for two) is compared while this process
// holds far less than one model's tensors. Before, every tensor of every model came back here at once.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPlan, type ProfilePlan } from '../../shared/plan.js';
import { GraphBuilder } from '../../electron/core/model/graph-builder.js';
import { compareModels } from '../../electron/core/variants/compare.js';

const ELEMENTS = 2 * 1024 * 1024; // 8 MiB of float32
const STEPS = 24;

function chain(): Uint8Array {
  const g = new GraphBuilder('chain');
  let x = g.input('x', [1, ELEMENTS]);
  const one = g.floatInit('one', [1], () => 1e-3);
  for (let i = 0; i < STEPS; i++) x = g.node('Add', [x, one], `/step${i}/Add_out`, { name: `/step${i}/Add` });
  g.node('Identity', [x], 'y', { name: 'out' });
  g.output('y', [1, ELEMENTS]);
  return g.toBytes(17);
}

describe('output comparison memory', () => {
  it('compares 400 MiB of tensors without holding them in this process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-compare-memory-'));
    const a = join(dir, 'a.onnx');
    const b = join(dir, 'b.onnx');
    writeFileSync(a, chain());
    writeFileSync(b, chain());
    const plan: ProfilePlan = {
      ...defaultPlan(),
      warmupRuns: 0,
      timedRuns: 3,
      profiledRuns: 1,
      graphOptimizationLevel: 'disabled',
    };
    // Tensors reaching this process would be ArrayBuffers: their total is watched while outputs are compared.
    // Growth from the phase's start: garbage of earlier phases can only shrink meanwhile.
    let comparing = false;
    let startBuffers: number | null = null;
    let peakBuffers = 0;
    const sample = () => {
      if (!comparing) return;
      const now = process.memoryUsage().arrayBuffers;
      startBuffers ??= now;
      peakBuffers = Math.max(peakBuffers, now);
    };
    const timer = setInterval(sample, 10);
    const sawBytes: string[] = [];
    try {
      const { comparison } = await compareModels([a, b], plan, {
        onProgress: (_m, p, stage) => {
          comparing = stage === 'outputs';
          sample();
          if (comparing && / MiB of /.test(p.message)) sawBytes.push(p.message);
        },
      });
      comparing = false;
      const fidelity = comparison.models[1]!.fidelity!;
      expect(fidelity.outputs[0]!.cosine).toBeCloseTo(1, 9);
      expect(fidelity.drift).toHaveLength(STEPS + 1); // every Add's output and the final Identity's
      for (const d of fidelity.drift) expect(d.maxAbsErr).toBe(0);
    } finally {
      clearInterval(timer);
    }
    // One model's tensors are 200 MiB; this process held the input and model bytes only.
    expect(startBuffers).not.toBeNull();
    expect(peakBuffers - startBuffers!).toBeLessThan(64 * 1024 ** 2);
    // Progress of the comparing phase counts bytes of the whole.
    expect(sawBytes.at(-1)).toMatch(/comparing \d+ tensors of b\.onnx \(model 2 of 2\): [\d.]+ MiB of [\d.]+ MiB/);
  }, 600_000);
});
