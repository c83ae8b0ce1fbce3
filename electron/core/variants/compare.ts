/**
 * Compares models run the same way on the same data: every model is profiled with one plan and fed
 * the baseline's exact input bytes (written once as .npy files), then their outputs are compared,
 * and for variants that keep the baseline's tensor names, the error is traced layer by layer.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  COMPARISON_SCHEMA_VERSION,
  type CompareStage,
  type ComparedModel,
  type Comparison,
  type OutputFidelity,
  type TensorDrift,
} from '../../../shared/compare.js';
import type { ModelSummary } from '../../../shared/model.js';
import type { InputSource, ProfilePlan } from '../../../shared/plan.js';
import type { ProfileProgress } from '../../../shared/progress.js';
import type { Report } from '../../../shared/report.js';
import { decodeModel, encodeModel } from '../model/onnx-proto.js';
import { assertExternalDataPresent, summarizeModelFile } from '../model/summary.js';
import { float16ToFloat32 } from '../model/tensor-data.js';
import { formatBytes } from '../../../shared/format.js';
import { profileModel } from '../profile/profiler.js';
import { makeInputData, resolveInputs, type InputData } from '../runner/inputs.js';
import { writeNpy } from '../runner/npy.js';
import type { OutputTensor } from '../runner/protocol.js';
import { runTensorsJob } from '../runner/worker-client.js';
import { computeChangeOf, readModelOrigins, variantDiagnostics } from './compute-change.js';
import { timeInterleaved } from './interleaved-timing.js';
import { compareTensors, looksLikeClassScores } from './fidelity.js';
import { matchLayers, matchTensors } from './matching.js';
import { ownedTempDir } from '../temp-owner.js';

/** Options of `compareModels`. */
export interface CompareOptions {
  readonly labels?: readonly string[];
  /** Trace the error through intermediate tensors (default true). */
  readonly drift?: boolean;
  /** `stage` is 'profile' while model `model` is profiled, then 'outputs' while its tensors are read. */
  readonly onProgress?: (model: number, progress: ProfileProgress, stage: CompareStage) => void;
  readonly signal?: AbortSignal;
  /** Changes within ± this fraction are never called faster or slower (default 2%). */
  readonly noiseThreshold?: number;
}

const MAX_DRIFT_TENSORS = 300;

