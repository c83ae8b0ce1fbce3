// The variant transforms on real onnxruntime: every variant loads and runs, and the numbers issue 4
// asks for hold (size, sparsity, output cosine).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { runOnce } from '../support/ort-run.js';
import { describe, expect, it } from 'vitest';
import { pinInputShapes } from '../../electron/core/model/pin-dims.js';
import { buildConvNet, buildMlp } from '../support/synthetic-models.js';
import { compareTensors } from '../../electron/core/variants/fidelity.js';
import { convertToFp16 } from '../../electron/core/variants/fp16.js';
import { pruneModel } from '../../electron/core/variants/prune.js';
import { activationsToCalibrate, quantizeModel } from '../../electron/core/variants/quantize.js';
import { decodeModel, encodeModel } from '../../electron/core/model/onnx-proto.js';
import { OCR_CLS, REPO, SAMPLE, SILERO_16K } from '../fixtures/paths.js';

const run = (bytes: Uint8Array, feeds: Record<string, ort.Tensor>) => runOnce(bytes, feeds, 2);

const floats = (n: number, f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));

// A weight-heavy MLP: 512 -> 1024 -> 1024 -> 256, batch 4.
const mlp = buildMlp({ sizes: [512, 1024, 1024, 256], batch: 4 });
const mlpFeeds = {
  x: new ort.Tensor(
    'float32',
    floats(4 * 512, (i) => Math.sin(i * 0.37)),
    [4, 512],
  ),
};

