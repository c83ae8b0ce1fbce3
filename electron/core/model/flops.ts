/**
 * Floating-point operations of one kernel call, from the shapes the profiler reports (the
 * optimised graph's nodes have no attributes there, so everything is derived from shapes). Prepacked
 * weights are missing from those shapes, so counts lean on the activation input and the output, or,
 * where only the weight says the kernel size (ConvTranspose), on the weight's shape in the graph.
 *
 * Convention: a multiply-add is 2 FLOPs; an element-wise op is 1 FLOP per output element; a bias
 * add is 1 per output element. Ops without a well-defined count (data movement, normalisation,
 * pooling, control flow) return null rather than a guess.
 *
 * Worked example: MatMul [1, 64, 64] × [64, 256] → [1, 64, 256]: 2 · 64 · 256 · 64 = 2,097,152.
 */

type Shapes = readonly (readonly number[])[];

/** A node's constant input shapes from the graph, by input index (null: not a constant); see graph-index.ts. */
type GraphShapes = readonly (readonly number[] | null)[];

const size = (shape: readonly number[] | undefined) => (shape ? shape.reduce((a, b) => a * b, 1) : 0);

const ELEMENTWISE = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'Sqrt',
  'Exp',
  'Log',
  'Neg',
  'Abs',
  'Reciprocal',
  'Max',
  'Min',
  'Sum',
  'Mean',
  'Relu',
  'LeakyRelu',
  'PRelu',
  'Elu',
  'Selu',
  'Celu',
  'Sigmoid',
  'HardSigmoid',
  'HardSwish',
  'Tanh',
  'Erf',
  'Gelu',
  'FastGelu',
  'BiasGelu',
  'QuickGelu',
  'Softplus',
  'Softsign',
  'Clip',
  'Sin',
  'Cos',
  'Floor',
  'Ceil',
  'Round',
  'Sign',
  'Where',
  'Mish',
  'ThresholdedRelu',
  'BitShift',
]);

// Ops that multiply A [.., M, K] by B [.., K, N], with the indices of A and B among their inputs.
const MATMUL_INPUTS: Record<string, [number, number]> = {
  MatMul: [0, 1],
  FusedMatMul: [0, 1],
  MatMulInteger: [0, 1],
  MatMulIntegerToFloat: [0, 1],
  DynamicQuantizeMatMul: [0, 1],
  MatMulNBits: [0, 1],
  QLinearMatMul: [0, 3],
};

// Convolutions: indices of the input and the weight among their inputs, and how many trailing
// inputs are a bias (counted only when present).
const CONV_INPUTS: Record<string, { x: number; w: number; bias: number | null; activation: boolean }> = {
  Conv: { x: 0, w: 1, bias: 2, activation: false },
  FusedConv: { x: 0, w: 1, bias: 2, activation: true },
  NhwcConv: { x: 0, w: 1, bias: 2, activation: false },
  NhwcFusedConv: { x: 0, w: 1, bias: 2, activation: true },
  ConvInteger: { x: 0, w: 1, bias: null, activation: false },
  QLinearConv: { x: 0, w: 3, bias: 8, activation: false },
};

/**
 * FLOPs of one call of `opType` with these input and output shapes, or null where not defined.
 * `graph` (the node's constant input shapes in the model) fills in a weight the trace left out.
 */
export function estimateFlops(opType: string, inputs: Shapes, outputs: Shapes, graph?: GraphShapes): number | null {
  const out = outputs[0];
  if (!out) return null;
  if (opType in MATMUL_INPUTS) {
    const [ai] = MATMUL_INPUTS[opType]!;
    const a = inputs[ai];
    if (!a || a.length === 0) return null;
    const k = a[a.length - 1]!;
    return 2 * size(out) * k;
  }
  if (opType === 'Gemm' || opType === 'FusedGemm') {
    const a = inputs[0];
    if (!a || out.length !== 2) return null;
    const m = out[0]!;
    const n = out[1]!;
    const k = m > 0 ? size(a) / m : 0;
    // onnxruntime omits prepacked weights from the profiled inputs, so a Gemm may list [A, B, C]
    // or just [A, C]: a second input that is not K×N is the bias.
    const c = inputs.length >= 3 ? inputs[2] : inputs.length === 2 && size(inputs[1]) !== k * n ? inputs[1] : undefined;
    const bias = c && size(c) > 0 ? size(out) : 0;
    return 2 * size(out) * k + bias + (opType === 'FusedGemm' ? size(out) : 0);
  }
  if (opType in CONV_INPUTS) {
    const spec = CONV_INPUTS[opType]!;
    const weight = weightOf(inputs, spec.w, spec.bias, graph);
    if (!weight) return null;
    const perOutput = size(weight.w.slice(1)); // Cin/group × kernel elements
    return 2 * size(out) * perOutput + (weight.bias ? size(out) : 0) + (spec.activation ? size(out) : 0);
  }
  if (opType === 'ConvTranspose') {
    const x = inputs[0];
    // onnxruntime's CPU kernel prepacks W and drops it from the trace: [X, B] or [X] is all it lists.
    const weight = weightOf(inputs, 1, 2, graph);
    if (!x || !weight) return null;
    // Each input element scatters into Cout/group × kernel outputs: W is [Cin, Cout/group, k...].
    return 2 * size(x) * size(weight.w.slice(1)) + (weight.bias ? size(out) : 0);
  }
  if (ELEMENTWISE.has(opType)) return size(out);
  return null;
}

// A convolution's weight (rank >= 3) and whether it has a bias: from the trace when it lists the
// weight, else from the graph, which also says whether the node has a bias input (the trace then
// lists the bias where the weight was, so its position cannot tell).
function weightOf(
  inputs: Shapes,
  w: number,
  bias: number | null,
  graph?: GraphShapes,
): { w: readonly number[]; bias: boolean } | null {
  const traced = inputs[w];
  if (traced && traced.length >= 3)
    return { w: traced, bias: bias !== null && Boolean(inputs[bias]) && size(inputs[bias]) > 0 };
  const fromGraph = graph?.[w];
  if (!fromGraph || fromGraph.length < 3) return null;
  const b = bias === null ? undefined : graph!.length > bias ? (graph![bias] ?? inputs[w]) : undefined;
  return { w: fromGraph, bias: b !== undefined && size(b) > 0 };
}
