/**
 * Post-training quantization of MatMul, Gemm and Conv weights, written as ONNX that onnxruntime
 * runs fast:
 *
 * - dynamic: MatMul and Gemm become com.microsoft DynamicQuantizeMatMul (int8/uint8 weights, the
 *   activation's scale computed per run); Conv weights are stored quantized behind a
 *   DequantizeLinear (weight-only), since ORT has no dynamic integer Conv for int8 weights.
 * - static (QDQ): weights behind DequantizeLinear and each target node's input and output activation
 *   through QuantizeLinear→DequantizeLinear with ranges calibrated on sample inputs; ORT fuses these
 *   into QLinearConv / QLinearMatMul / MatMulIntegerToFloat.
 *
 * Node names are kept, so the quantized model's layers match the original's in a comparison.
 */
import { StrataError } from '../../../shared/errors.js';
import { DataType, decodeModel, encodeModel, type OnnxModel, type OnnxNode, type OnnxTensor } from '../model/onnx-proto.js';
import { rawTensor, readFloats } from '../model/tensor-data.js';
import { minMax, quantize, quantParams, type QuantParams, type QuantType } from './quant-math.js';
import { channelIndices, findWeights, WEIGHT_OPS, type WeightUse } from './weights.js';

/** Options of `quantizeModel`. */
export interface QuantizeOptions {
  readonly mode: 'dynamic' | 'static';
  readonly perChannel: boolean;
  readonly symmetric: boolean;
  readonly weightType: QuantType;
  readonly ops?: readonly string[];
  readonly exclude?: readonly string[];
  /** Static mode: calibrated [min, max] of each activation tensor, by tensor name. */
  readonly activationRanges?: ReadonlyMap<string, { min: number; max: number }>;
}

/** What the quantizer did. */
export interface QuantizeResult {
  readonly bytes: Uint8Array;
  readonly quantizedNodes: readonly string[];
  /** Op coverage: per op type, how many nodes were quantized of how many there are. */
  readonly coverage: readonly { opType: string; quantized: number; total: number }[];
  readonly skipped: readonly { node: string; reason: string }[];
}

const MS_DOMAIN = 'com.microsoft';

function defaultOpset(model: OnnxModel): number {
  return model.opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0;
}

/** Throws when static (QDQ) quantization cannot apply, before any time is spent calibrating. */
export function assertStaticQuantizable(bytes: Uint8Array): void {
  const opset = defaultOpset(decodeModel(bytes));
  if (opset < 10) {
    throw new StrataError(
      'MODEL_UNSUPPORTED',
      `Static (QDQ) quantization needs opset 10 or later for QuantizeLinear; this model is opset ${opset}. Use --mode dynamic.`,
    );
  }
}

/** The activation tensors static quantization needs ranges for: target nodes' inputs and outputs. */
export function activationsToCalibrate(bytes: Uint8Array, options: Pick<QuantizeOptions, 'ops' | 'exclude'>): string[] {
  const model = decodeModel(bytes);
  const names = new Set<string>();
  for (const use of findWeights(model.graph, options.ops ?? WEIGHT_OPS, options.exclude)) {
    names.add(use.node.inputs[0]!);
    names.add(use.node.outputs[0]!);
  }
  return [...names];
}

/** Quantizes model `bytes`; `modelDir` locates external weights. */
export function quantizeModel(bytes: Uint8Array, options: QuantizeOptions, modelDir?: string): QuantizeResult {
  const model = decodeModel(bytes);
  const ops = options.ops ?? WEIGHT_OPS;
  const uses = findWeights(model.graph, ops, options.exclude);
  if (uses.length === 0) {
    throw new StrataError(
      'BAD_ARGUMENT',
      `The model has no float weights in top-level ${ops.join('/')} nodes to quantize` +
        (model.graph.nodes.some((n) => n.attributes.some((a) => a.g || a.graphs)) ? ' (weights inside If/Loop/Scan subgraphs are not quantized yet)' : '') +
        '.',
    );
  }
  if (options.mode === 'static' && !options.activationRanges) {
    throw new StrataError('INTERNAL', 'Static quantization needs calibrated activation ranges.');
  }
  const opset = defaultOpset(model);
  if (options.mode === 'static') assertStaticQuantizable(bytes);
  const coverage = countCoverage(model.graph.nodes, ops);
  const originalOpType = new Map(model.graph.nodes.map((n) => [n.name, n.opType]));
  // Per-axis DequantizeLinear arrived in opset 13; older models use ORT's com.microsoft twin.
  const rewriter = new Rewriter(model, options, modelDir, opset >= 13 ? '' : MS_DOMAIN);
  const skipped: { node: string; reason: string }[] = [];
  for (const use of uses) {
    const reason = rewriter.rewrite(use);
    if (reason) skipped.push({ node: use.node.name, reason });
  }
  rewriter.finish();
  if (!model.opsetImports.some((o) => o.domain === MS_DOMAIN)) model.opsetImports.push({ domain: MS_DOMAIN, version: 1 });
  for (const name of rewriter.quantized) {
    const entry = coverage.get(originalOpType.get(name)!);
    if (entry) entry.quantized++;
  }
  return { bytes: encodeModel(model), quantizedNodes: rewriter.quantized, coverage: [...coverage.values()], skipped };
}

