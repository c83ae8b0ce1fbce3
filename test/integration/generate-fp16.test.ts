// A decoder whose KV cache is float16 (past inputs and present outputs), against its float32 twin
// (the same weights): the run works through the worker, the cache is counted at 2 bytes an element
// and measured at that size, and the two-decoder comparison states the halving. No timing asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareGenerateReports } from '../../electron/core/generate/generate-compare.js';
import { generateProfile } from '../../electron/core/generate/run-generate.js';
import { defaultGenerateSettings, type GenerateReport } from '../../shared/generate.js';
import { defaultPlan } from '../../shared/plan.js';
import { buildDecoder, writeDecoderDir } from '../support/decoder-models.js';

let dir: string;
let fp32: GenerateReport;
let fp16: GenerateReport;
const settings = { ...defaultGenerateSettings(), promptLengths: [8, 32], newTokens: 12, context: 128, reps: 3 };
const plan = { ...defaultPlan(), intraOpThreads: 1 };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-generate-fp16-'));
  const a = writeDecoderDir(join(dir, 'fp32'), buildDecoder({ layers: 4 }));
  const b = writeDecoderDir(join(dir, 'fp16'), buildDecoder({ layers: 4, kvFloat16: true }));
  fp32 = await generateProfile(a, settings, plan);
  fp16 = await generateProfile(b, settings, plan);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a float16 KV cache', () => {
  it('is recognised as float16, 2 bytes an element', () => {
    expect(fp16.decoder).toMatchObject({
      layers: 4,
      kvHeads: 2,
      headDim: 16,
      kvElementType: 'float16',
      kvBytesPerElement: 2,
    });
    expect(fp32.decoder).toMatchObject({ kvElementType: 'float32', kvBytesPerElement: 4 });
  });

  it('generates: every prompt length, the timeline and the depth run', () => {
    expect(fp16.prompts.map((p) => p.promptTokens)).toEqual([8, 32]);
    expect(fp16.timeline).toHaveLength(13);
    expect(fp16.depth.length).toBeGreaterThan(4);
    expect(fp16.layers.some((l) => l.module === 'model/layers.0/attn')).toBe(true);
  });

  it('computes half the float32 bytes, and the worker measures that growth', () => {
    expect(fp16.kvMemory.computedBytes).toBe(2 * 4 * 2 * 16 * 128 * 2);
    expect(fp16.kvMemory.computedBytes * 2).toBe(fp32.kvMemory.computedBytes);
    // Memory, not time: what the float16 present tensors hold between steps.
    expect(fp16.kvMemory.ratio).toBeGreaterThan(0.8);
    expect(fp16.kvMemory.ratio).toBeLessThan(1.25);
  });

  it('compares against its float32 twin with the KV bytes halved and a verdict with its interval', () => {
    const c = compareGenerateReports(fp32, fp16);
    const computed = c.metrics.find((m) => m.metric.startsWith('KV cache computed'))!;
    expect(computed.ratio).toBe(0.5);
    // One sample per generation: 3 repetitions x 2 prompt lengths, enough for an interval at the level.
    expect(c.speeds[0]).toMatchObject({ what: 'per-token decode latency', samples: [6, 6], enough: true });
    expect(c.speeds.map((s) => s.what)).toEqual(['per-token decode latency', 'TTFT at 8 tokens', 'TTFT at 32 tokens']);
    expect(c.speeds[0]!.low).toBeLessThanOrEqual(c.speeds[0]!.ratio);
    expect(c.speeds[0]!.high).toBeGreaterThanOrEqual(c.speeds[0]!.ratio);
    expect(c.names).toEqual(['model.onnx (4 layers, float32 cache)', 'model.onnx (4 layers, float16 cache)']);
    expect(c.verdict).toMatch(/float(16|32) cache\) .*per token\b.*\d+\.\d% interval/);
  });
});
