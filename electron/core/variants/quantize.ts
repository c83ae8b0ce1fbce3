/**
 * Post-training quantization of MatMul, Gemm and Conv, written as ONNX that onnxruntime runs, each
 * mode named for what it does to the compute:
 *
 * - dynamic (int8 compute, as onnxruntime's quantize_dynamic): MatMul and Gemm become com.microsoft
 *   DynamicQuantizeMatMul; Conv becomes DynamicQuantizeLinear (the activation's scale computed per
 *   run) -> ConvInteger -> Cast -> Mul by the scales (-> Add the bias). ConvInteger takes one weight
 *   zero point, so per-channel Conv weights are symmetric. Models below opset 11 are raised to 11
 *   first (opset-upgrade.ts); where that cannot be done their Conv stays weight-only, and says so.
 *   Static QDQ raises them too (QuantizeLinear is opset 10), or refuses with the reason.
 * - weight-only: weights stored int8 behind a DequantizeLinear, the op itself in float: a smaller
 *   file, the same float compute.
 * - static (QDQ): weights behind DequantizeLinear, the bias in int32 behind one, and each target
 *   node's input and output activation through QuantizeLinear->DequantizeLinear with calibrated
 *   ranges; onnxruntime fuses these into QLinearConv / QLinearMatMul / QGemm.
 *
 * The op doing the compute keeps the original node's name; every node written records the node it
 * came from (lineage.ts), so a comparison groups them under the original layer.
 */
import { StrataError } from '../../../shared/errors.js';
import {
  DataType,
  decodeModel,
  encodeModel,
  type OnnxGraph,
  type OnnxNode,
  type OnnxTensor,
  walkGraphs,
} from '../model/onnx-proto.js';
import { rawTensor, readFloats } from '../model/tensor-data.js';
import { lineageName, stamp, type LineageRole } from './lineage.js';
import { defaultOpset, upgradeOpset } from './opset-upgrade.js';
import { minMax, quantize, quantParams, type QuantParams, type QuantType } from './quant-math.js';
import { channelIndices, findWeights, WEIGHT_OPS, type WeightUse } from './weights.js';
import { assertAcyclic } from '../model/graph-order.js';

/** What a quantization mode does to the compute. */
export type QuantizeMode = 'dynamic' | 'static' | 'weight-only';

/** Options of `quantizeModel`. */
export interface QuantizeOptions {
  readonly mode: QuantizeMode;
  readonly perChannel: boolean;
  readonly symmetric: boolean;
  readonly weightType: QuantType;
  readonly ops?: readonly string[];
  readonly exclude?: readonly string[];
  /** Static mode: calibrated [min, max] of each activation tensor, by tensor name. */
  readonly activationRanges?: ReadonlyMap<string, { min: number; max: number }>;
}

/** How one original layer computes in the variant. */
export type ComputeKind = 'int8' | 'qdq' | 'weight-only' | 'float';

/** Per op type of the original: how many of its nodes compute how. */
export interface ComputeChange {
  readonly opType: string;
  readonly total: number;
  readonly int8: number; // integer ops written (ConvInteger, DynamicQuantizeMatMul)
  readonly qdq: number; // wrapped in Q/DQ for onnxruntime to fuse into QLinear ops
  readonly weightOnly: number; // int8 weights, float compute
  readonly float: number; // left as they were
}

/** What the quantizer did. */
export interface QuantizeResult {
  readonly bytes: Uint8Array;
  readonly quantizedNodes: readonly string[];
  /** Op coverage: per op type, how many nodes were quantized (in any form) of how many there are. */
  readonly coverage: readonly { opType: string; quantized: number; total: number }[];
  /** What changed in the compute, per op type. */
  readonly compute: readonly ComputeChange[];
  /** One line: "20 of 20 Conv run int8 (ConvInteger); 1 of 1 Gemm run int8 (DynamicQuantizeMatMul)". */
  readonly computeSummary: string;
  readonly skipped: readonly { node: string; reason: string }[];
}

const MS_DOMAIN = 'com.microsoft';
/** Model metadata key holding what the quantizer did, as JSON (read back by comparisons). */
export const VARIANT_METADATA_KEY = 'strata.variant';

