// Profiles of models whose cost is known in advance: the engine's FLOPs and parameter counts must
// come out exactly, layer by layer.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPlan, type ProfilePlan } from '../../shared/plan.js';
import {
  buildConvNet,
  buildMlp,
  buildTransformerBlock,
  buildUpsampler,
  type SyntheticModel,
} from '../support/synthetic-models.js';
import { profileModel } from '../../electron/core/profile/profiler.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-synthetic-'));
// Optimisations off: the nodes that run are the nodes that were built, under their own names.
const plan: ProfilePlan = {
  ...defaultPlan(),
  graphOptimizationLevel: 'disabled',
  warmupRuns: 1,
  timedRuns: 3,
  profiledRuns: 2,
  intraOpThreads: 2,
};

const cases: [string, SyntheticModel][] = [
  ['an MLP', buildMlp({ sizes: [128, 256, 64, 10], batch: 4 })],
  ['a conv net', buildConvNet()],
  ['a transformer block', buildTransformerBlock({ layers: 2 })],
  // onnxruntime's CPU ConvTranspose prepacks its weight out of the trace: the graph supplies it.
  ['a ConvTranspose upsampler', buildUpsampler()],
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

  it('gets ConvTranspose FLOPs exactly with optimisations on too', async () => {
    const model = buildUpsampler({ channels: [32, 16, 8], size: 16 });
    const path = join(dir, 'upsampler-all.onnx');
    writeFileSync(path, model.bytes);
    const report = await profileModel(
      path,
      { ...plan, graphOptimizationLevel: 'all' },
      { roofline: false, system: false },
    );
    const transposes = report.layers.filter((l) => l.opType === 'ConvTranspose');
    expect(transposes).toHaveLength(4);
    // The trace really lacks the weight: only the graph can say the kernel size.
    for (const layer of transposes)
      expect(
        layer.inputShapes.filter((shape) => shape.length === 4),
        layer.name,
      ).toEqual([layer.inputShapes[0]]);
    for (const layer of transposes) expect(layer.flops, layer.name).toBe(model.flopsByNode[layer.name]);
    expect(report.opTypes.find((o) => o.opType === 'ConvTranspose')!.flops).toBe(
      transposes.reduce((s, l) => s + model.flopsByNode[l.name]!, 0),
    );
  });

  it('reports a named symbolic batch dim defaulted to 1, with a note saying how to set it', async () => {
    const path = join(dir, 'batch.onnx');
    writeFileSync(path, buildMlp({ sizes: [16, 8], batch: 'batch' }).bytes);
    const report = await profileModel(path, plan, { roofline: false, system: false });
    expect(report.settings.inputs[0]!.shape).toEqual([1, 16]);
    expect(report.notes.join(' ')).toMatch(
      /'batch'\) is symbolic; using 1\. Set it in Run settings, or with --dim batch=N/,
    );
    const pinned = await profileModel(path, { ...plan, dims: { batch: 8 } }, { roofline: false, system: false });
    expect(pinned.settings.inputs[0]!.shape).toEqual([8, 16]);
    expect(pinned.layers.find((l) => l.opType === 'MatMul')!.flops).toBe(2 * 8 * 16 * 8);
  });
});
