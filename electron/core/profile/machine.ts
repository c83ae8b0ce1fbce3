/**
 * What Strata knows of this machine beyond what it reads: the memory hierarchy measured once (and
 * the read cache sizes checked against it), and the roofline ceilings. One place for the profiler,
 * `strata ceilings` and the app's Re-measure, so all three say the same things the same way.
 */
import type { ProfileProgress } from '../../../shared/progress.js';
import type { CacheSizes, Ceilings, DeviceInfo, MachineMeasurement } from '../../../shared/report.js';
import { probeEps } from '../runner/worker-client.js';
import { machineCeilings, type ProfileFn } from './ceilings.js';
import { readDeviceInfo } from './device.js';
import { hierarchyForReport, machineMemoryHierarchy } from './machine-probe.js';

/** How a machine measurement is followed and stopped. */
export interface MachineOptions {
  /** Measure again instead of reading the cache. */
  readonly remeasure?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ProfileProgress) => void;
}

// Both measurements tell the user what is happening and that it happens once.
function measuring(onProgress: MachineOptions['onProgress'], step: string) {
  return (p: ProfileProgress) =>
    onProgress?.({
      ...p,
      phase: 'measuring',
      message: `Measuring this machine once (caches, compute and memory ceilings): ${step}${p.message ? ` · ${lowerFirst(p.message)}` : ''}`,
    });
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Said when a machine measurement was taken while other programs were busy: it is kept, marked, and
 * measured again the next time the machine is quiet.
 */
export function busyNote(what: string, otherCpuPercent: number | null): string {
  const share = otherCpuPercent === null ? '' : ` (other programs used ${otherCpuPercent}% of the CPU)`;
  return `The machine was busy${share} when its ${what} measured, so the numbers may be off; Strata measures them again the next time the machine is quiet, or now with \`strata ceilings --remeasure\` or Re-measure in Cache & memory.`;
}

/**
 * What identifies a machine in the config folder's caches: the CPU's name alone is not enough (a VM
 * may show only "AMD EPYC"), so cores, memory and the cache sizes read are part of it.
 */
export function machineKey(device: DeviceInfo): string {
  const c = device.caches;
  return `${device.cpu}|${device.cores}c/${device.threads}t|${Math.round(device.memoryBytes / 2 ** 30)} GiB|caches ${c ? `${c.l1d}/${c.l2}/${c.l3}` : 'unread'}`;
}

/**
 * `device` with its caches checked against the measured staircase (measured now if not cached),
 * or with `given` caches as they are; plus the notes the user should read about them.
 */
export async function withMeasuredCaches(
  device: DeviceInfo,
  options: MachineOptions & { readonly given?: CacheSizes; readonly probe?: boolean },
): Promise<{ device: DeviceInfo; notes: string[] }> {
  if (options.given) return { device: { ...device, caches: options.given }, notes: [] };
  if (options.probe === false) return { device, notes: [] };
  const measured = await machineMemoryHierarchy({
    cpu: machineKey(device),
    remeasure: options.remeasure,
    signal: options.signal,
    onProgress: measuring(options.onProgress, '1 of 2, caches'),
  });
  const { caches, memoryHierarchy } = hierarchyForReport(device.caches, measured);
  const notes = [...(memoryHierarchy?.disagreements ?? [])];
  if (memoryHierarchy?.busy) notes.push(busyNote('cache latency curve was', memoryHierarchy.otherCpuPercent));
  return { device: { ...device, caches, ...(memoryHierarchy ? { memoryHierarchy } : {}) }, notes };
}

/** The roofline ceilings for `threads` on this machine (cached, or measured now), with the notes to read. */
export async function ceilingsFor(
  machine: { readonly threads: number; readonly cpu: string; readonly onnxruntimeVersion: string },
  profile: ProfileFn,
  options: MachineOptions = {},
): Promise<{ ceilings: Ceilings; notes: string[] }> {
  const ceilings = await machineCeilings(
    {
      ...machine,
      remeasure: options.remeasure,
      signal: options.signal,
      onProgress: measuring(options.onProgress, '2 of 2, ceilings'),
    },
    (modelPath, plan, ceilingOptions) => profile(modelPath, plan, ceilingOptions),
  );
  return {
    ceilings,
    notes: ceilings.busy ? [busyNote('roofline ceilings were', ceilings.otherCpuPercent ?? null)] : [],
  };
}

/** Measures (or reads from the cache) everything above for `threads` threads (0 = all cores). */
export async function measureMachine(
  profile: ProfileFn,
  options: MachineOptions & { readonly threads?: number } = {},
): Promise<MachineMeasurement> {
  const { ortVersion } = await probeEps(['cpu']);
  const read = await readDeviceInfo(ortVersion);
  const { device, notes } = await withMeasuredCaches(read, options);
  const threads = options.threads || device.threads;
  const roof = await ceilingsFor({ threads, cpu: machineKey(read), onnxruntimeVersion: ortVersion }, profile, options);
  return { device, ceilings: roof.ceilings, notes: [...notes, ...roof.notes] };
}
