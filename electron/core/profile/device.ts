/**
 * The machine a profile runs on, read once per process through systeminformation.
 */
import os from 'node:os';
import si from 'systeminformation';
import type { DeviceInfo } from '../../../shared/report.js';
import { readCacheSizes } from './cache-sizes.js';

let cached: Promise<DeviceInfo> | null = null;

/** Describes this machine: CPU, cores, memory, OS, cache sizes as read and display adapters. Cached after the first call. */
export function readDeviceInfo(onnxruntimeVersion: string): Promise<DeviceInfo> {
  cached ??= readDeviceInfoUncached();
  return cached.then((device) => ({ ...device, onnxruntimeVersion }));
}

async function readDeviceInfoUncached(): Promise<DeviceInfo> {
  // systeminformation shells out on some platforms; a failure there must not fail a profile, so
  // every field falls back to what Node itself knows.
  const [cpu, cache, mem, osInfo, graphics] = await Promise.all([
    si.cpu().catch(() => null),
    si.cpuCache().catch(() => null),
    si.mem().catch(() => null),
    si.osInfo().catch(() => null),
    si.graphics().catch(() => null),
  ]);
  const nodeCpus = os.cpus();
  const cpuName = cpu ? `${cpu.manufacturer} ${cpu.brand}`.trim() : (nodeCpus[0]?.model ?? 'unknown CPU');
  return {
    cpu: cpuName,
    cores: cpu?.physicalCores || nodeCpus.length,
    threads: cpu?.cores || nodeCpus.length,
    memoryBytes: mem?.total ?? os.totalmem(),
    os: osInfo
      ? `${osInfo.distro} ${osInfo.release} (${osInfo.platform} ${osInfo.kernel})`
      : `${os.type()} ${os.release()}`,
    arch: osInfo?.arch ?? os.arch(),
    // As read; the profiler checks them against the measured latency curve (machine-probe.ts).
    caches:
      (await readCacheSizes({ totals: cache, physicalCores: cpu?.physicalCores || nodeCpus.length })) ?? undefined,
    onnxruntimeVersion: '',
    gpus: (graphics?.controllers ?? []).map((g) => ({
      vendor: g.vendor || 'unknown vendor',
      model: g.model || 'unknown model',
      // systeminformation gives VRAM in MiB, 0 or null when the driver does not say.
      vramBytes: g.vram ? g.vram * 1024 * 1024 : null,
    })),
  };
}
