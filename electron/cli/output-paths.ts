/**
 * Output paths checked before a long run, not after: a typo in `--json` must not cost the user a
 * ten-minute profile. Nothing is created here; the exports create missing folders when they write.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { StrataError } from '../../shared/errors.js';

/**
 * Throws BAD_ARGUMENT naming the flag and the path when a file could not be written at `path`: it is
 * a folder, an existing read-only file, or its nearest existing ancestor is not a writable folder.
 */
export function assertWritableOutput(flag: string, path: string): void {
  const stat = statOrNull(path);
  if (stat?.isDirectory()) throw bad(flag, path, 'is a folder. Give a file name inside it');
  if (stat) {
    if (!canWrite(path))
      throw bad(flag, path, 'exists and is not writable. Choose another path or change its permissions');
    return;
  }
  // The folder may not exist yet (the export creates it): check the nearest ancestor that does.
  let dir = dirname(path);
  while (!statOrNull(dir)) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const dirStat = statOrNull(dir);
  if (!dirStat?.isDirectory())
    throw bad(flag, path, `cannot be created: "${dir}" is a file, not a folder. Choose another path`);
  if (!canWrite(dir))
    throw bad(flag, path, `cannot be created: the folder "${dir}" is not writable. Choose another path`);
}

/** Checks every given output of a command, as `{ '--json': path }`. */
export function assertWritableOutputs(outputs: Readonly<Record<string, string | undefined>>): void {
  for (const [flag, path] of Object.entries(outputs)) if (path) assertWritableOutput(flag, path);
}

function statOrNull(path: string) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function bad(flag: string, path: string, why: string): StrataError {
  return new StrataError('BAD_ARGUMENT', `${flag} "${path}" ${why}.`);
}
