// Every variant Strata writes loads in onnxruntime and keeps the original's graph outputs: static QDQ
// where one quantized op feeds another (names written once), where a target's output had no
// calibrated range (Silero's If branches, which calibration does not observe), and a Gemm whose bias
// is not a plain vector. And the post-write check refuses a graph that would not load.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { runOnce } from '../support/ort-run.js';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../electron/core/model/graph-builder.js';
import { decodeModel, encodeModel } from '../../electron/core/model/onnx-proto.js';
import { pinInputShapes } from '../../electron/core/model/pin-dims.js';
import { defaultOpset } from '../../electron/core/variants/opset-upgrade.js';
import { buildConvNet } from '../support/synthetic-models.js';
import { createRng } from '../../electron/core/random.js';
import { compareTensors } from '../../electron/core/variants/fidelity.js';
import { activationsToCalibrate, quantizeModel, type QuantizeMode } from '../../electron/core/variants/quantize.js';
import { graphProblems, verifyVariant } from '../../electron/core/variants/verify.js';
import { summarizeModelFile } from '../../electron/core/model/open-model.js';
import { defaultPlan } from '../../shared/plan.js';
import { writeNpy } from '../../electron/core/runner/npy.js';
import { OCR_CLS, OCR_DET, REPO, SILERO_16K, SILERO_IFLESS, SILERO_V6 } from '../fixtures/paths.js';
import { sileroFeeds, textImage } from '../fixtures/realistic-inputs.js';

/** Ranges for the tensors calibration can see: the main graph's (it adds them as outputs; subgraph tensors it cannot). */
function mainGraphRanges(bytes: Uint8Array): Map<string, { min: number; max: number }> {
  const graph = decodeModel(bytes).graph;
  const visible = new Set([...graph.inputs.map((i) => i.name), ...graph.nodes.flatMap((n) => n.outputs)]);
  return new Map(
    activationsToCalibrate(bytes, {})
      .filter((n) => visible.has(n))
      .map((n) => [n, { min: -4, max: 4 }]),
  );
}

/** Conv -> Conv -> Gemm with no op between them, so each quantized op reads the one before's output. */
function chainedConvs(): Uint8Array {
  const rng = createRng(4);
  const g = new GraphBuilder('chain');
  let x = g.input('image', [1, 3, 16, 16]);
  for (const [i, [cin, cout]] of [
    [3, 8],
    [8, 8],
  ].entries()) {
    const w = g.floatInit(`conv${i}.weight`, [cout!, cin!, 3, 3], () => (rng() * 2 - 1) * 0.3);
    const b = g.floatInit(`conv${i}.bias`, [cout!], () => (rng() * 2 - 1) * 0.1);
    x = g.node('Conv', [x, w, b], `conv${i}_out`, {
      name: `/conv${i}/Conv`,
      attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] },
    });
  }
  x = g.node('Flatten', [x], 'flat', { name: '/Flatten', attrs: { axis: 1 } });
  const w = g.floatInit('fc.weight', [8 * 16 * 16, 4], () => (rng() * 2 - 1) * 0.02);
  g.node('MatMul', [x, w], 'logits', { name: '/fc/MatMul' });
  g.output('logits', [1, 4]);
  return g.toBytes();
}

/** A Gemm whose bias C is `biasDims` ([1, N], [M, N]): valid ONNX (C broadcasts) that DynamicQuantizeMatMul cannot take as is. */
function gemmWithBias(biasDims: number[]): Uint8Array {
  const rng = createRng(9);
  const g = new GraphBuilder('gemm');
  const x = g.input('x', [2, 16]);
  const w = g.floatInit('w', [16, 8], () => rng() * 2 - 1);
  const b = g.floatInit('b', biasDims, () => rng() * 2 - 1);
  g.node('Gemm', [x, w, b], 'y', { name: '/fc/Gemm' });
  g.output('y', [2, 8]);
  return g.toBytes();
}

