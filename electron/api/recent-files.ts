/**
 * The models a user opened before, newest first, kept in the config folder so both front doors and
 * every launch share them.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RecentFile } from '../../shared/api.js';
import { configDir } from '../core/config-dir.js';

const MAX_RECENT = 10;

/** Recent files stored as JSON in the config folder. */
export class RecentFiles {
  private readonly file = join(configDir(), 'recent.json');

  /** The list, newest first; an unreadable file counts as empty. */
  async list(): Promise<RecentFile[]> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as unknown;
      return Array.isArray(parsed) ? parsed.filter((r): r is RecentFile => typeof r?.path === 'string').slice(0, MAX_RECENT) : [];
    } catch {
      return [];
    }
  }

  /** Puts `path` first, dropping its older entry and anything past the tenth. */
  async add(path: string): Promise<void> {
    const entry: RecentFile = { path, fileName: basename(path), openedAt: new Date().toISOString() };
    const next = [entry, ...(await this.list()).filter((r) => r.path !== path)].slice(0, MAX_RECENT);
    try {
      await mkdir(configDir(), { recursive: true });
      await writeFile(this.file, JSON.stringify(next, null, 2));
    } catch {
      // A read-only home must not stop a model from opening; the list just is not kept.
    }
  }
}
