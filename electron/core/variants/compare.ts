/**
 * Compares models run the same way on the same data: every model is profiled with one plan and fed
 * the baseline's exact input bytes (written once as .npy files), then their outputs are compared,
 * and for variants that keep the baseline's tensor names, the error is traced layer by layer.
 */
import { writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  COMPARISON_SCHEMA_VERSION,
  type CompareStage,
  type ComparedModel,
  type Comparison,
  type TensorDrift,
} from '../../../shared/compare.js';
import type { ModelSummary } from '../../../shared/model.js';
import type { InputSource, ProfilePlan } from '../../../shared/plan.js';
import type { ProfileProgress } from '../../../shared/progress.js';
import type { Report } from '../../../shared/report.js';
import { assertExternalDataPresent } from '../model/summary.js';
import { defaultModelCache, summarizeModelFile } from '../model/open-model.js';
import { formatBytes } from '../../../shared/format.js';
import { profileModel } from '../profile/profiler.js';
import { makeInputData, resolveInputs, type InputData } from '../runner/inputs.js';
import { writeNpy } from '../runner/npy.js';
import type { FidelityPair, SavedTensor } from '../runner/protocol.js';
import { runFidelityJob } from '../runner/worker-client.js';
import { computeChangeOf, readModelOrigins, variantDiagnostics } from './compute-change.js';
import { timeInterleaved } from './interleaved-timing.js';
import { matchTensors } from '../../../shared/tensor-match.js';
import { matchLayers } from './matching.js';
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
export async function compareModels(
  paths: readonly string[],
  plan: ProfilePlan,
  options: CompareOptions = {},
): Promise<{ comparison: Comparison; reports: Report[] }> {
  const absolute = paths.map((p) => resolve(p));
  const summaries = await Promise.all(absolute.map((p) => summarizeModelFile(p)));
  summaries.forEach(assertExternalDataPresent);
  const baseline = summaries[0]!;
  const labels = absolute.map((p, i) => options.labels?.[i] ?? (i === 0 ? `baseline (${basename(p)})` : basename(p)));
  const inputMatches = summaries.map((s, i) =>
    i === 0
      ? s.inputs.map((t) => ({ name: t.name, baselineName: t.name, how: 'name' as const }))
      : matchTensors(baseline.inputs, s.inputs, 'input', labels[i]!),
  );

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
      reports.push(
        await profileModel(path, planFor(i), {
          summary: summaries[i],
          signal: options.signal,
          onProgress: (p) => options.onProgress?.(i, p, 'profile'),
        }),
      );
    }

    // Latency: every model in interleaved shuffled rounds on the same input bytes.
    const interleaved = absolute.map((path, i) => ({
      modelPath: path,
      shapes: resolveInputs(summaries[i]!.inputs, planFor(i)).shapes,
      inputs: feedsFor(i),
    }));
    const timing = await timeInterleaved(interleaved, plan, {
      peakRssBytes: reports.map((r) => r.memory.peakRssBytes),
      noiseThreshold: options.noiseThreshold,
      signal: options.signal,
      onProgress: (model, p) => options.onProgress?.(model, p, 'timing'),
    });

    // Outputs, and intermediate tensors both models name alike, on the same inputs: the baseline's
    // saved to files by its worker, each variant's compared with them in its own worker, so the
    // tensors (gigabytes for a segmentation net's intermediates) never reach this process.
    const driftNames = options.drift === false ? [] : await sharedTensorNames(absolute);
    const fidelity = await compareOutputs({
      paths: absolute,
      summaries,
      labels,
      driftNames,
      planFor,
      feedsFor,
      dir,
      options,
    });

    const models: ComparedModel[] = summaries.map((s, i) => ({
      path: s.path,
      fileName: s.fileName,
      label: labels[i]!,
      bytes: s.bytes + s.externalDataBytes,
      parameterCount: s.parameterCount,
      ...timing.perModel[i]!,
      memory: { peakRssBytes: reports[i]!.memory.peakRssBytes, arenaPeakBytes: reports[i]!.memory.arenaPeakBytes },
      inputMatch: inputMatches[i]!.map((m) => ({ input: m.name, baselineInput: m.baselineName, how: m.how })),
      ...(i === 0 ? {} : { fidelity: fidelity[i - 1]! }),
    }));
    // Lineage first: a quantized Conv's DynamicQuantizeLinear and rescale Mul are summed against the original Conv.
    const origins = await readModelOrigins(absolute);
    const { layers, unmatched, matchRates } = matchLayers(
      reports.map((r) => r.layers),
      origins.resolvers,
    );
    const insight = (i: number): Partial<ComparedModel> => {
      if (i === 0) return reports[0]!.diagnostics ? { diagnostics: reports[0]!.diagnostics } : {};
      const compute = computeChangeOf(layers, i, reports[i]!, origins);
      const p50 = { variantMs: timing.perModel[i]!.latency.p50Ms, baselineMs: timing.perModel[0]!.latency.p50Ms };
      return {
        ...(compute ? { compute } : {}),
        diagnostics: variantDiagnostics(layers, i, reports[i]!, reports[0]!, origins, p50),
      };
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

// Tensors produced by a top-level node of the baseline that some variant also produces, in the
// baseline's execution order: `tensors[v]` is the name in variant v+1, or '' where that variant has
// no such tensor (a distilled model shares few names; it must not shrink the others' traces).
// Capped to keep memory bounded on big models.
async function sharedTensorNames(paths: readonly string[]): Promise<{ producer: string; tensors: string[] }[]> {
  // Names only: the open models' structure (weights unread), not the files decoded whole.
  const models = await Promise.all(paths.map(async (p) => (await defaultModelCache.open(resolve(p))).model));
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

interface OutputsJob {
  readonly paths: readonly string[];
  readonly summaries: readonly ModelSummary[];
  readonly labels: readonly string[];
  readonly driftNames: readonly { producer: string; tensors: string[] }[];
  readonly planFor: (i: number) => ProfilePlan;
  readonly feedsFor: (i: number) => InputData[];
  readonly dir: string; // where the baseline's tensors are saved
  readonly options: CompareOptions;
}

type Fidelity = NonNullable<ComparedModel['fidelity']>;

// The fidelity of every variant (index i-1 for model i) against the baseline.
async function compareOutputs(job: OutputsJob): Promise<Fidelity[]> {
  const { paths, summaries, labels, driftNames, options } = job;
  const baseline = summaries[0]!;
  const tell = (i: number, message: string, done: number, total: number) =>
    options.onProgress?.(
      i,
      {
        phase: 'analysing',
        done,
        total,
        message,
        fraction: (i + (total ? done / total : 0)) / paths.length,
        etaMs: null,
      },
      'outputs',
    );

  const baseNames = [
    ...new Set([...baseline.outputs.map((o) => o.name), ...driftNames.flatMap((d) => d.tensors).filter(Boolean)]),
  ];
  tell(0, `saving ${baseNames.length} tensors of ${labels[0]} (model 1 of ${paths.length})`, 0, baseNames.length);
  const { saved } = await runFidelityJob(
    {
      ...(await withOutputs(paths[0]!, baseNames)),
      shapes: shapesOf(job.feedsFor(0)),
      inputs: job.feedsFor(0),
      plan: job.planFor(0),
      save: { names: baseNames, dir: job.dir },
    },
    {
      signal: options.signal,
      onStep: (done, total) =>
        tell(
          0,
          `saving ${total} tensors of ${labels[0]} (model 1 of ${paths.length}): ${done} of ${total}`,
          done,
          total,
        ),
    },
  );
  const reference = new Map(saved.filter((t): t is SavedTensor => t !== null).map((t) => [t.name, t]));

  const out: Fidelity[] = [];
  for (let i = 1; i < paths.length; i++) {
    const outputs = matchTensors(baseline.outputs, summaries[i]!.outputs, 'output', labels[i]!);
    const drift = driftNames.filter((d) => d.tensors[i - 1] && reference.has(d.tensors[i - 1]!));
    const pairs: FidelityPair[] = [
      ...outputs
        .filter((m) => reference.has(m.baselineName))
        .map((m) => ({ name: m.name, reference: reference.get(m.baselineName)!, strict: false })),
      ...drift.map((d) => ({ name: d.tensors[i - 1]!, reference: reference.get(d.tensors[i - 1]!)!, strict: true })),
    ];
    // Progress in bytes: what the pairs' reference tensors hold, summed as they are compared.
    const cumulative: number[] = [];
    for (const p of pairs) cumulative.push((cumulative.at(-1) ?? 0) + p.reference.bytes);
    const totalBytes = cumulative.at(-1) ?? 0;
    const what = `comparing ${pairs.length} tensors of ${labels[i]} (model ${i + 1} of ${paths.length})`;
    tell(i, `${what}: ${formatBytes(0)} of ${formatBytes(totalBytes)}`, 0, totalBytes);
    const { metrics } = await runFidelityJob(
      {
        ...(await withOutputs(
          paths[i]!,
          pairs.map((p) => p.name),
        )),
        shapes: shapesOf(job.feedsFor(i)),
        inputs: job.feedsFor(i),
        plan: job.planFor(i),
        compare: pairs,
      },
      {
        signal: options.signal,
        onStep: (done) =>
          tell(
            i,
            `${what}: ${formatBytes(cumulative[done - 1] ?? 0)} of ${formatBytes(totalBytes)}`,
            cumulative[done - 1] ?? 0,
            totalBytes,
          ),
      },
    );
    const metricOf = new Map(pairs.map((p, k) => [`${p.strict ? 'd' : 'o'}:${p.name}`, metrics[k] ?? null]));
    out.push({
      outputs: outputs.map((m) => {
        const f = metricOf.get(`o:${m.name}`);
        return {
          name: m.name,
          baselineName: m.baselineName,
          ...(f ?? { cosine: NaN, maxAbsErr: NaN, meanAbsErr: NaN, snrDb: NaN }),
        };
      }),
      drift: drift.flatMap((d): TensorDrift[] => {
        const f = metricOf.get(`d:${d.tensors[i - 1]}`);
        return f
          ? [
              {
                tensor: d.tensors[i - 1]!,
                producer: d.producer,
                cosine: f.cosine,
                maxAbsErr: f.maxAbsErr,
                snrDb: f.snrDb,
              },
            ]
          : [];
      }),
    });
  }
  return out;
}

// The model with `names` made graph outputs, so a session returns them: the worker appends them to
// the file's bytes (the parent never holds the model; a 256 MiB pair took it past 1 GiB).
async function withOutputs(
  path: string,
  names: readonly string[],
): Promise<{ modelPath: string; extraOutputs: readonly string[] }> {
  const model = (await defaultModelCache.open(resolve(path))).model;
  const declared = new Set(model.graph.outputs.map((o) => o.name));
  return { modelPath: path, extraOutputs: names.filter((name) => !declared.has(name)) };
}

function shapesOf(feeds: readonly InputData[]): Record<string, number[]> {
  return Object.fromEntries(feeds.map((f) => [f.name, [...f.dims]]));
}
