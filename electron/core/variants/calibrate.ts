/**
 * Calibration for static quantization: run the float model on sample inputs, watch the activations
 * that will be quantized, and choose each one's range.
 *
 * - minmax: the observed min and max (no clipping; one outlier widens the whole range);
 * - percentile: the 0.01th and 99.99th percentiles (clips rare outliers);
 * - entropy: the symmetric threshold whose 128-level quantized histogram loses the least
 *   information (KL divergence) against the 2048-bin original, as TensorRT calibrates.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CalibrationMethod } from '../../../shared/api.js';
import { StrataError } from '../../../shared/errors.js';
import type { ProfilePlan } from '../../../shared/plan.js';
import { decodeModel, encodeModel } from '../model/onnx-proto.js';
import { summarizeModelFile } from '../model/open-model.js';
import { makeInputData, resolveInputs, type InputData } from '../runner/inputs.js';
import { readNpy } from '../runner/npy.js';
import { runTensorsJob } from '../runner/worker-client.js';

/** How activation ranges are chosen. */
export type { CalibrationMethod };

/** Options of `calibrateActivations`. */
export interface CalibrationOptions {
  readonly modelPath: string;
  readonly plan: ProfilePlan;
  readonly tensors: readonly string[];
  readonly method: CalibrationMethod;
  /** A number of seeded random samples (default 8), or a folder of .npy samples. */
  readonly samples?: string;
  readonly onProgress?: (message: string) => void;
  /** Stops the calibration worker (a cancelled comparison). */
  readonly signal?: AbortSignal;
}

const MAX_KEPT = 1 << 20; // values kept per tensor for percentiles and histograms

/** Ranges of `tensors` observed on the calibration samples. */
export async function calibrateActivations(
  options: CalibrationOptions,
): Promise<Map<string, { min: number; max: number }>> {
  const summary = await summarizeModelFile(options.modelPath);
  const { resolved, shapes } = resolveInputs(summary.inputs, options.plan);
  const inputSets = loadSamples(
    options,
    resolved,
    summary.inputs.map((i) => i.name),
  );
  const model = decodeModel(await readFile(options.modelPath));
  const inputNames = new Set(model.graph.inputs.map((i) => i.name));
  const extra = options.tensors.filter((t) => !inputNames.has(t) && !model.graph.outputs.some((o) => o.name === t));
  // Intermediate tensors become outputs; their types are left for onnxruntime to infer.
  for (const name of extra) model.graph.outputs.push({ name });
  options.onProgress?.(
    `calibrating ${options.tensors.length} activations on ${inputSets.length} samples (${options.method})`,
  );
  const wanted = options.tensors.filter((t) => !inputNames.has(t));
  const outputs = await runTensorsJob(
    {
      modelPath: options.modelPath,
      modelBytes: encodeModel(model),
      shapes,
      inputSets,
      outputs: wanted,
      plan: options.plan,
    },
    { signal: options.signal },
  );

  const observed = new Map<string, number[]>();
  const add = (name: string, data: ArrayLike<number>) => {
    const kept = observed.get(name) ?? [];
    const stride = Math.max(1, Math.ceil((data.length * inputSets.length) / MAX_KEPT));
    for (let i = 0; i < data.length; i += stride) kept.push(Number(data[i]));
    observed.set(name, kept);
  };
  for (const [s, set] of inputSets.entries()) {
    for (const input of set) if (options.tensors.includes(input.name)) add(input.name, input.data as ArrayLike<number>);
    for (const out of outputs[s] ?? []) add(out.name, out.data as ArrayLike<number>);
  }
  const ranges = new Map<string, { min: number; max: number }>();
  for (const [name, values] of observed) ranges.set(name, chooseRange(values, options.method));
  return ranges;
}

