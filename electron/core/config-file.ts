/**
 * Small JSON files in the config folder that hold one entry per key (per machine, per thread
 * count...): read an entry, or write one without losing the others. Writes go to a temp file first,
 * then a rename, so two Stratas writing at once leave one whole file, never half of one.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configDir } from './config-dir.js';

async function readAll<T>(file: string): Promise<Record<string, T>> {
  try {
    const all = JSON.parse(await readFile(join(configDir(), file), 'utf8')) as unknown;
    return all && typeof all === 'object' && !Array.isArray(all) ? (all as Record<string, T>) : {};
  } catch {
    return {}; // none yet, or unreadable: measured anew
  }
}

/** The entry `key` of config file `file`, or null. */
export async function readConfigEntry<T>(file: string, key: string): Promise<T | null> {
  return (await readAll<T>(file))[key] ?? null;
}

/** Every entry of config file `file`. */
export async function readConfigEntries<T>(file: string): Promise<Record<string, T>> {
  return readAll<T>(file);
}

/** Sets entry `key` of config file `file`, keeping the others. */
export async function writeConfigEntry<T>(file: string, key: string, value: T): Promise<void> {
  const all = await readAll<T>(file);
  all[key] = value;
  await writeAll(file, all);
}

/** Removes entry `key` of config file `file`; resolves with whether there was one. */
export async function removeConfigEntry(file: string, key: string): Promise<boolean> {
  const all = await readAll<unknown>(file);
  if (!Object.hasOwn(all, key)) return false;
  delete all[key];
  await writeAll(file, all);
  return true;
}

async function writeAll(file: string, all: Record<string, unknown>): Promise<void> {
  await mkdir(configDir(), { recursive: true });
  const path = join(configDir(), file);
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(all, null, 2));
  await rename(temp, path);
}
