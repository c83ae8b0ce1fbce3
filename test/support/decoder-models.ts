/**
 * Small decoder-only language models in the Hugging Face Optimum export convention, written with
 * the project's ONNX writer, so the generation engine (prefill, decode over a KV cache,
 * speculative pairs) is tested and benchmarked on models whose every number is known:
 *
 *   inputs   input_ids [batch, seq] int64, attention_mask [batch, total] int64,
 *            position_ids [batch, seq] int64, past_key_values.N.key/value [batch, kv_heads, past, head_dim]
 *   outputs  logits [batch, seq, vocab], present.N.key/value [batch, kv_heads, total, head_dim]
 *
 * Inside: token embedding (Gather) plus a learned position embedding, L pre-norm layers of
 * grouped-query attention (the causal mask built in the graph from Range/LessOrEqual over
 * past + seq, and the attention mask's padding) and a SiLU MLP, RMSNorm, an LM head. Node names
 * carry module paths (/model/layers.0/attn/q_proj/MatMul) for the flame graph.
 *
 * A draft is the target cut to its first k layers: every weight comes from a generator seeded by
 * (seed, layer), so the draft's layers, embedding and LM head are the target's own. `layerScale`
 * sets how much each layer adds to the residual stream: small, and the next token depends mostly
 * on the embedding path both share, so the two agree often but not always.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../../electron/core/random.js';
import { GraphBuilder } from '../../electron/core/model/graph-builder.js';
import { DataType } from '../../electron/core/model/onnx-proto.js';

/** The shape of a synthetic decoder. */
export interface DecoderOptions {
  readonly vocab?: number;
  readonly hidden?: number;
  readonly layers?: number;
  readonly heads?: number;
  readonly kvHeads?: number; // heads / kvHeads query heads share one key/value head
  readonly ffn?: number;
  readonly maxPositions?: number; // the position table's rows: the longest context the model allows
  readonly seed?: number;
  /** Scale of what each layer adds to the residual stream (attention output and MLP down projections). */
  readonly layerScale?: number;
  /** Build only the first `keepLayers` of `layers` (a draft cut from its target). */
  readonly keepLayers?: number;
  /** Write position_ids as an input (Optimum's newer exports do; older ones do not). */
  readonly positionIds?: boolean;
  /**
   * Keep the KV cache in float16 (past inputs and present outputs), as fp16 exports do: the graph
   * casts past to float32 for attention and the grown cache back to float16.
   */
  readonly kvFloat16?: boolean;
}

/** A built decoder with the weights a hand computation needs. */
export interface DecoderModel {
  readonly bytes: Uint8Array;
  /** config.json as transformers writes it, for the file beside the model. */
  readonly config: Record<string, unknown>;
  readonly layers: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly vocab: number;
  readonly hidden: number;
  readonly maxPositions: number;
  /** Token embedding [vocab, hidden], position embedding [maxPositions, hidden], final norm, LM head [hidden, vocab]. */
  readonly weights: {
    readonly embed: Float32Array;
    readonly positions: Float32Array;
    readonly lmHead: Float32Array;
  };
  readonly rmsEps: number;
}

const RMS_EPS = 1e-5;

/** The defaults: a decoder small enough that a step costs well under a millisecond on one core. */
export const DEFAULT_DECODER: Required<Omit<DecoderOptions, 'keepLayers'>> = {
  vocab: 256,
  hidden: 64,
  layers: 4,
  heads: 4,
  kvHeads: 2,
  ffn: 128,
  maxPositions: 2048,
  seed: 7,
  layerScale: 0.3,
  positionIds: true,
  kvFloat16: false,
};

