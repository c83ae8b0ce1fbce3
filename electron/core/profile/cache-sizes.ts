/**
 * This machine's CPU cache sizes, read rather than assumed. Linux sysfs describes the caches of one
 * core (cpu0) with their sharing; elsewhere systeminformation's totals are the best there is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CacheSizes } from '../../../shared/report.js';

const SYSFS_CPU0 = '/sys/devices/system/cpu/cpu0/cache';

/** Per-core cache sizes from Linux sysfs, or null where sysfs has no cache description. */
export function readSysfsCacheSizes(root = SYSFS_CPU0): CacheSizes | null {
  let entries: string[];
  try {
    entries = readdirSync(root).filter((name) => /^index\d+$/.test(name));
  } catch {
    return null;
  }
  const sizes = { l1d: 0, l1i: 0, l2: 0, l3: 0 };
  for (const entry of entries) {
    const read = (file: string) => readFileSync(join(root, entry, file), 'utf8').trim();
    try {
      const level = Number(read('level'));
      const type = read('type'); // Data, Instruction, Unified
      const bytes = parseSysfsSize(read('size'));
      if (level === 1 && type === 'Data') sizes.l1d = bytes;
      else if (level === 1 && type === 'Instruction') sizes.l1i = bytes;
      else if (level === 2) sizes.l2 = bytes;
      else if (level === 3) sizes.l3 = bytes;
    } catch {
      // An index without size (some VMs): skip it rather than guess.
    }
  }
  return sizes.l1d > 0 ? { ...sizes, source: 'sysfs' } : null;
}

/** "48K" -> 49152, "1024K" -> 1048576, "32M" -> 33554432. */
export function parseSysfsSize(text: string): number {
  const match = /^(\d+)\s*([KMG]?)$/i.exec(text);
  if (!match) throw new Error(`Unreadable cache size "${text}".`);
  const scale = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[match[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Number(match[1]) * scale;
}

/**
 * Per-core sizes from systeminformation's totals: it sums L1 and L2 over cores (lscpu's "96 KiB
 * (2 instances)"), so they are divided by the core count; L3 is usually shared and kept whole.
 */
export function cacheSizesFromTotals(
  totals: { l1d: number; l1i: number; l2: number; l3: number },
  physicalCores: number,
): CacheSizes {
  const cores = Math.max(1, physicalCores);
  return {
    l1d: Math.round(totals.l1d / cores),
    l1i: Math.round(totals.l1i / cores),
    l2: Math.round(totals.l2 / cores),
    l3: totals.l3,
    source: 'systeminformation',
  };
}
