/**
 * Synthetic models of known cost. Their FLOPs and parameter counts are computed here from the
 * shapes, independently of the profiler, so tests can check the engine's numbers exactly; their node
 * names carry module paths (`/encoder/layer.0/attn/q_proj/MatMul`) for the flame graph.
 *
 * FLOP convention (the same as flops.ts): a multiply-add counts 2, an element-wise op 1 per output
 * element.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../../electron/core/random.js';
import { GraphBuilder } from '../../electron/core/model/graph-builder.js';
import { DataType, encodeModel, type OnnxModel } from '../../electron/core/model/onnx-proto.js';

/** A built model and what it is known to cost. */
export interface SyntheticModel {
  readonly bytes: Uint8Array;
  readonly parameterCount: number;
  /** FLOPs per run of each node, by node name, for nodes where FLOPs are defined. */
  readonly flopsByNode: Readonly<Record<string, number>>;
  readonly nodeCount: number;
}

/** Options of `buildMlp`. */
export interface MlpOptions {
  /** Feature sizes: [in, hidden..., out]; layer i maps sizes[i] to sizes[i+1]. */
  readonly sizes: readonly number[];
  /** Rows per run; a string makes the batch dim symbolic with that name. */
  readonly batch?: number | string;
  readonly seed?: number;
  readonly prefix?: string;
  /** Add a bias after each MatMul (default true). */
  readonly bias?: boolean;
}

/** An MLP: per layer MatMul (+ Add bias) and Relu between layers. */
export function buildMlp(options: MlpOptions): SyntheticModel {
  const { sizes, batch = 1, seed = 1, prefix = '/mlp', bias = true } = options;
  const rows = typeof batch === 'number' ? batch : 1;
  const rng = createRng(seed);
  const g = new GraphBuilder('mlp');
  let x = g.input('x', [batch, sizes[0]!]);
  const flops: Record<string, number> = {};
  let params = 0;
  for (let i = 0; i + 1 < sizes.length; i++) {
    const [inF, outF] = [sizes[i]!, sizes[i + 1]!];
    const scale = Math.sqrt(2 / inF);
    const w = g.floatInit(`layer${i}.weight`, [inF, outF], () => (rng() * 2 - 1) * scale);
    params += inF * outF;
    const mm = `${prefix}/layer.${i}/fc/MatMul`;
    x = g.node('MatMul', [x, w], `${mm}_out`, { name: mm });
    flops[mm] = 2 * rows * inF * outF;
    if (bias) {
      const b = g.floatInit(`layer${i}.bias`, [outF], () => (rng() * 2 - 1) * 0.1);
      params += outF;
      const add = `${prefix}/layer.${i}/fc/Add`;
      x = g.node('Add', [x, b], `${add}_out`, { name: add });
      flops[add] = rows * outF;
    }
    if (i + 2 < sizes.length) {
      const relu = `${prefix}/layer.${i}/act/Relu`;
      x = g.node('Relu', [x], `${relu}_out`, { name: relu });
      flops[relu] = rows * outF;
    }
  }
  g.node('Identity', [x], 'y', { name: `${prefix}/output/Identity` });
  g.output('y', [batch, sizes[sizes.length - 1]!]);
  return { bytes: g.toBytes(), parameterCount: params, flopsByNode: flops, nodeCount: g.graph.nodes.length };
}

/** Options of `buildConvNet`. */
export interface ConvNetOptions {
  readonly batch?: number;
  readonly channels?: readonly number[]; // [in, c1, c2, ...]
  readonly size?: number; // input height = width
  readonly classes?: number;
  readonly seed?: number;
}

