// Comparisons end to end: the two Silero graphs that compute the same function, and an MLP with its
// quantized and fp16 variants, run the same way on the same bytes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPlan, type ProfilePlan } from '../../shared/plan.js';
import { buildDistilledSample, buildMlp } from '../support/synthetic-models.js';
import { compareModels } from '../../electron/core/variants/compare.js';
import { convertToFp16 } from '../../electron/core/variants/fp16.js';
import { quantizeModel } from '../../electron/core/variants/quantize.js';
import { SAMPLE, SILERO_16K, SILERO_IFLESS } from '../fixtures/paths.js';

const quick: ProfilePlan = { ...defaultPlan(), warmupRuns: 1, timedRuns: 5, profiledRuns: 2, intraOpThreads: 2 };
const dir = mkdtempSync(join(tmpdir(), 'strata-compare-'));

describe('comparisons', () => {
  it('finds the two Silero graphs identical in output, with their layers matched', async () => {
    const { comparison } = await compareModels([SILERO_16K, SILERO_IFLESS], {
      ...quick,
      shapes: { input: [1, 512] },
      dims: { batch: 1 },
      inputs: { sr: { kind: 'scalar', value: 16000 } },
    });
    const [, ifless] = comparison.models;
    expect(ifless!.inputMatch.map((m) => m.how)).toEqual(['name', 'name', 'name']);
    for (const output of ifless!.fidelity!.outputs) {
      expect(output.cosine).toBeCloseTo(1, 6);
      expect(output.maxAbsErr).toBeLessThan(1e-5);
      expect(output.top1Agreement).toBeUndefined(); // the recurrent state is not class scores
    }
    const matched = comparison.layers.filter((l) => l.how !== 'unmatched');
    expect(matched.length).toBeGreaterThan(comparison.layers.length / 2);
    for (const layer of matched) expect(layer.timesUs[1]).not.toBeNull();
  });

  it('compares an MLP with int8 and fp16 variants: smaller, close, and traced layer by layer', async () => {
    const mlp = buildMlp({ sizes: [256, 512, 512, 10], batch: 2 });
    const paths = ['mlp.onnx', 'int8.onnx', 'fp16.onnx'].map((f) => join(dir, f));
    writeFileSync(paths[0]!, mlp.bytes);
    writeFileSync(
      paths[1]!,
      quantizeModel(mlp.bytes, { mode: 'dynamic', perChannel: true, symmetric: true, weightType: 'int8' }).bytes,
    );
    writeFileSync(paths[2]!, convertToFp16(mlp.bytes).bytes);
    const { comparison, reports } = await compareModels(paths, quick);
    expect(reports).toHaveLength(3);
    const [base, int8, fp16] = comparison.models;
    expect(base!.bytes / int8!.bytes).toBeGreaterThan(3.5);
    expect(int8!.fidelity!.outputs[0]!.cosine).toBeGreaterThan(0.99);
    expect(fp16!.fidelity!.outputs[0]!.cosine).toBeGreaterThan(0.999);
    // Every MatMul's output keeps its name in the variants, so drift is traced through them.
    expect(int8!.fidelity!.drift.map((d) => d.producer)).toContain('/mlp/layer.0/fc/MatMul');
    expect(int8!.fidelity!.drift.every((d) => d.cosine > 0.99)).toBe(true);
    // The baseline's MatMul+Add is fused by onnxruntime; the int8 DynamicQuantizeMatMul the quantizer
    // wrote for it records that MatMul as its origin, and the fp16 MatMul keeps its name inside.
    const matmul = comparison.layers.find((l) => l.name.includes('/mlp/layer.0/fc/MatMul'));
    expect(matmul?.how).toBe('lineage');
    expect(matmul?.opTypes[1]).toBe('DynamicQuantizeMatMul');
    expect(matmul?.timesUs.every((t) => t !== null)).toBe(true);
  });

  it('traces each variant against the tensors it shares, so a distilled model does not cut the others short', async () => {
    const int8 = join(dir, 'sample-int8.onnx');
    const distilled = join(dir, 'distilled.onnx');
    writeFileSync(
      int8,
      quantizeModel(readFileSync(SAMPLE), { mode: 'dynamic', perChannel: true, symmetric: false, weightType: 'int8' })
        .bytes,
    );
    writeFileSync(distilled, buildDistilledSample().bytes);
    const alone = (await compareModels([SAMPLE, int8], quick)).comparison.models[1]!.fidelity!.drift;
    const { comparison } = await compareModels([SAMPLE, int8, distilled], quick);
    const [, withDistilled, student] = comparison.models;
    // The int8 model shares every layer's tensors with the baseline, with or without the student.
    expect(withDistilled!.fidelity!.drift.map((d) => d.tensor)).toEqual(alone.map((d) => d.tensor));
    expect(alone.some((d) => d.producer.includes('layer.3'))).toBe(true);
    // The one-layer student shares only layer 0's tensor names (and the graph output), and its output is not the teacher's.
    expect(student!.fidelity!.drift.length).toBeGreaterThan(0);
    expect(student!.fidelity!.drift.filter((d) => !d.producer.includes('layer.0')).map((d) => d.producer)).toEqual([
      '/output/Identity',
    ]);
    expect(student!.fidelity!.outputs[0]!.cosine).toBeLessThan(0.99);
    expect(student!.inputMatch).toEqual([{ input: 'hidden', baselineInput: 'hidden', how: 'name' }]);
  });
});