function loadSamples(
  options: CalibrationOptions,
  resolved: ReturnType<typeof resolveInputs>['resolved'],
  names: string[],
): InputData[][] {
  const spec = options.samples ?? '8';
  if (/^\d+$/.test(spec)) {
    const n = Number(spec);
    if (n < 1) throw new StrataError('BAD_ARGUMENT', '--calibration-inputs must be at least 1.');
    return Array.from({ length: n }, (_, i) => makeInputData(resolved, options.plan.inputs, options.plan.seed + i));
  }
  const dir = spec;
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    throw new StrataError('BAD_ARGUMENT', `--calibration-inputs "${dir}" is neither a number nor a folder.`);
  }
  // One .npy per sample for a single-input model; otherwise one folder per sample holding NAME.npy.
  const samples = entries.filter((e) =>
    names.length === 1 ? e.endsWith('.npy') : statSync(join(dir, e)).isDirectory(),
  );
  if (samples.length === 0) {
    throw new StrataError(
      'BAD_ARGUMENT',
      `--calibration-inputs "${dir}" holds no samples: put ${names.length === 1 ? '.npy files' : `one folder per sample with ${names.map((n) => `${n}.npy`).join(', ')}`} in it.`,
    );
  }
  return samples.map((sample) =>
    resolved.map((input) => {
      const file = names.length === 1 ? join(dir, sample) : join(dir, sample, `${input.name}.npy`);
      const { data, dims, type } = readNpy(readFileSync(file));
      return { name: input.name, type, dims, data };
    }),
  );
}

/** The range of `values` by `method`. */
export function chooseRange(values: number[], method: CalibrationMethod): { min: number; max: number } {
  if (values.length === 0) return { min: 0, max: 0 };
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (method === 'minmax') return { min, max };
  if (method === 'percentile') {
    const sorted = Float64Array.from(values).sort();
    const at = (p: number) =>
      sorted[Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))))]!;
    return { min: at(0.01), max: at(99.99) };
  }
  const threshold = entropyThreshold(values, Math.max(Math.abs(min), Math.abs(max)));
  return { min: min >= 0 ? 0 : Math.max(min, -threshold), max: Math.min(max, threshold) };
}

/** The |x| threshold minimising KL(P‖Q) between the clipped histogram and its 128-level quantization. */
export function entropyThreshold(values: readonly number[], absMax: number, bins = 2048, levels = 128): number {
  if (absMax === 0) return 0;
  const hist = new Float64Array(bins);
  for (const v of values) hist[Math.min(bins - 1, Math.floor((Math.abs(v) / absMax) * bins))]!++;
  let best = bins;
  let bestKl = Infinity;
  for (let i = levels; i <= bins; i++) {
    const p = hist.slice(0, i);
    let outliers = 0;
    for (let j = i; j < bins; j++) outliers += hist[j]!;
    p[i - 1]! += outliers;
    // Q: p merged into `levels` groups, each group's mass spread over its non-empty bins.
    const q = new Float64Array(i);
    const per = i / levels;
    for (let l = 0; l < levels; l++) {
      const start = Math.floor(l * per);
      const end = Math.max(start + 1, Math.floor((l + 1) * per));
      let mass = 0;
      let nonEmpty = 0;
      for (let j = start; j < end; j++) {
        mass += hist[j]!;
        if (hist[j]! > 0) nonEmpty++;
      }
      for (let j = start; j < end; j++) if (hist[j]! > 0) q[j] = mass / nonEmpty;
    }
    const pSum = p.reduce((a, b) => a + b, 0);
    const qSum = q.reduce((a, b) => a + b, 0);
    let kl = 0;
    for (let j = 0; j < i; j++) {
      if (p[j]! === 0) continue;
      const pj = p[j]! / pSum;
      const qj = q[j]! / qSum;
      kl += qj > 0 ? pj * Math.log(pj / qj) : pj * 20; // a bin Q cannot represent costs heavily
    }
    if (kl < bestKl) {
      bestKl = kl;
      best = i;
    }
  }
  return ((best + 0.5) / bins) * absMax;
}
