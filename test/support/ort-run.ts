/**
 * One run of a model in onnxruntime itself, in the test process: the independent measurement a
 * test holds Strata's own numbers (a variant's outputs, a quantizer's error) against.
 */
import ort from 'onnxruntime-node';

/** The outputs of one run of the model `bytes` on `feeds`, with the session released after. */
export async function runOnce(
  bytes: Uint8Array,
  feeds: Record<string, ort.Tensor>,
  threads = 1,
): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3, intraOpNumThreads: threads });
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}
