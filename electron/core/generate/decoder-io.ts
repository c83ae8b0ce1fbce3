/**
 * Recognises a decoder with a KV cache by its inputs and outputs, as Hugging Face Optimum and
 * onnxruntime-genai export one: input_ids (+ attention_mask, position_ids),
 * past_key_values.N.key/value [batch, kv_heads, past_seq, head_dim], logits [batch, seq, vocab],
 * present.N.key/value. Dims the graph leaves symbolic come from config.json or genai_config.json
 * beside the model. Anything else is refused with one line saying what was expected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DecoderInfo } from '../../../shared/generate.js';
import { PAST_KV_NAME, PRESENT_KV_NAME } from '../../../shared/decoder-names.js';
import { StrataError } from '../../../shared/errors.js';
import type { ModelSummary, TensorInfo } from '../../../shared/model.js';

const EXPECTED =
  'expected input_ids, attention_mask, past_key_values.N.key/value inputs and logits, present.N.key/value outputs (a Hugging Face Optimum or onnxruntime-genai export "with past")';

/** What a config file beside the model says (only the fields Strata reads). */
interface ConfigHints {
  readonly source: 'config.json' | 'genai_config.json';
  readonly layers?: number;
  readonly kvHeads?: number;
  readonly headDim?: number;
  readonly vocab?: number;
  readonly maxContext?: number;
}

/** Reads the decoder's layout from `summary`, or throws MODEL_UNSUPPORTED naming what is missing. */
export function readDecoderInfo(summary: ModelSummary): DecoderInfo {
  const name = basename(summary.path);
  const inputs = new Map(summary.inputs.map((t) => [t.name, t]));
  const outputs = new Map(summary.outputs.map((t) => [t.name, t]));
  const ids = inputs.get('input_ids');
  const logits = outputs.get('logits');
  if (!ids || !logits) {
    const list = (ts: readonly TensorInfo[]) =>
      ts
        .map((t) => t.name)
        .slice(0, 4)
        .join(', ') || 'none';
    throw new StrataError(
      'MODEL_UNSUPPORTED',
      `"${name}" is not a decoder Strata can generate with: ${EXPECTED}; it has inputs ${list(summary.inputs)} and outputs ${list(summary.outputs)}.`,
    );
  }
  const past = layerPairs(summary.inputs, PAST_KV_NAME);
  const present = layerPairs(summary.outputs, PRESENT_KV_NAME);
  if (past.layers === 0) {
    throw new StrataError(
      'MODEL_UNSUPPORTED',
      `"${name}" has no past_key_values.N.key/value inputs: it was exported without a KV cache, so every token would recompute the whole prompt. Export it "with past" (optimum-cli export onnx --task text-generation-with-past).`,
    );
  }
  if (present.layers !== past.layers) {
    throw new StrataError(
      'MODEL_UNSUPPORTED',
      `"${name}" has ${layersText(past.layers)} of past_key_values inputs but ${present.layers} of present outputs; ${EXPECTED}.`,
    );
  }
  const hints = readConfigHints(summary.path);
  const keyInfo = inputs.get(past.pattern.key.replace('%d', '0'))!;
  const dims = keyInfo.dims ?? [];
  const kvHeads = fixed(dims[1]) ?? hints?.kvHeads;
  const headDim = fixed(dims[3]) ?? hints?.headDim;
  const vocab = fixed(logits.dims?.[2]) ?? hints?.vocab;
  if (dims.length !== 4 || kvHeads === undefined || headDim === undefined || vocab === undefined) {
    throw new StrataError(
      'MODEL_UNSUPPORTED',
      `"${name}": the KV cache's head count, head size or the vocabulary are not fixed in the graph and no config.json or genai_config.json beside it gives them (past_key_values must be [batch, kv_heads, past_seq, head_dim]).`,
    );
  }
  const kvType = keyInfo.elementType;
  if (kvType !== 'float32' && kvType !== 'float16') {
    throw new StrataError(
      'MODEL_UNSUPPORTED',
      `"${name}": a KV cache of ${kvType} is not supported (float32 or float16).`,
    );
  }
  if (hints?.layers !== undefined && hints.layers !== past.layers) {
    throw new StrataError(
      'MODEL_UNSUPPORTED',
      `"${name}" has ${layersText(past.layers)} of past_key_values but its ${hints.source} says ${hints.layers}: the config belongs to another model.`,
    );
  }
  return {
    layers: past.layers,
    kvHeads,
    headDim,
    vocab,
    maxContext: hints?.maxContext ?? null,
    kvElementType: kvType,
    kvBytesPerElement: kvType === 'float16' ? 2 : 4,
    positionIds: inputs.has('position_ids'),
    attentionMask: inputs.has('attention_mask'),
    pastKey: past.pattern.key,
    pastValue: past.pattern.value,
    presentKey: present.pattern.key,
    presentValue: present.pattern.value,
    source: hints && (fixed(dims[1]) === undefined || fixed(logits.dims?.[2]) === undefined) ? hints.source : 'graph',
  };
}

// The layer count of key/value pairs named by `pattern`, which must run 0..N-1 with both halves.
function layerPairs(
  tensors: readonly TensorInfo[],
  pattern: RegExp,
): { layers: number; pattern: { key: string; value: string } } {
  const seen = new Map<number, Set<string>>();
  let prefix = '';
  for (const t of tensors) {
    const m = pattern.exec(t.name);
    if (!m) continue;
    const layer = Number(m[1] ?? m[3]);
    const kind = m[2] ?? m[4]!;
    prefix = t.name.slice(0, t.name.indexOf(`.${layer}.`));
    if (!seen.has(layer)) seen.set(layer, new Set());
    seen.get(layer)!.add(kind);
  }
  let layers = 0;
  while (seen.get(layers)?.size === 2) layers++;
  return { layers, pattern: { key: `${prefix}.%d.key`, value: `${prefix}.%d.value` } };
}

function layersText(n: number): string {
  return `${n} layer${n === 1 ? '' : 's'}`;
}

function fixed(d: unknown): number | undefined {
  return typeof d === 'number' && d > 0 ? d : undefined;
}

// config.json (transformers) or genai_config.json (onnxruntime-genai) in the model's folder. A file
// that does not parse is ignored: the graph may say enough without it.
function readConfigHints(modelPath: string): ConfigHints | null {
  const dir = dirname(modelPath);
  const genai = join(dir, 'genai_config.json');
  if (existsSync(genai)) {
    const j = readJson(genai) as { model?: Record<string, unknown> } | null;
    const m = j?.model;
    const d = (m?.decoder ?? {}) as Record<string, unknown>;
    if (m)
      return {
        source: 'genai_config.json',
        layers: num(d.num_hidden_layers),
        kvHeads: num(d.num_key_value_heads),
        headDim: num(d.head_size),
        vocab: num(m.vocab_size),
        maxContext: num(m.context_length),
      };
  }
  const hf = join(dir, 'config.json');
  if (existsSync(hf)) {
    const c = readJson(hf) as Record<string, unknown> | null;
    if (c) {
      const heads = num(c.num_attention_heads);
      const hidden = num(c.hidden_size);
      return {
        source: 'config.json',
        layers: num(c.num_hidden_layers),
        kvHeads: num(c.num_key_value_heads) ?? heads,
        headDim: num(c.head_dim) ?? (heads && hidden ? hidden / heads : undefined),
        vocab: num(c.vocab_size),
        maxContext: num(c.max_position_embeddings) ?? num(c.n_positions),
      };
    }
  }
  return null;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}
