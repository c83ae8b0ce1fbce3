/**
 * The check every variant passes before it is written or reported: its graph is well formed (each
 * value produced once, every output of the original still produced), it loads and runs in
 * onnxruntime (in the worker, like every other run), and its outputs are measured against the
 * original's on the same inputs. A variant that fails is an error, never a success line.
 *
 * Worked example: a static QDQ writer that gives two QuantizeLinear nodes the output
 * "x_quantized" fails the first check with 'the value "x_quantized" is produced twice'.
 */
import { StrataError } from '../../../shared/errors.js';
import type { ProfilePlan } from '../../../shared/plan.js';
import type { ModelSummary } from '../../../shared/model.js';
import { decodeModel, type OnnxGraph, walkGraphs } from '../model/onnx-proto.js';
import { float16ToFloat32 } from '../model/tensor-data.js';
import { describeDefaultedDims, MAX_IPC_INPUT_BYTES, makeInputData, resolveInputs } from '../runner/inputs.js';
import type { OutputTensor } from '../runner/protocol.js';
import { runTensorsJob } from '../runner/worker-client.js';
import { compareTensors } from './fidelity.js';

/** Output cosine a variant should keep on its inputs; below it, commands say so with the number. */
export const FIDELITY_FLOOR = 0.99;

/** One output of a verified variant against the original, on the same inputs. */
export interface OutputCheck {
  readonly name: string;
  readonly cosine: number;
}

/** What the check measured. */
export interface VariantCheck {
  readonly outputs: readonly OutputCheck[];
  /** The lowest output cosine (1 for a model whose outputs are not float). */
  readonly minCosine: number;
}

/** The graph problems of `variant` against `original` (empty when it is well formed). */
export function graphProblems(original: Uint8Array, variant: Uint8Array): string[] {
  const problems: string[] = [];
  const before = decodeModel(original).graph.outputs.map((o) => o.name);
  const model = decodeModel(variant);
  const after = model.graph.outputs.map((o) => o.name);
  const lost = before.filter((n) => !after.includes(n));
  if (lost.length)
    problems.push(
      `the output${lost.length > 1 ? 's' : ''} ${lost.map((n) => `"${n}"`).join(', ')} of the original ${lost.length > 1 ? 'are' : 'is'} gone`,
    );
  const produced = new Map<string, number>();
  const count = (name: string) => produced.set(name, (produced.get(name) ?? 0) + 1);
  for (const g of walkGraphs(model.graph)) {
    for (const v of g.inputs) if (!g.initializers.some((t) => t.name === v.name)) count(v.name);
    for (const t of g.initializers) count(t.name);
    for (const n of g.nodes) for (const o of n.outputs) if (o) count(o);
  }
  const twice = [...produced.entries()].filter(([, c]) => c > 1).map(([n]) => `"${n}"`);
  if (twice.length)
    problems.push(
      `${twice.length > 3 ? `${twice.length} values, ${twice.slice(0, 3).join(', ')} among them, are` : `the value${twice.length > 1 ? 's' : ''} ${twice.join(', ')} ${twice.length > 1 ? 'are' : 'is'}`} produced twice`,
    );
  const orphan = unproduced(model.graph, new Set(produced.keys()));
  if (orphan.length)
    problems.push(
      `the graph output${orphan.length > 1 ? 's' : ''} ${orphan.map((n) => `"${n}"`).join(', ')} ${orphan.length > 1 ? 'are' : 'is'} produced by no node`,
    );
  return problems;
}

function unproduced(graph: OnnxGraph, produced: ReadonlySet<string>): string[] {
  return graph.outputs.map((o) => o.name).filter((n) => !produced.has(n));
}

function asFloats(t: OutputTensor): ArrayLike<number> | null {
  if (t.type === 'float16') return Array.from(t.data as Uint16Array, float16ToFloat32);
  if (t.type === 'float32' || t.type === 'float64') return t.data as ArrayLike<number>;
  return null;
}

/**
 * Checks `variant` (bytes not yet written) made from the model at `modelPath`: throws a StrataError
 * naming what is wrong when its graph is malformed or onnxruntime cannot load or run it; otherwise
 * returns its output cosines against the original on the plan's seeded inputs.
 */
