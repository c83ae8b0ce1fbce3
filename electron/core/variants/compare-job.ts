/**
 * A whole comparison as one job: make the variant files the user ticked (model k of n), then
 * compare them with the baseline and any models brought in. One signal stops all of it at once:
 * the generation between variants (and its calibration worker), every profiling, timing and
 * tensor worker; the job's temporary folder goes with it. Progress covers the whole job, with one
 * ETA for all of it.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { GeneratedVariant, VariantSpec } from '../../../shared/api.js';
import type { CompareStage, Comparison } from '../../../shared/compare.js';
import type { ProfilePlan } from '../../../shared/plan.js';
import type { ProfileProgress } from '../../../shared/progress.js';
import { throwIfCancelled } from '../jobs.js';
import { compareModels } from './compare.js';
import { generateVariant } from './generate.js';
import { writeOutputFile } from '../report/write-exports.js';
import { ownTempPath, removeOwned } from '../temp-owner.js';

/** What to compare: variants of `paths[0]` to make, inserted after it, and the models given. */
export interface ComparisonJobRequest {
  readonly paths: readonly string[];
  readonly labels?: readonly string[];
  readonly variants?: readonly VariantSpec[];
  readonly plan: ProfilePlan;
}

/** One progress event of a comparison job: the stage's own progress and the whole job's. */
export interface ComparisonJobProgress {
  readonly stage: CompareStage;
  readonly model: number;
  readonly models: number;
  readonly progress: ProfileProgress;
  readonly job: { readonly fraction: number; readonly etaMs: number | null };
}

/** The job's product; `variantDir` holds the generated files (the caller removes it when done with them). */
export interface ComparisonJobResult {
  readonly comparison: Comparison;
  readonly generated: GeneratedVariant[];
  readonly variantDir: string | null;
}

// Shares of the whole job's bar: profiling every model is most of it.
const SPAN: Record<CompareStage, [number, number]> = {
  generating: [0, 0.15],
  profile: [0.15, 0.7],
  timing: [0.7, 0.9],
  outputs: [0.9, 1],
};

/** Runs a comparison job. Rejects with RUN_CANCELLED when `signal` aborts, having removed its files. */
export async function runComparisonJob(
  request: ComparisonJobRequest,
  options: { signal?: AbortSignal; onProgress?: (p: ComparisonJobProgress) => void } = {},
): Promise<ComparisonJobResult> {
  const { signal, onProgress } = options;
  const specs = request.variants ?? [];
  const models = request.paths.length + specs.length;
  const started = performance.now();
  const span = (stage: CompareStage): [number, number] =>
    specs.length
      ? SPAN[stage]
      : [stage === 'generating' ? 0 : (SPAN[stage][0] - 0.15) / 0.85, (SPAN[stage][1] - 0.15) / 0.85];
  const emit = (stage: CompareStage, model: number, progress: ProfileProgress, within: number) => {
    const [from, to] = span(stage);
    const fraction = Math.min(0.995, from + (to - from) * Math.max(0, Math.min(1, within)));
    const elapsed = performance.now() - started;
    // The whole job's time left from its pace so far, once there is a pace to go by.
    const etaMs = fraction >= 0.03 && elapsed > 1000 ? (elapsed / fraction) * (1 - fraction) : null;
    onProgress?.({ stage, model, models, progress, job: { fraction, etaMs } });
  };

  let variantDir: string | null = null;
  const generated: GeneratedVariant[] = [];
  try {
    if (specs.length) {
      variantDir = await mkdtemp(join(tmpdir(), 'strata-variants-'));
      ownTempPath(variantDir); // the caller removes it (removeOwned) once done with the files
      const stem = basename(request.paths[0]!).replace(/\.onnx$/i, '');
      for (const [k, spec] of specs.entries()) {
        throwIfCancelled(signal, 'The comparison');
        const message = `Generating variant ${k + 1} of ${specs.length}`;
        emit(
          'generating',
          k,
          { phase: 'reading', done: k, total: specs.length, message, fraction: k / specs.length, etaMs: null },
          k / specs.length,
        );
        const variant = await generateVariant(request.paths[0]!, spec, request.plan, signal);
        throwIfCancelled(signal, 'The comparison');
        const path = join(variantDir, `${stem}.${k + 1}.${variant.label.replace(/[^\w.-]+/g, '-')}.onnx`);
        await writeOutputFile(path, variant.bytes); // a full temp disk says so
        generated.push({ spec, label: variant.label, path, bytes: variant.bytes.length, detail: variant.detail });
      }
    }
    const [baseline, ...others] = request.paths;
    const labels = request.labels ?? [];
    const { comparison } = await compareModels([baseline!, ...generated.map((g) => g.path), ...others], request.plan, {
      labels: [
        labels[0] ?? `baseline (${basename(baseline!)})`,
        ...generated.map((g) => g.label),
        ...others.map((p, i) => labels[i + 1] ?? basename(p)),
      ],
      signal,
      onProgress: (model, progress, stage) => {
        const within = stage === 'profile' ? (model + progress.fraction) / models : progress.fraction;
        emit(stage, model, progress, within);
      },
    });
    throwIfCancelled(signal, 'The comparison');
    return { comparison, generated, variantDir };
  } catch (err) {
    if (variantDir) await removeOwned(variantDir);
    throw err;
  }
}