describe('every variant loads and keeps the original outputs', () => {
  const sileroCases = [
    ['Silero VAD', SILERO_16K],
    ['Silero VAD v6', SILERO_V6],
    ['the If-less Silero', SILERO_IFLESS],
  ] as const;
  for (const [name, path] of sileroCases) {
    it(`static QDQ of ${name} loads, keeps its outputs, and says which layers had no range`, async () => {
      const bytes = readFileSync(path);
      const q = quantizeModel(bytes, {
        mode: 'static',
        perChannel: true,
        symmetric: false,
        weightType: 'int8',
        activationRanges: mainGraphRanges(bytes),
      });
      expect(graphProblems(bytes, q.bytes)).toEqual([]);
      const feeds = await sileroFeeds(bytes);
      const out = await runOnce(q.bytes, feeds);
      expect(Object.keys(out).sort()).toEqual(
        decodeModel(bytes)
          .graph.outputs.map((o) => o.name)
          .sort(),
      );
      // Layers whose activations were not observed stay float, and say why, rather than vanishing.
      for (const s of q.skipped) expect(s.reason).toMatch(/no calibrated range/);
    });
  }

  it('static QDQ of an opset-9 model (the PP-OCR classifier) raises it to opset 11 and quantizes every Conv', async () => {
    const bytes = pinInputShapes(readFileSync(OCR_CLS), { x: [1, 3, 48, 192] });
    expect(defaultOpset(decodeModel(bytes))).toBe(9);
    const q = quantizeModel(bytes, {
      mode: 'static',
      perChannel: true,
      symmetric: false,
      weightType: 'int8',
      activationRanges: mainGraphRanges(bytes),
    });
    expect(defaultOpset(decodeModel(q.bytes))).toBe(11);
    expect(graphProblems(bytes, q.bytes)).toEqual([]);
    const conv = q.compute.find((c) => c.opType === 'Conv')!;
    expect(conv.total).toBeGreaterThan(0);
    expect(conv.qdq).toBe(conv.total);
    const out = await runOnce(q.bytes, { x: textImage(48, 192) });
    expect(Object.keys(out)).toEqual(decodeModel(bytes).graph.outputs.map((o) => o.name));
  });

  it('static QDQ where one quantized op feeds the next writes each name once and runs', async () => {
    const bytes = chainedConvs();
    const q = quantizeModel(bytes, {
      mode: 'static',
      perChannel: false,
      symmetric: false,
      weightType: 'int8',
      activationRanges: mainGraphRanges(bytes),
    });
    expect(graphProblems(bytes, q.bytes)).toEqual([]);
    expect(q.compute.every((c) => c.qdq === c.total)).toBe(true);
    const feeds = { image: textImage(16, 16) };
    const [ref, out] = [await runOnce(bytes, feeds), await runOnce(q.bytes, feeds)];
    expect(
      compareTensors(ref.logits!.data as Float32Array, out.logits!.data as Float32Array, {
        name: 'l',
        baselineName: 'l',
      }).cosine,
    ).toBeGreaterThan(0.95);
  });

  for (const dims of [
    [1, 8],
    [2, 8],
  ]) {
    for (const mode of ['dynamic', 'static', 'weight-only'] as QuantizeMode[]) {
      it(`${mode} quantization of a Gemm with a [${dims.join(', ')}] bias runs and agrees`, async () => {
        const bytes = gemmWithBias(dims);
        const x = new ort.Tensor(
          'float32',
          Float32Array.from({ length: 32 }, (_, i) => Math.sin(i * 1.7) * 2),
          [2, 16],
        );
        const ranges = new Map([
          ['x', { min: -2, max: 2 }],
          ['y', { min: -20, max: 20 }],
        ]);
        const q = quantizeModel(bytes, {
          mode,
          perChannel: true,
          symmetric: false,
          weightType: 'int8',
          activationRanges: ranges,
        });
        expect(graphProblems(bytes, q.bytes)).toEqual([]);
        const [ref, out] = [await runOnce(bytes, { x }), await runOnce(q.bytes, { x })];
        expect(
          compareTensors(ref.y!.data as Float32Array, out.y!.data as Float32Array, { name: 'y', baselineName: 'y' })
            .cosine,
        ).toBeGreaterThan(0.99);
        if (mode === 'dynamic') expect(q.computeSummary).toBe('1 of 1 Gemm run int8 (DynamicQuantizeMatMul)');
      });
    }
  }
});

