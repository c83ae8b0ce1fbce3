/**
 * How busy the machine is with other programs: CPU time used machine-wide, less what Strata's own
 * processes used, over a window. A ceiling or a cache probe measured while something else runs
 * comes out low, so measurements check this first and record it.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { ProfileProgress } from '../../../shared/progress.js';

/** Other programs count as busy above this share of all cores (one busy core of two is 50%). */
export const BUSY_PERCENT = 15;

/** CPU milliseconds of process `pid` so far (Linux /proc; null elsewhere or once it is gone). */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime, fields 14 and 15 of stat
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

function busyCpuMs(): number {
  return os.cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0);
}

function selfCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** A window over which other programs' CPU use is measured. */
export interface LoadWindow {
  /** Also leaves out process `pid` (a worker of ours) from the moment it is named. */
  exclude(pid: number): void;
  /** Percent of all cores used by other programs since the window opened (0..100), or null if unknown. Closes the window. */
  otherCpuPercent(): number | null;
}

/** Opens a window now. */
export function openLoadWindow(): LoadWindow {
  const start = { wall: performance.now(), busy: busyCpuMs(), self: selfCpuMs() };
  const excluded = new Map<number, { start: number; last: number }>();
  // A worker's CPU time can only be read while it lives: read each often, so one that has exited
  // keeps (nearly) all it used, instead of its whole run counting as another program's.
  const refresh = () => {
    for (const [pid, times] of excluded) times.last = processCpuMs(pid) ?? times.last;
  };
  const timer = setInterval(refresh, 100);
  timer.unref();
  return {
    exclude(pid) {
      const now = processCpuMs(pid);
      if (now !== null) excluded.set(pid, { start: now, last: now });
    },
    otherCpuPercent() {
      clearInterval(timer);
      refresh();
      const wall = performance.now() - start.wall;
      const cores = os.cpus().length;
      if (wall <= 0 || cores === 0) return null;
      let ours = selfCpuMs() - start.self;
      for (const times of excluded.values()) ours += times.last - times.start;
      const others = busyCpuMs() - start.busy - ours;
      return Math.min(100, Math.max(0, (others / (wall * cores)) * 100));
    },
  };
}

/** Percent of all cores other programs use over the next `ms` milliseconds (null where unknown). */
export async function sampleOtherCpuPercent(ms = 500): Promise<number | null> {
  const window = openLoadWindow();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return window.otherCpuPercent();
}

/**
 * Waits up to `attempts` samples for other programs to settle under BUSY_PERCENT, telling
 * `onBusy` each time they are not. Resolves with the last reading (busy or not).
 */
export async function waitForQuiet(
  options: {
    attempts?: number;
    sampleMs?: number;
    onBusy?: (percent: number) => void;
    sample?: (ms: number) => Promise<number | null>;
  } = {},
): Promise<number | null> {
  const sample = options.sample ?? sampleOtherCpuPercent;
  const attempts = options.attempts ?? 4;
  let percent: number | null = null;
  for (let i = 0; i < attempts; i++) {
    percent = await sample(options.sampleMs ?? 500);
    if (percent === null || percent < BUSY_PERCENT) return percent;
    options.onBusy?.(percent);
  }
  return percent;
}

/** Reports a measurement's progress: a sentence, how far along (0 to 1), and the time left. */
export type SayProgress = (message: string, fraction: number, etaMs: number | null) => void;

/**
 * Starts a machine measurement: a `say` that turns sentences into progress events, and a wait for
 * other programs to settle (saying so) before measuring `what` ("its caches"). Resolves with `say`
 * and the share of the CPU other programs used at the end of the wait.
 */
export async function settleBeforeMeasuring(
  what: string,
  onProgress?: (progress: ProfileProgress) => void,
): Promise<{ say: SayProgress; before: number | null }> {
  const say: SayProgress = (message, fraction, etaMs) =>
    onProgress?.({ phase: 'measuring', done: 0, total: 1, message, fraction, etaMs });
  const before = await waitForQuiet({
    onBusy: (percent) =>
      say(
        `Waiting for the machine to settle before measuring ${what}: other programs use ${Math.round(percent)}% of the CPU`,
        0,
        null,
      ),
  });
  return { say, before };
}
