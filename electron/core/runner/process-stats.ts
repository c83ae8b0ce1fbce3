/**
 * The worker's own memory peak and the machine's CPU use, read from inside the worker.
 *
 * Peak RSS: on Linux a child inherits its parent's ru_maxrss across fork and exec, so a worker of
 * an app that once held 1.2 GiB reports 1.2 GiB for a 90 MiB model. Writing "5" to
 * /proc/self/clear_refs resets the kernel's high-water mark (VmHWM) to the current RSS; VmHWM read
 * at the end is then the worker's own peak. Where that cannot be done, getrusage is used if it
 * looks like the worker's own (not far above its resident size at start), else the largest RSS seen
 * at the worker's checkpoints.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { TimingCpu } from './protocol.js';

/** Where a worker's peak comes from; start it first thing in the worker. */
export interface PeakRssTracker {
  /** Notes the current RSS (between runs: cheap, no syscall beyond one read). */
  checkpoint(): void;
  read(): { bytes: number; source: 'hwm-reset' | 'rusage' | 'sampled' };
}

function statusField(field: string): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Resets the high-water mark where the kernel allows it and returns how to read the peak later. */
export function startPeakRssTracker(): PeakRssTracker {
  let hwmReset = false;
  if (process.platform === 'linux') {
    try {
      writeFileSync('/proc/self/clear_refs', '5');
      hwmReset = statusField('VmHWM') !== null;
    } catch {
      hwmReset = false;
    }
  }
  const startRss = process.memoryUsage.rss();
  // ru_maxrss well above what the worker holds at start can only be inherited.
  const rusageIsOwn = process.resourceUsage().maxRSS * 1024 < startRss * 1.5 + 64 * 1024 * 1024;
  let sampled = startRss;
  return {
    checkpoint() {
      if (!hwmReset) sampled = Math.max(sampled, process.memoryUsage.rss());
    },
    read() {
      if (hwmReset) {
        const hwm = statusField('VmHWM');
        if (hwm !== null) return { bytes: hwm, source: 'hwm-reset' };
      }
      sampled = Math.max(sampled, process.memoryUsage.rss());
      if (rusageIsOwn) return { bytes: Math.max(sampled, process.resourceUsage().maxRSS * 1024), source: 'rusage' };
      return { bytes: sampled, source: 'sampled' };
    },
  };
}

// Busy time of every core, in ms, from the first line of /proc/stat (user nice system idle iowait
// irq softirq steal ...; USER_HZ ticks, 100 per second on every Linux Node runs on).
function machineBusyMs(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
    return (busy * 1000) / 100;
  } catch {
    return null;
  }
}

/** Starts counting CPU time; `stop()` returns the pass's wall, own and machine-wide busy time (null off Linux). */
export function startCpuMeter(): { stop(): TimingCpu | null } {
  const wall0 = performance.now();
  const own0 = process.cpuUsage();
  const busy0 = machineBusyMs();
  return {
    stop() {
      const busy1 = machineBusyMs();
      if (busy0 === null || busy1 === null) return null;
      const own = process.cpuUsage(own0);
      return {
        wallMs: performance.now() - wall0,
        ownCpuMs: (own.user + own.system) / 1000,
        machineBusyMs: busy1 - busy0,
        cores: availableParallelism(),
      };
    },
  };
}
