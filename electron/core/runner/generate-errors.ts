/**
 * What a failed decoder pass tells the user. onnxruntime's message for a context past the model's
 * position table is a Gather index out of range, and the generic run advice points at --shape,
 * which a generation does not have: here the context the pass ran at and what to shorten are said.
 */
import { StrataError } from '../../../shared/errors.js';
import { explainOrtError, SHAPE_ADVICE } from './session-options.js';

/** Index-out-of-range wording of onnxruntime's Gather (and GatherElements, Slice) failures. */
const OUT_OF_RANGE = /out of (data )?bounds|must be within the inclusive range|indices element out of/i;

/**
 * The error for a pass that failed with `context` tokens in the cache after it; `maxContext` is what
 * the model's config states (null: no config.json / genai_config.json said), `model` names which one
 * as a phrase ('"model.onnx"', 'the draft "model.onnx"').
 */
export function explainGenerateRunError(
  err: unknown,
  context: number,
  maxContext: number | null,
  model: string,
  ortVersion: string,
): StrataError {
  const explained = explainOrtError(err, 'run', ortVersion);
  if (explained.code !== 'RUN_FAILED') return explained;
  const raw = err instanceof Error ? err.message : String(err);
  const base = explained.message.endsWith(SHAPE_ADVICE)
    ? explained.message.slice(0, -SHAPE_ADVICE.length).trimEnd()
    : explained.message;
  if (OUT_OF_RANGE.test(raw) && maxContext === null)
    return new StrataError(
      'RUN_FAILED',
      `${cap(model)} failed at a context of ${context} tokens, probably longer than its position table (it has no config.json stating max_position_embeddings, so the limit could not be checked first): pass shorter --prompt-lengths, --new-tokens or --context, or put the export's config.json beside the model. ${base}`,
      raw,
    );
  return new StrataError(
    'RUN_FAILED',
    `${base} ${cap(model)} was at a context of ${context} tokens: if that is longer than the model was exported for, pass shorter --prompt-lengths, --new-tokens or --context.`,
    raw,
  );
}

function cap(phrase: string): string {
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}