/** Compares `paths[0]` (the baseline) with each other model. */
export async function compareModels(paths: readonly string[], plan: ProfilePlan, options: CompareOptions = {}): Promise<{ comparison: Comparison; reports: Report[] }> {
  const absolute = paths.map((p) => resolve(p));
  const summaries = await Promise.all(absolute.map((p) => summarizeModelFile(p)));
  summaries.forEach(assertExternalDataPresent);
  const baseline = summaries[0]!;
  const labels = absolute.map((p, i) => options.labels?.[i] ?? (i === 0 ? `baseline (${basename(p)})` : basename(p)));
  const inputMatches = summaries.map((s, i) => (i === 0 ? s.inputs.map((t) => ({ name: t.name, baselineName: t.name, how: 'name' as const })) : matchTensors(baseline.inputs, s.inputs, 'input', labels[i]!)));

  // The baseline's inputs, made once and handed to every model as files: same bytes for all.
  const { resolved } = resolveInputs(baseline.inputs, plan);
  const data = makeInputData(resolved, plan.inputs, plan.seed);
  // Owned: a parent killed at any point of the comparison leaves no input files behind.
  const tempDir = await ownedTempDir('strata-compare-');
  const dir = tempDir.path;
  try {
    const files = new Map<string, string>();
    for (const input of data) {
      const file = join(dir, `${input.name.replace(/[^\w.-]/g, '_')}.npy`);
      await writeFile(file, writeNpy(input.data, input.dims, input.type));
      files.set(input.name, file);
    }
    const planFor = (i: number): ProfilePlan => {
      const shapes: Record<string, number[]> = {};
      const inputs: Record<string, InputSource> = {};
      for (const m of inputMatches[i]!) {
        const base = resolved.find((r) => r.name === m.baselineName)!;
        shapes[m.name] = [...base.shape];
        inputs[m.name] = { kind: 'file', path: files.get(m.baselineName)! };
      }
      return { ...plan, shapes, dims: {}, inputs };
    };
    const feedsFor = (i: number): InputData[] =>
      inputMatches[i]!.map((m) => ({ ...data.find((d) => d.name === m.baselineName)!, name: m.name }));

    const reports: Report[] = [];
    for (const [i, path] of absolute.entries()) {
      reports.push(await profileModel(path, planFor(i), { summary: summaries[i], signal: options.signal, onProgress: (p) => options.onProgress?.(i, p, 'profile') }));
    }

    // Latency: every model in interleaved shuffled rounds on the same input bytes.
    const interleaved = absolute.map((path, i) => ({ modelPath: path, shapes: resolveInputs(summaries[i]!.inputs, planFor(i)).shapes, inputs: feedsFor(i) }));
    const timing = await timeInterleaved(interleaved, plan, {
      peakRssBytes: reports.map((r) => r.memory.peakRssBytes),
      noiseThreshold: options.noiseThreshold,
      signal: options.signal,
      onProgress: (model, p) => options.onProgress?.(model, p, 'timing'),
    });

    // Outputs, and intermediate tensors both models name alike, on the same inputs.
    const driftNames = options.drift === false ? [] : await sharedTensorNames(absolute);
    const outputsOf: OutputTensor[][] = [];
    let bytesRead = 0;
    let bytesExpected: number | null = null; // once the baseline's are read: about as many per model
    for (const [i, path] of absolute.entries()) {
      const own = summaries[i]!.outputs.map((o) => o.name);
      const extra = (i === 0 ? driftNames.flatMap((d) => d.tensors) : driftNames.map((d) => d.tensors[i - 1] ?? '')).filter(Boolean);
      const names = [...own, ...new Set(extra)];
      const amount = bytesExpected === null ? '' : `: ${formatBytes(bytesRead)} of about ${formatBytes(bytesExpected)} read`;
      options.onProgress?.(
        i,
        { phase: 'analysing', done: bytesRead, total: bytesExpected ?? 0, message: `reading ${names.length} tensors of ${labels[i]} (model ${i + 1} of ${absolute.length})${amount}`, fraction: i / absolute.length, etaMs: null },
        'outputs',
      );
      const tensors = await tensorsOf(path, names, planFor(i), feedsFor(i), options.signal);
      const bytes = tensors.reduce((sum, t) => sum + t.data.byteLength, 0);
      bytesRead += bytes;
      if (i === 0) bytesExpected = bytes * absolute.length;
      outputsOf.push(tensors);
    }

    const models: ComparedModel[] = summaries.map((s, i) => ({
      path: s.path,
      fileName: s.fileName,
      label: labels[i]!,
      bytes: s.bytes + s.externalDataBytes,
      parameterCount: s.parameterCount,
      ...timing.perModel[i]!,
      memory: { peakRssBytes: reports[i]!.memory.peakRssBytes, arenaPeakBytes: reports[i]!.memory.arenaPeakBytes },
      inputMatch: inputMatches[i]!.map((m) => ({ input: m.name, baselineInput: m.baselineName, how: m.how })),
      reportIndex: i,
      ...(i === 0 ? {} : { fidelity: fidelityOf(baseline, s, labels[i]!, outputsOf[0]!, outputsOf[i]!, driftNames, i) }),
    }));
    // Lineage first: a quantized Conv's DynamicQuantizeLinear and rescale Mul are summed against the original Conv.
    const origins = await readModelOrigins(absolute);
    const { layers, unmatched, matchRates } = matchLayers(reports.map((r) => r.layers), origins.resolvers);
    const insight = (i: number): Partial<ComparedModel> => {
      if (i === 0) return reports[0]!.diagnostics ? { diagnostics: reports[0]!.diagnostics } : {};
      const compute = computeChangeOf(layers, i, reports[i]!, origins);
      return { ...(compute ? { compute } : {}), diagnostics: variantDiagnostics(layers, i, reports[i]!, reports[0]!, origins) };
    };
    const comparison: Comparison = {
      schemaVersion: COMPARISON_SCHEMA_VERSION,
      createdAt: new Date().toISOString(),
      plan,
      inputs: reports[0]!.settings.inputs,
      models: models.map((m, i) => ({ ...m, ...insight(i) })),
      layers,
      unmatched,
      matchRates,
      notes: [...new Set(reports.flatMap((r) => r.notes))],
      timing: timing.summary,
    };
    return { comparison, reports };
  } finally {
    await tempDir.remove();
  }
}

