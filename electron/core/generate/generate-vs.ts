/**
 * Two decoders profiled the `strata generate A --vs B` way, for the CLI and the app alike: B is read
 * first (a B that is not a decoder, or too short for the run, must not cost A's whole profile), A's
 * profile ends with A and B generating in alternating rounds, then B is profiled with the same
 * settings, and the two reports are compared, the speeds from the alternating rounds.
 */
import { resolve } from 'node:path';
import type { GenerateComparison } from '../../../shared/generate-compare.js';
import type { GenerateSettings } from '../../../shared/generate.js';
import type { ProfilePlan } from '../../../shared/plan.js';
import type { ProfileProgress } from '../../../shared/progress.js';
import { defaultModelCache } from '../model/open-model.js';
import { compareGenerateReports } from './generate-compare.js';
import { generateProfile, type GenerateOptions } from './run-generate.js';

/** How a caller follows and stops the pair's profiles. A draft is another run (a speculative pair). */
export type GenerateVsOptions = Omit<GenerateOptions, 'vsPath' | 'draftPath'>;

/** Profiles decoder `aPath` and decoder `bPath` with the same settings and compares B against A. */
export async function generateVsProfile(
  aPath: string,
  bPath: string,
  settings: GenerateSettings,
  plan: ProfilePlan,
  options: GenerateVsOptions = {},
): Promise<GenerateComparison> {
  const { vsLabel, onProgress, ...rest } = options;
  const models = options.models ?? defaultModelCache;
  const vsPath = resolve(bPath);
  // A's profile checks B (a decoder, the same vocabulary, long enough) before it runs anything.
  const a = await generateProfile(aPath, settings, plan, {
    ...rest,
    models,
    // A's profile ends with A and B in alternating rounds: the comparison's speeds.
    vsPath,
    vsLabel,
    onProgress: onProgress && ((p) => onProgress(pairProgress(p, 'A'))),
  });
  const b = await generateProfile(vsPath, settings, plan, {
    ...rest,
    models,
    onProgress: onProgress && ((p) => onProgress(pairProgress(p, 'B'))),
  });
  return compareGenerateReports(a, b);
}

/**
 * One decoder's progress as the pair's: one bar over both, A's profile (and the alternating rounds
 * it ends with) its first half, B's the second, the message led by which one runs.
 */
export function pairProgress(progress: ProfileProgress, which: 'A' | 'B'): ProfileProgress {
  const half = which === 'A' ? 0 : 1;
  return {
    ...progress,
    fraction: (half + progress.fraction) / 2,
    message: `${which}: ${progress.message}`,
    // One decoder's time left is not the pair's.
    etaMs: which === 'B' ? progress.etaMs : null,
  };
}
