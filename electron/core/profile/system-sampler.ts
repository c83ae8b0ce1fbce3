/**
 * Samples the machine while a profile runs: CPU load per core, the worker's resident memory, system
 * memory and temperature. It runs in the parent so the worker's timings are not disturbed by it, and
 * samples at a steady rate so the samples line up with the runs on one clock (epoch milliseconds).
 */
import { readFileSync } from 'node:fs';
import si from 'systeminformation';
import type { SystemSample, SystemTrace } from '../../../shared/report.js';

/** A running sampler; `stop()` ends it and returns what it saw. */
export interface SystemSampler {
  /** Points the worker-RSS reading at a (new) worker process. */
  setPid(pid: number | null): void;
  stop(): Promise<SystemTrace>;
}

// currentLoad() measures since its previous call, and its very first call blocks ~500 ms to get a
// baseline: prime it once per process, off the profile's critical path.
let primed: Promise<unknown> | null = null;
let primeDone = false;

/** Starts the first CPU-load measurement early (e.g. at start-up) so the first sample is quick. */
export function primeSystemSampler(): Promise<unknown> {
  primed ??= si
    .currentLoad()
    .catch(() => null)
    .finally(() => (primeDone = true));
  return primed;
}

/** Starts sampling every `intervalMs` (default 100 ms). */
export function startSystemSampler(options: { intervalMs?: number; pid?: number | null } = {}): SystemSampler {
  const intervalMs = options.intervalMs ?? 100;
  let pid = options.pid ?? null;
  const samples: SystemSample[] = [];
  let memoryTotalBytes = 0;
  let inFlight: Promise<void> = Promise.resolve();
  let temperatureReadable = true;

  const takeSample = async () => {
    // Time and RSS are read first, synchronously: the worker may be gone by the time the slower
    // readings below return.
    const epochMs = Date.now();
    const workerRssBytes = pid === null ? null : readRssBytes(pid);
    const [load, mem, temp] = await Promise.all([
      // Until the baseline exists, a sample carries no CPU load rather than waiting 500 ms for it.
      primeDone ? si.currentLoad().catch(() => null) : (void primeSystemSampler(), Promise.resolve(null)),
      si.mem().catch(() => null),
      // Once a machine says it has no readable sensor, stop asking: on VMs each call costs ~10 ms.
      temperatureReadable ? si.cpuTemperature().catch(() => null) : Promise.resolve(null),
    ]);
    if (temp && temp.main === null) temperatureReadable = false;
    if (mem) memoryTotalBytes = mem.total;
    samples.push({
      epochMs,
      cpuLoadPerCore: load ? load.cpus.map((cpu) => round1(cpu.load)) : [],
      workerRssBytes,
      systemUsedBytes: mem ? mem.total - mem.available : 0,
      temperatureC: temp?.main ?? null,
    });
  };

  let busy = false;
  const tick = () => {
    // One sample at a time: a slow sensor must not pile up overlapping calls; a tick that finds
    // the previous sample still running is skipped.
    if (busy) return;
    busy = true;
    inFlight = takeSample().finally(() => (busy = false));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();

  return {
    setPid(next) {
      pid = next;
      if (next !== null) tick(); // a first reading of the new worker right away
    },
    async stop() {
      clearInterval(timer);
      await inFlight;
      return { intervalMs, memoryTotalBytes, samples };
    },
  };
}

/** Resident set size of process `pid` in bytes (Linux /proc), or null where it cannot be read. */
export function readRssBytes(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
