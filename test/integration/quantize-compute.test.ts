// Variants that are what their labels say, on real onnxruntime: dynamic int8 computes in int8 for
// every quantizable Conv/MatMul/Gemm of the held-in models and a conv net, weight-only is its own
// option, and a comparison matches the quantized layers to their float originals and says why a
// variant is slower.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { runOnce } from '../support/ort-run.js';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../shared/compare.js';
import { buildLayerDeltaOption, largestDeltas } from '../../renderer/charts/compare-layers.js';
import { decodeModel, walkGraphs } from '../../electron/core/model/onnx-proto.js';
import { pinInputShapes } from '../../electron/core/model/pin-dims.js';
import { buildConvNet } from '../support/synthetic-models.js';
import { compareTensors } from '../../electron/core/variants/fidelity.js';
import { variantLabel } from '../../electron/core/variants/generate.js';
import { quantizeModel } from '../../electron/core/variants/quantize.js';
import { findWeights } from '../../electron/core/variants/weights.js';
import { sileroFeeds, textImage } from '../fixtures/realistic-inputs.js';
import { OCR_CLS, OCR_DET, OCR_REC, REPO, SILERO_16K, SILERO_IFLESS, SILERO_V6 } from '../fixtures/paths.js';

function opCounts(bytes: Uint8Array): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const g of walkGraphs(decodeModel(bytes).graph))
    for (const n of g.nodes) counts[n.opType] = (counts[n.opType] ?? 0) + 1;
  return counts;
}

// Realistic inputs (realistic-inputs.ts): a rendered text line or page for the OCR models, voiced
// speech with the state carried from the frames before for Silero. Sine waves hid errors these show.
const cases: {
  name: string;
  bytes: () => Uint8Array;
  feeds: (bytes: Uint8Array) => Promise<Record<string, ort.Tensor>>;
}[] = [
  {
    name: 'a synthetic conv net',
    bytes: () => buildConvNet({ channels: [3, 16, 32, 64], size: 32 }).bytes,
    feeds: async () => ({ image: textImage(32, 32, 5, 2) }),
  },
  {
    name: 'the PP-OCR classifier (opset 9, raised to 11 for DynamicQuantizeLinear)',
    bytes: () => pinInputShapes(readFileSync(OCR_CLS), { x: [1, 3, 48, 192] }),
    feeds: async () => ({ x: textImage(48, 192) }),
  },
  {
    name: 'the PP-OCRv4 recogniser',
    bytes: () => pinInputShapes(readFileSync(OCR_REC), { x: [1, 3, 48, 320] }),
    feeds: async () => ({ x: textImage(48, 320) }),
  },
  {
    name: 'the PP-OCRv4 detector',
    bytes: () => pinInputShapes(readFileSync(OCR_DET), { x: [1, 3, 320, 320] }),
    feeds: async () => ({ x: textImage(320, 320, 7, 6) }),
  },
  ...[
    ['Silero VAD', SILERO_16K],
    ['Silero VAD v6 (convolutions inside If branches, weights in Constants)', SILERO_V6],
    ['the If-less Silero (subgraphs reading their weights from the main graph)', SILERO_IFLESS],
  ].map(([name, path]) => ({
    name: name!,
    bytes: () => readFileSync(path!),
    feeds: (bytes: Uint8Array) => sileroFeeds(bytes),
  })),
];

describe('dynamic int8 computes in int8', () => {
  for (const c of cases) {
    it(`writes an integer op for every quantizable Conv/MatMul/Gemm of ${c.name}, and it stays close`, async () => {
      const bytes = c.bytes();
      // Every graph's weights, subgraphs reading the main graph's included.
      const model = decodeModel(bytes);
      const outer = new Map(model.graph.initializers.map((t) => [t.name, t]));
      const quantizable = [...walkGraphs(model.graph)].flatMap((g, i) =>
        findWeights(g, undefined, undefined, i === 0 ? undefined : outer),
      );
      const feeds = await c.feeds(bytes);
      const reference = await runOnce(bytes, feeds);
      // Per-tensor is still offered and still int8; the default (per-channel) keeps the outputs.
      for (const perChannel of [false, true]) {
        const q = quantizeModel(bytes, { mode: 'dynamic', perChannel, symmetric: false, weightType: 'int8' });
        const ops = opCounts(q.bytes);
        const convs = quantizable.filter((u) => u.node.opType === 'Conv').length;
        expect(ops.ConvInteger ?? 0).toBe(convs);
        expect(ops.DynamicQuantizeMatMul ?? 0).toBe(quantizable.length - convs);
        expect(ops.DynamicQuantizeLinear ?? 0).toBeGreaterThan(0);
        expect(q.skipped).toEqual([]);
        for (const c of q.compute) expect(c.weightOnly).toBe(0);
        expect(q.computeSummary).toMatch(/run int8/);
        expect(q.bytes.length).toBeLessThan(bytes.length);
        if (!perChannel) continue;
        const out = await runOnce(q.bytes, feeds);
        for (const name of Object.keys(reference)) {
          const f = compareTensors(reference[name]!.data as Float32Array, out[name]!.data as Float32Array, {
            name,
            baselineName: name,
          });
          expect(f.cosine, `${name}`).toBeGreaterThanOrEqual(0.99);
        }
      }
    });
  }

  it('offers weight-only int8 as its own option: int8 weights, the same float ops', async () => {
    const c = cases[0]!;
    const bytes = c.bytes();
    const q = quantizeModel(bytes, { mode: 'weight-only', perChannel: true, symmetric: false, weightType: 'int8' });
    const ops = opCounts(q.bytes);
    expect(ops.ConvInteger).toBeUndefined();
    expect(ops.Conv).toBe(3);
    expect(ops.DequantizeLinear).toBe(4);
    expect(q.computeSummary).toBe(
      '3 of 3 Conv store int8 weights but compute in float; 1 of 1 Gemm store int8 weights but compute in float',
    );
    const spec = { kind: 'quantize', perChannel: true, symmetric: false, weightType: 'int8' } as const;
    expect(variantLabel({ ...spec, mode: 'weight-only' })).toBe(
      'int8 weight-only (float compute) per-channel asymmetric',
    );
    expect(variantLabel({ ...spec, mode: 'dynamic' })).toBe('int8 dynamic per-channel asymmetric');
    const feeds = await c.feeds(bytes);
    const out = await runOnce(q.bytes, feeds);
    const reference = await runOnce(bytes, feeds);
    expect(
      compareTensors(reference.logits!.data as Float32Array, out.logits!.data as Float32Array, {
        name: 'l',
        baselineName: 'l',
      }).cosine,
    ).toBeGreaterThan(0.99);
  });
});

