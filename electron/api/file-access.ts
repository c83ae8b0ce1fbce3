/**
 * Which files the API may open. A request names a path, but a path in a request proves nothing: a
 * compromised page, a crafted report (its model and input paths) or another local program talking
 * to browser mode could name any file. So the API opens only files the user chose (the open dialog,
 * an upload, the command line, the recent list) or that Strata wrote (its variants, its sample),
 * and only regular files: never a device, a FIFO or a folder.
 */
import { realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { RecentFile } from '../../shared/api.js';
import { StrataError } from '../../shared/errors.js';

/** The files and folders the API may read from. */
export class FileAccess {
  private readonly files = new Set<string>();
  private readonly folders = new Set<string>();

  /** `recent` lists the recent files; each may be opened again. */
  constructor(private readonly recent: () => Promise<readonly RecentFile[]> = async () => []) {}

  /** Allows one file the user chose or Strata wrote. */
  allowFile(path: string): void {
    this.files.add(resolve(path));
  }

  /** Allows every regular file inside `dir` (uploads, Strata's variant folder). */
  allowFolder(dir: string): void {
    this.folders.add(resolve(dir));
  }

  /** True when `path` is a file the API may open (whether or not it still exists). */
  async allows(path: string): Promise<boolean> {
    const absolute = resolve(path);
    if (this.files.has(absolute)) return true;
    if ((await this.recent()).some((r) => resolve(r.path) === absolute)) return true;
    if (this.folders.size === 0) return false;
    // Inside an allowed folder, judged by where the file really is: a symlink out is not inside.
    const real = await realpath(absolute).catch(() => null);
    if (real === null) return false;
    for (const folder of this.folders) {
      const root = await realpath(folder).catch(() => folder);
      if (real.startsWith(root + sep)) return true;
    }
    return false;
  }

  /**
   * The absolute path of `path` if the API may open it; throws otherwise. A missing file that
   * may be opened passes (the reader then says it is gone); anything else must be a regular file.
   */
  async check(path: string, what: string): Promise<string> {
    const absolute = resolve(path);
    if (!(await this.allows(absolute))) {
      throw new StrataError(
        'FILE_NOT_CHOSEN',
        `${what} "${absolute}" was not opened in Strata: open it with Open (or drop it on the window) first, then try again.`,
      );
    }
    const info = await stat(absolute).catch(() => null);
    if (info && !info.isFile()) throw new StrataError('BAD_ARGUMENT', `${what} "${absolute}" is not a regular file.`);
    return absolute;
  }
}
