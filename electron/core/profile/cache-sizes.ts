/**
 * This machine's CPU cache sizes, read rather than assumed, then checked against a measurement.
 * Sources, best first: Linux sysfs (per core, with sharing); the CPU's CPUID answer through glibc's
 * `getconf -a` (Linux, where sysfs lists no caches, as on some VMs) or `sysctl hw.*` (macOS);
 * systeminformation's totals divided by the cores (Windows). A value read inside a VM can be wrong
 * (getconf has claimed a 508 MiB L3 on a 2-core VM), so `reconcileCaches` keeps a read size only
 * where the measured latency curve agrees with it.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeCacheSource, formatBytes } from '../../../shared/format.js';
import type { CacheSizes, CacheSource } from '../../../shared/report.js';

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
 * Per-core sizes from `getconf -a` output (glibc asks the CPU with CPUID, in user space, so it works
 * where sysfs lists nothing). Lines read `LEVEL1_DCACHE_SIZE   49152`; empty or 0 values are absent.
 */
export function parseGetconfCaches(text: string): CacheSizes | null {
  const value = (key: string) => {
    const match = new RegExp(`^${key}\\s+(\\d+)\\s*$`, 'm').exec(text);
    return match ? Number(match[1]) : 0;
  };
  const sizes = {
    l1d: value('LEVEL1_DCACHE_SIZE'),
    l1i: value('LEVEL1_ICACHE_SIZE'),
    l2: value('LEVEL2_CACHE_SIZE'),
    l3: value('LEVEL3_CACHE_SIZE'),
  };
  return sizes.l1d > 0 ? { ...sizes, source: 'cpuid' } : null;
}

/** Per-core sizes from macOS `sysctl hw.l1dcachesize hw.l1icachesize hw.l2cachesize hw.l3cachesize`. */
export function parseSysctlCaches(text: string): CacheSizes | null {
  const value = (key: string) => {
    const match = new RegExp(`^hw\\.${key}:\\s*(\\d+)`, 'm').exec(text);
    return match ? Number(match[1]) : 0;
  };
  const sizes = {
    l1d: value('l1dcachesize'),
    l1i: value('l1icachesize'),
    l2: value('l2cachesize'),
    l3: value('l3cachesize'),
  };
  return sizes.l1d > 0 ? { ...sizes, source: 'sysctl' } : null;
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

function run(command: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 2000, encoding: 'utf8' }, (err, stdout) => resolve(err ? null : stdout));
  });
}

/** Where `readCacheSizes` looks; each source injectable so tests can play any machine. */
export interface CacheReadSources {
  readonly sysfsRoot?: string;
  readonly platform?: NodeJS.Platform;
  readonly getconf?: () => Promise<string | null>;
  readonly sysctl?: () => Promise<string | null>;
  /** systeminformation's cpuCache() totals, and the physical core count to divide them by. */
  readonly totals?: { readonly l1d: number; readonly l1i: number; readonly l2: number; readonly l3: number } | null;
  readonly physicalCores?: number;
}

/** The cache sizes of one core from the best source this machine has, or null where none says. */
export async function readCacheSizes(sources: CacheReadSources = {}): Promise<CacheSizes | null> {
  const platform = sources.platform ?? process.platform;
  if (platform === 'linux') {
    const sysfs = readSysfsCacheSizes(sources.sysfsRoot);
    if (sysfs) return sysfs;
    const getconf = await (sources.getconf ?? (() => run('getconf', ['-a'])))();
    const cpuid = getconf ? parseGetconfCaches(getconf) : null;
    if (cpuid) return cpuid;
  }
  if (platform === 'darwin') {
    const text = await (
      sources.sysctl ??
      (() => run('sysctl', ['hw.l1dcachesize', 'hw.l1icachesize', 'hw.l2cachesize', 'hw.l3cachesize']))
    )();
    const sizes = text ? parseSysctlCaches(text) : null;
    if (sizes) return sizes;
  }
  const totals = sources.totals;
  return totals && totals.l1d ? cacheSizesFromTotals(totals, sources.physicalCores ?? 1) : null;
}

