/**
 * Samples the machine while a profile runs: CPU load per core, the worker's resident memory, system
 * memory and temperature. It runs in the parent so the worker's timings are not disturbed by it, and
 * samples at a steady rate so the samples line up with the runs on one clock (epoch milliseconds).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import si from 'systeminformation';
import type { SystemSample, SystemTrace } from '../../../shared/report.js';

/** A running sampler; `stop()` ends it and returns what it saw. */
export interface SystemSampler {
  /** Points the worker-RSS reading at a (new) worker process. */
  setPid(pid: number | null): void;
  stop(): Promise<SystemTrace>;
}

/** CPU times of each core so far (ms), busy and total, as the OS counts them. */
function coreTimes(): { busy: number; total: number }[] {
  return os.cpus().map(({ times }) => {
    const busy = times.user + times.nice + times.sys + times.irq;
    return { busy, total: busy + times.idle };
  });
}

/**
 * Percent busy per core since `before`. Read from the OS's counters (os.cpus()), never by starting
 * a process: systeminformation's currentLoad() runs `cat /proc/stat | grep cpu` through execSync on
 * every call, which at 10 samples a second blocked the event loop for 21 s of a 2-minute profile
 * and put a shell on the very cores being timed.
 */
function loadSince(before: { busy: number; total: number }[], now: { busy: number; total: number }[]): number[] {
  return now.map((core, i) => {
    const prev = before[i];
    const total = prev ? core.total - prev.total : 0;
    return total > 0 ? Math.min(100, Math.max(0, ((core.busy - prev!.busy) / total) * 100)) : 0;
  });
}

/** How long the start of a profile is sampled faster, and how fast: a 300 ms profile still gets a curve. */
export const FAST_WINDOW_MS = 1000;
export const FAST_INTERVAL_MS = 20;

/** Starts sampling every `intervalMs` (default 100 ms), every 20 ms over the first second. */
export function startSystemSampler(options: { intervalMs?: number; pid?: number | null } = {}): SystemSampler {
  const intervalMs = options.intervalMs ?? 100;
  const fastMs = Math.min(FAST_INTERVAL_MS, intervalMs);
  let pid = options.pid ?? null;
  const samples: SystemSample[] = [];
  let memoryTotalBytes = 0;
  let inFlight: Promise<void> = Promise.resolve();
  let temperatureReadable = true;
  let lastTimes = coreTimes();

  const takeSample = async () => {
    // Time and RSS are read first, synchronously: the worker may be gone by the time the slower
    // readings below return.
    const epochMs = Date.now();
    const workerRssBytes = pid === null ? null : readRssBytes(pid);
    const times = coreTimes();
    const load = loadSince(lastTimes, times);
    lastTimes = times;
    const [mem, temp] = await Promise.all([
      si.mem().catch(() => null),
      // Once a machine says it has no readable sensor, stop asking: on VMs each call costs ~10 ms.
      temperatureReadable ? si.cpuTemperature().catch(() => null) : Promise.resolve(null),
    ]);
    if (temp && temp.main === null) temperatureReadable = false;
    if (mem) memoryTotalBytes = mem.total;
    samples.push({
      epochMs,
      cpuLoadPerCore: load.map(round1),
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
  // Fast over the first second, then the steady rate: the parent stays quiet through long runs.
  let timer = setInterval(tick, fastMs);
  timer.unref();
  const slowDown = setTimeout(() => {
    clearInterval(timer);
    timer = setInterval(tick, intervalMs);
    timer.unref();
  }, FAST_WINDOW_MS);
  slowDown.unref();
  tick();

  return {
    setPid(next) {
      pid = next;
      if (next !== null) tick(); // a first reading of the new worker right away
    },
    async stop() {
      clearTimeout(slowDown);
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
