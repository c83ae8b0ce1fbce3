/**
 * Where a tensor's external data may live: in a regular file inside the model's own folder, as
 * onnxruntime requires too. A location is text inside the model file, so a model can name anything:
 * `../../../../etc/passwd` (read and copied into a variant), `/dev/zero` (read until memory runs
 * out), a FIFO (a read that never ends). Every reader of external data goes through here.
 */
import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve, sep } from 'node:path';
import { StrataError } from '../../../shared/errors.js';
import { clip } from '../clip.js';

/**
 * The absolute path of external data file `location` of a model in `modelDir`; throws
 * MODEL_INVALID when it points outside the folder or at something that is not a regular file.
 * A file that does not exist passes (callers report it as missing).
 */
export function resolveExternalDataPath(modelDir: string, location: string, tensor: string): string {
  const refuse = (why: string) =>
    new StrataError(
      'MODEL_INVALID',
      `Tensor "${clip(tensor)}" keeps its data in "${clip(location)}", ${why}. Strata reads external data only from regular files in the model's own folder, as onnxruntime does; re-export the model with its data beside it.`,
    );
  if (location.length === 0 || location.includes('\0')) throw refuse('which is not a file name');
  if (isAbsolute(location) || /^[a-zA-Z]:|^[\\/]/.test(location)) throw refuse('an absolute path');
  const dir = resolve(modelDir);
  const file = resolve(dir, location);
  if (!file.startsWith(dir + sep)) throw refuse("outside the model's folder");
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return file; // missing
  }
  const realDir = realpathSync(dir);
  if (!real.startsWith(realDir + sep)) throw refuse("a link that leads outside the model's folder");
  if (!statSync(real).isFile()) throw refuse('which is not a regular file');
  return file;
}

/**
 * Reads `length` bytes at `offset` of an external data file (`length` undefined: to the end),
 * checking the range against the file's size first: a model cannot make Strata read past a file.
 */
export function readExternalData(path: string, offset: number, length: number | undefined, tensor: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const info = fstatSync(fd);
    if (!info.isFile())
      throw new StrataError('MODEL_INVALID', `The external data of tensor "${clip(tensor)}" is not a regular file.`);
    const size = info.size;
    const end = length === undefined ? size : offset + length;
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(end) || end < offset || end > size) {
      throw new StrataError(
        'MODEL_INVALID',
        `Tensor "${clip(tensor)}" says its data is at bytes ${offset} to ${end} of its external file, which holds ${size} bytes: the model and its data do not match.`,
      );
    }
    const out = new Uint8Array(end - offset);
    let done = 0;
    while (done < out.length) {
      const n = readSync(fd, out, done, out.length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return out.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}
