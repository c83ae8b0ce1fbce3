import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCacheLevels } from '../../../../../shared/format.js';
import type { CacheSizes } from '../../../../../shared/report.js';
import {
  parseGetconfCaches,
  parseSysctlCaches,
  readCacheSizes,
  readSysfsCacheSizes,
  reconcileCaches,
} from '../../../../../electron/core/profile/cache-sizes.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const dir = mkdtempSync(join(tmpdir(), 'strata-cache-sizes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// What `getconf -a` printed on a 2-core EPYC VM whose sysfs lists no caches (abridged).
const GETCONF_EPYC = `LEVEL1_ICACHE_SIZE                 32768
LEVEL1_ICACHE_ASSOC                
LEVEL1_DCACHE_SIZE                 49152
LEVEL1_DCACHE_LINESIZE             64
LEVEL2_CACHE_SIZE                  1048576
LEVEL3_CACHE_SIZE                  532676608
LEVEL4_CACHE_SIZE                  
`;

function sysfsFolder(entries: [string, string, string][]): string {
  const root = mkdtempSync(join(dir, 'sysfs-'));
  entries.forEach(([level, type, size], i) => {
    mkdirSync(join(root, `index${i}`));
    writeFileSync(join(root, `index${i}`, 'level'), level);
    writeFileSync(join(root, `index${i}`, 'type'), type);
    writeFileSync(join(root, `index${i}`, 'size'), size);
  });
  return root;
}

describe('cache sizes read from the best source the machine has', () => {
  it('takes sysfs first where it lists the caches', async () => {
    const root = sysfsFolder([
      ['1', 'Data', '48K'],
      ['1', 'Instruction', '32K'],
      ['2', 'Unified', '1024K'],
      ['3', 'Unified', '32M'],
    ]);
    const read = await readCacheSizes({ platform: 'linux', sysfsRoot: root, getconf: async () => GETCONF_EPYC });
    expect(read).toEqual({ l1d: 48 * KiB, l1i: 32 * KiB, l2: MiB, l3: 32 * MiB, source: 'sysfs' });
  });

  it('falls back to CPUID through getconf where sysfs has no cache folder', async () => {
    const empty = mkdtempSync(join(dir, 'no-cache-'));
    expect(readSysfsCacheSizes(empty)).toBeNull();
    expect(readSysfsCacheSizes(join(empty, 'missing'))).toBeNull();
    const read = await readCacheSizes({ platform: 'linux', sysfsRoot: empty, getconf: async () => GETCONF_EPYC });
    expect(read).toEqual({ l1d: 48 * KiB, l1i: 32 * KiB, l2: MiB, l3: 532676608, source: 'cpuid' });
  });

  it('then to systeminformation totals divided by the cores, and to nothing', async () => {
    const empty = mkdtempSync(join(dir, 'no-cache-'));
    const totals = { l1d: 96 * KiB, l1i: 64 * KiB, l2: 2 * MiB, l3: 32 * MiB };
    expect(
      await readCacheSizes({
        platform: 'linux',
        sysfsRoot: empty,
        getconf: async () => null,
        totals,
        physicalCores: 2,
      }),
    ).toEqual({
      l1d: 48 * KiB,
      l1i: 32 * KiB,
      l2: MiB,
      l3: 32 * MiB,
      source: 'systeminformation',
    });
    expect(
      await readCacheSizes({ platform: 'linux', sysfsRoot: empty, getconf: async () => '', totals: null }),
    ).toBeNull();
  });

  it('reads macOS sysctl', async () => {
    const text = 'hw.l1dcachesize: 65536\nhw.l1icachesize: 131072\nhw.l2cachesize: 4194304\n';
    expect(parseSysctlCaches(text)).toEqual({ l1d: 64 * KiB, l1i: 128 * KiB, l2: 4 * MiB, l3: 0, source: 'sysctl' });
    expect(await readCacheSizes({ platform: 'darwin', sysctl: async () => text })).toMatchObject({
      source: 'sysctl',
      l2: 4 * MiB,
    });
  });

  it('treats empty getconf values as absent', () => {
    expect(parseGetconfCaches('LEVEL1_DCACHE_SIZE                 \nLEVEL2_CACHE_SIZE 0\n')).toBeNull();
  });
});

