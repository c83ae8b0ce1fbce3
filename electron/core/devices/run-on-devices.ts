/**
 * One plan on several devices at once (`--on pi,gateway,local`): each device runs its own job in
 * parallel (they measure different machines, so they cannot disturb each other's numbers; "local"
 * runs on this machine as a plain profile). Each device's models run one after another there.
 */
import { toErrorInfo, type ErrorInfo } from '../../../shared/errors.js';
import { LOCAL_DEVICE, type Device } from '../../../shared/devices.js';
import type { ProfilePlan } from '../../../shared/plan.js';
import type { ProfileProgress } from '../../../shared/progress.js';
import type { Report } from '../../../shared/report.js';
import { createEngine } from '../engine.js';
import { getDevice } from './device-store.js';
import { profileOnDevice } from './remote-profile.js';

/** What one device produced: a report per model, or the error that stopped it. */
export type DeviceOutcome =
  | { readonly device: string; readonly reports: readonly Report[] }
  | { readonly device: string; readonly error: ErrorInfo };

/** Looks every name up before anything runs (a typo fails at once); null stands for this machine. */
export async function resolveDevices(names: readonly string[]): Promise<(Device | null)[]> {
  return Promise.all(names.map((name) => (name === LOCAL_DEVICE ? null : getDevice(name))));
}

/** Profiles each of `modelPaths` with `plan` on each device, devices in parallel; never rejects. */
export async function profileOnDevices(
  devices: readonly (Device | null)[],
  modelPaths: readonly string[],
  plan: ProfilePlan,
  options: { onProgress?: (device: string, progress: ProfileProgress) => void; signal?: AbortSignal } = {},
): Promise<DeviceOutcome[]> {
  return Promise.all(
    devices.map(async (device): Promise<DeviceOutcome> => {
      const name = device?.name ?? LOCAL_DEVICE;
      const onProgress = (p: ProfileProgress) => options.onProgress?.(name, p);
      try {
        const reports: Report[] = [];
        for (const path of modelPaths) {
          reports.push(
            device
              ? await profileOnDevice(device, path, plan, { onProgress, signal: options.signal })
              : await createEngine()
                  .profile(path, plan, { onProgress, signal: options.signal })
                  .then((r) => ({ ...r, device: { ...r.device, name: LOCAL_DEVICE } })),
          );
        }
        return { device: name, reports };
      } catch (err) {
        return { device: name, error: toErrorInfo(err) };
      }
    }),
  );
}
