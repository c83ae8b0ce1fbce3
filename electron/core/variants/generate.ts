/**
 * One place that turns a VariantSpec into a variant file: the app's settings grid and any other
 * caller that wants a labelled variant with a one-line account of what changed.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { VariantSpec } from '../../../shared/api.js';
import type { ProfilePlan } from '../../../shared/plan.js';
import { assertExternalDataPresent } from '../model/summary.js';
import { summarizeModelFile } from '../model/open-model.js';
import { calibrateActivations } from './calibrate.js';
import { convertToFp16 } from './fp16.js';
import { pruneModel } from './prune.js';
import { activationsToCalibrate, assertStaticQuantizable, quantizeModel } from './quantize.js';
import { FIDELITY_FLOOR, fidelityLine, inputsGiven, verifyVariant } from './verify.js';

/**
 * A short name for a spec that says what it does to the compute: "int8 dynamic per-channel symmetric"
 * (int8 compute), "int8 weight-only (float compute) per-tensor asymmetric", "fp16", "prune 50% 2:4".
 */
export function variantLabel(spec: VariantSpec): string {
  switch (spec.kind) {
    case 'quantize':
      return [
        spec.mode === 'weight-only' ? `${spec.weightType} weight-only (float compute)` : spec.weightType,
        spec.mode === 'weight-only' ? '' : spec.mode,
        spec.perChannel ? 'per-channel' : 'per-tensor',
        spec.symmetric ? 'symmetric' : 'asymmetric',
        spec.mode === 'static' ? (spec.calibrate ?? 'minmax') : '',
      ]
        .filter(Boolean)
        .join(' ');
    case 'fp16':
      return 'fp16';
    case 'prune':
      return `prune ${Math.round(spec.sparsity * 100)}% ${spec.pattern}`;
  }
}

/** Builds the variant of the model at `modelPath` that `spec` describes; it is known to load. */
export async function generateVariant(
  modelPath: string,
  spec: VariantSpec,
  plan: ProfilePlan,
  signal?: AbortSignal,
): Promise<{ bytes: Uint8Array; label: string; detail: string }> {
  return buildVariant(resolve(modelPath), spec, plan, signal);
}

async function buildVariant(
  path: string,
  spec: VariantSpec,
  plan: ProfilePlan,
  signal?: AbortSignal,
): Promise<{ bytes: Uint8Array; label: string; detail: string }> {
  // The same checks every command makes first: an ONNX file, external data beside it and present.
  const summary = await summarizeModelFile(path);
  assertExternalDataPresent(summary);
  const bytes = await readFile(path);
  const made = await transform(path, bytes, spec, plan, signal);
  // Loaded and run against the original before it is kept: a variant that does not load is an error.
  const check = await verifyVariant(path, summary, bytes, made.bytes, plan, `"${made.label}" variant`, signal);
  return check.minCosine >= FIDELITY_FLOOR
    ? made
    : { ...made, detail: `${made.detail}; ${fidelityLine(check, inputsGiven(plan))}` };
}

async function transform(
  path: string,
  bytes: Uint8Array,
  spec: VariantSpec,
  plan: ProfilePlan,
  signal?: AbortSignal,
): Promise<{ bytes: Uint8Array; label: string; detail: string }> {
  const dir = dirname(path);
  const label = variantLabel(spec);
  switch (spec.kind) {
    case 'quantize': {
      if (spec.mode === 'static') assertStaticQuantizable(bytes);
      const activationRanges =
        spec.mode === 'static'
          ? await calibrateActivations({
              modelPath: path,
              plan,
              tensors: activationsToCalibrate(bytes, {}),
              method: spec.calibrate ?? 'minmax',
              signal,
            })
          : undefined;
      const q = quantizeModel(bytes, { ...spec, activationRanges }, dir);
      return { bytes: q.bytes, label, detail: q.computeSummary };
    }
    case 'fp16': {
      const f = convertToFp16(bytes, {}, dir);
      return {
        bytes: f.bytes,
        label,
        detail: `${f.convertedTensors} tensors in float16, ${f.keptNodes.length} nodes kept in float32`,
      };
    }
    case 'prune': {
      const p = pruneModel(bytes, { sparsity: spec.sparsity, pattern: spec.pattern }, dir);
      return {
        bytes: p.bytes,
        label,
        detail: `${(p.achievedSparsity * 100).toFixed(1)}% of ${p.prunedWeights} weights zero; gzip ${p.originalCompressedBytes} → ${p.compressedBytes} bytes`,
      };
    }
  }
}