describe('comparing a conv net with its dynamic and static int8 variants', () => {
  it('matches the quantized layers to their float originals, charts them, and says why a variant is slower', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-int8-'));
    const [base, dynamic, qdq, json] = ['conv.onnx', 'dynamic.onnx', 'static.onnx', 'cmp.json'].map((f) =>
      join(dir, f),
    );
    writeFileSync(base!, buildConvNet({ channels: [3, 16, 32, 64], size: 48 }).bytes);
    const cli = (args: string[]) => {
      const r = spawnSync(process.execPath, [join(REPO, 'bin', 'strata.js'), ...args], { cwd: REPO, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    expect(cli(['quantize', base!, '--out', dynamic!, '--per-channel'])).toMatch(
      /compute {2}3 of 3 Conv run int8 \(ConvInteger\); 1 of 1 Gemm run int8/,
    );
    cli(['quantize', base!, '--out', qdq!, '--mode', 'static', '--per-channel', '--calibration-inputs', '2']);
    const text = cli(['compare', base!, dynamic!, qdq!, '--runs', '10', '--threads', '1', '--json', json!]);
    expect(text).toMatch(/Why is it slower\?/);
    const comparison = JSON.parse(readFileSync(json!, 'utf8')) as Comparison;

    // At least 90% of the baseline's Conv/MatMul/Gemm layers are matched to an int8 counterpart, in both variants.
    for (const m of [1, 2]) {
      const compute = comparison.models[m]!.compute!;
      const total = compute.ops.reduce((s, o) => s + o.total, 0);
      const int8 = compute.ops.reduce((s, o) => s + o.int8, 0);
      expect(total).toBe(4);
      expect(int8 / total).toBeGreaterThanOrEqual(0.9);
      expect(comparison.matchRates!.find((r) => r.model === m)!.byLineage).toBeGreaterThanOrEqual(4);
      // The per-layer delta chart shows them.
      const conv = comparison.layers.find((l) => l.how === 'lineage' && l.opTypes[0] === 'Conv')!;
      expect(largestDeltas(comparison, m).map((d) => d.layer.name)).toContain(conv.name);
      expect(buildLayerDeltaOption(comparison, m)).not.toBeNull();
    }
    expect(comparison.models[1]!.compute!.summary).toMatch(/^3 of 3 Conv run int8; 1 of 1 Gemm run int8/);
    // The static variant says which layers onnxruntime fused into QLinear kernels.
    expect(comparison.models[2]!.compute!.fused.length).toBeGreaterThanOrEqual(3);

    // Diagnostics per model, each with its layers, time share and a message; the dynamic one prices
    // the per-run quantization it adds, and where it is slower, says how much of that it explains.
    const diagnostics = comparison.models[1]!.diagnostics!;
    for (const d of diagnostics) {
      expect(Object.keys(d)).toEqual(expect.arrayContaining(['kind', 'layers', 'timeShare', 'message']));
      expect(d.layers.length).toBeGreaterThan(0);
    }
    const dq = diagnostics.find((d) => d.kind === 'dynamic-quantize')!;
    expect(dq.timeShare).toBeGreaterThan(0);
    expect(dq.layers.some((l) => l.endsWith('/DynamicQuantizeLinear'))).toBe(true);
    const [baseline, dyn] = comparison.models;
    if (dyn!.latency.p50Ms > baseline!.latency.p50Ms) {
      expect(
        diagnostics.some(
          (d) =>
            d.timeShare > 0 &&
            (d.slowdownShare ?? 0) > 0 &&
            /slower than the baseline at the interleaved p50/.test(d.message),
        ),
      ).toBe(true);
    }
    // Shares are bounded: each of the variant's run time, and together at most the whole slowdown.
    for (const d of diagnostics) expect(d.timeShare).toBeLessThanOrEqual(1);
    expect(diagnostics.reduce((s, d) => s + (d.slowdownShare ?? 0), 0)).toBeLessThanOrEqual(1 + 1e-9);
  });
});