/** A small conv net: per stage Conv 3×3 (pad 1) + Relu + MaxPool 2×2, then GlobalAveragePool and a Gemm classifier. */
export function buildConvNet(options: ConvNetOptions = {}): SyntheticModel {
  const { batch = 1, channels = [3, 8, 16, 32], size = 32, classes = 10, seed = 2 } = options;
  const rng = createRng(seed);
  const g = new GraphBuilder('convnet');
  let x = g.input('image', [batch, channels[0]!, size, size]);
  const flops: Record<string, number> = {};
  let params = 0;
  let hw = size;
  for (let i = 0; i + 1 < channels.length; i++) {
    const [cin, cout] = [channels[i]!, channels[i + 1]!];
    const w = g.floatInit(`stage${i}.conv.weight`, [cout, cin, 3, 3], () => (rng() * 2 - 1) * Math.sqrt(2 / (cin * 9)));
    const b = g.floatInit(`stage${i}.conv.bias`, [cout], () => (rng() * 2 - 1) * 0.1);
    params += cout * cin * 9 + cout;
    const conv = `/features/stage.${i}/conv/Conv`;
    x = g.node('Conv', [x, w, b], `${conv}_out`, { name: conv, attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } });
    const out = batch * cout * hw * hw;
    flops[conv] = 2 * out * cin * 9 + out; // multiply-adds plus the bias
    const relu = `/features/stage.${i}/act/Relu`;
    x = g.node('Relu', [x], `${relu}_out`, { name: relu });
    flops[relu] = out;
    const pool = `/features/stage.${i}/pool/MaxPool`;
    x = g.node('MaxPool', [x], `${pool}_out`, { name: pool, attrs: { kernel_shape: [2, 2], strides: [2, 2] } });
    hw = Math.floor(hw / 2);
  }
  const last = channels[channels.length - 1]!;
  x = g.node('GlobalAveragePool', [x], 'gap_out', { name: '/head/pool/GlobalAveragePool' });
  x = g.node('Flatten', [x], 'flat_out', { name: '/head/Flatten', attrs: { axis: 1 } });
  const fw = g.floatInit('head.fc.weight', [classes, last], () => (rng() * 2 - 1) * 0.1);
  const fb = g.floatInit('head.fc.bias', [classes], () => 0);
  params += classes * last + classes;
  const gemm = '/head/fc/Gemm';
  g.node('Gemm', [x, fw, fb], 'logits', { name: gemm, attrs: { transB: 1 } });
  flops[gemm] = 2 * batch * last * classes + batch * classes;
  g.output('logits', [batch, classes]);
  return { bytes: g.toBytes(), parameterCount: params, flopsByNode: flops, nodeCount: g.graph.nodes.length };
}

/** Options of `buildUpsampler`. */
export interface UpsamplerOptions {
  readonly channels?: readonly number[]; // [in, c1, c2, ...]: each stage halves the channels' count it is given
  readonly size?: number; // input height = width
  readonly seed?: number;
}

/**
 * A decoder that upsamples with ConvTranspose, the op whose weight onnxruntime's CPU kernel
 * prepacks out of the trace: per stage a 2×2 stride-2 ConvTranspose with bias (doubles the size),
 * a Relu, then a 3×3 grouped ConvTranspose without bias (pad 1, same size, two groups).
 * FLOPs: a ConvTranspose scatters each input element into Cout/group × kernel outputs, so
 * 2 · |X| · (Cout/group · kH · kW), plus one per output element for a bias.
 */
