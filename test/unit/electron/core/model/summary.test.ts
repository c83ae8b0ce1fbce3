import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strataErrorOf } from '../../../../fixtures/errors.js';
import { assertExternalDataPresent } from '../../../../../electron/core/model/summary.js';
import { summarizeModelFile } from '../../../../../electron/core/model/open-model.js';
import {
  buildConvNet,
  buildMlp,
  buildSampleModel,
  buildTransformerBlock,
  writeExternalDataModel,
} from '../../../../support/synthetic-models.js';
import * as paths from '../../../../fixtures/paths.js';
import expectations from '../../../../fixtures/models.json' with { type: 'json' };

const dir = mkdtempSync(join(tmpdir(), 'strata-model-'));

describe('model summary of the fixture models', () => {
  for (const expected of expectations.models) {
    const path = paths[expected.file as keyof typeof paths];
    it(`reads ${expected.file}`, async () => {
      const summary = await summarizeModelFile(path);
      expect(summary.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version).toBe(expected.opset);
      expect(summary.inputs).toEqual(expected.inputs);
      if ('nodeCount' in expected) expect(summary.nodeCount).toBe(expected.nodeCount);
      if ('hasSubgraphs' in expected) {
        expect(summary.subgraphCount > 0).toBe(expected.hasSubgraphs);
        if (expected.hasSubgraphs) expect(summary.nodeCount).toBeGreaterThan(summary.topLevelNodeCount);
      }
      if ('weightsInConstants' in expected) {
        expect(summary.constantNodeCount).toBeGreaterThan(0);
        // Silero v6 keeps its conv weights in Constant nodes: without counting them the
        // parameter bytes would fall far short of the 2.3 MB file.
        expect(summary.parameterBytes).toBeGreaterThan(0.8 * summary.bytes);
      }
      expect(summary.bytes).toBe(readFileSync(path).length);
      expect(summary.sha256).toMatch(/^[0-9a-f]{64}$/);
      const histogramTotal = summary.opHistogram.reduce((sum, entry) => sum + entry.count, 0);
      expect(histogramTotal).toBe(summary.nodeCount);
      expect(summary.parameterBytes).toBeLessThanOrEqual(summary.bytes);
    });
  }
});

describe('model summary of synthetic models of known size', () => {
  for (const [name, model] of [
    ['MLP', buildMlp({ sizes: [64, 256, 10] })],
    ['conv net', buildConvNet()],
    ['transformer', buildTransformerBlock()],
  ] as const) {
    it(`counts the nodes and parameters of the ${name} exactly`, async () => {
      const path = join(dir, `${name}.onnx`);
      writeFileSync(path, model.bytes);
      const summary = await summarizeModelFile(path);
      expect(summary.nodeCount).toBe(model.nodeCount);
      expect(summary.parameterCount).toBe(model.parameterCount);
    });
  }

  it('keeps a symbolic batch dim by name', async () => {
    const path = join(dir, 'mlp-batch.onnx');
    writeFileSync(path, buildMlp({ sizes: [8, 4], batch: 'batch' }).bytes);
    expect((await summarizeModelFile(path)).inputs[0]!.dims).toEqual(['batch', 8]);
  });
});

describe('bad model files', () => {
  it('names a missing file', async () => {
    const err = await strataErrorOf(() => summarizeModelFile(join(dir, 'absent.onnx')));
    expect(err.code).toBe('MODEL_NOT_FOUND');
    expect(err.message).toContain('absent.onnx');
  });

  it('says an empty file is empty', async () => {
    writeFileSync(join(dir, 'empty.onnx'), '');
    const err = await strataErrorOf(() => summarizeModelFile(join(dir, 'empty.onnx')));
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toMatch(/"empty\.onnx" is not an ONNX model: it is empty/);
  });

  it('says a text file is text', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'hello, this is not a model\n');
    const err = await strataErrorOf(() => summarizeModelFile(join(dir, 'notes.txt')));
    expect(err.message).toMatch(/starts with text/);
  });

  it('says a truncated model is truncated, wherever it is cut', async () => {
    const bytes = readFileSync(paths.OCR_CLS);
    for (const fraction of [0.1, 0.5, 0.99]) {
      const path = join(dir, `cut-${fraction}.onnx`);
      writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * fraction)));
      const err = await strataErrorOf(() => summarizeModelFile(path));
      expect(err.code).toBe('MODEL_INVALID');
      expect(err.message).toMatch(/truncated/);
    }
  });

  it('rejects random bytes without crashing', async () => {
    const path = join(dir, 'random.onnx');
    const random = new Uint8Array(8192).map((_, i) => (i * 2654435761) >>> 24);
    writeFileSync(path, random);
    const err = await strataErrorOf(() => summarizeModelFile(path));
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toContain('random.onnx');
  });

  it('finds external data next to the model, and names it when it is missing', async () => {
    const { modelPath, dataPath } = writeExternalDataModel(dir, 'ext');
    const present = await summarizeModelFile(modelPath);
    expect(present.externalData).toEqual([{ tensor: 'w', location: 'ext.weights.bin', offset: 0, length: 512 }]);
    expect(present.missingExternalFiles).toEqual([]);
    expect(present.externalDataBytes).toBe(512);
    expect(() => assertExternalDataPresent(present)).not.toThrow();
    rmSync(dataPath);
    const missing = await summarizeModelFile(modelPath);
    expect(missing.missingExternalFiles).toEqual(['ext.weights.bin']);
    expect(() => assertExternalDataPresent(missing)).toThrow(/"ext\.weights\.bin"/);
  });
});

describe('the bundled sample model', () => {
  it('is exactly what buildSampleModel makes, so it can be regenerated', () => {
    expect(Buffer.compare(readFileSync(paths.SAMPLE), Buffer.from(buildSampleModel().bytes))).toBe(0);
  });
});