/** Per target op type: how many nodes the model has (quantized counts are filled in later). */
function countCoverage(nodes: readonly OnnxNode[], ops: readonly string[]): Map<string, { opType: string; quantized: number; total: number }> {
  const coverage = new Map<string, { opType: string; quantized: number; total: number }>();
  for (const node of nodes) {
    if (node.domain !== '' || !ops.includes(node.opType)) continue;
    const entry = coverage.get(node.opType) ?? { opType: node.opType, quantized: 0, total: 0 };
    entry.total++;
    coverage.set(node.opType, entry);
  }
  return coverage;
}

class Rewriter {
  readonly quantized: string[] = [];
  private readonly replaced = new Map<OnnxNode, OnnxNode[]>();
  private readonly newInits: OnnxTensor[] = [];
  private readonly removedInits = new Set<string>();
  private readonly qdqOf = new Map<string, string>(); // activation -> its DequantizeLinear output

  constructor(
    private readonly model: OnnxModel,
    private readonly options: QuantizeOptions,
    private readonly modelDir: string | undefined,
    private readonly dqDomain: string,
  ) {}

  /** Rewrites one weight use; returns why it was skipped, or null. */
  rewrite(use: WeightUse): string | null {
    const { node } = use;
    if (node.opType === 'Gemm' && !this.isPlainGemm(node)) return 'Gemm with transA, alpha or beta is left in float';
    if (this.options.mode === 'dynamic' && node.opType !== 'Conv') return this.dynamicMatMul(use);
    return this.qdq(use);
  }

  private isPlainGemm(node: OnnxNode): boolean {
    const attr = (name: string) => node.attributes.find((a) => a.name === name);
    return (attr('transA')?.i ?? 0) === 0 && (attr('alpha')?.f ?? 1) === 1 && (attr('beta')?.f ?? 1) === 1;
  }

