/**
 * The input and output names of a decoder exported with its KV cache (Hugging Face Optimum,
 * onnxruntime-genai), read by the engine's decoder recognition (electron/core/generate/decoder-io.ts)
 * and by the app, which offers decoder-only views for a model whose names fit. Pure: no Node, no UI.
 */
import type { TensorInfo } from './model.js';

/** A past KV input: past_key_values.N.key/value (Optimum) or past.N.key/value. */
export const PAST_KV_NAME = /^past_key_values\.(\d+)\.(key|value)$|^past\.(\d+)\.(key|value)$/;
/** A present KV output: present.N.key/value or present_key_values.N.key/value. */
export const PRESENT_KV_NAME = /^present\.(\d+)\.(key|value)$|^present_key_values\.(\d+)\.(key|value)$/;

/** What a decoder needs, in one phrase for the UI. */
export const DECODER_IO_PHRASE = 'input_ids and past_key_values.N.key/value in, logits and present.N.key/value out';

/**
 * True when the names say "a decoder with its KV cache". Only the names: a model that passes may
 * still be refused by the engine (a cache whose sizes the graph and no config give), with its reason.
 */
export function hasDecoderNames(io: {
  readonly inputs: readonly Pick<TensorInfo, 'name'>[];
  readonly outputs: readonly Pick<TensorInfo, 'name'>[];
}): boolean {
  return (
    io.inputs.some((t) => t.name === 'input_ids') &&
    io.inputs.some((t) => PAST_KV_NAME.test(t.name)) &&
    io.outputs.some((t) => t.name === 'logits') &&
    io.outputs.some((t) => PRESENT_KV_NAME.test(t.name))
  );
}
