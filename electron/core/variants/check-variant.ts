/**
 * A variant is written only once onnxruntime has loaded it: the transforms work on the protobuf
 * and cannot see everything onnxruntime checks (a bit-flipped dim, a type it refuses), and a file
 * that says "quantized" but does not load is worse than a clear refusal.
 */
import { StrataError } from '../../../shared/errors.js';
import { defaultPlan } from '../../../shared/plan.js';
import { MAX_IPC_INPUT_BYTES } from '../runner/inputs.js';
import { runTensorsJob } from '../runner/worker-client.js';

/**
 * Loads `variant` (made from the model at `sourcePath`, whose folder holds any external data) in a
 * worker, and throws one sentence when it does not load: the source model's own fault when the
 * source does not load either, else the transform's.
 */
export async function assertVariantLoads(variant: Uint8Array, sourcePath: string, what: string, signal?: AbortSignal): Promise<void> {
  // One job message cannot carry more (Node's structured clone); such a variant goes unchecked
  // rather than refused. The cycle check, which needs no worker, has run on its source regardless.
  if (variant.byteLength > MAX_IPC_INPUT_BYTES) return;
  const plan = { ...defaultPlan(), eps: ['cpu' as const] }; // what every machine has
  // No input sets: the session is made (the whole load check) and nothing is run.
  const load = (modelBytes?: Uint8Array) => runTensorsJob({ modelPath: sourcePath, modelBytes, shapes: {}, inputSets: [], outputs: [], plan }, { signal });
  try {
    await load(variant);
    return;
  } catch (err) {
    if (!(err instanceof StrataError) || err.code === 'RUN_CANCELLED') throw err;
    const sourceError = await load().then(
      () => null,
      (e: unknown) => e,
    );
    if (sourceError instanceof StrataError && sourceError.code !== 'RUN_CANCELLED') {
      throw new StrataError(sourceError.code, `The model does not load in onnxruntime, so no ${what} was made of it: ${sourceError.message}`, sourceError.detail);
    }
    throw new StrataError('INTERNAL', `The ${what} made of this model does not load in onnxruntime, so it was not written (a bug in Strata's transform; please report it): ${err.message}`, err.detail);
  }
}
