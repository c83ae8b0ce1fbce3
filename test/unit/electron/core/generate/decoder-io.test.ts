import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readDecoderInfo } from '../../../../../electron/core/generate/decoder-io.js';
import type { ModelSummary, TensorInfo } from '../../../../../shared/model.js';

const t = (name: string, dims: TensorInfo['dims'], elementType: TensorInfo['elementType'] = 'float32'): TensorInfo => ({
  name,
  dims,
  elementType,
});

function summary(
  path: string,
  layers: number,
  opts: { kvHeads?: number | string; vocab?: number | string } = {},
): ModelSummary {
  const inputs = [t('input_ids', ['batch', 'seq'], 'int64'), t('attention_mask', ['batch', 'total'], 'int64')];
  const outputs = [t('logits', ['batch', 'seq', opts.vocab ?? 32])];
  for (let l = 0; l < layers; l++) {
    for (const k of ['key', 'value']) {
      inputs.push(t(`past_key_values.${l}.${k}`, ['batch', opts.kvHeads ?? 2, 'past', 8], 'float16'));
      outputs.push(t(`present.${l}.${k}`, ['batch', opts.kvHeads ?? 2, 'total', 8], 'float16'));
    }
  }
  return { path, inputs, outputs } as unknown as ModelSummary;
}

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('readDecoderInfo', () => {
  it('reads layers, KV heads, head size, vocabulary and cache type from the graph', () => {
    const d = readDecoderInfo(summary('/x/model.onnx', 3));
    expect(d).toMatchObject({
      layers: 3,
      kvHeads: 2,
      headDim: 8,
      vocab: 32,
      kvElementType: 'float16',
      kvBytesPerElement: 2,
      positionIds: false,
      attentionMask: true,
      pastKey: 'past_key_values.%d.key',
      presentValue: 'present.%d.value',
      maxContext: null,
      source: 'graph',
    });
  });

  it('takes symbolic dims and the context from genai_config.json beside the model', () => {
    const folder = mkdtempSync(join(tmpdir(), 'strata-decoder-io-'));
    dir = folder;
    writeFileSync(
      join(folder, 'genai_config.json'),
      JSON.stringify({
        model: {
          vocab_size: 32000,
          context_length: 4096,
          decoder: { num_key_value_heads: 4, head_size: 8, num_hidden_layers: 2 },
        },
      }),
    );
    const d = readDecoderInfo(summary(join(folder, 'model.onnx'), 2, { kvHeads: 'kv', vocab: 'vocab' }));
    expect(d).toMatchObject({ kvHeads: 4, vocab: 32000, maxContext: 4096, source: 'genai_config.json' });
  });

  it('refuses a config whose layer count is not the graph one', () => {
    const folder = mkdtempSync(join(tmpdir(), 'strata-decoder-io-'));
    dir = folder;
    writeFileSync(join(folder, 'config.json'), JSON.stringify({ num_hidden_layers: 12, max_position_embeddings: 128 }));
    expect(() => readDecoderInfo(summary(join(folder, 'model.onnx'), 2))).toThrow(/its config\.json says 12/);
  });

  it('refuses a model without input_ids and logits, naming what it has', () => {
    const s = { path: '/m/net.onnx', inputs: [t('x', [1, 4])], outputs: [t('y', [1, 2])] } as unknown as ModelSummary;
    expect(() => readDecoderInfo(s)).toThrow(/"net\.onnx" is not a decoder .* it has inputs x and outputs y\./);
  });

  it('refuses a cache with a layer missing its value half', () => {
    const s = summary('/m/model.onnx', 2);
    const broken = { ...s, outputs: s.outputs.filter((o) => o.name !== 'present.1.value') } as ModelSummary;
    expect(() => readDecoderInfo(broken)).toThrow(/2 layers of past_key_values inputs but 1 of present outputs/);
  });
});
