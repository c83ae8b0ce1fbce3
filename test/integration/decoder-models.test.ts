// The synthetic decoders the generation engine is measured on, checked in onnxruntime itself: a
// model without layers against a hand computation, a prefill of N tokens against N single-token
// steps over the KV cache, causality, and a draft whose layers are its target's.
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildDecoder, type DecoderModel } from '../support/decoder-models.js';
import { runOnce } from '../support/ort-run.js';

function feeds(m: DecoderModel, tokens: readonly number[], pastLength: number, past: Record<string, ort.Tensor> = {}) {
  const f: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(tokens, BigInt), [1, tokens.length]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(pastLength + tokens.length).fill(1n), [
      1,
      pastLength + tokens.length,
    ]),
    position_ids: new ort.Tensor(
      'int64',
      BigInt64Array.from(tokens, (_, i) => BigInt(pastLength + i)),
      [1, tokens.length],
    ),
  };
  for (let l = 0; l < m.layers; l++) {
    for (const kind of ['key', 'value']) {
      f[`past_key_values.${l}.${kind}`] =
        past[`present.${l}.${kind}`] ?? new ort.Tensor('float32', new Float32Array(0), [1, m.kvHeads, 0, m.headDim]);
    }
  }
  return f;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

describe('synthetic decoders', () => {
  it('without layers compute logits = RMSNorm(embedding + position) x LM head, by hand', async () => {
    const m = buildDecoder({ layers: 0, vocab: 16, hidden: 8, heads: 2, kvHeads: 1, maxPositions: 32 });
    const tokens = [3, 11, 0, 7];
    const out = await runOnce(m.bytes, feeds(m, tokens, 0));
    const logits = out.logits!.data as Float32Array;
    expect(out.logits!.dims).toEqual([1, 4, 16]);
    const { embed, positions, lmHead } = m.weights;
    tokens.forEach((t, p) => {
      const x = Array.from({ length: 8 }, (_, j) => embed[t * 8 + j]! + positions[p * 8 + j]!);
      const rms = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / 8 + m.rmsEps);
      for (let v = 0; v < 16; v++) {
        const expected = x.reduce((s, xj, j) => s + (xj / rms) * lmHead[j * 16 + v]!, 0);
        expect(logits[p * 16 + v]).toBeCloseTo(expected, 4);
      }
    });
  });

  it('give the same logits and cache for a prefill of N tokens as for N single-token steps (GQA, 2 layers)', async () => {
    const m = buildDecoder({ layers: 2, heads: 4, kvHeads: 2 });
    const session = await ort.InferenceSession.create(m.bytes, { logSeverityLevel: 3, intraOpNumThreads: 1 });
    try {
      const tokens = [5, 17, 99, 3, 42, 200];
      const prefill = await session.run(feeds(m, tokens, 0));
      let past: Record<string, ort.Tensor> = {};
      for (let i = 0; i < tokens.length; i++) {
        const step = await session.run(feeds(m, [tokens[i]!], i, past));
        past = step;
        const row = (prefill.logits!.data as Float32Array).subarray(i * m.vocab, (i + 1) * m.vocab);
        expect(maxAbsDiff(step.logits!.data as Float32Array, row)).toBeLessThan(1e-4);
      }
      expect(past['present.1.value']!.dims).toEqual([1, 2, tokens.length, m.headDim]);
      expect(
        maxAbsDiff(past['present.1.value']!.data as Float32Array, prefill['present.1.value']!.data as Float32Array),
      ).toBeLessThan(1e-5);
    } finally {
      await session.release();
    }
  });

  it('are causal: a later token never changes an earlier position, an earlier one changes later positions', async () => {
    const m = buildDecoder({ layers: 2 });
    const a = (await runOnce(m.bytes, feeds(m, [1, 2, 3, 4], 0))).logits!.data as Float32Array;
    const b = (await runOnce(m.bytes, feeds(m, [1, 2, 3, 9], 0))).logits!.data as Float32Array;
    const c = (await runOnce(m.bytes, feeds(m, [8, 2, 3, 4], 0))).logits!.data as Float32Array;
    const rows = (x: Float32Array, from: number, to: number) => x.subarray(from * m.vocab, to * m.vocab);
    expect(maxAbsDiff(rows(a, 0, 3), rows(b, 0, 3))).toBe(0);
    expect(maxAbsDiff(rows(a, 3, 4), rows(c, 3, 4))).toBeGreaterThan(1e-3);
  });

  it('cut to a draft share the target layers, embedding and LM head', async () => {
    const target = buildDecoder({ layers: 4 });
    const draft = buildDecoder({ layers: 4, keepLayers: 1 });
    expect(draft.layers).toBe(1);
    expect(draft.weights.lmHead).toEqual(target.weights.lmHead);
    const t = await runOnce(target.bytes, feeds(target, [4, 5, 6], 0));
    const d = await runOnce(draft.bytes, feeds(draft, [4, 5, 6], 0));
    expect(maxAbsDiff(t['present.0.key']!.data as Float32Array, d['present.0.key']!.data as Float32Array)).toBe(0);
    expect(maxAbsDiff(t.logits!.data as Float32Array, d.logits!.data as Float32Array)).toBeGreaterThan(1e-3);
  });

  it('without a position_ids input compute the positions past .. total-1 in the graph, as older exports do', async () => {
    const withIds = buildDecoder({ layers: 2 });
    const without = buildDecoder({ layers: 2, positionIds: false });
    const session = await ort.InferenceSession.create(without.bytes, { logSeverityLevel: 3, intraOpNumThreads: 1 });
    try {
      const prefill = await session.run(withoutPositions(feeds(without, [7, 8, 9], 0)));
      const step = await session.run(withoutPositions(feeds(without, [10], 3, prefill)));
      const reference = await runOnce(withIds.bytes, feeds(withIds, [7, 8, 9, 10], 0));
      const last = (reference.logits!.data as Float32Array).subarray(3 * withIds.vocab);
      expect(maxAbsDiff(step.logits!.data as Float32Array, last)).toBeLessThan(1e-4);
    } finally {
      await session.release();
    }
  });
});

function withoutPositions(f: Record<string, ort.Tensor>): Record<string, ort.Tensor> {
  const { position_ids: _, ...rest } = f;
  return rest;
}