describe('read sizes checked against the measured curve', () => {
  const cpuid: CacheSizes = { l1d: 48 * KiB, l1i: 32 * KiB, l2: MiB, l3: 532676608, source: 'cpuid' };

  it('keeps read sizes the curve confirms and replaces an L3 it contradicts, saying so', () => {
    const { caches, disagreements } = reconcileCaches(cpuid, [45 * KiB, 861 * KiB, 4 * MiB]);
    expect(caches).toEqual({
      l1d: 48 * KiB,
      l1i: 32 * KiB,
      l2: MiB,
      l3: 4 * MiB,
      source: 'cpuid',
      levelSources: { l1d: 'cpuid', l2: 'cpuid', l3: 'measured' },
    });
    expect(disagreements).toEqual([
      'CPUID (getconf) reports an L3 of 508 MiB, but the measured latency curve shows that level ending near 4.00 MiB; layers are placed with the measured size.',
    ]);
    expect(formatCacheLevels(caches!)).toBe('L1d 48.0 KiB, L2 1.00 MiB (CPUID (getconf)); L3 4.00 MiB (measured)');
  });

  it('says a level is missing when the curve shows none', () => {
    const { caches, disagreements } = reconcileCaches(cpuid, [45 * KiB, 861 * KiB]);
    expect(caches!.l3).toBe(0);
    expect(disagreements[0]).toMatch(/L3 of 508 MiB, but the measured latency curve shows no cache level there/);
    expect(formatCacheLevels(caches!)).toMatch(/L3 none found \(measured\)$/);
  });

  it('drops a spurious small boundary below the one that confirms L1d', () => {
    const { caches, disagreements } = reconcileCaches(cpuid, [4.75 * KiB, 45 * KiB, 724 * KiB]);
    expect([caches!.l1d, caches!.l2]).toEqual([48 * KiB, MiB]);
    expect(disagreements).toHaveLength(1); // only the L3
  });

  it('keeps a read size the curve does not contradict: a missed step, or a step past it', () => {
    // The L1 step was missed (a loaded machine): 724 KiB confirms the L2, nothing speaks against 48 KiB.
    const { caches, disagreements } = reconcileCaches(cpuid, [724 * KiB, 4 * MiB]);
    expect([caches!.l1d, caches!.l2, caches!.l3]).toEqual([48 * KiB, MiB, 4 * MiB]);
    expect(caches!.levelSources).toEqual({ l1d: 'cpuid', l2: 'cpuid', l3: 'measured' });
    expect(disagreements).toHaveLength(1); // the 508 MiB L3 only
  });

  it('takes no step just past a level for another cache', () => {
    // 1.19 MiB right after a 1 MiB L2 is the curve still climbing out of L2.
    const { caches } = reconcileCaches(cpuid, [45 * KiB, 861 * KiB, 1.19 * MiB]);
    expect(caches!.l3).toBe(0);
    expect(reconcileCaches(null, [45 * KiB, 64 * KiB, 861 * KiB]).caches).toMatchObject({
      l1d: 45 * KiB,
      l2: 861 * KiB,
      l3: 0,
    });
  });

  it('lets a curve measured on a busy machine check nothing', () => {
    expect(reconcileCaches(cpuid, [4.75 * KiB, 45 * KiB, 1.2 * MiB], { busy: true })).toEqual({
      caches: cpuid,
      disagreements: [],
    });
    expect(reconcileCaches(null, [45 * KiB, 861 * KiB], { busy: true }).caches).toMatchObject({
      l1d: 45 * KiB,
      l2: 861 * KiB,
      source: 'measured',
    });
  });

  it('uses the measured levels where nothing could be read', () => {
    const { caches, disagreements } = reconcileCaches(null, [45 * KiB, 861 * KiB]);
    expect(caches).toEqual({ l1d: 45 * KiB, l1i: 0, l2: 861 * KiB, l3: 0, source: 'measured' });
    expect(disagreements).toEqual([]);
  });

  it('keeps the read sizes as they are when nothing was measured or the curve has no step', () => {
    expect(reconcileCaches(cpuid, null)).toEqual({ caches: cpuid, disagreements: [] });
    expect(reconcileCaches(cpuid, [])).toEqual({ caches: cpuid, disagreements: [] });
    expect(reconcileCaches(null, null)).toEqual({ caches: undefined, disagreements: [] });
  });
});
