/**
 * The memory hierarchy of this machine, measured once and cached in the config folder beside the
 * roofline ceilings: the latency and bandwidth staircase (memory-sweep.ts, run in a worker) and the
 * cache boundaries found in it. A measurement taken while other programs kept the machine busy is
 * kept but marked, and replaced the next time the machine is quiet.
 */
import type { ProfileProgress } from '../../../shared/progress.js';
import type { CacheSizes, MemoryHierarchy } from '../../../shared/report.js';
import { readConfigEntry, writeConfigEntry } from '../config-file.js';
import { runMemoryProbeJob } from '../runner/worker-client.js';
import { findCacheBoundaries } from './cache-boundaries.js';
import { reconcileCaches } from './cache-sizes.js';
import { BUSY_PERCENT, openLoadWindow, sampleOtherCpuPercent, settleBeforeMeasuring } from './machine-load.js';

/** Largest working set of the sweep: past the last-level cache of any single core today. */
const MAX_BYTES = 256 * 1024 ** 2;
/** About how long the probe takes on a quiet 2-core machine, for the first ETA. */
export const PROBE_ESTIMATE_MS = 4000;

/** A measured hierarchy as cached: the report's fields less what depends on the read sizes. */
export type MeasuredHierarchy = Omit<MemoryHierarchy, 'disagreements'>;

const FILE = 'machine.json';

// A cached entry from an older Strata without the curves is measured anew.
async function readCache(key: string): Promise<MeasuredHierarchy | null> {
  const entry = await readConfigEntry<MeasuredHierarchy>(FILE, key);
  return entry && Array.isArray(entry.latencyNs) && Array.isArray(entry.boundaries) ? entry : null;
}

/** Options of `machineMemoryHierarchy`. */
export interface HierarchyOptions {
  readonly cpu: string; // the cache key: one measurement per CPU model
  readonly remeasure?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ProfileProgress) => void;
  /** Runs the sweep; the default runs it in a worker. Injected by tests. */
  readonly measure?: typeof runMemoryProbeJob;
}

/** Measures the staircase now (in a worker), waiting a little for a quiet machine first. */
export async function measureMemoryHierarchy(
  options: Omit<HierarchyOptions, 'cpu' | 'remeasure'> = {},
): Promise<MeasuredHierarchy> {
  const { say, before } = await settleBeforeMeasuring('its caches', options.onProgress);
  const started = performance.now();
  const window = openLoadWindow();
  const sweep = await (options.measure ?? runMemoryProbeJob)(MAX_BYTES, {
    signal: options.signal,
    onWorkerStart: (pid) => window.exclude(pid),
    onProgress: (p) => {
      const elapsed = performance.now() - started;
      const fraction = p.total ? p.done / p.total : 0;
      say(
        'Measuring cache latency and bandwidth',
        fraction,
        fraction > 0.1 ? (elapsed / fraction) * (1 - fraction) : PROBE_ESTIMATE_MS - elapsed,
      );
    },
  });
  const during = window.otherCpuPercent();
  const otherCpuPercent = Math.max(before ?? 0, during ?? 0);
  return {
    measuredAt: new Date().toISOString(),
    latencyNs: sweep.latencyNs,
    bandwidthGBs: sweep.bandwidthGBs,
    boundaries: findCacheBoundaries(sweep.latencyNs),
    durationMs: Math.round(performance.now() - started),
    otherCpuPercent: before === null && during === null ? null : Math.round(otherCpuPercent),
    busy: otherCpuPercent >= BUSY_PERCENT,
  };
}

/**
 * This machine's staircase: from the cache, or measured now when there is none, when asked to, or
 * when the cached one was taken on a busy machine and the machine is quiet now.
 */
export async function machineMemoryHierarchy(options: HierarchyOptions): Promise<MeasuredHierarchy> {
  const cached = options.remeasure ? null : await readCache(options.cpu);
  if (cached && !cached.busy) return cached;
  if (cached) {
    // Measured on a busy machine: measure again if it is quiet now (one short look, no waiting).
    const now = await sampleOtherCpuPercent();
    if (now === null || now >= BUSY_PERCENT) return cached;
  }
  const measured = await measureMemoryHierarchy(options);
  // A busy curve never replaces one measured quiet: asked again on a busy machine, the quiet one stays.
  const previous = cached ?? (await readCache(options.cpu));
  if (measured.busy && previous && !previous.busy) return previous;
  await writeConfigEntry(FILE, options.cpu, measured);
  return measured;
}

/** The caches layers are placed with and the staircase as the report keeps it. */
export function hierarchyForReport(
  read: CacheSizes | undefined,
  measured: MeasuredHierarchy | null,
): { caches: CacheSizes | undefined; memoryHierarchy: MemoryHierarchy | undefined } {
  if (!measured) return { caches: read, memoryHierarchy: undefined };
  const { caches, disagreements } = reconcileCaches(read ?? null, measured.boundaries, { busy: measured.busy });
  return { caches, memoryHierarchy: { ...measured, disagreements } };
}
