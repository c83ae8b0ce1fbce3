/** The values a new model's run settings start from. */
import type { TensorInfo } from '../../shared/model.js';

/**
 * The symbolic dims that start at 1: batch dims (named so, or only ever first in an input of rank 2
 * or more). Any other (a sequence, a sample count, an image side) is left for the user to set
 * before Run: 1 is rarely a size such a dim can take.
 */
export function batchDims(inputs: readonly TensorInfo[]): Record<string, number> {
  const seen = new Map<string, boolean>(); // symbol -> batch-like everywhere it appears
  for (const input of inputs) {
    (input.dims ?? []).forEach((d, i) => {
      if (typeof d !== 'string') return;
      const batchLike =
        /^(batch(_?size)?|n|bs|b|N)$/i.test(d) || /batch/i.test(d) || (i === 0 && (input.dims?.length ?? 0) >= 2);
      seen.set(d, (seen.get(d) ?? true) && batchLike);
    });
  }
  return Object.fromEntries([...seen].filter(([, batch]) => batch).map(([d]) => [d, 1]));
}
