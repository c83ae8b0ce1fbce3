/**
 * Writes that never leave a half-written file where a good one was: the bytes go to a temporary
 * file beside the target (same folder, so same file system) and are renamed over it only once
 * complete. A failed write, a full disk or a killed process leaves the old file as it was.
 */
import { randomBytes } from 'node:crypto';
import { chmod, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ownTempPath } from './temp-owner.js';

/**
 * Writes `content` (a string, bytes, or strings in pieces) to `path` atomically (temp file + rename);
 * the temp file is removed on failure.
 */
export async function writeFileAtomic(given: string, content: string | Uint8Array | Iterable<string>): Promise<void> {
  // Through a symlink to the file it names: replacing the link would leave its target stale.
  const path = await realpath(given).catch(() => given);
  // `--json /dev/stdout` or a named pipe: a stream, not a file to replace.
  const existing = await stat(path).catch(() => null);
  if (existing && !existing.isFile()) return writeFile(path, content);
  const temp = join(dirname(path), `.${basename(path).slice(0, 100)}.${randomBytes(6).toString('hex')}.strata-tmp`);
  // Owned while it exists: a process killed mid-write leaves no half file beside the target.
  const release = ownTempPath(temp);
  try {
    await writeFile(temp, content, { flag: 'wx' });
    // The replaced file keeps its permissions: a private model stays private.
    if (existing) await chmod(temp, existing.mode & 0o7777);
    await rename(temp, path);
    release();
  } catch (err) {
    await rm(temp, { force: true }).catch(() => {});
    release();
    throw err;
  }
}
