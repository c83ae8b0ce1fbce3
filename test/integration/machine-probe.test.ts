// The memory-hierarchy probe for real, on whatever machine runs the tests, simulating one whose
// sysfs lists no caches and whose getconf says nothing (the worst case: everything from the probe).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceInfo } from '../../shared/report.js';
import { formatCacheSummary } from '../../electron/cli/summary-cache.js';
import { readCacheSizes } from '../../electron/core/profile/cache-sizes.js';
import { machineKey, withMeasuredCaches } from '../../electron/core/profile/machine.js';
import { makeReport } from '../fixtures/make-report.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-probe-'));
const previousConfigDir = process.env.STRATA_CONFIG_DIR;
let device: DeviceInfo;
let bare: DeviceInfo;
let notes: string[];
const messages: string[] = [];

beforeAll(async () => {
  process.env.STRATA_CONFIG_DIR = join(dir, 'config');
  const read = await readCacheSizes({
    platform: 'linux',
    sysfsRoot: join(dir, 'no-sysfs'),
    getconf: async () => null,
    totals: null,
  });
  expect(read).toBeNull();
  bare = {
    cpu: 'probe test CPU',
    cores: 2,
    threads: 2,
    memoryBytes: 1,
    os: 'test',
    arch: 'x64',
    onnxruntimeVersion: '',
  };
  ({ device, notes } = await withMeasuredCaches(bare, { onProgress: (p) => messages.push(p.message) }));
}, 120_000);

afterAll(() => {
  if (previousConfigDir === undefined) delete process.env.STRATA_CONFIG_DIR;
  else process.env.STRATA_CONFIG_DIR = previousConfigDir;
  rmSync(dir, { recursive: true, force: true });
});

describe('the memory-hierarchy probe on a machine that lists no caches', () => {
  it('measures latency and bandwidth at every size from 4 KiB to 256 MiB', () => {
    const h = device.memoryHierarchy!;
    expect(h.latencyNs.length).toBeGreaterThanOrEqual(40);
    expect(h.latencyNs[0]!.bytes).toBe(4096);
    expect(h.latencyNs[h.latencyNs.length - 1]!.bytes).toBe(256 * 1024 ** 2);
    expect(h.bandwidthGBs.map((p) => p.bytes)).toEqual(h.latencyNs.map((p) => p.bytes));
    for (const p of [...h.latencyNs, ...h.bandwidthGBs]) expect(Number.isFinite(p.value) && p.value > 0).toBe(true);
    expect(h.durationMs).toBeGreaterThan(0);
    expect(typeof h.busy).toBe('boolean');
  });

  it('places layers with the sizes it measured: an L1d at least, from the probe', () => {
    const { caches, memoryHierarchy } = device;
    const boundaries = memoryHierarchy!.boundaries;
    expect([...boundaries].sort((a, b) => a - b)).toEqual(boundaries);
    // Nothing was read, so every level placed is a measured boundary, smallest first.
    expect(caches, 'the latency curve showed no cache step at all').toBeDefined();
    expect(caches!.source).toBe('measured');
    expect(caches!.l1d).toBe(boundaries[0]);
    const placed = [caches!.l1d, caches!.l2, caches!.l3].filter((b) => b > 0);
    for (const b of placed) expect(boundaries).toContain(b);
    expect(notes.filter((n) => /reports an/.test(n))).toEqual([]); // nothing read, nothing contradicted
  });

  it('said what it was doing while it measured, and caches the result for the next profile', async () => {
    expect(
      messages.some((m) =>
        /^Measuring this machine once \(caches, compute and memory ceilings\): 1 of 2, caches/.test(m),
      ),
    ).toBe(true);
    const cached = JSON.parse(readFileSync(join(dir, 'config', 'machine.json'), 'utf8')) as Record<
      string,
      { measuredAt: string }
    >;
    expect(cached[machineKey(bare)]!.measuredAt).toBe(device.memoryHierarchy!.measuredAt);
    const again = await withMeasuredCaches(bare, {});
    // Unless the first was taken on a busy machine that is quiet now, the cache answers.
    if (!device.memoryHierarchy!.busy)
      expect(again.device.memoryHierarchy!.measuredAt).toBe(device.memoryHierarchy!.measuredAt);
  });

  it('summarises the staircase for the CLI', () => {
    const report = { ...makeReport({ layers: 3 }), device };
    const text = formatCacheSummary(report).join('\n');
    expect(text).toMatch(/caches {4}L1d [\d.]+ KiB.*\(measured\), one core/);
    expect(text).toMatch(
      /memory {4}L1d? [\d.]+ ns \d+ GB\/s .*DRAM [\d.]+ ns \d+ GB\/s \(load latency and copy bandwidth, measured \d{4}-/,
    );
  });
});