export function buildUpsampler(options: UpsamplerOptions = {}): SyntheticModel {
  const { channels = [16, 8, 4], size = 8, seed = 4 } = options;
  const rng = createRng(seed);
  const g = new GraphBuilder('upsampler');
  let x = g.input('latent', [1, channels[0]!, size, size]);
  const flops: Record<string, number> = {};
  let params = 0;
  let hw = size;
  for (let i = 0; i + 1 < channels.length; i++) {
    const [cin, cout] = [channels[i]!, channels[i + 1]!];
    const w = g.floatInit(`up${i}.weight`, [cin, cout, 2, 2], () => (rng() * 2 - 1) * 0.2);
    const b = g.floatInit(`up${i}.bias`, [cout], () => (rng() * 2 - 1) * 0.1);
    params += cin * cout * 4 + cout;
    const up = `/decoder/up.${i}/ConvTranspose`;
    x = g.node('ConvTranspose', [x, w, b], `${up}_out`, { name: up, attrs: { kernel_shape: [2, 2], strides: [2, 2] } });
    flops[up] = 2 * (cin * hw * hw) * (cout * 4) + cout * (2 * hw) * (2 * hw);
    hw *= 2;
    const relu = `/decoder/up.${i}/act/Relu`;
    x = g.node('Relu', [x], `${relu}_out`, { name: relu });
    flops[relu] = cout * hw * hw;
    const groups = 2;
    const w2 = g.floatInit(`refine${i}.weight`, [cout, cout / groups, 3, 3], () => (rng() * 2 - 1) * 0.2);
    params += cout * (cout / groups) * 9;
    const refine = `/decoder/refine.${i}/ConvTranspose`;
    x = g.node('ConvTranspose', [x, w2], `${refine}_out`, {
      name: refine,
      attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group: groups },
    });
    flops[refine] = 2 * (cout * hw * hw) * ((cout / groups) * 9);
  }
  g.node('Identity', [x], 'image', { name: '/output/Identity' });
  g.output('image', [1, channels[channels.length - 1]!, hw, hw]);
  return { bytes: g.toBytes(), parameterCount: params, flopsByNode: flops, nodeCount: g.graph.nodes.length };
}

/** Options of `buildTransformerBlock`. */
export interface TransformerOptions {
  readonly layers?: number;
  readonly seqLen?: number;
  readonly dModel?: number;
  readonly heads?: number;
  readonly ffn?: number;
  readonly seed?: number;
}

/**
 * Encoder layers of a transformer: LayerNorm, q/k/v projections, scaled dot-product attention per
 * head, output projection, residual, LayerNorm, a Relu feed-forward, residual. Batch 1.
 */