/** Throws when static (QDQ) quantization cannot apply, before any time is spent calibrating. */
export function assertStaticQuantizable(bytes: Uint8Array): void {
  const model = decodeModel(bytes);
  assertAcyclic(model.graph); // calibration would run it first and get onnxruntime's raw refusal
  // QuantizeLinear arrived in opset 10: older models are raised to 11 when their ops keep their meaning.
  const refusal = upgradeOpset(model, 11);
  if (refusal) {
    throw new StrataError(
      'MODEL_UNSUPPORTED',
      `Static (QDQ) quantization needs opset 10 or later for QuantizeLinear, and ${refusal}. Re-export the model at opset 11 or later, or use --mode weight-only.`,
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
  assertAcyclic(model.graph); // a rewritten cyclic graph would be written and never load
  const ops = options.ops ?? WEIGHT_OPS;
  // Every graph: If/Loop/Scan subgraphs hold layers too (Silero's convolutions live in If branches).
  const graphs = [...walkGraphs(model.graph)];
  const originalOpType = new Map(graphs.flatMap((g) => g.nodes.map((n) => [n.name, n.opType] as [string, string])));
  const mainUses = findWeights(model.graph, ops, options.exclude);
  // Subgraphs may read weights from the main graph (Silero's If-less export): their quantized copies
  // go into the subgraph, and the float originals leave the main graph once nothing reads them.
  const outer = new Map(model.graph.initializers.map((t) => [t.name, t]));
  const perGraph = graphs.map((graph, i) => ({
    graph,
    uses: i === 0 ? mainUses : findWeights(graph, ops, options.exclude, outer),
  }));
  const uses = perGraph.flatMap((p) => p.uses);
  if (uses.length === 0) {
    throw new StrataError(
      'BAD_ARGUMENT',
      `The model has no float weights in ${ops.join('/')} nodes to quantize` +
        (graphs.length > 1 ? ' (weights a subgraph reads from its parent graph are not quantized yet)' : '') +
        '.',
    );
  }
  if (options.mode === 'static' && !options.activationRanges) {
    throw new StrataError('INTERNAL', 'Static quantization needs calibrated activation ranges.');
  }
  if (options.mode === 'static') {
    assertStaticQuantizable(bytes);
    upgradeOpset(model, 11); // cannot refuse: the check above raised a copy of the same bytes
  }
  // Integer Conv needs DynamicQuantizeLinear (opset 11): raise older models, or say why not.
  const upgradeRefusal =
    options.mode === 'dynamic' && uses.some((u) => u.node.opType === 'Conv') ? upgradeOpset(model, 11) : null;
  const opset = defaultOpset(model);
  const skipped: { node: string; reason: string }[] = [];
  const kinds = new Map<string, ComputeKind>();
  const quantized: string[] = [];
  const replacedOuter = new Set<string>();
  // Every value name in every graph: names the rewriters make are checked against it, so one
  // quantized op feeding another, or two ops sharing a weight, never write a name twice.
  const taken = new Set(
    graphs.flatMap((g) => [
      ...g.inputs.map((v) => v.name),
      ...g.outputs.map((v) => v.name),
      ...g.initializers.map((t) => t.name),
      ...g.nodes.flatMap((n) => [...n.inputs, ...n.outputs]),
    ]),
  );
  for (const { graph, uses: graphUses } of perGraph) {
    if (graphUses.length === 0) continue;
    // Per-axis DequantizeLinear arrived in opset 13; older models use ORT's com.microsoft twin.
    const rewriter = new Rewriter(
      graph,
      options,
      modelDir,
      opset >= 13 ? '' : MS_DOMAIN,
      upgradeRefusal,
      kinds,
      quantized,
      taken,
      graph === model.graph ? undefined : outer,
    );
    for (const use of graphUses) {
      const reason = rewriter.rewrite(use);
      if (reason) skipped.push({ node: use.node.name, reason });
    }
    rewriter.finish();
    if (graph !== model.graph) for (const name of rewriter.removedInits) replacedOuter.add(name);
  }
  const read = new Set(graphs.flatMap((g) => g.nodes.flatMap((n) => n.inputs)));
  model.graph.initializers = model.graph.initializers.filter(
    (t) => !replacedOuter.has(t.name) || read.has(t.name) || model.graph.outputs.some((o) => o.name === t.name),
  );
  if (!model.opsetImports.some((o) => o.domain === MS_DOMAIN))
    model.opsetImports.push({ domain: MS_DOMAIN, version: 1 });
  const compute = countCompute([...originalOpType], ops, kinds);
  const coverage = compute.map((c) => ({ opType: c.opType, quantized: c.total - c.float, total: c.total }));
  const computeSummary = summarizeCompute(compute, options.mode);
  model.metadata = [
    ...model.metadata.filter((e) => e.key !== VARIANT_METADATA_KEY),
    {
      key: VARIANT_METADATA_KEY,
      value: JSON.stringify({ transform: 'quantize', mode: options.mode, compute, computeSummary, skipped }),
    },
  ];
  return { bytes: encodeModel(model), quantizedNodes: quantized, coverage, compute, computeSummary, skipped };
}

function countCompute(
  nodes: readonly [string, string][],
  ops: readonly string[],
  kinds: ReadonlyMap<string, ComputeKind>,
): ComputeChange[] {
  const byOp = new Map<
    string,
    { opType: string; total: number; int8: number; qdq: number; weightOnly: number; float: number }
  >();
  for (const [name, opType] of nodes) {
    if (!ops.includes(opType)) continue;
    const entry = byOp.get(opType) ?? { opType, total: 0, int8: 0, qdq: 0, weightOnly: 0, float: 0 };
    entry.total++;
    const kind = kinds.get(name) ?? 'float';
    if (kind === 'weight-only') entry.weightOnly++;
    else entry[kind]++;
    byOp.set(opType, entry);
  }
  return [...byOp.values()];
}

/** What a mode did, as the one line a variant row shows. */
export function summarizeCompute(compute: readonly ComputeChange[], mode: QuantizeMode): string {
  const intOp: Record<string, string> = {
    Conv: 'ConvInteger',
    MatMul: 'DynamicQuantizeMatMul',
    Gemm: 'DynamicQuantizeMatMul',
  };
  const fused: Record<string, string> = { Conv: 'QLinearConv', MatMul: 'QLinearMatMul', Gemm: 'QGemm' };
  const parts = compute.map((c) => {
    const bits: string[] = [];
    if (c.int8) bits.push(`${c.int8} of ${c.total} ${c.opType} run int8 (${intOp[c.opType] ?? 'integer op'})`);
    if (c.qdq)
      bits.push(
        `${c.qdq} of ${c.total} ${c.opType} in Q/DQ for onnxruntime to fuse into ${fused[c.opType] ?? 'QLinear ops'}`,
      );
    if (c.weightOnly) bits.push(`${c.weightOnly} of ${c.total} ${c.opType} store int8 weights but compute in float`);
    if (!bits.length || (mode !== 'weight-only' && c.float))
      bits.push(`${c.float} of ${c.total} ${c.opType} stay float`);
    return bits.join(', ');
  });
  return parts.join('; ');
}

/** Rewrites the weight uses of one graph (the main graph or a subgraph). */
class Rewriter {
  private readonly replaced = new Map<OnnxNode, OnnxNode[]>();
  private readonly newInits: OnnxTensor[] = [];
  readonly removedInits = new Set<string>();
  private readonly qdqOf = new Map<string, { name: string; scale: number }>(); // activation -> its DequantizeLinear output
  private readonly dynamicOf = new Map<string, [string, string, string]>(); // activation -> DynamicQuantizeLinear outputs
  private readonly inits: Map<string, OnnxTensor>;

  constructor(
    private readonly graph: OnnxGraph,
    private readonly options: QuantizeOptions,
    private readonly modelDir: string | undefined,
    private readonly dqDomain: string,
    private readonly upgradeRefusal: string | null,
    /** How each original node computes now, by name (shared by every graph's rewriter). */
    private readonly kinds: Map<string, ComputeKind>,
    private readonly quantized: string[],
    /** Value names in use in the whole model (shared by every graph's rewriter). */
    private readonly taken: Set<string>,
    outer?: ReadonlyMap<string, OnnxTensor>,
  ) {
    this.inits = new Map([...(outer ?? []), ...graph.initializers.map((t) => [t.name, t] as [string, OnnxTensor])]);
  }

  /** `base`, or `base_2`, `base_3`... : the first value name not yet used anywhere in the model. */
  private unique(base: string): string {
    let name = base;
    for (let i = 2; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }

  /** Rewrites one weight use; returns why it was skipped (or kept weight-only in an integer mode), or null. */
  rewrite(use: WeightUse): string | null {
    const { node } = use;
    if (node.opType === 'Gemm' && !this.isPlainGemm(node)) return 'Gemm with transA, alpha or beta is left in float';
    if (this.options.mode === 'dynamic' && node.opType !== 'Conv') return this.dynamicMatMul(use);
    if (this.options.mode === 'dynamic') {
      const why = this.upgradeRefusal
        ? `ConvInteger needs opset 11, and ${this.upgradeRefusal}`
        : this.dynamicConv(use);
      if (!why) return null;
      this.qdq(use);
      return `${why}; its weights are int8 but it computes in float`;
    }
    return this.qdq(use);
  }

  private isPlainGemm(node: OnnxNode): boolean {
    const attr = (name: string) => node.attributes.find((a) => a.name === name);
    return (attr('transA')?.i ?? 0) === 0 && (attr('alpha')?.f ?? 1) === 1 && (attr('beta')?.f ?? 1) === 1;
  }

  /** Quantizes a weight tensor; returns the int tensor and its scale/zero-point tensors. */
  private quantizeWeight(
    use: WeightUse,
    layout: 'as-is' | 'kn',
    forceSymmetric = false,
  ): { q: OnnxTensor; scale: OnnxTensor; zp: OnnxTensor; axis: number; params: QuantParams[] } {
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
    const { weightType, perChannel } = this.options;
    const symmetric = this.options.symmetric || forceSymmetric;
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
    const zpArray =
      weightType === 'int8'
        ? Int8Array.from(params.map((p) => p.zeroPoint))
        : Uint8Array.from(params.map((p) => p.zeroPoint));
    return {
      q: rawTensor(this.unique(`${base}_quantized`), dims, qType, q),
      scale: rawTensor(
        this.unique(`${base}_scale`),
        pDims,
        DataType.FLOAT,
        Float32Array.from(params.map((p) => p.scale)),
      ),
      zp: rawTensor(this.unique(`${base}_zero_point`), pDims, qType, zpArray),
      axis: channelAxis,
      params,
    };
  }

  private dynamicMatMul(use: WeightUse): string | null {
    const { node } = use;
    const w = this.quantizeWeight(use, 'kn');
    this.addInits(w.q, w.scale, w.zp);
    this.removedInits.add(use.tensor.name);
    const inputs = [node.inputs[0]!, w.q.name, w.scale.name, w.zp.name];
    const nodes: OnnxNode[] = [];
    const biasName = node.opType === 'Gemm' ? node.inputs[2] : undefined;
    // DynamicQuantizeMatMul adds a 1-D bias of N values only; Gemm's C may be [N], [1, N], [M, N] or
    // computed: a bias of N values is passed as [N], any other is added after the product.
    const vector = biasName ? this.biasVector(biasName, w.q.dims[1]!) : undefined;
    if (vector) inputs.push(vector);
    const out = node.outputs[0]!;
    const product = biasName && !vector ? this.unique(`${out}_product`) : out;
    nodes.push(
      stamp(
        {
          name: node.name,
          opType: 'DynamicQuantizeMatMul',
          domain: MS_DOMAIN,
          inputs,
          outputs: [product],
          attributes: [],
        },
        node.name,
        'compute',
      ),
    );
    if (biasName && !vector)
      nodes.push(
        stamp(
          {
            name: lineageName(node.name, 'bias', 'Add'),
            opType: 'Add',
            domain: '',
            inputs: [product, biasName],
            outputs: [out],
            attributes: [],
          },
          node.name,
          'bias',
        ),
      );
    this.replaced.set(node, nodes);
    this.done(node, 'int8');
    return null;
  }

  /** A float bias initializer holding `n` values ([n] or [1, n]), as a 1-D tensor name; undefined for any other. */
  private biasVector(name: string, n: number): string | undefined {
    const bias = this.inits.get(name);
    if (!bias || bias.dataType !== DataType.FLOAT) return undefined;
    const dims = bias.dims;
    if (dims.length === 1 && dims[0] === n) return name;
    if (dims.length !== 2 || dims[0] !== 1 || dims[1] !== n) return undefined;
    const flat = rawTensor(this.unique(`${name}_vector`), [n], DataType.FLOAT, readFloats(bias, this.modelDir));
    this.addInits(flat);
    this.removedInits.add(name);
    return flat.name;
  }

  /**
   * Conv as onnxruntime's dynamic quantizer writes it: y = float(ConvInteger(xq, wq, xz, wz)) × (xs × ws) + b,
   * where DynamicQuantizeLinear gives xq, xs, xz for each run's activation.
   */
  private dynamicConv(use: WeightUse): string | null {
    const { node } = use;
    const biasName = node.inputs[2];
    const bias = biasName ? this.inits.get(biasName) : undefined;
    if (biasName && (!bias || bias.dataType !== DataType.FLOAT))
      return 'its bias is computed at run time, which ConvInteger cannot add';
    // ConvInteger takes one weight zero point: per-channel weights are made symmetric (zero point 0 or 128 for all).
    const w = this.quantizeWeight(use, 'as-is', this.options.perChannel);
    const spatial = use.tensor.dims.length - 2;
    const ones = new Array<number>(spatial).fill(1);
    const scale = rawTensor(
      w.scale.name,
      this.options.perChannel ? [w.params.length, ...ones] : [],
      DataType.FLOAT,
      Float32Array.from(w.params.map((p) => p.scale)),
    );
    const zp = rawTensor(w.zp.name, [], w.zp.dataType, w.zp.raw!.subarray(0, 1));
    this.addInits(w.q, scale, zp);
    this.removedInits.add(use.tensor.name);
    const origin = node.name;
    const out = node.outputs[0]!;
    const helper = (
      role: LineageRole,
      opType: string,
      inputs: string[],
      outputs: string[],
      attributes: OnnxNode['attributes'] = [],
      suffix = '',
    ): OnnxNode =>
      stamp(
        { name: lineageName(origin, role, opType, suffix), opType, domain: '', inputs, outputs, attributes },
        origin,
        role,
      );
    const nodes: OnnxNode[] = [];
    const x = node.inputs[0]!;
    let quantizedInput = this.dynamicOf.get(x);
    if (!quantizedInput) {
      const id = `${out}_input`;
      quantizedInput = [this.unique(`${id}_quantized`), this.unique(`${id}_scale`), this.unique(`${id}_zero_point`)];
      nodes.push(helper('quantize-input', 'DynamicQuantizeLinear', [x], [...quantizedInput]));
      this.dynamicOf.set(x, quantizedInput);
    }
    const [xq, xs, xz] = quantizedInput;
    const [int32, asFloat, rescale, prebias] = ['int32', 'float', 'rescale', 'prebias'].map((s) =>
      this.unique(`${out}_${s}`),
    ) as [string, string, string, string];
    nodes.push(
      stamp(
        {
          name: node.name,
          opType: 'ConvInteger',
          domain: '',
          inputs: [xq, w.q.name, xz, zp.name],
          outputs: [int32],
          attributes: node.attributes,
        },
        origin,
        'compute',
      ),
    );
    nodes.push(helper('rescale', 'Cast', [int32], [asFloat], [{ name: 'to', type: 2, i: DataType.FLOAT }]));
    nodes.push(helper('rescale', 'Mul', [xs, scale.name], [rescale], [], '_scale'));
    if (bias) {
      const b = readFloats(bias, this.modelDir);
      const shaped = rawTensor(this.unique(`${bias.name}_per_channel`), [b.length, ...ones], DataType.FLOAT, b);
      this.addInits(shaped);
      this.removedInits.add(bias.name);
      nodes.push(helper('rescale', 'Mul', [asFloat, rescale], [prebias]));
      nodes.push(helper('bias', 'Add', [prebias, shaped.name], [out]));
    } else {
      nodes.push(helper('rescale', 'Mul', [asFloat, rescale], [out]));
    }
    this.replaced.set(node, nodes);
    this.done(node, 'int8');
    return null;
  }

  private qdq(use: WeightUse): string | null {
    const { node } = use;
    const w = this.quantizeWeight(use, 'as-is');
    this.addInits(w.q, w.scale, w.zp);
    this.removedInits.add(use.tensor.name);
    const nodes: OnnxNode[] = [];
    const weightDq = this.unique(`${use.tensor.name}_dequantized`);
    nodes.push(
      stamp(
        this.dequantizeNode(
          lineageName(node.name, 'dequantize-weight', 'DequantizeLinear'),
          [w.q.name, w.scale.name, w.zp.name],
          weightDq,
          this.options.perChannel ? w.axis : null,
        ),
        node.name,
        'dequantize-weight',
      ),
    );
    const rewired: OnnxNode = stamp({ ...node, inputs: [...node.inputs] }, node.name, 'compute');
    rewired.inputs[1] = weightDq;
    if (this.options.mode === 'static') {
      const input = node.inputs[0]!;
      const quantizedIn = this.activationQdq(input, nodes, node.name, 'input');
      rewired.inputs[0] = quantizedIn.name;
      // onnxruntime fuses Conv/Gemm into QLinearConv/QGemm only when the bias, too, comes through a DequantizeLinear (int32, scale = input scale × weight scale).
      const bias = node.inputs[2] ? this.inits.get(node.inputs[2]) : undefined;
      const channels = node.opType === 'Gemm' ? w.q.dims[w.axis] : w.q.dims[0];
      if (
        bias &&
        bias.dataType === DataType.FLOAT &&
        bias.dims.length === 1 &&
        bias.dims[0] === channels &&
        quantizedIn.scale > 0 &&
        (node.opType === 'Conv' || node.opType === 'Gemm')
      ) {
        rewired.inputs[2] = this.int32Bias(bias, w.params, quantizedIn.scale, node.name, nodes);
      }
      nodes.push(rewired);
      // Quantizing the output too lets ORT fuse DQ→Conv→Q into one integer QLinearConv. Without a
      // calibrated range the output stays as it was: renaming it would cut off every reader of it.
      const output = node.outputs[0]!;
      const outputRange = this.options.activationRanges?.get(output);
      if (outputRange) {
        const floatOut = this.unique(`${output}_prequant`);
        rewired.outputs = [floatOut, ...node.outputs.slice(1)];
        this.activationQdq(floatOut, nodes, node.name, 'output', output);
      }
      this.replaced.set(node, nodes);
      const missing = [quantizedIn.scale > 0 ? '' : 'input', outputRange ? '' : 'output'].filter(Boolean);
      if (missing.length) {
        this.done(node, 'weight-only');
        return `its ${missing.join(' and ')} ${missing.length > 1 ? 'have' : 'has'} no calibrated range (the calibration run did not see ${missing.length > 1 ? 'them' : 'it'}; tensors inside If/Loop branches are not observed), so it computes in float`;
      }
      this.done(node, 'qdq');
      return null;
    }
    nodes.push(rewired);
    this.replaced.set(node, nodes);
    this.done(node, 'weight-only');
    return null;
  }

  private done(node: OnnxNode, kind: ComputeKind): void {
    this.quantized.push(node.name);
    this.kinds.set(node.name, kind);
  }

  /** The bias as int32 behind a DequantizeLinear, its scale the input's times the weight's (per channel). */
  private int32Bias(
    bias: OnnxTensor,
    weightParams: readonly QuantParams[],
    inputScale: number,
    origin: string,
    nodes: OnnxNode[],
  ): string {
    const b = readFloats(bias, this.modelDir);
    const scales = Float32Array.from(b, (_, i) => inputScale * weightParams[weightParams.length === 1 ? 0 : i]!.scale);
    const q = Int32Array.from(b, (v, i) =>
      Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round(v / (scales[i]! || 1)))),
    );
    const perChannel = weightParams.length > 1;
    const qt = rawTensor(this.unique(`${bias.name}_quantized`), [b.length], DataType.INT32, q);
    const st = rawTensor(
      this.unique(`${bias.name}_scale`),
      perChannel ? [b.length] : [],
      DataType.FLOAT,
      perChannel ? scales : scales.subarray(0, 1),
    );
    const zt = rawTensor(
      this.unique(`${bias.name}_zero_point`),
      perChannel ? [b.length] : [],
      DataType.INT32,
      new Int32Array(perChannel ? b.length : 1),
    );
    this.addInits(qt, st, zt);
    this.removedInits.add(bias.name);
    const out = this.unique(`${bias.name}_dequantized`);
    nodes.push(
      stamp(
        this.dequantizeNode(
          lineageName(origin, 'dequantize-weight', 'DequantizeLinear', '_bias'),
          [qt.name, st.name, zt.name],
          out,
          perChannel ? 0 : null,
        ),
        origin,
        'dequantize-weight',
      ),
    );
    return out;
  }

  /** QuantizeLinear→DequantizeLinear on activation `name`; returns the dequantized name and its scale (0 when it has no range). */
  private activationQdq(
    name: string,
    nodes: OnnxNode[],
    origin: string,
    side: 'input' | 'output',
    outputName?: string,
  ): { name: string; scale: number } {
    const existing = this.qdqOf.get(name);
    if (existing) return existing;
    const rangeKey = outputName ?? name;
    const range = this.options.activationRanges?.get(rangeKey);
    if (!range) return { name: outputName ?? name, scale: 0 };
    // Activations: uint8 asymmetric unless asked for symmetric int8 (ORT's defaults for QDQ on CPU).
    const type: QuantType = this.options.symmetric ? 'int8' : 'uint8';
    const p = quantParams(range.min, range.max, type, this.options.symmetric);
    const id = rangeKey.replace(/[^\w/.:-]/g, '_');
    const scale = rawTensor(this.unique(`${id}_act_scale`), [], DataType.FLOAT, Float32Array.of(p.scale));
    const zp = rawTensor(
      this.unique(`${id}_act_zero_point`),
      [],
      type === 'int8' ? DataType.INT8 : DataType.UINT8,
      type === 'int8' ? Int8Array.of(p.zeroPoint) : Uint8Array.of(p.zeroPoint),
    );
    this.addInits(scale, zp);
    const q = this.unique(`${id}_quantized`);
    const dq = outputName ?? this.unique(`${id}_dequantized`);
    const [qRole, dqRole]: LineageRole[] =
      side === 'input' ? ['quantize-input', 'dequantize-input'] : ['quantize-output', 'quantize-output'];
    nodes.push(
      stamp(
        {
          name: lineageName(origin, qRole!, 'QuantizeLinear'),
          opType: 'QuantizeLinear',
          domain: '',
          inputs: [name, scale.name, zp.name],
          outputs: [q],
          attributes: [],
        },
        origin,
        qRole!,
      ),
    );
    nodes.push(
      stamp(
        this.dequantizeNode(lineageName(origin, dqRole!, 'DequantizeLinear'), [q, scale.name, zp.name], dq, null),
        origin,
        dqRole!,
      ),
    );
    const result = { name: dq, scale: p.scale };
    this.qdqOf.set(name, result);
    // A quantized op reading this output (one quantized op feeding another) reads the dequantized
    // value as it is: a second Q->DQ pair on it would be redundant.
    if (outputName) this.qdqOf.set(outputName, result);
    return result;
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
    const graph = this.graph;
    graph.nodes = graph.nodes.flatMap((n) => this.replaced.get(n) ?? [n]);
    const stillUsed = new Set(graph.nodes.flatMap((n) => n.inputs));
    graph.initializers = graph.initializers.filter((t) => !this.removedInits.has(t.name) || stillUsed.has(t.name));
    graph.initializers.push(...this.newInits);
    // Shapes of rewired tensors may now be stale; ORT re-infers what it needs.
    graph.valueInfo = [];
  }
}