async function tensorsOf(path: string, names: string[], plan: ProfilePlan, feeds: InputData[], signal?: AbortSignal): Promise<OutputTensor[]> {
  const model = decodeModel(await readFile(path));
  const declared = new Set(model.graph.outputs.map((o) => o.name));
  for (const name of names) if (!declared.has(name)) model.graph.outputs.push({ name });
  const shapes = Object.fromEntries(feeds.map((f) => [f.name, [...f.dims]]));
  const [outputs] = await runTensorsJob({ modelPath: path, modelBytes: encodeModel(model), shapes, inputSets: [feeds], outputs: names, plan }, { signal });
  return outputs ?? [];
}

// Tensors produced by a top-level node of the baseline that some variant also produces, in the
// baseline's execution order: `tensors[v]` is the name in variant v+1, or '' where that variant has
// no such tensor (a distilled model shares few names; it must not shrink the others' traces).
// Capped to keep memory bounded on big models.
async function sharedTensorNames(paths: readonly string[]): Promise<{ producer: string; tensors: string[] }[]> {
  const models = await Promise.all(paths.map(async (p) => decodeModel(await readFile(p))));
  const [base, ...variants] = models;
  const produced = variants.map((m) => new Set(m.graph.nodes.flatMap((n) => n.outputs)));
  const inits = new Set(base!.graph.initializers.map((t) => t.name));
  const out: { producer: string; tensors: string[] }[] = [];
  for (const node of base!.graph.nodes) {
    if (node.opType === 'Constant') continue;
    const tensor = node.outputs[0];
    if (!tensor || inits.has(tensor) || !produced.some((set) => set.has(tensor))) continue;
    out.push({ producer: node.name, tensors: produced.map((set) => (set.has(tensor) ? tensor : '')) });
    if (out.length >= MAX_DRIFT_TENSORS) break;
  }
  return out;
}

function asFloats(t: OutputTensor): ArrayLike<number> {
  if (t.type === 'float16') return Array.from(t.data as Uint16Array, float16ToFloat32);
  if (t.data instanceof BigInt64Array) return Array.from(t.data, Number);
  return t.data as ArrayLike<number>;
}

function fidelityOf(
  baseline: ModelSummary,
  variant: ModelSummary,
  label: string,
  baseOut: OutputTensor[],
  varOut: OutputTensor[],
  drift: { producer: string; tensors: string[] }[],
  index: number,
): { outputs: OutputFidelity[]; drift: TensorDrift[] } {
  const outputs = matchTensors(baseline.outputs, variant.outputs, 'output', label).map((m) => {
    const ref = baseOut.find((t) => t.name === m.baselineName);
    const out = varOut.find((t) => t.name === m.name);
    if (!ref || !out) return { name: m.name, baselineName: m.baselineName, cosine: NaN, maxAbsErr: NaN, meanAbsErr: NaN, snrDb: NaN };
    const rowLength = looksLikeClassScores(ref.dims, ref.name, asFloats(ref)) ? ref.dims[ref.dims.length - 1] : undefined;
    return compareTensors(asFloats(ref), asFloats(out), { name: m.name, baselineName: m.baselineName }, rowLength);
  });
  const driftRows: TensorDrift[] = [];
  for (const d of drift) {
    const name = d.tensors[index - 1];
    if (!name) continue;
    const ref = baseOut.find((t) => t.name === name);
    const out = varOut.find((t) => t.name === name);
    if (!ref || !out || ref.data.length !== out.data.length || ref.type === 'bool' || ref.type === 'int64') continue;
    const f = compareTensors(asFloats(ref), asFloats(out), { name, baselineName: name });
    driftRows.push({ tensor: name, producer: d.producer, cosine: f.cosine, maxAbsErr: f.maxAbsErr, snrDb: f.snrDb });
  }
  return { outputs, drift: driftRows };
}