describe('variants of a weight-heavy MLP', () => {
  it('dynamic int8 is at least 3.5x smaller with output cosine >= 0.99', async () => {
    const reference = (await run(mlp.bytes, mlpFeeds)).y!.data as Float32Array;
    for (const perChannel of [false, true]) {
      const q = quantizeModel(mlp.bytes, { mode: 'dynamic', perChannel, symmetric: true, weightType: 'int8' });
      expect(mlp.bytes.length / q.bytes.length).toBeGreaterThanOrEqual(3.5);
      expect(q.coverage).toEqual([{ opType: 'MatMul', quantized: 3, total: 3 }]);
      const out = (await run(q.bytes, mlpFeeds)).y!.data as Float32Array;
      expect(compareTensors(reference, out, { name: 'y', baselineName: 'y' }).cosine).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('static QDQ with calibrated ranges runs and stays close', async () => {
    const names = activationsToCalibrate(mlp.bytes, {});
    const model = decodeModel(mlp.bytes);
    for (const name of names)
      if (!model.graph.inputs.some((i) => i.name === name))
        model.graph.outputs.push({ name, type: { tensor: { elemType: 1 } } });
    const outs = await run(encodeModel(model), mlpFeeds);
    const ranges = new Map(
      names.map((name) => {
        const data = (outs[name] ?? mlpFeeds.x).data as Float32Array;
        return [name, { min: Math.min(...data), max: Math.max(...data) }];
      }),
    );
    const q = quantizeModel(mlp.bytes, {
      mode: 'static',
      perChannel: true,
      symmetric: false,
      weightType: 'int8',
      activationRanges: ranges,
    });
    expect(q.skipped).toEqual([]);
    const reference = (await run(mlp.bytes, mlpFeeds)).y!.data as Float32Array;
    const out = (await run(q.bytes, mlpFeeds)).y!.data as Float32Array;
    expect(compareTensors(reference, out, { name: 'y', baselineName: 'y' }).cosine).toBeGreaterThanOrEqual(0.99);
  });

  it('fp16 is about half the size and keeps float32 inputs and outputs', async () => {
    const half = convertToFp16(mlp.bytes);
    expect(half.bytes.length / mlp.bytes.length).toBeGreaterThan(0.45);
    expect(half.bytes.length / mlp.bytes.length).toBeLessThan(0.55);
    const out = await run(half.bytes, mlpFeeds);
    expect(out.y!.type).toBe('float32');
    const reference = (await run(mlp.bytes, mlpFeeds)).y!.data as Float32Array;
    expect(
      compareTensors(reference, out.y!.data as Float32Array, { name: 'y', baselineName: 'y' }).cosine,
    ).toBeGreaterThan(0.999);
  });

  it('50% magnitude pruning reaches 50% sparsity, unstructured and 2:4, and compresses better', async () => {
    for (const pattern of ['unstructured', '2:4'] as const) {
      const pruned = pruneModel(mlp.bytes, { sparsity: 0.5, pattern });
      expect(pruned.achievedSparsity).toBeCloseTo(0.5, 3);
      expect(pruned.compressedBytes).toBeLessThan(pruned.originalCompressedBytes * 0.75);
      const out = await run(pruned.bytes, mlpFeeds);
      expect(out.y!.dims).toEqual([4, 256]);
    }
  });
});

describe('variants of real models', () => {
  it('quantizes the PP-OCR classifier (weights in Constant nodes) and it still agrees', async () => {
    const bytes = pinInputShapes(readFileSync(OCR_CLS), { x: [1, 3, 48, 192] });
    const feeds = {
      x: new ort.Tensor(
        'float32',
        floats(3 * 48 * 192, (i) => Math.sin(i * 0.013)),
        [1, 3, 48, 192],
      ),
    };
    const q = quantizeModel(bytes, { mode: 'dynamic', perChannel: true, symmetric: true, weightType: 'int8' });
    expect(q.coverage.find((c) => c.opType === 'Conv')).toEqual({ opType: 'Conv', quantized: 53, total: 53 });
    const reference = Object.values(await run(bytes, feeds))[0]!.data as Float32Array;
    const out = Object.values(await run(q.bytes, feeds))[0]!.data as Float32Array;
    const f = compareTensors(reference, out, { name: 'p', baselineName: 'p' }, 2);
    expect(f.cosine).toBeGreaterThan(0.99);
    expect(f.top1Agreement).toBe(1);
    const half = convertToFp16(bytes);
    expect(
      compareTensors(reference, Object.values(await run(half.bytes, feeds))[0]!.data as Float32Array, {
        name: 'p',
        baselineName: 'p',
      }).cosine,
    ).toBeGreaterThan(0.999);
  });

  it('quantizes and converts Silero (If subgraphs, int64 scalar input)', async () => {
    const bytes = readFileSync(SILERO_16K);
    const feeds = {
      input: new ort.Tensor(
        'float32',
        floats(512, (i) => 0.3 * Math.sin(i * 0.05)),
        [1, 512],
      ),
      state: new ort.Tensor('float32', new Float32Array(256), [2, 1, 128]),
      sr: new ort.Tensor('int64', BigInt64Array.of(16000n), []),
    };
    const reference = await run(bytes, feeds);
    for (const variant of [
      quantizeModel(bytes, { mode: 'dynamic', perChannel: true, symmetric: true, weightType: 'int8' }).bytes,
      convertToFp16(bytes).bytes,
    ]) {
      const out = await run(variant, feeds);
      const state = compareTensors(reference.stateN!.data as Float32Array, out.stateN!.data as Float32Array, {
        name: 's',
        baselineName: 's',
      });
      expect(state.cosine).toBeGreaterThan(0.99);
      expect(
        Math.abs((out.output!.data as Float32Array)[0]! - (reference.output!.data as Float32Array)[0]!),
      ).toBeLessThan(0.05);
    }
  });

  it('quantizes a conv net statically into QDQ that onnxruntime runs', async () => {
    const conv = buildConvNet();
    const feeds = {
      image: new ort.Tensor(
        'float32',
        floats(3 * 32 * 32, (i) => Math.cos(i * 0.1)),
        [1, 3, 32, 32],
      ),
    };
    const names = activationsToCalibrate(conv.bytes, {});
    const model = decodeModel(conv.bytes);
    for (const name of names)
      if (name !== 'image' && name !== 'logits') model.graph.outputs.push({ name, type: { tensor: { elemType: 1 } } });
    const outs = await run(encodeModel(model), feeds);
    const ranges = new Map(
      names.map((name) => {
        const data = (outs[name] ?? feeds.image).data as Float32Array;
        return [name, { min: Math.min(...data), max: Math.max(...data) }];
      }),
    );
    const q = quantizeModel(conv.bytes, {
      mode: 'static',
      perChannel: true,
      symmetric: false,
      weightType: 'int8',
      activationRanges: ranges,
    });
    const out = Object.values(await run(q.bytes, feeds))[0]!.data as Float32Array;
    const reference = outs.logits!.data as Float32Array;
    expect(compareTensors(reference, out, { name: 'l', baselineName: 'l' }).cosine).toBeGreaterThan(0.98);
  });
});

describe('static quantization from the command line', () => {
  it('calibrates with each method and writes a model that runs', async () => {
    const out = mkdtempSync(join(tmpdir(), 'strata-qdq-'));
    const sample = readFileSync(SAMPLE);
    const feeds = {
      hidden: new ort.Tensor(
        'float32',
        floats(64 * 64, (i) => Math.sin(i * 0.11)),
        [1, 64, 64],
      ),
    };
    const reference = (await run(sample, feeds)).output!.data as Float32Array;
    for (const method of ['minmax', 'percentile', 'entropy']) {
      const file = join(out, `${method}.onnx`);
      const stdout = execFileSync(
        process.execPath,
        [
          join(REPO, 'bin', 'strata.js'),
          'quantize',
          SAMPLE,
          '--out',
          file,
          '--mode',
          'static',
          '--per-channel',
          '--calibrate',
          method,
          '--calibration-inputs',
          '4',
        ],
        { encoding: 'utf8' },
      );
      expect(stdout).toMatch(/coverage MatMul \d+\/32/);
      const quantized = (await run(readFileSync(file), feeds)).output!.data as Float32Array;
      expect(compareTensors(reference, quantized, { name: 'o', baselineName: 'o' }).cosine).toBeGreaterThan(0.98);
    }
  });
});
