/**
 * Turns protobuf decoding failures into sentences about the model file.
 */
import { basename } from 'node:path';
import { StrataError } from '../../../shared/errors.js';
import { ProtobufError } from './protobuf.js';

/** Runs `decode` on a model's bytes, rethrowing malformed-protobuf errors as MODEL_INVALID. */
export function decodeOrExplain<T>(path: string, bytes: Uint8Array, decode: (bytes: Uint8Array) => T): T {
  try {
    return decode(bytes);
  } catch (err) {
    if (!(err instanceof ProtobufError)) throw err;
    const name = basename(path);
    if (err.truncated) {
      throw new StrataError(
        'MODEL_INVALID',
        `"${name}" is truncated: it ${err.message} at byte ${err.offset} of ${bytes.length}. ` +
          'Copy or download the model again.',
      );
    }
    throw new StrataError(
      'MODEL_INVALID',
      `"${name}" is not a valid ONNX model: its protobuf data ${err.message} at byte ${err.offset}. ` +
        'The file is corrupt or not an ONNX model; re-export it.',
    );
  }
}
