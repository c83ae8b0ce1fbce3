// Profiles of models whose cost is known in advance: the engine's FLOPs and parameter counts must
// come out exactly, layer by layer.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPlan, type ProfilePlan } from '../../shared/plan.js';
import { buildConvNet, buildMlp, buildTransformerBlock, type SyntheticModel } from '../../electron/core/model/synthetic.js';
import { profileModel } from '../../electron/core/profile/profiler.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-synthetic-'));
// Optimisations off: the nodes that run are the nodes that were built, under their own names.
const plan: ProfilePlan = { ...defaultPlan(), graphOptimizationLevel: 'disabled', warmupRuns: 1, timedRuns: 3, profiledRuns: 2, intraOpThreads: 2 };

const cases: [string, SyntheticModel][] = [
  ['an MLP', buildMlp({ sizes: [128, 256, 64, 10], batch: 4 })],
  ['a conv net', buildConvNet()],
  ['a transformer block', buildTransformerBlock({ layers: 2 })],
];

describe('profiles of synthetic models of known cost', () => {
  for (const [name, model] of cases) {
    it(`gets the FLOPs of every node and the parameter count of ${name} exactly`, async () => {
      const path = join(dir, `${name.replace(/\W+/g, '-')}.onnx`);
      writeFileSync(path, model.bytes);
      const report = await profileModel(path, plan, { roofline: false, system: false });
      expect(report.model.parameterCount).toBe(model.parameterCount);
      const flopsByLayer = Object.fromEntries(report.layers.map((l) => [l.name, l.flops]));
      for (const [node, flops] of Object.entries(model.flopsByNode)) expect(flopsByLayer[node], node).toBe(flops);
      // Module paths come from the names: the flame graph's frames.
      expect(report.layers.every((l) => l.name.startsWith('/' + l.modulePath) || l.modulePath === '')).toBe(true);
    });
  }

  it('reports a named symbolic batch dim defaulted to 1, with a note saying how to set it', async () => {
    const path = join(dir, 'batch.onnx');
    writeFileSync(path, buildMlp({ sizes: [16, 8], batch: 'batch' }).bytes);
    const report = await profileModel(path, plan, { roofline: false, system: false });
    expect(report.settings.inputs[0]!.shape).toEqual([1, 16]);
    expect(report.notes.join(' ')).toMatch(/'batch'\) is symbolic; using 1\. Set it in Run settings, or with --dim batch=N/);
    const pinned = await profileModel(path, { ...plan, dims: { batch: 8 } }, { roofline: false, system: false });
    expect(pinned.settings.inputs[0]!.shape).toEqual([8, 16]);
    expect(pinned.layers.find((l) => l.opType === 'MatMul')!.flops).toBe(2 * 8 * 16 * 8);
  });
});