  /** Quantizes a weight tensor; returns the int tensor and its scale/zero-point tensors. */
  private quantizeWeight(use: WeightUse, layout: 'as-is' | 'kn'): { q: OnnxTensor; scale: OnnxTensor; zp: OnnxTensor; axis: number } {
    const { tensor } = use;
    let values = readFloats(tensor, this.modelDir);
    let dims = tensor.dims;
    let channelAxis = use.channelAxis;
    // DynamicQuantizeMatMul wants B as [K, N]; a Gemm with transB=1 stores [N, K].
    if (layout === 'kn' && use.channelAxis === 0) {
      const [n, k] = dims as [number, number];
      const t = new Float32Array(values.length);
      for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) t[j * n + i] = values[i * k + j]!;
      values = t;
      dims = [k, n];
      channelAxis = 1;
    }
    const { weightType, symmetric, perChannel } = this.options;
    const view = channelIndices({ ...use, tensor: { ...tensor, dims }, channelAxis, reductionAxis: 1 - channelAxis });
    const params: QuantParams[] = [];
    if (perChannel) {
      for (let c = 0; c < view.channels; c++) {
        let min = Infinity;
        let max = -Infinity;
        for (let i = 0; i < view.length; i++) {
          const v = values[view.index(c, i)]!;
          if (v < min) min = v;
          if (v > max) max = v;
        }
        params.push(quantParams(min, max, weightType, symmetric));
      }
    } else {
      const { min, max } = minMax(values);
      params.push(quantParams(min, max, weightType, symmetric));
    }
    const q = weightType === 'int8' ? new Int8Array(values.length) : new Uint8Array(values.length);
    for (let c = 0; c < view.channels; c++) {
      const p = params[perChannel ? c : 0]!;
      for (let i = 0; i < view.length; i++) {
        const idx = view.index(c, i);
        q[idx] = quantize(values[idx]!, p, weightType);
      }
    }
    const base = tensor.name;
    const qType = weightType === 'int8' ? DataType.INT8 : DataType.UINT8;
    const pDims = perChannel ? [params.length] : [];
    const zpArray = weightType === 'int8' ? Int8Array.from(params.map((p) => p.zeroPoint)) : Uint8Array.from(params.map((p) => p.zeroPoint));
    return {
      q: rawTensor(`${base}_quantized`, dims, qType, q),
      scale: rawTensor(`${base}_scale`, pDims, DataType.FLOAT, Float32Array.from(params.map((p) => p.scale))),
      zp: rawTensor(`${base}_zero_point`, pDims, qType, zpArray),
      axis: channelAxis,
    };
  }

  private dynamicMatMul(use: WeightUse): string | null {
    const { node } = use;
    const w = this.quantizeWeight(use, 'kn');
    this.addInits(w.q, w.scale, w.zp);
    this.removedInits.add(use.tensor.name);
    const inputs = [node.inputs[0]!, w.q.name, w.scale.name, w.zp.name];
    if (node.opType === 'Gemm' && node.inputs[2]) inputs.push(node.inputs[2]);
    this.replaced.set(node, [
      { name: node.name, opType: 'DynamicQuantizeMatMul', domain: MS_DOMAIN, inputs, outputs: [...node.outputs], attributes: [] },
    ]);
    this.quantized.push(node.name);
    return null;
  }

  private qdq(use: WeightUse): string | null {
    const { node } = use;
    const w = this.quantizeWeight(use, 'as-is');
    this.addInits(w.q, w.scale, w.zp);
    this.removedInits.add(use.tensor.name);
    const nodes: OnnxNode[] = [];
    const weightDq = `${use.tensor.name}_dequantized`;
    nodes.push(this.dequantizeNode(`${node.name}/weight/DequantizeLinear`, [w.q.name, w.scale.name, w.zp.name], weightDq, this.options.perChannel ? w.axis : null));
    const rewired: OnnxNode = { ...node, inputs: [...node.inputs] };
    rewired.inputs[1] = weightDq;
    if (this.options.mode === 'static') {
      const input = node.inputs[0]!;
      rewired.inputs[0] = this.activationQdq(input, nodes);
      nodes.push(rewired);
      // Quantizing the output too lets ORT fuse DQ→Conv→Q into one integer QLinearConv.
      const output = node.outputs[0]!;
      const floatOut = `${output}_prequant`;
      rewired.outputs = [floatOut, ...node.outputs.slice(1)];
      const dq = this.activationQdq(floatOut, nodes, output);
      if (dq !== output) return 'its output has no calibrated range';
    } else {
      nodes.push(rewired);
    }
    this.replaced.set(node, nodes);
    this.quantized.push(node.name);
    return null;
  }

  /** QuantizeLinear→DequantizeLinear on activation `name`; returns the dequantized name. */
  private activationQdq(name: string, nodes: OnnxNode[], outputName?: string): string {
    const existing = this.qdqOf.get(name);
    if (existing) return existing;
    const rangeKey = outputName ?? name;
    const range = this.options.activationRanges?.get(rangeKey);
    if (!range) return outputName ?? name;
    // Activations: uint8 asymmetric unless asked for symmetric int8 (ORT's defaults for QDQ on CPU).
    const type: QuantType = this.options.symmetric ? 'int8' : 'uint8';
    const p = quantParams(range.min, range.max, type, this.options.symmetric);
    const id = rangeKey.replace(/[^\w/.:-]/g, '_');
    const scale = rawTensor(`${id}_act_scale`, [], DataType.FLOAT, Float32Array.of(p.scale));
    const zp = rawTensor(`${id}_act_zero_point`, [], type === 'int8' ? DataType.INT8 : DataType.UINT8, type === 'int8' ? Int8Array.of(p.zeroPoint) : Uint8Array.of(p.zeroPoint));
    this.addInits(scale, zp);
    const q = `${id}_quantized`;
    const dq = outputName ?? `${id}_dequantized`;
    nodes.push({ name: `${id}/QuantizeLinear`, opType: 'QuantizeLinear', domain: '', inputs: [name, scale.name, zp.name], outputs: [q], attributes: [] });
    nodes.push(this.dequantizeNode(`${id}/DequantizeLinear`, [q, scale.name, zp.name], dq, null));
    this.qdqOf.set(name, dq);
    return dq;
  }

  private dequantizeNode(name: string, inputs: string[], output: string, axis: number | null): OnnxNode {
    return {
      name,
      opType: 'DequantizeLinear',
      domain: this.dqDomain,
      inputs,
      outputs: [output],
      attributes: axis === null ? [] : [{ name: 'axis', type: 2, i: axis }],
    };
  }

  private addInits(...tensors: OnnxTensor[]): void {
    this.newInits.push(...tensors);
  }

  /** Applies the collected rewrites to the graph, keeping topological order. */
  finish(): void {
    const graph = this.model.graph;
    graph.nodes = graph.nodes.flatMap((n) => this.replaced.get(n) ?? [n]);
    const stillUsed = new Set(graph.nodes.flatMap((n) => n.inputs));
    graph.initializers = graph.initializers.filter((t) => !this.removedInits.has(t.name) || stillUsed.has(t.name));
    graph.initializers.push(...this.newInits);
    // Shapes of rewired tensors may now be stale; ORT re-infers what it needs.
    graph.valueInfo = [];
  }
}