/** Builds a decoder (see the file comment). */
export function buildDecoder(options: DecoderOptions = {}): DecoderModel {
  const o = { ...DEFAULT_DECODER, ...options };
  const { vocab, hidden, heads, kvHeads, ffn, maxPositions, seed, layerScale } = o;
  const layers = options.keepLayers ?? o.layers;
  if (hidden % heads !== 0 || heads % kvHeads !== 0) throw new Error('hidden must divide by heads, heads by kvHeads.');
  const headDim = hidden / heads;
  const groups = heads / kvHeads;
  const g = new GraphBuilder('decoder');
  const uniform = (rng: () => number, scale: number) => () => (rng() * 2 - 1) * scale;

  // Shared parts: each from its own generator, so a draft's are its target's.
  const embedRng = createRng(seed * 1000 + 1);
  const embedData = fill(vocab * hidden, uniform(embedRng, 1));
  const posData = fill(maxPositions * hidden, uniform(createRng(seed * 1000 + 2), 0.1));
  const lmData = fill(hidden * vocab, uniform(createRng(seed * 1000 + 3), 1 / Math.sqrt(hidden)));
  const embed = g.rawInit('model.embed_tokens.weight', [vocab, hidden], DataType.FLOAT, bytesOf(embedData));
  const posTable = g.rawInit('model.embed_positions.weight', [maxPositions, hidden], DataType.FLOAT, bytesOf(posData));

  const ids = g.input('input_ids', ['batch_size', 'sequence_length'], DataType.INT64);
  const mask = g.input('attention_mask', ['batch_size', 'total_sequence_length'], DataType.INT64);
  const posIds = o.positionIds ? g.input('position_ids', ['batch_size', 'sequence_length'], DataType.INT64) : null;
  for (let l = 0; l < layers; l++) {
    for (const kind of ['key', 'value'])
      g.input(
        `past_key_values.${l}.${kind}`,
        ['batch_size', kvHeads, 'past_sequence_length', headDim],
        o.kvFloat16 ? DataType.FLOAT16 : DataType.FLOAT,
      );
  }

  // Constants.
  const c = {
    zero: g.int64Init('const.zero', [0], []),
    one: g.int64Init('const.one', [1], []),
    axis0: g.int64Init('const.axes0', [0]),
    axis1: g.int64Init('const.axes1', [1]),
    axes12: g.int64Init('const.axes12', [1, 2]),
    negInf: g.floatInit('const.neg_inf', [], () => -1e9),
    zeroF: g.floatInit('const.zero_f', [], () => 0),
    eps: g.floatInit('const.rms_eps', [], () => RMS_EPS),
    scale: g.floatInit('const.attn_scale', [], () => 1 / Math.sqrt(headDim)),
    qShape: g.int64Init('const.q_shape', [0, 0, heads, headDim]),
    kvShape: g.int64Init('const.kv_shape', [0, 0, kvHeads, headDim]),
    groupShape: g.int64Init('const.group_shape', [0, kvHeads, -1, headDim]),
    headsShape: g.int64Init('const.heads_shape', [0, heads, -1, headDim]),
    hiddenShape: g.int64Init('const.hidden_shape', [0, 0, hidden]),
    tile: g.int64Init('const.mask_tile', [1, 1, groups, 1]),
  };

  // Position ids: given, or past .. total-1 (what Optimum computes when a model lacks the input).
  const n = (op: string, inputs: string[], name: string, attrs?: Record<string, number | number[]>) =>
    g.node(op, inputs, `${name}_output_0`, { name, attrs });
  const seqLen = n('Shape', [ids], '/model/mask/seq_len/Shape', { start: 1, end: 2 });
  const total = n('Shape', [mask], '/model/mask/total_len/Shape', { start: 1, end: 2 });
  const past = n('Sub', [total, seqLen], '/model/mask/past_len/Sub');
  const pastS = n('Squeeze', [past, c.axis0], '/model/mask/past_len/Squeeze');
  const totalS = n('Squeeze', [total, c.axis0], '/model/mask/total_len/Squeeze');
  const qPos = n('Range', [pastS, totalS, c.one], '/model/mask/q_pos/Range');
  const kPos = n('Range', [c.zero, totalS, c.one], '/model/mask/k_pos/Range');
  const qPosCol = n('Unsqueeze', [qPos, c.axis1], '/model/mask/q_pos/Unsqueeze');
  const causal = n('LessOrEqual', [kPos, qPosCol], '/model/mask/causal/LessOrEqual'); // [S, T]
  const padBool = n('Cast', [mask], '/model/mask/padding/Cast', { to: DataType.BOOL });
  const pad = n('Unsqueeze', [padBool, c.axes12], '/model/mask/padding/Unsqueeze'); // [B, 1, 1, T]
  const allowed = n('And', [causal, pad], '/model/mask/And'); // [B, 1, S, T]
  const bias = n('Where', [allowed, c.zeroF, c.negInf], '/model/mask/Where');
  // Query heads of one group sit one after another in the grouped layout: the mask repeats per group.
  const groupBias = n('Tile', [bias, c.tile], '/model/mask/Tile'); // [B, 1, G*S, T]

  const positions = posIds ?? n('Unsqueeze', [qPos, c.axis0], '/model/embed_positions/Unsqueeze');
  const tok = n('Gather', [embed, ids], '/model/embed_tokens/Gather');
  const pos = n('Gather', [posTable, positions], '/model/embed_positions/Gather');
  let x = n('Add', [tok, pos], '/model/embed/Add');

  const rmsNorm = (input: string, prefix: string, weightName: string) => {
    const w = g.floatInit(weightName, [hidden], () => 1);
    const sq = n('Mul', [input, input], `${prefix}/Mul`);
    const mean = n('ReduceMean', [sq], `${prefix}/ReduceMean`, { axes: [-1], keepdims: 1 });
    const plus = n('Add', [mean, c.eps], `${prefix}/Add`);
    const root = n('Sqrt', [plus], `${prefix}/Sqrt`);
    const normed = n('Div', [input, root], `${prefix}/Div`);
    return n('Mul', [normed, w], `${prefix}/Mul_1`);
  };

  for (let l = 0; l < layers; l++) {
    const rng = createRng(seed * 1000 + 100 + l);
    const p = `/model/layers.${l}`;
    const proj = (name: string, rows: number, cols: number, scale: number) =>
      g.floatInit(`model.layers.${l}.${name}.weight`, [rows, cols], uniform(rng, scale));
    const wq = proj('self_attn.q_proj', hidden, heads * headDim, 1 / Math.sqrt(hidden));
    const wk = proj('self_attn.k_proj', hidden, kvHeads * headDim, 1 / Math.sqrt(hidden));
    const wv = proj('self_attn.v_proj', hidden, kvHeads * headDim, 1 / Math.sqrt(hidden));
    const wo = proj('self_attn.o_proj', heads * headDim, hidden, layerScale / Math.sqrt(hidden));
    const wUp = proj('mlp.up_proj', hidden, ffn, 1 / Math.sqrt(hidden));
    const wDown = proj('mlp.down_proj', ffn, hidden, layerScale / Math.sqrt(ffn));

    const h = rmsNorm(x, `${p}/input_layernorm`, `model.layers.${l}.input_layernorm.weight`);
    const q0 = n('MatMul', [h, wq], `${p}/attn/q_proj/MatMul`);
    const q1 = n('Mul', [q0, c.scale], `${p}/attn/q_scale/Mul`);
    const q2 = n('Reshape', [q1, c.qShape], `${p}/attn/q_proj/Reshape`);
    const q = n('Transpose', [q2], `${p}/attn/q_proj/Transpose`, { perm: [0, 2, 1, 3] }); // [B, H, S, hd]
    const headsOf = (w: string, name: string) => {
      const m = n('MatMul', [h, w], `${p}/attn/${name}/MatMul`);
      const r = n('Reshape', [m, c.kvShape], `${p}/attn/${name}/Reshape`);
      return n('Transpose', [r], `${p}/attn/${name}/Transpose`, { perm: [0, 2, 1, 3] }); // [B, KVH, S, hd]
    };
    const k = headsOf(wk, 'k_proj');
    const v = headsOf(wv, 'v_proj');
    // The cache grows by this step's keys and values; a float16 cache is read and written through casts.
    const cache = (kind: 'key' | 'value', fresh: string, module: string) => {
      const pastName = `past_key_values.${l}.${kind}`;
      const presentName = `present.${l}.${kind}`;
      if (!o.kvFloat16)
        return g.node('Concat', [pastName, fresh], presentName, {
          name: `${p}/attn/${module}/Concat`,
          attrs: { axis: 2 },
        });
      const past32 = n('Cast', [pastName], `${p}/attn/${module}/Cast`, { to: DataType.FLOAT });
      const grown = n('Concat', [past32, fresh], `${p}/attn/${module}/Concat`, { axis: 2 });
      g.node('Cast', [grown], presentName, { name: `${p}/attn/${module}/Cast_1`, attrs: { to: DataType.FLOAT16 } });
      return grown;
    };
    const presentK = cache('key', k, 'k_cache');
    const presentV = cache('value', v, 'v_cache');
    // Grouped-query attention without copying keys: the G query heads of a key/value head become
    // G*S rows against that head's keys.
    const qg = n('Reshape', [q, c.groupShape], `${p}/attn/group/Reshape`); // [B, KVH, G*S, hd]
    const kT = n('Transpose', [presentK], `${p}/attn/scores/Transpose`, { perm: [0, 1, 3, 2] });
    const scores = n('MatMul', [qg, kT], `${p}/attn/scores/MatMul`); // [B, KVH, G*S, T]
    const masked = n('Add', [scores, groupBias], `${p}/attn/scores/Add`);
    const probs = n('Softmax', [masked], `${p}/attn/Softmax`, { axis: -1 });
    const ctx = n('MatMul', [probs, presentV], `${p}/attn/context/MatMul`); // [B, KVH, G*S, hd]
    const ctxH = n('Reshape', [ctx, c.headsShape], `${p}/attn/context/Reshape`); // [B, H, S, hd]
    const ctxT = n('Transpose', [ctxH], `${p}/attn/context/Transpose`, { perm: [0, 2, 1, 3] });
    const ctxD = n('Reshape', [ctxT, c.hiddenShape], `${p}/attn/context/Reshape_1`);
    const attnOut = n('MatMul', [ctxD, wo], `${p}/attn/o_proj/MatMul`);
    x = n('Add', [x, attnOut], `${p}/attn/residual/Add`);

    const h2 = rmsNorm(x, `${p}/post_attention_layernorm`, `model.layers.${l}.post_attention_layernorm.weight`);
    const up = n('MatMul', [h2, wUp], `${p}/mlp/up_proj/MatMul`);
    const sig = n('Sigmoid', [up], `${p}/mlp/act/Sigmoid`);
    const act = n('Mul', [up, sig], `${p}/mlp/act/Mul`);
    const down = n('MatMul', [act, wDown], `${p}/mlp/down_proj/MatMul`);
    x = n('Add', [x, down], `${p}/mlp/residual/Add`);
  }
  const final = rmsNorm(x, '/model/norm', 'model.norm.weight');
  const lm = g.rawInit('lm_head.weight', [hidden, vocab], DataType.FLOAT, bytesOf(lmData));
  g.node('MatMul', [final, lm], 'logits', { name: '/lm_head/MatMul' });

  g.output('logits', ['batch_size', 'sequence_length', vocab]);
  for (let l = 0; l < layers; l++) {
    for (const kind of ['key', 'value'])
      g.output(
        `present.${l}.${kind}`,
        ['batch_size', kvHeads, 'total_sequence_length', headDim],
        o.kvFloat16 ? DataType.FLOAT16 : DataType.FLOAT,
      );
  }
  const config = {
    architectures: ['StrataSyntheticForCausalLM'],
    model_type: 'strata-synthetic',
    vocab_size: vocab,
    hidden_size: hidden,
    intermediate_size: ffn,
    num_hidden_layers: layers,
    num_attention_heads: heads,
    num_key_value_heads: kvHeads,
    head_dim: headDim,
    max_position_embeddings: maxPositions,
    rms_norm_eps: RMS_EPS,
    torch_dtype: 'float32',
  };
  return {
    bytes: g.toBytes(17),
    config,
    layers,
    kvHeads,
    headDim,
    vocab,
    hidden,
    maxPositions,
    weights: { embed: embedData, positions: posData, lmHead: lmData },
    rmsEps: RMS_EPS,
  };
}

