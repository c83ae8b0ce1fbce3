/**
 * The models a user opened before, newest first, kept in the config folder so both front doors and
 * every launch share them; and browser mode's uploads, which live as long as the recent list
 * points at them.
 */
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import type { RecentFile } from '../../shared/api.js';
import type { ProfilePlan } from '../../shared/plan.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { configDir } from '../core/config-dir.js';

const MAX_RECENT = 10;

/** Recent files stored as JSON in the config folder. */
export class RecentFiles {
  private readonly file = join(configDir(), 'recent.json');

  /** The list, newest first; an unreadable file counts as empty. */
  async list(): Promise<RecentFile[]> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as unknown;
      return Array.isArray(parsed)
        ? parsed.filter((r): r is RecentFile => typeof r?.path === 'string').slice(0, MAX_RECENT)
        : [];
    } catch {
      return [];
    }
  }

  /**
   * The entries whose file is still there, for the Recent menu: a model moved or deleted since
   * (or an upload of an older Strata, kept in a temporary folder) is left out rather than offered
   * and then refused. The stored list keeps it, for a drive that comes back.
   */
  async existing(): Promise<RecentFile[]> {
    const entries = await this.list();
    const present = await Promise.all(
      entries.map((r) =>
        stat(r.path).then(
          (s) => s.isFile(),
          () => false,
        ),
      ),
    );
    return entries.filter((_, i) => present[i]);
  }

  /** Puts `path` first (keeping the run settings it had), dropping anything past the tenth; returns the new list. */
  async add(path: string, lastPlan?: ProfilePlan): Promise<RecentFile[]> {
    const list = await this.list();
    const kept = lastPlan ?? list.find((r) => r.path === path)?.lastPlan;
    const entry: RecentFile = {
      path,
      fileName: basename(path),
      openedAt: new Date().toISOString(),
      ...(kept ? { lastPlan: kept } : {}),
    };
    const next = [entry, ...list.filter((r) => r.path !== path)].slice(0, MAX_RECENT);
    try {
      await mkdir(configDir(), { recursive: true });
      await writeFileAtomic(this.file, JSON.stringify(next, null, 2));
    } catch {
      // A read-only home must not stop a model from opening; the list just is not kept.
    }
    return next;
  }

  /** Remembers the run settings of a profile of `path`, so reopening it brings them back. */
  rememberPlan(path: string, plan: ProfilePlan): Promise<RecentFile[]> {
    return this.add(path, plan);
  }
}

/**
 * Where browser mode keeps uploaded files: `uploads/<content hash>/<file name>` in the config
 * folder, so a recent upload still opens after a restart and the same file uploaded twice is
 * stored once.
 */
export function uploadsDir(): string {
  return join(configDir(), 'uploads');
}

/** Unfinished uploads older than this are leftovers of a crash. */
const STALE_INCOMING_MS = 24 * 3600 * 1000;

/**
 * Removes the uploads no recent entry points into, except the folders in `inUse` (uploaded in this
 * session: a model brought into a comparison, say, is not in the recent list). Returns the folders
 * removed. Errors are ignored: pruning must never stop a model from opening.
 */
export async function pruneUploads(
  recent: readonly RecentFile[],
  inUse: ReadonlySet<string>,
  dir: string = uploadsDir(),
): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.name.startsWith('.incoming-')) {
      const info = await stat(full).catch(() => null);
      if (info && Date.now() - info.mtimeMs > STALE_INCOMING_MS) await rm(full, { force: true }).catch(() => {});
      continue;
    }
    if (!entry.isDirectory() || inUse.has(full)) continue;
    if (recent.some((r) => r.path.startsWith(full + sep) || planFiles(r).some((p) => p.startsWith(full + sep))))
      continue;
    await rm(full, { recursive: true, force: true }).then(
      () => removed.push(full),
      () => {},
    );
  }
  return removed;
}

// Input files a recent entry's run settings read (an uploaded .npy): kept like the model itself.
function planFiles(entry: RecentFile): string[] {
  return Object.values(entry.lastPlan?.inputs ?? {}).flatMap((source) => (source.kind === 'file' ? [source.path] : []));
}