export function buildTransformerBlock(options: TransformerOptions = {}): SyntheticModel {
  const { layers = 2, seqLen = 32, dModel = 64, heads = 4, ffn = 128, seed = 3 } = options;
  const dHead = dModel / heads;
  const rng = createRng(seed);
  const g = new GraphBuilder('transformer');
  const flops: Record<string, number> = {};
  let params = 0;
  const weight = (name: string, dims: number[], scale: number) => {
    params += dims.reduce((a, b) => a * b, 1);
    return g.floatInit(name, dims, () => (rng() * 2 - 1) * scale);
  };
  const headsShape = g.int64Init('shape.heads', [1, seqLen, heads, dHead]);
  const mergeShape = g.int64Init('shape.merge', [1, seqLen, dModel]);
  const scale = g.floatInit('attn.scale', [], () => Math.sqrt(dHead));
  params += 4 + 3 + 1; // the two shape tensors and the scale are initializers too
  let x = g.input('hidden', [1, seqLen, dModel]);

  // `module` is the node-name path ("/encoder/layer.0/attn/q_proj"); weights are named after it.
  const linear = (module: string, input: string, inF: number, outF: number) => {
    const weightName = module.slice(1).replace(/\//g, '.');
    const w = weight(`${weightName}.weight`, [inF, outF], Math.sqrt(1 / inF));
    const b = weight(`${weightName}.bias`, [outF], 0.02);
    const mm = `${module}/MatMul`;
    const add = `${module}/Add`;
    const y = g.node('MatMul', [input, w], `${mm}_out`, { name: mm });
    flops[mm] = 2 * seqLen * inF * outF;
    flops[add] = seqLen * outF;
    return g.node('Add', [y, b], `${add}_out`, { name: add });
  };
  const layerNorm = (name: string, input: string) => {
    params += 2 * dModel;
    const gamma = g.floatInit(`${name}.gamma`, [dModel], () => 1);
    const beta = g.floatInit(`${name}.beta`, [dModel], () => 0);
    return g.node('LayerNormalization', [input, gamma, beta], `${name}_out`, {
      name,
      attrs: { axis: -1, epsilon: 1e-5 },
    });
  };

  for (let l = 0; l < layers; l++) {
    const m = `/encoder/layer.${l}`;
    const h = layerNorm(`${m}/attn/norm/LayerNormalization`, x);
    const split = (proj: string, perm: number[]) => {
      const y = linear(`${m}/attn/${proj}`, h, dModel, dModel);
      const r = g.node('Reshape', [y, headsShape], `${m}/attn/${proj}/Reshape_out`, {
        name: `${m}/attn/${proj}/Reshape`,
      });
      return g.node('Transpose', [r], `${m}/attn/${proj}/Transpose_out`, {
        name: `${m}/attn/${proj}/Transpose`,
        attrs: { perm },
      });
    };
    const q = split('q_proj', [0, 2, 1, 3]);
    const k = split('k_proj', [0, 2, 3, 1]);
    const v = split('v_proj', [0, 2, 1, 3]);
    const scores = g.node('MatMul', [q, k], `${m}/attn/scores/MatMul_out`, { name: `${m}/attn/scores/MatMul` });
    flops[`${m}/attn/scores/MatMul`] = 2 * heads * seqLen * seqLen * dHead;
    const scaled = g.node('Div', [scores, scale], `${m}/attn/scores/Div_out`, { name: `${m}/attn/scores/Div` });
    flops[`${m}/attn/scores/Div`] = heads * seqLen * seqLen;
    const probs = g.node('Softmax', [scaled], `${m}/attn/Softmax_out`, {
      name: `${m}/attn/Softmax`,
      attrs: { axis: -1 },
    });
    const ctx = g.node('MatMul', [probs, v], `${m}/attn/context/MatMul_out`, { name: `${m}/attn/context/MatMul` });
    flops[`${m}/attn/context/MatMul`] = 2 * heads * seqLen * seqLen * dHead;
    const t = g.node('Transpose', [ctx], `${m}/attn/merge/Transpose_out`, {
      name: `${m}/attn/merge/Transpose`,
      attrs: { perm: [0, 2, 1, 3] },
    });
    const merged = g.node('Reshape', [t, mergeShape], `${m}/attn/merge/Reshape_out`, {
      name: `${m}/attn/merge/Reshape`,
    });
    const o = linear(`${m}/attn/o_proj`, merged, dModel, dModel);
    x = g.node('Add', [x, o], `${m}/attn/residual/Add_out`, { name: `${m}/attn/residual/Add` });
    flops[`${m}/attn/residual/Add`] = seqLen * dModel;
    const h2 = layerNorm(`${m}/ffn/norm/LayerNormalization`, x);
    const up = linear(`${m}/ffn/up_proj`, h2, dModel, ffn);
    const act = g.node('Relu', [up], `${m}/ffn/act/Relu_out`, { name: `${m}/ffn/act/Relu` });
    flops[`${m}/ffn/act/Relu`] = seqLen * ffn;
    const down = linear(`${m}/ffn/down_proj`, act, ffn, dModel);
    x = g.node('Add', [x, down], `${m}/ffn/residual/Add_out`, { name: `${m}/ffn/residual/Add` });
    flops[`${m}/ffn/residual/Add`] = seqLen * dModel;
  }
  g.node('Identity', [x], 'output', { name: '/output/Identity' });
  g.output('output', [1, seqLen, dModel]);
  return { bytes: g.toBytes(), parameterCount: params, flopsByNode: flops, nodeCount: g.graph.nodes.length };
}

/**
 * The model Strata opens on first launch (assets/sample-model.onnx): four encoder layers with
 * module-path names, fixed dims, under 1 MB, a few milliseconds a run. Regenerate the file with
 * `npx tsx scripts/make-sample-model.ts`; a test checks the file matches this function.
 */
export function buildSampleModel(): SyntheticModel {
  return buildTransformerBlock({ layers: 4, seqLen: 64, dModel: 64, heads: 4, ffn: 256, seed: 7 });
}

/**
 * A "distilled" sample model: one encoder layer instead of four, same input and output. It stands in
 * for a student model a user brings into a comparison (its layers and tensors mostly unmatched).
 */
export function buildDistilledSample(): SyntheticModel {
  return buildTransformerBlock({ layers: 1, seqLen: 64, dModel: 64, heads: 4, ffn: 256, seed: 11 });
}

/** A model using an op no runtime implements, to test how that failure reads. */
export function buildUnknownOpModel(): Uint8Array {
  const g = new GraphBuilder('unknown-op');
  const x = g.input('x', [1, 4]);
  g.node('CustomOpThatDoesNotExist', [x], 'y', { name: '/block/CustomOpThatDoesNotExist' });
  g.output('y', [1, 4]);
  return g.toBytes();
}

/** Bytes of the [16, 8] float32 weight of `externalMatMul`. */
export const EXTERNAL_WEIGHT_BYTES = 16 * 8 * 4;

/**
 * y = x · w with the [16, 8] float32 weight `w` kept in an external data file at `location`
 * (relative to the model's folder, or anything a test wants to try there), read from `offset` for
 * `length` bytes; `batch` is x's first dim (a number, or a symbolic name).
 */
export function externalMatMul(
  location: string,
  options: { offset?: string; length?: string; batch?: number | string; opset?: number } = {},
): OnnxModel {
  const g = new GraphBuilder('external');
  const batch = options.batch ?? 1;
  const x = g.input('x', [batch, 16]);
  g.graph.initializers.push({
    name: 'w',
    dims: [16, 8],
    dataType: DataType.FLOAT,
    dataLocation: 1,
    externalData: [
      { key: 'location', value: location },
      { key: 'offset', value: options.offset ?? '0' },
      { key: 'length', value: options.length ?? String(EXTERNAL_WEIGHT_BYTES) },
    ],
  });
  g.node('MatMul', [x, 'w'], 'y', { name: '/fc/MatMul' });
  g.output('y', [batch, 8]);
  return g.toModel(options.opset);
}

/**
 * Writes an MLP whose weights live in an external data file, into `dir`: `<name>.onnx` and
 * `<name>.weights.bin`. Returns both paths; delete the .bin to test a missing external file.
 */
export function writeExternalDataModel(dir: string, name = 'external'): { modelPath: string; dataPath: string } {
  const weights = new Float32Array(16 * 8).map((_, i) => (i % 7) / 7 - 0.5);
  const dataFile = `${name}.weights.bin`;
  const model = externalMatMul(dataFile);
  const modelPath = join(dir, `${name}.onnx`);
  const dataPath = join(dir, dataFile);
  writeFileSync(modelPath, encodeModel(model));
  writeFileSync(dataPath, new Uint8Array(weights.buffer));
  return { modelPath, dataPath };
}

/**
 * A chain of `nodes` cheap Adds named in modules (`/stage3/block7/Add12`: 50 Adds a block, 20 blocks
 * a stage), as in issue 16: onnxruntime runs it in milliseconds, so everything Strata does per node
 * (trace parse, analysis, report) is what a profile of it measures. All Adds share one constant.
 */
export function buildAddChain(nodes: number, width = 64): SyntheticModel {
  const g = new GraphBuilder('chain');
  let x = g.input('x', [1, width]);
  const one = g.floatInit('one', [width], () => 1);
  const flops: Record<string, number> = {};
  for (let i = 0; i < nodes; i++) {
    const name = `/stage${Math.floor(i / 1000)}/block${Math.floor(i / 50) % 20}/Add${i % 50}`;
    x = g.node('Add', [x, one], i === nodes - 1 ? 'y' : `${name}_out`, { name });
    flops[name] = width;
  }
  g.output('y', [1, width]);
  return { bytes: g.toBytes(), parameterCount: width, flopsByNode: flops, nodeCount: nodes };
}