/** The three data levels a layer's working set is judged against. */
const LEVELS = ['l1d', 'l2', 'l3'] as const;
const LEVEL_NAMES = { l1d: 'L1d', l2: 'L2', l3: 'L3' } as const;

// A measured boundary sits below the real size (other data and conflict misses share the cache:
// 45 KiB for a 48 KiB L1d, 861 KiB for a 1 MiB L2) and never far above it.
const AGREE_BELOW = 0.4;
const AGREE_ABOVE = 1.5;

/**
 * The sizes layers are placed with: each read level that the measured curve confirms (a boundary
 * within 0.4-1.5x of it), else a smaller measured boundary (a VM can report a level larger than it
 * is; a boundary above the read size is noise), else nothing (0) when the curve shows no level
 * there. A measured level is at least twice the one below it (a step just past a level is the curve
 * climbing, not another cache). A curve taken on a busy machine checks nothing: the read sizes
 * stand, and measured ones are used only where nothing could be read. Returns the sizes and, for
 * each read size the curve contradicts, a sentence saying what was read and what was used.
 *
 * Worked example: getconf gives L1d 48 KiB, L2 1 MiB, L3 508 MiB; the curve's boundaries are 45 KiB,
 * 861 KiB and 4 MiB. L1d and L2 are confirmed and kept as read (cpuid); the L3 is contradicted, so
 * the measured 4 MiB is used (measured) with a sentence naming the 508 MiB.
 */
export function reconcileCaches(
  read: CacheSizes | null,
  boundaries: readonly number[] | null,
  options: { readonly busy?: boolean } = {},
): { caches: CacheSizes | undefined; disagreements: string[] } {
  // A curve without a single step, or one taken while other programs were busy, checks nothing.
  if (!boundaries || boundaries.length === 0 || (options.busy && read))
    return { caches: read ?? undefined, disagreements: [] };
  const readSource: CacheSource = read?.source ?? 'measured';
  const sizes = { l1d: 0, l2: 0, l3: 0 };
  const sources: Record<(typeof LEVELS)[number], CacheSource> = { l1d: 'measured', l2: 'measured', l3: 'measured' };
  const disagreements: string[] = [];
  let unclaimed = [...boundaries];
  let below = 0; // the level under this one, as placed
  for (const level of LEVELS) {
    unclaimed = unclaimed.filter((b) => b >= below * 2);
    const readBytes = read?.[level] ?? 0;
    const confirming = unclaimed.findIndex(
      (b) => readBytes > 0 && b >= readBytes * AGREE_BELOW && b <= readBytes * AGREE_ABOVE,
    );
    if (confirming >= 0) {
      // Boundaries below the confirming one belong to no read level: drop them.
      unclaimed.splice(0, confirming + 1);
      sizes[level] = below = readBytes;
      sources[level] = readSource;
      continue;
    }
    const next = unclaimed[0];
    if (readBytes > 0 && next !== undefined && next >= readBytes * AGREE_BELOW) {
      // The curve's next step is past the read size: it does not contradict it.
      sizes[level] = below = readBytes;
      sources[level] = readSource;
      continue;
    }
    const measured = unclaimed.shift() ?? 0;
    sizes[level] = measured;
    if (measured > 0) below = measured;
    sources[level] = 'measured';
    if (readBytes > 0) {
      disagreements.push(
        `${describeCacheSource(readSource)} reports an ${LEVEL_NAMES[level]} of ${formatBytes(readBytes)}, but the measured latency curve ${
          measured > 0 ? `shows that level ending near ${formatBytes(measured)}` : `shows no cache level there`
        }; layers are placed with the measured ${measured > 0 ? 'size' : 'levels'}.`,
      );
    }
  }
  if (sizes.l1d === 0) return { caches: read ?? undefined, disagreements };
  const caches: CacheSizes = {
    ...sizes,
    l1i: read?.l1i ?? 0,
    source: sources.l1d,
    ...(LEVELS.every((l) => sources[l] === sources.l1d) ? {} : { levelSources: sources }),
  };
  return { caches, disagreements };
}