/** Writes `model` as DIR/model.onnx with its config.json beside it, as Optimum lays out an export; returns the model's path. */
export function writeDecoderDir(dir: string, model: DecoderModel, options: { config?: boolean } = {}): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'model.onnx');
  writeFileSync(path, model.bytes);
  if (options.config ?? true) writeFileSync(join(dir, 'config.json'), JSON.stringify(model.config, null, 2));
  return path;
}

/** A target and its draft (the target's first `draftLayers` layers), written to DIR/target and DIR/draft. */
export function writeDraftTargetPair(
  dir: string,
  options: DecoderOptions & { draftLayers: number },
): { target: string; draft: string; targetModel: DecoderModel; draftModel: DecoderModel } {
  const targetModel = buildDecoder(options);
  const draftModel = buildDecoder({ ...options, keepLayers: options.draftLayers });
  return {
    target: writeDecoderDir(join(dir, 'target'), targetModel),
    draft: writeDecoderDir(join(dir, 'draft'), draftModel),
    targetModel,
    draftModel,
  };
}

function fill(count: number, next: () => number): Float32Array {
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = next();
  return data;
}

function bytesOf(data: Float32Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A language model exported without a KV cache: input_ids in, logits out (every token recomputes the prompt). */
export function buildDecoderWithoutCache(vocab = 32, hidden = 8): Uint8Array {
  const rng = createRng(3);
  const g = new GraphBuilder('no_cache');
  const ids = g.input('input_ids', ['batch_size', 'sequence_length'], DataType.INT64);
  g.input('attention_mask', ['batch_size', 'sequence_length'], DataType.INT64);
  const embed = g.floatInit('embed', [vocab, hidden], () => rng() - 0.5);
  const lm = g.floatInit('lm_head', [hidden, vocab], () => rng() - 0.5);
  const x = g.node('Gather', [embed, ids], 'x', { name: '/model/embed_tokens/Gather' });
  g.node('MatMul', [x, lm], 'logits', { name: '/lm_head/MatMul' });
  g.output('logits', ['batch_size', 'sequence_length', vocab]);
  return g.toBytes(17);
}