export async function verifyVariant(
  modelPath: string,
  summary: ModelSummary,
  original: Uint8Array,
  variant: Uint8Array,
  plan: ProfilePlan,
  what: string,
  signal?: AbortSignal,
): Promise<VariantCheck> {
  const problems = graphProblems(original, variant);
  const bug =
    'This is a bug in Strata: nothing was written; please report it with the model, and leave out this transform (or the nodes it names with --exclude) meanwhile.';
  if (problems.length)
    throw new StrataError(
      'INTERNAL',
      `The ${what} Strata made is not a valid ONNX graph: ${problems.join('; ')}. ${bug}`,
    );
  // One job message cannot carry more (Node's structured clone): such a variant is checked as a
  // graph only, not loaded, rather than refused.
  if (variant.byteLength > MAX_IPC_INPUT_BYTES) return { outputs: [], minCosine: 1 };
  const { resolved, shapes, defaulted } = resolveInputs(summary.inputs, plan);
  const inputs = makeInputData(resolved, plan.inputs, plan.seed);
  const names = summary.outputs.map((o) => o.name);
  const run = (bytes: Uint8Array) =>
    runTensorsJob({ modelPath, modelBytes: bytes, shapes, inputSets: [inputs], outputs: names, plan }, { signal });
  let reference: OutputTensor[] | undefined;
  try {
    [reference] = await run(original);
  } catch (err) {
    // The source's own fault (it does not load or run either), said as such: not a transform bug.
    if (!(err instanceof StrataError) || err.code === 'RUN_CANCELLED') throw err;
    // Loaded but did not run: most often on dims Strata set to 1, which the sentence then names.
    if (['RUN_FAILED', 'BAD_INPUT', 'BAD_SHAPE', 'WORKER_CRASHED'].includes(err.code)) {
      const dims = describeDefaultedDims(defaulted, summary.inputs);
      throw new StrataError(
        err.code,
        `The model did not run on the inputs Strata made to check the ${what}, so none was written: ${err.message}${dims ? ` ${dims}` : ''}`,
        err.detail,
      );
    }
    throw new StrataError(
      err.code,
      `The model does not load in onnxruntime, so no ${what} was made of it: ${err.message}`,
      err.detail,
    );
  }
  let outputs: OutputTensor[] | undefined;
  try {
    [outputs] = await run(variant);
  } catch (err) {
    if (err instanceof StrataError && err.code === 'RUN_CANCELLED') throw err;
    throw new StrataError(
      'INTERNAL',
      `The ${what} Strata made does not run in onnxruntime: ${(err as Error).message} ${bug}`,
    );
  }
  const checks: OutputCheck[] = [];
  for (const name of names) {
    const ref = reference?.find((t) => t.name === name);
    const out = outputs?.find((t) => t.name === name);
    if (!out)
      throw new StrataError('INTERNAL', `The ${what} Strata made no longer produces the output "${name}". ${bug}`);
    const [a, b] = [ref && asFloats(ref), asFloats(out)];
    if (a && b) checks.push({ name, cosine: compareTensors(a, b, { name, baselineName: name }).cosine });
  }
  const minCosine = checks.reduce((m, c) => Math.min(m, Number.isNaN(c.cosine) ? 0 : c.cosine), 1);
  return { outputs: checks, minCosine };
}

/** Whether the user gave any input's values (a file, zeros, a number) rather than leaving all to the seeded generator. */
export function inputsGiven(plan: ProfilePlan): boolean {
  return Object.values(plan.inputs).some((s) => s.kind !== 'random');
}

/**
 * The fidelity line a command prints: "output cosine 0.9986 against the original on the given
 * inputs", and below FIDELITY_FLOOR, that it is below and what to try. `given` says the inputs came
 * from the user (--input), not from the seeded random generator, whose noise no model was trained on.
 */
export function fidelityLine(
  check: VariantCheck,
  given: boolean,
  advice = 'try static mode, or --exclude for the layers where the drift starts (strata compare shows it)',
): string {
  if (check.outputs.length === 0) return 'outputs are not float: no cosine to measure';
  const worst = check.outputs.reduce((w, c) => (c.cosine < w.cosine ? c : w));
  const on = given ? 'the inputs you gave (any others seeded random)' : 'seeded random inputs';
  const text = `output cosine ${worst.cosine.toFixed(4)}${check.outputs.length > 1 ? ` (lowest, ${worst.name})` : ''} against the original on ${on}`;
  if (check.minCosine >= FIDELITY_FLOOR) return text;
  return given
    ? `${text}: below ${FIDELITY_FLOOR}, so this variant does not keep the original's outputs; ${advice}`
    : `${text}: below ${FIDELITY_FLOOR} on random noise; measure on real data (--input NAME=FILE.npy, or strata compare with real inputs) before trusting or rejecting it`;
}
