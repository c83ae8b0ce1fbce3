/**
 * Matching a model's inputs or outputs to a baseline's: by name first, then the remaining ones by
 * position when their rank and fixed dims agree. Shared so the UI refuses a model whose inputs do
 * not fit as it is brought into a comparison, with the engine's own words.
 */
import { StrataError } from './errors.js';
import type { TensorInfo } from './model.js';

/** One tensor of a variant matched to one of the baseline. */
export interface TensorMatch {
  readonly name: string; // the variant's
  readonly baselineName: string;
  readonly how: 'name' | 'position';
}

/**
 * Matches the variant's tensors (inputs or outputs) to the baseline's: by name first, then the
 * remaining ones by position when their rank and fixed dims agree. Throws BAD_INPUT explaining the
 * first tensor that cannot be matched.
 */
export function matchTensors(
  baseline: readonly TensorInfo[],
  variant: readonly TensorInfo[],
  what: 'input' | 'output',
  variantLabel: string,
): TensorMatch[] {
  const matches: TensorMatch[] = [];
  const unmatchedBase = baseline.filter((b) => !variant.some((v) => v.name === b.name));
  for (const [i, v] of variant.entries()) {
    if (baseline.some((b) => b.name === v.name)) {
      matches.push({ name: v.name, baselineName: v.name, how: 'name' });
      continue;
    }
    const byPosition = baseline[i];
    const candidate = byPosition && unmatchedBase.includes(byPosition) ? byPosition : unmatchedBase[0];
    if (!candidate || !compatible(candidate, v)) {
      throw new StrataError(
        'BAD_INPUT',
        `${variantLabel}'s ${what} "${v.name}" (${describe(v)}) matches no baseline ${what} by name, ` +
          (candidate
            ? `nor "${candidate.name}" (${describe(candidate)}) by position and shape. `
            : 'and none is left to match by position. ') +
          `Models in a comparison must take the same ${what}s.`,
      );
    }
    unmatchedBase.splice(unmatchedBase.indexOf(candidate), 1);
    matches.push({ name: v.name, baselineName: candidate.name, how: 'position' });
  }
  if (what === 'input' && unmatchedBase.length > 0) {
    throw new StrataError(
      'BAD_INPUT',
      `${variantLabel} lacks the baseline's input${unmatchedBase.length > 1 ? 's' : ''} ${unmatchedBase.map((b) => `"${b.name}"`).join(', ')}. ` +
        'Models in a comparison must take the same inputs.',
    );
  }
  return matches;
}

function compatible(a: TensorInfo, b: TensorInfo): boolean {
  if (a.elementType !== b.elementType) return false;
  if (!a.dims || !b.dims) return true;
  if (a.dims.length !== b.dims.length) return false;
  return a.dims.every((d, i) => typeof d !== 'number' || typeof b.dims![i] !== 'number' || d === b.dims![i]);
}

function describe(t: TensorInfo): string {
  return `${t.elementType}[${t.dims ? t.dims.map((d) => d ?? '?').join(', ') : '?'}]`;
}

/** Why `variant` cannot be compared with `baseline` (its inputs do not match), or null when it can. */
export function inputMismatch(
  baseline: readonly TensorInfo[],
  variant: readonly TensorInfo[],
  variantLabel: string,
): string | null {
  try {
    matchTensors(baseline, variant, 'input', variantLabel);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
