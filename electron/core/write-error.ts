/**
 * What a failed file write means to the user, by its errno: a full disk is not fixed by checking
 * permissions, and a read-only mount is not fixed by freeing space. One sentence each, naming the
 * path and the one thing that will make the next attempt work.
 */
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';

const MB = 1024 * 1024;

/** Says why writing `bytes` to `path` failed with `err`, and what to do. */
export async function describeWriteError(err: unknown, path: string, bytes: number): Promise<string> {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const folder = dirname(path);
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT': {
      const needMb = Math.max(1, Math.ceil(bytes / MB));
      const freeBytes = await freeSpace(folder);
      const what = code === 'ENOSPC' ? 'The disk is full' : 'Your disk quota is used up';
      if (freeBytes === null)
        return `${what}: could not write "${path}" (${needMb} MB). Free at least ${needMb} MB there, or choose another folder.`;
      const shortMb = Math.max(1, Math.ceil((bytes - freeBytes) / MB));
      return `${what}: "${path}" needs ${needMb} MB and ${Math.floor(freeBytes / MB)} MB are free there. Free at least ${shortMb} MB, or choose another folder.`;
    }
    case 'EROFS':
      return `Could not write "${path}": the folder "${folder}" is on a read-only file system. Choose a folder on a writable disk.`;
    case 'EACCES':
    case 'EPERM':
      return `Could not write "${path}": you have no permission to write there. Choose another folder, or change the permissions of "${folder}".`;
    case 'EISDIR':
      return `Could not write "${path}": it is a folder. Give a file name.`;
    case 'ENOTDIR':
      return `Could not write "${path}": part of that path is a file, not a folder. Choose another path.`;
    case 'ENAMETOOLONG':
      return `Could not write "${path.slice(0, 200)}…": the path is longer than this file system allows. Choose a shorter one.`;
    default: {
      const raw = err instanceof Error ? err.message : String(err);
      return `Could not write "${path}": ${raw}. Check that the folder is writable and the disk has space.`;
    }
  }
}

// What the user can still write in `folder` (not counting space reserved for root), or null.
async function freeSpace(folder: string): Promise<number | null> {
  try {
    const s = await statfs(folder);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}