describe('the post-write check', () => {
  it('names a value produced twice and an original output that is gone', () => {
    const bytes = buildConvNet({ channels: [3, 8], size: 8 }).bytes;
    const model = decodeModel(bytes);
    model.graph.nodes[1]!.outputs = [...model.graph.nodes[0]!.outputs];
    model.graph.outputs = [{ name: 'other' }];
    const problems = graphProblems(bytes, encodeModel(model));
    expect(problems.join('; ')).toMatch(/the output "logits" of the original is gone/);
    expect(problems.join('; ')).toMatch(/the value "\/features\/stage.0\/conv\/Conv_out" is produced twice/);
    expect(problems.join('; ')).toMatch(/the graph output "other" is produced by no node/);
  });
});

describe('verifying a variant before it is written', () => {
  it('refuses a malformed graph and one onnxruntime cannot load, and measures one that runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-verify-'));
    const path = join(dir, 'conv.onnx');
    const bytes = buildConvNet({ channels: [3, 8], size: 8 }).bytes;
    writeFileSync(path, bytes);
    const summary = await summarizeModelFile(path);
    const plan = defaultPlan();
    const duplicate = decodeModel(bytes);
    duplicate.graph.nodes[1]!.outputs = [...duplicate.graph.nodes[0]!.outputs];
    await expect(verifyVariant(path, summary, bytes, encodeModel(duplicate), plan, 'test variant')).rejects.toThrow(
      /not a valid ONNX graph: .*produced twice.*nothing was written/,
    );
    const unloadable = decodeModel(bytes);
    unloadable.graph.nodes[0]!.opType = 'NoSuchOp';
    await expect(verifyVariant(path, summary, bytes, encodeModel(unloadable), plan, 'test variant')).rejects.toThrow(
      /does not run in onnxruntime/,
    );
    const q = quantizeModel(bytes, { mode: 'dynamic', perChannel: true, symmetric: false, weightType: 'int8' });
    const check = await verifyVariant(path, summary, bytes, q.bytes, plan, 'test variant');
    expect(check.outputs.map((o) => o.name)).toEqual(['logits']);
    expect(check.minCosine).toBeGreaterThan(0.9);
  });
});

describe('variant commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-variant-cli-'));
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [join(REPO, 'bin', 'strata.js'), ...args], { cwd: REPO, encoding: 'utf8' });

  it('quantize defaults to per-channel int8 compute and reports the output cosine it measured on the given inputs', () => {
    const image = join(dir, 'page.npy');
    const x = textImage(320, 320, 7, 6);
    writeFileSync(image, writeNpy(x.data as Float32Array, x.dims, 'float32'));
    const r = cli([
      'quantize',
      OCR_DET,
      '--out',
      join(dir, 'det.onnx'),
      '--shape',
      'x=1x3x320x320',
      '--input',
      `x=${image}`,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\(dynamic, int8 weights, per-channel, asymmetric\)/);
    const cosine = Number(
      /fidelity output cosine ([\d.]+) against the original on the inputs you gave \(any others seeded random\)\n/.exec(
        r.stdout,
      )?.[1],
    );
    expect(cosine).toBeGreaterThanOrEqual(0.99);
  });

  it('says a variant that grew is larger, not "0.55x smaller"', () => {
    const model = join(dir, 'tiny.onnx');
    writeFileSync(model, gemmWithBias([8]));
    const r = cli(['quantize', model, '--out', join(dir, 'tiny-q.onnx')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/size {5}\S+ B -> \S+ B \(\d+\.\d\d× larger\)/);
    expect(r.stdout).not.toMatch(/smaller/);
  });
});
