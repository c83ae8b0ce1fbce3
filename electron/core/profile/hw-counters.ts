/**
 * Hardware counters (cache references and misses, LLC misses, instructions, cycles) for the worker
 * process, through Linux `perf stat`. Where the OS or the VM gives none, the report says so and why,
 * and keeps the software events perf can still count.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { CounterValue, HardwareCounters } from '../../../shared/report.js';

/** The events asked of perf: hardware first, then software events that work even in VMs. */
export const PERF_EVENTS = [
  'cache-references',
  'cache-misses',
  'LLC-load-misses',
  'instructions',
  'cycles',
  'task-clock',
  'page-faults',
  'context-switches',
] as const;

const HARDWARE_EVENTS = new Set(['cache-references', 'cache-misses', 'LLC-load-misses', 'instructions', 'cycles']);

/** A counting session attached to a process; `stop()` detaches and returns the counts. */
export interface CounterSession {
  stop(): Promise<HardwareCounters>;
}

/**
 * Parses `perf stat -x,` output (one CSV line per event on stderr):
 * `value,unit,event,run_time,percent,metric,metric_unit`, where value may be `<not supported>` or
 * `<not counted>`. Lines that are not event lines (comments, blank) are ignored.
 */
export function parsePerfStatCsv(text: string): HardwareCounters {
  const values: CounterValue[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(',');
    if (fields.length < 3 || line.startsWith('#')) continue;
    const [rawValue, unit, event] = fields as [string, string, string];
    if (!event || !/^[A-Za-z][\w.:-]*$/.test(event)) continue;
    const value = rawValue.startsWith('<') ? null : Number(rawValue);
    values.push({ event, value: value === null || Number.isFinite(value) ? value : null, unit });
  }
  const get = (event: string) => values.find((v) => v.event === event)?.value ?? null;
  const available = values.some((v) => HARDWARE_EVENTS.has(v.event) && v.value !== null);
  const instructions = get('instructions');
  const cycles = get('cycles');
  const references = get('cache-references');
  const misses = get('cache-misses');
  return {
    available,
    reason: available
      ? null
      : 'This machine exposes no hardware performance counters (perf reports them as not supported, as in most VMs); ' +
        'only software events were counted. Profile on bare metal for cache-miss and IPC numbers.',
    tool: 'perf stat',
    values,
    instructionsPerCycle: instructions !== null && cycles ? instructions / cycles : null,
    cacheMissRate: misses !== null && references ? misses / references : null,
  };
}

/** The report for a machine where counters cannot be read at all. */
export function unavailableCounters(reason: string): HardwareCounters {
  return { available: false, reason, tool: 'none', values: [], instructionsPerCycle: null, cacheMissRate: null };
}

/** Whether `perf` can be run here; the reason as a sentence when not. */
export function perfAvailability(): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== 'linux') {
    return {
      ok: false,
      reason: `Hardware counters are read with Linux perf; this is ${process.platform}, where Strata does not read them yet.`,
    };
  }
  const probe = spawnSync('perf', ['--version'], { encoding: 'utf8', timeout: 5000 });
  if (probe.error || probe.status !== 0) {
    return {
      ok: false,
      reason:
        'perf is not installed, so hardware counters were not read. Install it (Debian: apt-get install linux-perf).',
    };
  }
  return { ok: true };
}

/** Starts `perf stat` on process `pid`; resolves once perf is attached (or has failed). */
export async function startCounters(pid: number): Promise<CounterSession> {
  const available = perfAvailability();
  if (!available.ok) {
    const result = unavailableCounters(available.reason);
    return { stop: async () => result };
  }
  const child = spawn('perf', ['stat', '-x,', '-e', PERF_EVENTS.join(','), '-p', String(pid)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', (code) => resolve(code));
  });
  return {
    async stop() {
      // perf prints its counts when interrupted; it also exits by itself if the worker is gone.
      if (child.exitCode === null) child.kill('SIGINT');
      const code = await Promise.race([
        exited,
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 3000).unref()),
      ]);
      if (code === 'timeout') child.kill('SIGKILL');
      const parsed = parsePerfStatCsv(stderr);
      if (parsed.values.length === 0) {
        const detail = stderr.trim().split('\n')[0] ?? '';
        return unavailableCounters(
          `perf stat could not count events for the worker${detail ? ` ("${detail}")` : ''}. ` +
            'Check /proc/sys/kernel/perf_event_paranoid (2 or lower lets a user profile its own processes).',
        );
      }
      return parsed;
    },
  };
}
